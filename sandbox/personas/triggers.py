"""When a student does something a persona would react to, the reaction is scheduled here.

The network and messages services call these inside their own transaction, so a reaction exists
if and only if what caused it was saved. This module imports no service of those features (they
import it): the handlers that carry the reactions out live in `invitation_reactions` and
`replies`.

While a person plays the persona (a teacher took it over, or a recruiter team of a live exercise
of the student's class plays its company), the people playing answer, not the app. But what
they leave unanswered must not stay so for good: a reaction is scheduled all the same, and its
handler calls `wait_while_played` before acting. While the persona is played, the action waits
(`ActionPostponed`: pending again, looked at once more after the persona's reaction delay,
its attempts not counted); once the play ends, however it ends (exercise finished or deleted,
persona handed back, the teacher's account erased, the student moved to another class), the
next look, within one delay, finds the persona on its own, and it acts. What a person did
meanwhile makes the action obsolete as usual (an invitation answered, a message replied to, an
application decided). No hook on the end of an exercise or on handing back is needed, so none
can be missed. What reached the persona before an exercise started (which its recruiter team
does not read) waits for the exercise's end all the same.
"""

from __future__ import annotations

from datetime import timedelta

from sandbox.accounts.models import User
from sandbox.charter.policy import policy_for
from sandbox.core.time import utcnow
from sandbox.exercises.access import companies_played_in_class
from sandbox.messages.models import Message
from sandbox.personas.behaviour import BehaviourProfile, persona_random, reaction_delay
from sandbox.personas.intents import first_look
from sandbox.personas.models import Persona, ScheduledAction
from sandbox.personas.registry import batch_cached, current_action
from sandbox.personas.scheduler import ActionObsolete, ActionPostponed, cancel_keyed, schedule

ANSWER_INVITATION = "persona_answer_invitation"
FOLLOW_UP = "persona_follow_up"
REPLY = "persona_reply"

# How often, at the least, a played persona's waiting action is looked at again: its reaction
# delay, but not more often than this (a class compressing time a thousandfold would otherwise
# have its worker polling the same actions every few seconds during a whole exercise).
PLAYED_RECHECK_AT_LEAST = timedelta(minutes=1)


def invitation_key(invitation_id: int) -> str:
    return f"invitation:{invitation_id}"


def follow_up_key(invitation_id: int) -> str:
    return f"follow_up:{invitation_id}"


def reply_key(message_id: int) -> str:
    return f"reply:{message_id}"


def behaviour_of(persona: Persona) -> BehaviourProfile:
    """`BehaviourProfile.of(persona)`, read once per worker's batch (no handler changes it)."""
    return batch_cached(("behaviour", persona.user_id), lambda: BehaviourProfile.of(persona))


def played_in_class(class_id: int) -> set[int]:
    """`companies_played_in_class`, asked once per worker's batch (a batch sees one state of
    the exercises; outside a batch, asked every time)."""
    return batch_cached(("played_in_class", class_id),
                        lambda: companies_played_in_class(class_id))


def can_act(persona_user: User) -> bool:
    """Is this a persona that may act at all (a persona's profile, an active account)?"""
    return persona_user.persona is not None and not persona_user.is_disabled


def played_now(persona_user: User, student: User) -> bool:
    """Does a person play the persona towards this student right now: a teacher's "play as"
    (autopilot off), or a recruiter team of a live exercise of the student's class?"""
    persona = persona_user.persona
    if persona is None:
        return False
    if not persona.autopilot:
        return True
    return student.class_id is not None and persona.company_id in played_in_class(
        student.class_id)


def acts_alone(persona_user: User, student: User) -> bool:
    """Does the persona react on its own towards this student?

    Not while a person plays it (a teacher's "play as"), nor while a recruiter team of a live
    exercise of the student's class plays its company: then people answer, not the app.
    """
    return can_act(persona_user) and not played_now(persona_user, student)


def wait_while_played(action: ScheduledAction, persona_user: User, student: User) -> None:
    """In a handler, just before the persona acts towards `student`: return if it acts on its
    own; raise `ActionObsolete` if it can no longer act at all (disabled), `ActionPostponed`
    while a person plays it (see the module's docstring).

    The action is looked at again after the persona's reaction delay for the student's class
    (at least `PLAYED_RECHECK_AT_LEAST`), counted from its claim: so the persona takes things
    up again within one delay of the play's end, never in the middle of it.
    """
    if not can_act(persona_user):
        raise ActionObsolete("the persona is disabled")
    if not played_now(persona_user, student):
        return
    wait = max(_delay(persona_user, student, "played", action.id), PLAYED_RECHECK_AT_LEAST)
    raise ActionPostponed((action.claimed_at or utcnow()) + wait,
                          "a person plays the persona: it waits for the play to end")


def _delay(persona_user: User, student: User, *ids: object,
           span: tuple[int, int] | None = None) -> timedelta:
    assert persona_user.persona is not None
    profile = behaviour_of(persona_user.persona)
    return reaction_delay(profile, student.school_class, persona_random("delay", *ids), span)


def schedule_invitation_answer(invitation_id: int, sender: User, persona_user: User) -> None:
    """A student invited a persona: it will answer after its usual delay. While it is played,
    the answer waits for the play to end (unless a person answers meanwhile)."""
    if not sender.is_student or not can_act(persona_user):
        return
    schedule(ANSWER_INVITATION, utcnow() + _delay(persona_user, sender, "invitation",
                                                  invitation_id),
             payload={"invitation_id": invitation_id}, dedupe_key=invitation_key(invitation_id),
             persona_id=persona_user.id, student_id=sender.id)


def schedule_follow_up(invitation_id: int, student: User, persona_user: User) -> None:
    """After accepting, a first message: sooner than an ordinary answer (a new contact)."""
    schedule(FOLLOW_UP, utcnow() + _delay(persona_user, student, "follow_up", invitation_id,
                                          span=(10, 90)),
             payload={"invitation_id": invitation_id}, dedupe_key=follow_up_key(invitation_id),
             persona_id=persona_user.id, student_id=student.id)


def schedule_reply(message: Message, sender: User, recipient: User) -> None:
    """A student wrote to a persona: it will read the message and reply. While it is played,
    the reply waits for the play to end (unless a person replies meanwhile). The message's
    language and tone are looked at now (`intents.first_look`), once."""
    if not (sender.is_student and recipient.is_persona) or not can_act(recipient):
        return
    looked = first_look(message.body, sender.locale, policy_for(sender).context)
    schedule(REPLY, utcnow() + _delay(recipient, sender, "reply", message.id),
             payload={"message_id": message.id, "looked": looked},
             dedupe_key=reply_key(message.id), persona_id=recipient.id, student_id=sender.id)


def cancel_invitation_reactions(invitation_id: int) -> None:
    """The invitation was withdrawn or answered by a person: the automatic answer is cancelled.

    One indexed update on the unique dedupe key, rather than reading every pending action;
    none when that action is the one running (the key is unique: it is the only row with it,
    and it is not pending).
    """
    running = current_action()
    if running is not None and running.dedupe_key == invitation_key(invitation_id):
        return
    cancel_keyed([invitation_key(invitation_id)])
