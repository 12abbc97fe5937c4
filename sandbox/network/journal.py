"""The journal of network outcomes: what each contact brought a student.

The workshop names eight kinds of outcome (a name and a number, a key date, a recommendation…).
A student keeps their own journal; only they and their teachers (or an admin) ever read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import can_manage_student
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.network.models import Connection, NetworkOutcome, OutcomeKind
from sandbox.network.scope import visible_people
from sandbox.network.services import connected_ids

NOTE_MAX_LENGTH = 500
LATEST_ON_PROFILE = 5

# In the order of the workshop material.
OUTCOME_LABELS = {
    OutcomeKind.NAME_AND_NUMBER: _l("A name and a phone number"),
    OutcomeKind.KEY_DATE: _l("A key date"),
    OutcomeKind.RECOMMENDATION: _l("A recommendation"),
    OutcomeKind.ADVICE: _l("Advice"),
    OutcomeKind.APPOINTMENT: _l("An appointment"),
    OutcomeKind.RECRUITMENT: _l("An upcoming recruitment process"),
    OutcomeKind.DOCUMENT: _l("A document"),
    OutcomeKind.SUPPORT: _l("Support"),
}


def _with_names(entity):  # type: ignore[no-untyped-def]
    """Eager loads for `User.name_for` (the class, and its teachers who see real names)."""
    return entity.joinedload(User.school_class).selectinload(SchoolClass.teachers)


def contacts_of(user: User) -> list[User]:
    """`user`'s connections that they may still see, sorted by name, in two queries at most."""
    query = (
        sa.select(User)
        .join(Connection, Connection.contact_id == User.id)
        .where(Connection.user_id == user.id, visible_people(user))
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
        .order_by(User.last_name, User.first_name, User.id)
    )
    contacts = list(db.session.scalars(query).unique())
    return sorted(contacts, key=lambda contact: contact.name_for(user).casefold())


@dataclass(frozen=True)
class JournalLine:
    id: int
    kind: OutcomeKind
    label: str
    contact_id: int | None
    contact_name: str | None
    note: str
    occurred_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class KindCount:
    kind: OutcomeKind
    label: str
    count: int


@dataclass(frozen=True)
class JournalSummary:
    student_id: int
    total: int
    counts: tuple[KindCount, ...]  # every kind, in the workshop's order, even at zero
    latest: tuple[JournalLine, ...]

    @property
    def kinds_obtained(self) -> int:
        return sum(1 for line in self.counts if line.count)


@dataclass(frozen=True)
class Journal:
    student: User
    summary: JournalSummary
    lines: tuple[JournalLine, ...]  # newest first


def _require_student(user: User) -> None:
    if not user.is_student:
        raise PermissionDenied(_l("The journal of network outcomes is kept by students."))


def _lines(viewer: User, student: User, limit: int | None = None) -> tuple[JournalLine, ...]:
    query = (
        sa.select(NetworkOutcome)
        .where(NetworkOutcome.student_id == student.id)
        .options(_with_names(joinedload(NetworkOutcome.contact)))
        .order_by(NetworkOutcome.created_at.desc(), NetworkOutcome.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return tuple(
        JournalLine(
            id=outcome.id,
            kind=outcome.kind,
            label=OUTCOME_LABELS[outcome.kind],
            contact_id=outcome.contact_id,
            contact_name=outcome.contact.name_for(viewer) if outcome.contact else None,
            note=outcome.note,
            occurred_on=outcome.occurred_on,
            created_at=outcome.created_at,
        )
        for outcome in db.session.scalars(query).unique()
    )


def _counts(student: User) -> tuple[KindCount, ...]:
    rows = db.session.execute(
        sa.select(NetworkOutcome.kind, sa.func.count())
        .where(NetworkOutcome.student_id == student.id)
        .group_by(NetworkOutcome.kind)
    )
    found = {OutcomeKind(kind): count for kind, count in rows}
    return tuple(
        KindCount(kind=kind, label=label, count=found.get(kind, 0))
        for kind, label in OUTCOME_LABELS.items()
    )


def _summary(
    student: User, counts: tuple[KindCount, ...], latest: tuple[JournalLine, ...]
) -> JournalSummary:
    return JournalSummary(
        student_id=student.id,
        total=sum(line.count for line in counts),
        counts=counts,
        latest=latest,
    )


def journal_summary(viewer: User, student: User) -> JournalSummary:
    """Counts per kind and the latest entries, for the profile page: a fixed number of queries.

    The caller has checked that `viewer` is the student or one of their teachers.
    """
    return _summary(student, _counts(student), _lines(viewer, student, LATEST_ON_PROFILE))


def _journal(viewer: User, student: User) -> Journal:
    lines = _lines(viewer, student)
    counts = _counts(student)
    return Journal(
        student=student,
        summary=_summary(student, counts, lines[:LATEST_ON_PROFILE]),
        lines=lines,
    )


def own_journal(student: User) -> Journal:
    _require_student(student)
    return _journal(student, student)


def student_journal(viewer: User, student_id: int) -> Journal:
    """A student's journal for their teachers and the admins; nobody else reads it."""
    student = db.session.get(User, student_id)
    if student is None or not student.is_student:
        raise NotFound(_l("This student does not exist."))
    if not can_manage_student(viewer, student):
        # Not "forbidden": that would tell anyone which ids are students of other classes.
        raise NotFound(_l("This student does not exist."))
    return _journal(viewer, student)


def _note(value: str) -> str:
    note = (value or "").replace("\r\n", "\n").strip()
    if has_control_characters(note):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise ServiceError(
            _l("%(count)d characters at most.", count=NOTE_MAX_LENGTH), field="note"
        )
    return note


def add_outcome(
    student: User,
    kind: str,
    contact_id: int | None = None,
    occurred_on: date | None = None,
    note: str = "",
) -> NetworkOutcome:
    """Write down what a contact brought; the contact, if named, must be one of the connections."""
    _require_student(student)
    try:
        chosen = OutcomeKind(kind)
    except ValueError:
        raise ServiceError(_l("Choose what this contact brought you."), field="kind") from None
    if contact_id is not None and not connected_ids(student, [contact_id]):
        raise ServiceError(
            _l("Choose one of your connections, or nobody in particular."), field="contact"
        )
    outcome = NetworkOutcome(
        student_id=student.id,
        contact_id=contact_id,
        kind=chosen,
        note=_note(note),
        occurred_on=occurred_on,
    )
    db.session.add(outcome)
    db.session.flush()
    record_event(student, "outcome_recorded", subject=outcome, outcome=chosen.value,
                 contact_id=contact_id)
    db.session.commit()
    return outcome


def delete_outcome(student: User, outcome_id: int) -> None:
    """Remove an entry of one's own journal; anybody else's is reported as not existing."""
    outcome = db.session.get(NetworkOutcome, outcome_id)
    if outcome is None or outcome.student_id != student.id:
        raise NotFound(_l("This entry does not exist."))
    kind = outcome.kind
    db.session.delete(outcome)
    record_event(student, "outcome_deleted", outcome=kind.value)
    db.session.commit()
