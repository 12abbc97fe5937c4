"""Who reaches a class's dashboard, grades and exports: its teachers and the admins, no one else."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import can_manage_class
from sandbox.core.errors import NotFound, PermissionDenied
from sandbox.extensions import db


def class_for_staff(viewer: User, class_id: int) -> SchoolClass:
    """The class, if `viewer` teaches it or is an admin (404 when it does not exist, else 403)."""
    klass = db.session.get(SchoolClass, class_id)
    if klass is None:
        raise NotFound(_l("This class does not exist."))
    if not can_manage_class(viewer, klass):
        raise PermissionDenied(_l("Only the class's teachers can see this."))
    return klass


def student_for_staff(viewer: User, class_id: int, student_id: int) -> tuple[SchoolClass, User]:
    """A student of that class, for its teachers and the admins."""
    klass = class_for_staff(viewer, class_id)
    student = db.session.get(User, student_id)
    if student is None or student.role is not Role.STUDENT or student.class_id != klass.id:
        raise NotFound(_l("This student is not in this class."))
    return klass, student
