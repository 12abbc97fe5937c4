"""What a persona gives a student: an appointment, an introduction, a key date, an open offer, a
document, advice, support. Each gift is a line of the student's journal of network outcomes,
with its event and notification; a persona never gives the same kind twice to one student.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from babel.dates import format_date

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.activity.services import record_event
from sandbox.companies.models import JobOffer
from sandbox.core import deferred
from sandbox.extensions import db
from sandbox.jobs.models import Application
from sandbox.network.invitations import may_meet, write_introduction
from sandbox.network.journal import NOTE_MAX_LENGTH
from sandbox.network.models import Introduction, NetworkOutcome, OutcomeKind
from sandbox.network.services import are_connected
from sandbox.notifications.services import notify
from sandbox.personas.behaviour import BehaviourProfile, GiftKind
from sandbox.personas.registry import batch_cached, batch_put, batch_value
from sandbox.seeding.persona_behaviour import persona_replies

OUTCOME_OF = {
    GiftKind.APPOINTMENT: OutcomeKind.APPOINTMENT,
    GiftKind.INTRODUCTION: OutcomeKind.NAME_AND_NUMBER,  # the name of someone to contact
    GiftKind.KEY_DATE: OutcomeKind.KEY_DATE,
    GiftKind.RECRUITMENT: OutcomeKind.RECRUITMENT,
    GiftKind.DOCUMENT: OutcomeKind.DOCUMENT,
    GiftKind.ADVICE: OutcomeKind.ADVICE,
    GiftKind.SUPPORT: OutcomeKind.SUPPORT,
}
GIFT_OF = {outcome: gift for gift, outcome in OUTCOME_OF.items()}
# Meeting slots a professional offers (hour, minute), on a working day.
SLOTS = ((9, 30), (10, 0), (11, 0), (12, 30), (14, 0), (16, 30), (17, 30))


@dataclass
class Gift:
    """A gift ready to give: what the reply's templates need to speak of it."""

    kind: GiftKind
    fields: dict[str, str] = field(default_factory=dict)
    occurred_on: date | None = None
    friend: User | None = None  # the person introduced


_GIVEN_KEY = "gifts.given"  # batch cache: student id → their gift events' data, preloaded
_GIVING_KEY = "gifts.giving"  # batch cache: students given something in this batch


def preload_gifts_given(student_ids: set[int]) -> None:
    """For a worker's batch: the gift events of these students, in one query (`gifts_given`
    reads them, and the gift events the batch queued since)."""
    if not student_ids:
        return
    given: dict[int, list] = {student_id: [] for student_id in student_ids}
    for user_id, data in db.session.execute(sa.select(ActivityEvent.user_id, ActivityEvent.data)
                                            .where(ActivityEvent.user_id.in_(student_ids),
                                                   ActivityEvent.kind == "gift_received")
                                            .order_by(ActivityEvent.id)):
        given[user_id].append(data)
    batch_put(_GIVEN_KEY, given)


def gifts_given(student: User, persona_user: User) -> set[GiftKind]:
    """The kinds of gift this persona already gave this student (from the append-only events,
    so deleting a journal line does not earn the gift again)."""
    preloaded: dict[int, list] = batch_value(_GIVEN_KEY) or {}
    session = db.session()
    given_in_batch = student.id in (batch_value(_GIVING_KEY) or ())
    queued = deferred.deferring(session)
    if student.id in preloaded and (queued or not given_in_batch):
        rows = list(preloaded[student.id])
    else:  # (a careful batch writes its gifts' events as they come: they are in the table)
        rows = list(db.session.scalars(sa.select(ActivityEvent.data).where(
            ActivityEvent.user_id == student.id, ActivityEvent.kind == "gift_received")))
    if given_in_batch and queued:
        # The gifts given earlier in the batch wait to be written, with the batch's other rows.
        rows += [event.data for event in deferred.pending(session, ActivityEvent)
                 if event.user_id == student.id and event.kind == "gift_received"]
    given = set()
    for data in rows:
        data = data or {}
        if data.get("contact_id") == persona_user.id and data.get("outcome") in GIFT_OF:
            given.add(GIFT_OF[OutcomeKind(data["outcome"])])
    return given


def may_give(profile: BehaviourProfile, kind: GiftKind, given: set[GiftKind]) -> bool:
    return kind.value in profile.gifts and kind not in given


def prepare(kind: GiftKind, persona_user: User, student: User, profile: BehaviourProfile,
            rng: random.Random, lang: str, today: date) -> Gift | None:
    """The gift with its details drawn from `rng`, or None when there is nothing to give (no
    friend left to introduce, no open offer)."""
    company = persona_user.persona.company if persona_user.persona else None
    names = {"company": company.name if company else "", "city": company.city if company else ""}
    replies = persona_replies()
    if kind is GiftKind.APPOINTMENT:
        day = working_day(today + timedelta(days=rng.randint(2, 9)))
        hour, minute = rng.choice(SLOTS)
        return Gift(kind, {"when": _when(day, hour, minute, lang)}, occurred_on=day)
    if kind is GiftKind.KEY_DATE:
        day = working_day(today + timedelta(days=rng.randint(10, 45)))
        event = getattr(rng.choice(replies.events), lang).format(**names)
        return Gift(kind, {"event": event, "when": _day(day, lang)}, occurred_on=day)
    if kind is GiftKind.DOCUMENT:
        document = rng.choice(replies.documents)
        return Gift(kind, {"document_title": getattr(document.title, lang).format(**names),
                           "document_body": getattr(document.body, lang).format(**names)})
    if kind is GiftKind.RECRUITMENT:
        offers = open_offers_for(persona_user, student)
        if not offers:
            return None
        offer = rng.choice(offers)
        return Gift(kind, {"offer": offer.title, "offer_city": offer.city})
    if kind is GiftKind.INTRODUCTION:
        friends = introducible_friends(persona_user, student, profile)
        if not friends:
            return None
        friend = rng.choice(friends)
        friend_persona = friend.persona
        return Gift(kind, {
            "friend": friend.full_name,
            "friend_job": friend_persona.job_title if friend_persona else "",
            "friend_company": friend_persona.company.name if friend_persona else "",
        }, friend=friend)
    return Gift(kind)  # advice, support: the words are the gift


def give(gift: Gift, persona_user: User, student: User, note: str) -> NetworkOutcome:
    """Write the gift (and the introduction it is), its journal line, event and notification;
    no commit (it runs in the worker's transaction)."""
    note = note[:NOTE_MAX_LENGTH]
    batch_cached(_GIVING_KEY, set).add(student.id)
    if gift.kind is GiftKind.INTRODUCTION:
        assert gift.friend is not None
        write_introduction(persona_user, student, gift.friend, note)
    outcome = NetworkOutcome(student_id=student.id, contact_id=persona_user.id,
                             kind=OUTCOME_OF[gift.kind], note=note,
                             occurred_on=gift.occurred_on)
    db.session.add(outcome)
    db.session.flush()
    record_event(student, "gift_received", outcome, outcome=outcome.kind.value,
                 contact_id=persona_user.id)
    notify(student, "gift_received", persona_user, outcome, outcome=outcome.kind.value)
    return outcome


def open_offers_for(persona_user: User, student: User) -> list[JobOffer]:
    """The company's open offers the student sees and has not applied to yet, oldest first."""
    if persona_user.persona is None:
        return []
    applied = sa.select(Application.offer_id).where(Application.student_id == student.id)
    return list(db.session.scalars(
        sa.select(JobOffer).where(
            JobOffer.company_id == persona_user.persona.company_id, JobOffer.is_open,
            sa.or_(JobOffer.class_id.is_(None), JobOffer.class_id == student.class_id),
            JobOffer.id.not_in(applied))
        .order_by(JobOffer.id)))


def introducible_friends(persona_user: User, student: User,
                         profile: BehaviourProfile) -> list[User]:
    """The persona's friends the student may meet, does not know yet, and was not already
    introduced to by this persona; in the order of the behaviour file."""
    if not profile.friends:
        return []
    people = {user.username: user for user in db.session.scalars(sa.select(User).where(
        User.username.in_(profile.friends), User.role == Role.PERSONA,
        User.is_disabled.is_(False)))}
    already = set(db.session.scalars(sa.select(Introduction.introduced_id).where(
        Introduction.introducer_id == persona_user.id, Introduction.student_id == student.id)))
    return [friend for username in profile.friends
            if (friend := people.get(username)) is not None and friend.id not in already
            and not are_connected(student, friend) and may_meet(student, friend)]


def working_day(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _day(day: date, lang: str) -> str:
    return format_date(day, "EEEE d MMMM", locale=lang)


def _when(day: date, hour: int, minute: int, lang: str) -> str:
    if lang == "fr":
        time = f"{hour} h {minute:02d}" if minute else f"{hour} h"
        return f"{_day(day, lang)} à {time}"
    suffix = "am" if hour < 12 else "pm"
    return f"{_day(day, lang)} at {(hour - 1) % 12 + 1}:{minute:02d} {suffix}"
