"""A persona answers a student's invitation as a busy professional would: by its quality.

What counts, as the workshops teach it: a personal message that names the person or their
company (a missing or generic one is ignored or declined), a complete profile, a professional
photo (the "mistakes to avoid" checklist ticked), and a clean record with the class charter.
The answer goes through the same code as a person's (`write_answer`); once accepted, a generous
persona writes first: a welcome, maybe a coffee, maybe a friend to meet.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.charter.models import CharterFinding, FindingOutcome
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.messages.models import Message
from sandbox.messages.queries import conversation_between
from sandbox.messages.services import can_message
from sandbox.network.coaching import hint_codes, recently_sent
from sandbox.network.invitations import write_answer
from sandbox.network.models import Connection, Invitation, InvitationStatus
from sandbox.network.services import are_connected
from sandbox.personas import gifts as gift_making
from sandbox.personas.behaviour import BehaviourProfile, GiftKind, persona_random
from sandbox.personas.intents import language_of
from sandbox.personas.models import Persona
from sandbox.personas.registry import batch_put, batch_value
from sandbox.personas.replies import Reply, letter, offer_gift, send_reply, speaker_for
from sandbox.personas.scheduler import ActionObsolete, action_handler
from sandbox.personas.triggers import (
    ANSWER_INVITATION,
    FOLLOW_UP,
    behaviour_of,
    schedule_follow_up,
    wait_while_played,
)
from sandbox.profiles.completeness import completeness
from sandbox.profiles.models import Profile
from sandbox.profiles.services import PHOTO_MISTAKES
from sandbox.seeding.persona_behaviour import persona_replies

CHARTER_MEMORY = timedelta(days=30)  # how far back a persona "remembers" charter trouble
CHARTER_STRIKES_TO_REFUSE = 3
PERSONAL_BONUS = 25  # a message that names them makes a persona more lenient (out of 100)
# Words of a company's name that name no company in particular.
_COMMON_WORDS = frozenset(
    "voyages industrie conseil logiciels transit international entrepots medias energies "
    "banque maison comptoirs fromageries groupe societe company".split())


@dataclass(frozen=True)
class Assessment:
    """What a persona sees of an invitation and its sender."""

    personal: bool  # the message names them or their company
    hints: tuple[str, ...]  # the invitation coach's codes: no_message, generic, impersonal…
    completeness: int
    professional_photo: bool
    charter_strikes: int  # refused or overridden charter findings lately


@dataclass(frozen=True)
class Decision:
    status: InvitationStatus
    reasons: tuple[str, ...]  # what fell short, recorded with the answer for the teacher


def mentions(persona_user: User, text: str) -> bool:
    """Does `text` name the persona (first or last name) or their company? Accents and case
    aside, whole words only."""
    folded = fold(text).replace("’", "'")
    names = {fold(persona_user.first_name), fold(persona_user.last_name)}
    persona = persona_user.persona
    if persona is not None:
        company = fold(persona.company.name)
        names |= {company, persona.company.slug.replace("-", " ")}
        names |= {word for word in re.findall(r"\w+", company)
                  if len(word) >= 4 and word not in _COMMON_WORDS}
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded)
               for name in names if len(name) >= 3)


def professional_photo(profile: Profile) -> bool:
    """A photo, and every "mistake to avoid" of the checklist ticked as avoided."""
    checklist = profile.photo_checklist or {}
    return bool(profile.photo_path) and all(checklist.get(key) for key in PHOTO_MISTAKES)


_STRIKES = (FindingOutcome.BLOCKED, FindingOutcome.OVERRIDDEN)
_STRIKES_KEY = "invitation_reactions.strikes"  # batch cache: sender id → strikes' dates
_SENT_KEY = "invitation_reactions.sent"  # sender id → their invitations of the month
_CONNECTED_KEY = "invitation_reactions.connected"  # (persona id, sender id) connected


def _charter_strikes(student: User, invitation: Invitation) -> int:
    since = invitation.created_at - CHARTER_MEMORY
    preloaded: dict[int, list] | None = batch_value(_STRIKES_KEY)
    if preloaded is not None and student.id in preloaded:
        return sum(1 for created_at in preloaded[student.id] if created_at >= since)
    return db.session.scalar(sa.select(sa.func.count()).select_from(CharterFinding).where(
        CharterFinding.user_id == student.id, CharterFinding.outcome.in_(_STRIKES),
        CharterFinding.created_at >= since)) or 0


def assess(invitation: Invitation) -> Assessment:
    student, persona_user = invitation.sender, invitation.recipient
    sent: dict[int, list] | None = batch_value(_SENT_KEY)
    hints = tuple(hint_codes(student, persona_user, invitation.message,
                             sent.get(student.id, []) if sent is not None else None))
    strikes = _charter_strikes(student, invitation)
    return Assessment(personal=mentions(persona_user, invitation.message), hints=hints,
                      completeness=completeness(student.profile).score,
                      professional_photo=professional_photo(student.profile),
                      charter_strikes=strikes)


def decide(profile: BehaviourProfile, seen: Assessment, rng: random.Random) -> Decision:
    """Accept when nothing falls short; with one shortfall, accept by leniency (more with a
    personal message); otherwise, or with no message or a generic one, ignore or decline."""
    reasons: list[str] = []
    hopeless = False
    blank = next((code for code in ("no_message", "generic") if code in seen.hints), None)
    if blank:
        reasons.append(blank)
        hopeless = profile.wants_personal_message
    elif profile.wants_personal_message and not seen.personal:
        reasons.append("impersonal")
    if "copied" in seen.hints:
        reasons.append("copied")
    if seen.completeness < profile.min_completeness:
        reasons.append("incomplete_profile")
    if profile.wants_professional_photo and not seen.professional_photo:
        reasons.append("photo")
    if seen.charter_strikes:
        reasons.append("charter")
        hopeless = hopeless or seen.charter_strikes >= CHARTER_STRIKES_TO_REFUSE
    accept = not reasons
    if len(reasons) == 1 and not hopeless:
        chance = profile.leniency + (PERSONAL_BONUS if seen.personal else 0)
        accept = rng.randint(1, 100) <= chance
    if accept:
        return Decision(InvitationStatus.ACCEPTED, tuple(reasons))
    refusal = (InvitationStatus.IGNORED if profile.ignore_rather_than_decline
               else InvitationStatus.DECLINED)
    return Decision(refusal, tuple(reasons))


def preload_invitations(actions) -> list[object]:  # type: ignore[no-untyped-def]
    """The batch's invitations with what the answers read (both people, the persona's company
    and behaviour, the sender's profile and the collections its completeness counts), and the
    senders' recent charter strikes: a handful of queries for the batch."""
    ids = [action.payload.get("invitation_id") for action in actions]
    ids = [one for one in ids if isinstance(one, int)]
    if not ids:
        return []
    sender = joinedload(Invitation.sender)
    profile = sender.joinedload(User.profile)
    invitations = list(db.session.scalars(sa.select(Invitation).where(Invitation.id.in_(ids))
                                          .options(
        sender.joinedload(User.school_class),
        *(profile.selectinload(getattr(Profile, name))
          for name in ("skills", "experiences", "education", "languages", "hashtags")),
        joinedload(Invitation.recipient).joinedload(User.persona).joinedload(Persona.company),
    )).unique())
    if invitations:
        oldest = min(invitation.created_at for invitation in invitations) - CHARTER_MEMORY
        senders = {invitation.sender_id for invitation in invitations}
        strikes: dict[int, list] = {sender_id: [] for sender_id in senders}
        for user_id, created_at in db.session.execute(
                sa.select(CharterFinding.user_id, CharterFinding.created_at).where(
                    CharterFinding.user_id.in_(senders), CharterFinding.outcome.in_(_STRIKES),
                    CharterFinding.created_at >= oldest)):
            strikes[user_id].append(created_at)
        batch_put(_STRIKES_KEY, strikes)
        batch_put(_SENT_KEY, recently_sent(senders))
        personas = {invitation.recipient_id for invitation in invitations}
        batch_put(_CONNECTED_KEY, {tuple(row) for row in db.session.execute(
            sa.select(Connection.user_id, Connection.contact_id).where(
                Connection.user_id.in_(personas), Connection.contact_id.in_(senders)))})
    return invitations


def _connected(persona_user: User, student: User) -> bool:
    """`are_connected`, from the batch's preload when there is one (the answers of the batch
    add theirs to it: nothing else connects a persona within a batch)."""
    known: set[tuple[int, int]] | None = batch_value(_CONNECTED_KEY)
    if known is None:
        return are_connected(persona_user, student)
    return (persona_user.id, student.id) in known


@action_handler(ANSWER_INVITATION, preload=preload_invitations)
def answer_as_persona(action) -> None:  # type: ignore[no-untyped-def]
    """The persona's answer to an invitation, unless someone answered or withdrew it; while a
    person plays the persona, it waits for the play to end (`wait_while_played`)."""
    invitation = db.session.get(Invitation, action.payload.get("invitation_id"))
    if invitation is None or invitation.status is not InvitationStatus.PENDING:
        raise ActionObsolete()
    persona_user, student = invitation.recipient, invitation.sender
    if not persona_user.is_persona or _connected(persona_user, student):
        raise ActionObsolete()
    wait_while_played(action, persona_user, student)
    assert persona_user.persona is not None
    profile = behaviour_of(persona_user.persona)
    rng = persona_random("invitation", invitation.id)
    decision = decide(profile, assess(invitation), rng)
    if not write_answer(persona_user, invitation, decision.status,
                        reasons=list(decision.reasons), automatic=True):
        raise ActionObsolete()
    if decision.status is InvitationStatus.ACCEPTED:
        known: set[tuple[int, int]] | None = batch_value(_CONNECTED_KEY)
        if known is not None:
            known.add((persona_user.id, student.id))
    if (decision.status is InvitationStatus.ACCEPTED
            and rng.randint(1, 100) <= profile.generosity):
        schedule_follow_up(invitation.id, student, persona_user)


@action_handler(FOLLOW_UP, preload=preload_invitations)
def welcome_new_contact(action) -> None:  # type: ignore[no-untyped-def]
    """The persona's first message to a new contact: a welcome, maybe a coffee, maybe a friend.
    Taken over meanwhile, it waits for the play to end, unless the two talked meanwhile."""
    invitation = db.session.get(Invitation, action.payload.get("invitation_id"))
    if invitation is None or invitation.status is not InvitationStatus.ACCEPTED:
        raise ActionObsolete()
    persona_user, student = invitation.recipient, invitation.sender
    if not persona_user.is_persona:
        raise ActionObsolete()
    if not can_message(persona_user, student) or _talking_already(invitation):
        raise ActionObsolete()  # no longer connected, or someone wrote first
    wait_while_played(action, persona_user, student)
    answered = invitation.answered_at or utcnow()
    speaker = speaker_for(persona_user, student, language_of(invitation.message, student.locale),
                          "follow_up", invitation.id, today=answered.date())
    given = gift_making.gifts_given(student, persona_user)
    gifts: list = []
    body = [speaker.say(persona_replies().welcome)]
    for kind in (GiftKind.APPOINTMENT, GiftKind.INTRODUCTION):
        if kind not in given:
            said = offer_gift(speaker, (kind,), given, gifts)
            if said:
                body.append(said)
    send_reply(speaker, Reply(letter(speaker, body), gifts), welcome=True)


def _talking_already(invitation: Invitation) -> bool:
    conversation = conversation_between(invitation.sender_id, invitation.recipient_id)
    if conversation is None:
        return False
    since = invitation.answered_at or invitation.created_at
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
        Message.conversation_id == conversation.id, Message.created_at >= since)) > 0
