"""Who may do what with a class: one check per kind of object, used everywhere."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.extensions import db


def teaches(user: User, klass: SchoolClass) -> bool:
    if not user.is_teacher:
        return False
    query = sa.select(class_teachers.c.class_id).where(
        class_teachers.c.class_id == klass.id, class_teachers.c.teacher_id == user.id
    )
    return db.session.scalar(query) is not None


def can_manage_class(user: User, klass: SchoolClass) -> bool:
    """Admins manage every class; a teacher manages the classes they teach."""
    return user.is_admin or teaches(user, klass)


def can_manage_student(user: User, student: User) -> bool:
    """Reset a password, see everything: the student's teachers and the admins."""
    if not student.is_student or student.school_class is None:
        return False
    return can_manage_class(user, student.school_class)


def classes_managed_by(user: User) -> sa.Select:
    query = sa.select(SchoolClass).order_by(SchoolClass.created_at.desc(), SchoolClass.id.desc())
    if user.is_admin:
        return query
    return query.join(class_teachers).where(class_teachers.c.teacher_id == user.id)
