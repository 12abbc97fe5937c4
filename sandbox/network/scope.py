"""Network scope: the people a user may see at all.

A student sees the students of their own class (or of the whole school when the class is open
to it), their teachers, and every persona. Teachers see their classes and the personas; admins see
everyone. Every list of people or of their content filters through `visible_people`.
"""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.classes.models import NetworkScope, SchoolClass, class_teachers


def visible_people(viewer: User) -> sa.ColumnElement[bool]:
    """A WHERE clause on User: True for the people `viewer` may see."""
    if viewer.is_admin:
        return sa.true()
    return sa.and_(User.is_disabled.is_(False), _scope(viewer))


def _scope(viewer: User) -> sa.ColumnElement[bool]:
    personas = User.role == Role.PERSONA
    if viewer.is_persona:
        # A fictional professional sees the whole school, as a recruiter on a real network would.
        return User.role != Role.ADMIN
    if viewer.is_teacher:
        taught = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == viewer.id
        )
        colleagues = sa.select(class_teachers.c.teacher_id).where(
            class_teachers.c.class_id.in_(taught)
        )
        return sa.or_(personas, User.class_id.in_(taught), User.id.in_(colleagues))
    if viewer.is_student and viewer.class_id is not None:
        klass = viewer.school_class
        assert klass is not None
        if klass.network_scope is NetworkScope.SCHOOL:
            open_classes = sa.select(SchoolClass.id).where(
                SchoolClass.network_scope == NetworkScope.SCHOOL
            )
            classmates = User.class_id.in_(open_classes)
            own_teachers = User.id.in_(
                sa.select(class_teachers.c.teacher_id).where(
                    class_teachers.c.class_id.in_(open_classes)
                )
            )
        else:
            classmates = User.class_id == viewer.class_id
            own_teachers = User.id.in_(
                sa.select(class_teachers.c.teacher_id).where(
                    class_teachers.c.class_id == viewer.class_id
                )
            )
        return sa.or_(personas, classmates, own_teachers, User.id == viewer.id)
    return User.id == viewer.id
