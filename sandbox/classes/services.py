"""Class rules: creating classes, join codes, settings, students joining, passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import Role, User
from sandbox.accounts.services import (
    build_user,
    flush_new_accounts,
    generate_one_time_password,
    hash_password,
    validate_name,
    validate_password,
    validate_username,
)
from sandbox.activity.services import record_event
from sandbox.charter.services import copy_default_charter
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.classes.permissions import can_manage_class, can_manage_student, classes_managed_by
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.validation import clean_line
from sandbox.extensions import db
from sandbox.grading.rubrics import add_default_rubric

# No 0/O, 1/I/L: a code is read aloud and copied from the board.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class LoginCard:
    """What a student needs to log in the first time; the password is shown once, never stored."""

    display_name: str
    username: str
    password: str
    class_name: str


def normalise_join_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def generate_join_code() -> str:
    """A fresh join code like 'K7QM-4XPD' not used by any class."""
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        taken = db.session.scalar(sa.select(SchoolClass.id).where(SchoolClass.join_code == code))
        if taken is None:
            return code


def require_class_manager(actor: User, klass: SchoolClass) -> None:
    if not can_manage_class(actor, klass):
        raise PermissionDenied(_l("You do not teach this class."))


def get_managed_class(actor: User, class_id: int) -> SchoolClass:
    """The class, if `actor` manages it: NotFound or PermissionDenied otherwise."""
    klass = db.session.get(SchoolClass, class_id)
    if klass is None:
        raise NotFound(_l("This class does not exist."))
    require_class_manager(actor, klass)
    return klass


def get_student_of_class(actor: User, klass: SchoolClass, student_id: int) -> User:
    require_class_manager(actor, klass)
    student = db.session.get(User, student_id)
    if student is None or student.class_id != klass.id or not student.is_student:
        raise NotFound(_l("This student is not in the class."))
    return student


def _validate_class_name(name: str) -> str:
    name = clean_line(name, "name", max_length=120)
    if len(name) < 2:
        raise ServiceError(_l("A class name has 2 to 120 characters."), field="name")
    return name


def create_class(
    actor: User,
    name: str,
    network_scope: NetworkScope = NetworkScope.CLASS,
    allow_pseudonyms: bool = True,
) -> SchoolClass:
    """A teacher (or an admin) creates a class; it gets a join code, the default charter and
    the default rubric."""
    if not (actor.is_teacher or actor.is_admin):
        raise PermissionDenied(_l("Only teachers create classes."))
    klass = SchoolClass(
        name=_validate_class_name(name),
        join_code=generate_join_code(),
        network_scope=network_scope,
        allow_pseudonyms=allow_pseudonyms,
    )
    if actor.is_teacher:
        klass.teachers.append(actor)
    db.session.add(klass)
    db.session.flush()
    copy_default_charter(klass)
    add_default_rubric(klass)
    record_event(actor, "class_created", klass)
    db.session.commit()
    return klass


# The personas' pace: 1 is real time, 600 makes an hour last six seconds.
TIME_COMPRESSION = (1, 600)


def update_class_settings(
    actor: User,
    klass: SchoolClass,
    *,
    name: str,
    network_scope: NetworkScope,
    allow_pseudonyms: bool,
    weekly_invitation_cap: int | None = None,
    students_create_groups: bool | None = None,
    persona_time_compression: int | None = None,
) -> None:
    """Change a class's settings; a setting passed as None is left as it is."""
    require_class_manager(actor, klass)
    if persona_time_compression is not None and not (
            TIME_COMPRESSION[0] <= persona_time_compression <= TIME_COMPRESSION[1]):
        raise ServiceError(_l("Choose a number between 1 (real time) and 600."),
                           field="persona_time_compression")
    klass.name = _validate_class_name(name)
    klass.network_scope = network_scope
    klass.allow_pseudonyms = allow_pseudonyms
    if weekly_invitation_cap is not None:
        if not 1 <= weekly_invitation_cap <= 200:
            raise ServiceError(_l("Between 1 and 200."), field="weekly_invitation_cap")
        klass.weekly_invitation_cap = weekly_invitation_cap
    if students_create_groups is not None:
        klass.students_create_groups = students_create_groups
    if persona_time_compression is not None:
        # Reactions already scheduled keep their time; the next ones follow the new pace.
        klass.persona_time_compression = persona_time_compression
    record_event(actor, "class_settings_changed", klass)
    db.session.commit()


def rotate_join_code(actor: User, klass: SchoolClass) -> str:
    """A new code; the old one stops working at once (students already in stay in)."""
    require_class_manager(actor, klass)
    klass.join_code = generate_join_code()
    record_event(actor, "join_code_rotated", klass)
    db.session.commit()
    return klass.join_code


def find_class_by_code(code: str) -> SchoolClass | None:
    code = normalise_join_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.join_code == code))


def join_class(
    code: str,
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    pseudonym: str = "",
    locale: str | None = None,
) -> User:
    """A student creates their own account with the class code: no e-mail needed."""
    klass = find_class_by_code(code)
    if klass is None:
        raise ServiceError(
            _l("No class has this code. Check it with your teacher (letters and digits)."),
            field="join_code",
        )
    pseudonym = clean_line(pseudonym, "pseudonym", required=False)
    if pseudonym and not klass.allow_pseudonyms:
        raise ServiceError(
            _l("This class uses real names: leave the pseudonym empty."), field="pseudonym"
        )
    student = build_user(
        username=validate_username(username),
        role=Role.STUDENT,
        first_name=validate_name(first_name, "first_name"),
        last_name=validate_name(last_name, "last_name"),
        password=validate_password(password),
        pseudonym=pseudonym or None,
        class_id=klass.id,
    )
    student.locale = locale
    flush_new_accounts(student.username)
    record_event(student, "joined_class", klass)
    db.session.commit()
    return student


def reset_student_password(actor: User, student: User) -> LoginCard:
    """A teacher gives a student a new one-time password, to be changed at the next login."""
    if not can_manage_student(actor, student):
        raise PermissionDenied(_l("You do not teach this student."))
    password = generate_one_time_password()
    student.password_hash = hash_password(password)
    student.must_change_password = True
    student.end_all_sessions()
    record_event(actor, "student_password_reset", student)
    db.session.commit()
    assert student.school_class is not None
    return LoginCard(
        display_name=student.name_for(actor),
        username=student.username,
        password=password,
        class_name=student.school_class.name,
    )


def classes_of(actor: User) -> list[SchoolClass]:
    """The classes `actor` manages, newest first (every class, for an admin)."""
    return list(db.session.scalars(classes_managed_by(actor)))


def class_students(klass: SchoolClass) -> list[User]:
    return list(
        db.session.scalars(
            klass.students.select().order_by(User.last_name, User.first_name, User.id)
        )
    )
