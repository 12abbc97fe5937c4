"""Students sign their class's charter: on their first login, then each time it changes.

A signature is for one version of one class's charter (`ClassCharter.version`); a student whose
class has a version they have not signed is sent to the sign page before anything else (the
request hook is in `sandbox.charter.views`). Teachers see who signed which version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from sandbox.accounts.models import Role, User
from sandbox.activity.services import record_event
from sandbox.charter.models import CharterRule, CharterSignature, ClassCharter
from sandbox.charter.services import charter_of, managed_class, rules_of
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry


def pending_version(user: User) -> int | None:
    """The version of their class's charter `user` must sign first; None when there is none.

    It runs on every request of a logged-in student, as one query that also loads their class:
    pages need the class anyway (names behind pseudonyms), and then find it already loaded.
    """
    if not user.is_student or user.class_id is None:
        return None
    signed = sa.exists().where(
        CharterSignature.user_id == user.id,
        CharterSignature.class_id == ClassCharter.class_id,
        CharterSignature.version == ClassCharter.version,
    )
    row = db.session.execute(
        sa.select(SchoolClass, ClassCharter.version, signed)
        .outerjoin(ClassCharter, ClassCharter.class_id == SchoolClass.id)
        .where(SchoolClass.id == user.class_id)
    ).first()
    if row is None:
        return None
    if "school_class" not in sa.inspect(user).dict:  # kept: the page reads it next
        set_committed_value(user, "school_class", row[0])
    if row[1] is None or row[2]:
        return None
    return int(row[1])


def has_signed_before(user: User) -> bool:
    """Has `user` signed any version of their class's charter (one query)?"""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        CharterSignature.user_id == user.id, CharterSignature.class_id == user.class_id,
    ))))


@dataclass(frozen=True)
class StudentCharter:
    """A student's view of their class's charter: the rules in force and where they stand."""

    klass: SchoolClass | None
    charter: ClassCharter | None
    rules: list[CharterRule]
    last_signature: CharterSignature | None
    # Since the version last signed: the rules changed, and whether the settings changed too.
    changed_rules: frozenset[str]
    settings_changed: bool

    @property
    def signed_current(self) -> bool:
        return self.charter is None or (
            self.last_signature is not None
            and self.last_signature.version >= self.charter.version
        )


def student_charter(user: User) -> StudentCharter:
    """The charter `user` reads and signs (students only)."""
    if not user.is_student:
        raise PermissionDenied(_l("Only students sign a class charter."))
    klass = user.school_class
    if klass is None:
        return StudentCharter(None, None, [], None, frozenset(), False)
    charter = db.session.get(ClassCharter, klass.id)
    last = db.session.scalar(
        sa.select(CharterSignature)
        .where(CharterSignature.user_id == user.id, CharterSignature.class_id == klass.id)
        .order_by(CharterSignature.version.desc())
        .limit(1)
    )
    changed_rules: set[str] = set()
    settings_changed = False
    if charter is not None and last is not None and last.version < charter.version:
        edits = db.session.scalars(
            sa.select(AuditEntry.data)
            .where(AuditEntry.class_id == klass.id, AuditEntry.action == "charter_edit")
        )
        for data in edits:
            if isinstance(data, dict) and _version(data) > last.version:
                changed_rules.update(data.get("rules") or ())
                settings_changed = settings_changed or bool(data.get("settings"))
    return StudentCharter(klass, charter, rules_of(klass.id, enabled_only=True), last,
                          frozenset(changed_rules), settings_changed)


def _version(data: dict) -> int:
    version = data.get("version")
    return version if isinstance(version, int) else 0


def sign(user: User, version: int | None) -> bool:
    """`user` signs `version` of their class's charter, the one they read.

    False when it was signed already (the form sent twice): nothing more is written.
    """
    if not user.is_student:
        raise PermissionDenied(_l("Only students sign a class charter."))
    charter = db.session.get(ClassCharter, user.class_id) if user.class_id else None
    if charter is None:
        raise ServiceError(_l("You are not in a class: there is no charter to sign."))
    if version != charter.version:
        raise ServiceError(_l("The charter has just changed: read it again, then sign it."))
    already = db.session.scalar(sa.select(CharterSignature.id).where(
        CharterSignature.user_id == user.id, CharterSignature.class_id == charter.class_id,
        CharterSignature.version == version,
    ))
    if already is not None:
        return False
    db.session.add(CharterSignature(user_id=user.id, class_id=charter.class_id,
                                    version=version))
    record_event(user, "charter_signed", None, version=version)
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at the same instant
        db.session.rollback()
        return False
    return True


def mark_signed(students: Iterable[User], *, first_time_only: bool = False) -> int:
    """Sign the current version on behalf of students who exist already (seeds, fixtures).

    With `first_time_only`, only those who never signed their class's charter: a version a
    teacher made since stays for them to sign. No commit; returns how many were added.
    """
    students = [s for s in students if s.is_student and s.class_id is not None]
    if not students:
        return 0
    class_ids = {student.class_id for student in students}
    versions = dict(db.session.execute(
        sa.select(ClassCharter.class_id, ClassCharter.version)
        .where(ClassCharter.class_id.in_(class_ids))
    ).all())
    signed = set(db.session.execute(
        sa.select(CharterSignature.user_id, CharterSignature.class_id, CharterSignature.version)
        .where(CharterSignature.user_id.in_([student.id for student in students]))
    ).all())
    added = 0
    for student in students:
        version = versions.get(student.class_id)
        if version is None:
            continue
        mine = {entry for entry in signed
                if entry[0] == student.id and entry[1] == student.class_id}
        if (first_time_only and mine) or (student.id, student.class_id, version) in mine:
            continue
        db.session.add(CharterSignature(user_id=student.id, class_id=student.class_id,
                                        version=version))
        added += 1
    return added


# ---- the teacher's view --------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRow:
    student: User
    version: int | None  # the last version signed; None: never signed
    signed_at: datetime | None
    current: bool


@dataclass(frozen=True)
class SignaturesPage:
    klass: SchoolClass
    charter: ClassCharter
    rows: list[SignatureRow]

    @property
    def signed_current(self) -> int:
        return sum(1 for row in self.rows if row.current)

    @property
    def signed_older(self) -> int:
        return sum(1 for row in self.rows if row.version is not None and not row.current)

    @property
    def never_signed(self) -> int:
        return sum(1 for row in self.rows if row.version is None)


def signatures_page(actor: User, class_id: int) -> SignaturesPage:
    """Each student of the class with the last version they signed: a fixed number of queries."""
    klass = managed_class(actor, class_id)
    charter = charter_of(klass)
    klass.teachers  # noqa: B018  (loaded once: names behind pseudonyms are shown to them)
    students = db.session.scalars(
        sa.select(User)
        .where(User.class_id == klass.id, User.role == Role.STUDENT)
        .order_by(User.last_name, User.first_name, User.id)
    ).all()
    latest = (
        sa.select(CharterSignature.user_id, sa.func.max(CharterSignature.version).label("top"))
        .where(CharterSignature.class_id == klass.id)
        .group_by(CharterSignature.user_id)
        .subquery()
    )
    signed = {
        user_id: (version, signed_at)
        for user_id, version, signed_at in db.session.execute(
            sa.select(CharterSignature.user_id, CharterSignature.version,
                      CharterSignature.signed_at)
            .join(latest, sa.and_(latest.c.user_id == CharterSignature.user_id,
                                  latest.c.top == CharterSignature.version))
            .where(CharterSignature.class_id == klass.id)
        )
    }
    rows = []
    for student in students:
        version, signed_at = signed.get(student.id, (None, None))
        rows.append(SignatureRow(student, version, signed_at,
                                 current=version is not None and version >= charter.version))
    return SignaturesPage(klass, charter, rows)
