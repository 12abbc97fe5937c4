"""People taking the place of personas: who may play whom, taking over and handing back, and
the "acting for" context under which everything done while playing is recorded with the real
person behind it.

- An admin or a teacher may play any persona; what they then see of the persona's contacts is
  limited to the students of one of their classes (the class they play for).
- A student plays the personas of a company only while a live exercise of their class has them
  in that company's recruiter team (`recruiter_companies_of`), and for their own class only;
  what the persona received before that exercise started is not theirs to read (`Seat.since`).

Whatever is done while playing runs inside `acting_for(seat)`: each activity event recorded for
the persona carries `played_by`, and the first one writes the audit entry "played_as" naming the
real person, in the same transaction as the action itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.activity.services import played_by
from sandbox.charter.gate import Screening, settle
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import classes_managed_by
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.exercises.access import recruiter_companies_of, recruiter_starts_of
from sandbox.extensions import db
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import ContentKind
from sandbox.personas.models import Persona

# What an audit entry of a played action is about, by the type of the event's subject.
CONTENT_KINDS = {
    "Message": ContentKind.MESSAGE,
    "Post": ContentKind.POST,
    "Comment": ContentKind.COMMENT,
    "Invitation": ContentKind.INVITATION,
    "Application": ContentKind.APPLICATION,
}
# Event data copied into the audit entry: who the action concerned, and about what.
_PERSON_KEYS = ("recipient_id", "sender_id", "student_id")
_KEPT_KEYS = ("offer_id", "application_id", "status")
# Kinds that a service may record on the person playing rather than on the persona.
PLAYER_KINDS = frozenset({"application_processed", "offer_posted"})


# ---- who may play whom ----------------------------------------------------------------------


def may_play(user: User, persona_user: User | None) -> bool:
    """May `user` act as `persona_user` now?

    Admins and teachers: any persona. A student: the personas of a company their team recruits
    for in a live exercise of their class, and never before it starts nor after it ends.
    """
    if (persona_user is None or not persona_user.is_persona or persona_user.persona is None
            or persona_user.is_disabled or user.is_disabled):
        return False
    if user.is_admin or user.is_teacher:
        return True
    if user.is_student:
        return persona_user.persona.company_id in recruiter_companies_of(user)
    return False


def _persona_user(persona_id: int) -> User | None:
    return db.session.scalar(
        sa.select(User)
        .where(User.id == persona_id, User.role == Role.PERSONA)
        .options(joinedload(User.persona).joinedload(Persona.company), joinedload(User.profile))
    )


def playable_persona(user: User, persona_id: int) -> User:
    """The persona `user` may play, with its company. NotFound when there is no such persona;
    PermissionDenied, saying when one may play, for anyone else."""
    persona_user = _persona_user(persona_id)
    if persona_user is None or persona_user.persona is None or persona_user.is_disabled:
        raise NotFound(_l("This professional does not exist."))
    if not may_play(user, persona_user):
        if user.is_student:
            raise PermissionDenied(_l(
                "You play a professional only during an exercise, when your team recruits for "
                "their company."))
        raise PermissionDenied(_l("You may not play this professional."))
    return persona_user


# ---- the seat: who plays whom, for which class -----------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A real person in a persona's place, for one class: the students they deal with, and
    since when."""

    real: User
    persona: User
    klass: SchoolClass | None  # None: a teacher without a class, who deals with nobody
    classes: list[SchoolClass]  # the classes they may play for (one for a recruiter student)
    # What a recruiter student reads begins with their live exercise: the persona's messages,
    # invitations and applications from before are the classmates' private business. None:
    # the whole history (a teacher's own students, an admin).
    since: datetime | None = None

    @property
    def class_id(self) -> int | None:
        return self.klass.id if self.klass is not None else None

    @property
    def company_id(self) -> int:
        assert self.persona.persona is not None
        return self.persona.persona.company_id

    @property
    def is_recruiter_student(self) -> bool:
        return self.real.is_student

    def people(self) -> sa.ColumnElement[bool]:
        """A WHERE clause on User: the people the real person deals with in this role.

        The students of the class played for, active, and never the player themself.
        """
        if self.klass is None:
            return sa.false()
        return sa.and_(User.role == Role.STUDENT, User.class_id == self.klass.id,
                       User.is_disabled.is_(False), User.id != self.real.id)

    def covers(self, when: datetime) -> bool:
        """Is something that happened `when` within what the real person may read?"""
        return self.since is None or when >= self.since

    def concerns(self, person: User | None) -> bool:
        """Is `person` one of the people of `people()` (the same rule, in Python)?"""
        return (person is not None and self.klass is not None and person.is_student
                and person.class_id == self.klass.id and not person.is_disabled
                and person.id != self.real.id)


def classes_played_for(user: User) -> list[SchoolClass]:
    """The classes `user` may play for: a student's own, a teacher's, every class for admins."""
    if user.is_student:
        return [user.school_class] if user.school_class is not None else []
    if user.is_admin or user.is_teacher:
        return list(db.session.scalars(classes_managed_by(user)))
    return []


def seat_for(user: User, persona_id: int, class_id: int | None = None) -> Seat:
    """Take `persona_id`'s place for `class_id` (staff; default: their first class).

    A student always plays for their own class; a class a teacher does not teach is NotFound.
    """
    persona_user = playable_persona(user, persona_id)
    classes = classes_played_for(user)
    if user.is_student:
        chosen = classes[0] if classes else None
    elif class_id is None:
        chosen = classes[0] if classes else None
    else:
        chosen = next((klass for klass in classes if klass.id == class_id), None)
        if chosen is None:
            raise NotFound(_l("This class does not exist."))
    since = None
    if user.is_student:
        # Nothing from before the exercise (nor from before now, should it have no start).
        company_id = persona_user.persona.company_id if persona_user.persona else None
        since = recruiter_starts_of(user).get(company_id or 0) or utcnow()
    return Seat(real=user, persona=persona_user, klass=chosen, classes=classes, since=since)


def seat_about(user: User, persona_id: int, person_id: int,
               class_id: int | None = None) -> Seat:
    """The seat for dealing with one person: by default, a teacher plays for that person's
    class (a link to a thread needs no class then); a student, for their own as always."""
    if class_id is None and not user.is_student:
        person = db.session.get(User, person_id)
        if person is not None and person.is_student:
            class_id = person.class_id
    return seat_for(user, persona_id, class_id)


# ---- acting for a persona --------------------------------------------------------------------


@dataclass
class _Witness:
    """Watches the events of one action played as a persona; writes its audit entry once."""

    seat: Seat
    screening: Screening | None = None
    audited: bool = False

    @property
    def persona_id(self) -> int:
        return self.seat.persona.id

    @property
    def real_id(self) -> int:
        return self.seat.real.id

    def witness(self, event: ActivityEvent, subject: Any | None) -> None:
        if self.audited:
            return
        if event.user_id != self.persona_id and not (
                event.user_id == self.real_id and event.kind in PLAYER_KINDS):
            return  # e.g. the real student's own charter override, recorded on them
        self.audited = True  # first: settle() below records events too
        kind = CONTENT_KINDS.get(type(subject).__name__) if subject is not None else None
        content_id = getattr(subject, "id", None) if kind is not None else None
        if self.screening is not None and kind is not None and content_id is not None:
            # The real student wrote the text: their class's charter findings are theirs.
            settle(self.screening, self.seat.real, kind, content_id)
        data = event.data or {}
        person_id = next((data[key] for key in _PERSON_KEYS if data.get(key)), None)
        kept = {key: data[key] for key in _KEPT_KEYS if data.get(key) is not None}
        entry = record_audit(self.seat.real, "played_as", kind=kind, content_id=content_id,
                             class_id=self.seat.class_id, persona_id=self.persona_id,
                             person_id=person_id, **kept)
        # What was done, under the key the other features read ("action" is also the name of
        # record_audit's own argument, hence set here).
        entry.data = {**entry.data, "action": event.kind}


@contextmanager
def acting_for(seat: Seat, screening: Screening | None = None) -> Iterator[None]:
    """Run one action as `seat.persona`: its events carry `played_by`, and the first writes the
    audit entry (and settles the real student's charter `screening`) in the action's commit."""
    with played_by(_Witness(seat=seat, screening=screening)):
        yield


# ---- taking over, handing back ----------------------------------------------------------------


def _require_staff(seat: Seat) -> None:
    if seat.real.is_student:
        raise PermissionDenied(_l(
            "During an exercise your team plays this professional for your class only: there "
            "is nothing to take over."))


def take_over(user: User, persona_id: int, class_id: int | None = None) -> Persona:
    """Stop the persona acting on its own while `user` plays it (teachers and admins).

    Two teachers at once: one takes it; the other is told who plays it.
    """
    seat = seat_for(user, persona_id, class_id)
    _require_staff(seat)
    persona = seat.persona.persona
    assert persona is not None
    changed = db.session.execute(
        sa.update(Persona)
        .where(Persona.user_id == persona.user_id,
               sa.or_(Persona.taken_over_by_id.is_(None), Persona.taken_over_by_id == user.id))
        .values(autopilot=False, taken_over_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        db.session.refresh(persona)
        holder_id = persona.taken_over_by_id
        holder = db.session.get(User, holder_id) if holder_id is not None else None
        raise ServiceError(_l("%(name)s already plays this professional: they hand it back first.",
                              name=holder.name_for(user) if holder else "?"))
    record_audit(user, "persona_taken_over", class_id=seat.class_id, persona_id=persona.user_id)
    db.session.commit()
    db.session.refresh(persona)
    return persona


def hand_back(user: User, persona_id: int, class_id: int | None = None) -> Persona:
    """Let the persona act on its own again. Any teacher may (the one who took it over may be
    away); the audit log says who did."""
    seat = seat_for(user, persona_id, class_id)
    _require_staff(seat)
    persona = seat.persona.persona
    assert persona is not None
    changed = db.session.execute(
        sa.update(Persona)
        .where(Persona.user_id == persona.user_id, Persona.autopilot.is_(False))
        .values(autopilot=True, taken_over_by_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise ServiceError(_l("This professional already acts on their own."))
    record_audit(user, "persona_handed_back", class_id=seat.class_id,
                 persona_id=persona.user_id)
    db.session.commit()
    db.session.refresh(persona)
    return persona


def playable_personas(user: User) -> list[User]:
    """The personas `user` may play, by company then name (two queries at most)."""
    query = (
        sa.select(User).join(Persona, Persona.user_id == User.id)
        .where(User.role == Role.PERSONA, User.is_disabled.is_(False))
        .options(joinedload(User.persona).joinedload(Persona.company), joinedload(User.profile))
    )
    if user.is_student:
        companies = recruiter_companies_of(user)
        if not companies:
            return []
        query = query.where(Persona.company_id.in_(companies))
    elif not (user.is_admin or user.is_teacher):
        return []
    people = list(db.session.scalars(query).unique())
    people.sort(key=lambda person: (
        person.persona.company.name.casefold(),  # type: ignore[union-attr]
        person.full_name.casefold()))
    return people
