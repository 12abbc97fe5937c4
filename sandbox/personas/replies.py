"""A persona replies to a student's messages, in character and in the student's language.

The reply is put together from seed/persona_replies.yaml: a greeting, what the persona says to
each request (with a gift when it is generous enough), a sign-off. Every choice is drawn from
`persona_random("reply", message id)`: the same message always gets the same reply. Rudeness,
spam and SMS language get one cool answer, then silence.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.policy import policy_for
from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.messages.services import (
    can_message,
    messageable,
    write_message,
    written_in_transaction,
)
from sandbox.personas import gifts as gift_making
from sandbox.personas.behaviour import BehaviourProfile, GiftKind, Rudeness, persona_random
from sandbox.personas.gifts import Gift
from sandbox.personas.intents import Intent, Reading, Tone, read_messages
from sandbox.personas.models import Persona
from sandbox.personas.registry import batch_put, batch_value
from sandbox.personas.scheduler import ActionObsolete, action_handler
from sandbox.personas.triggers import REPLY, behaviour_of, wait_while_played
from sandbox.seeding.persona_behaviour import persona_replies
from sandbox.seeding.persona_schemas import KindVariants, Variants

# What a request may earn, in the order tried (no open offer: maybe a key date).
GIFTS_FOR: dict[Intent, tuple[GiftKind, ...]] = {
    Intent.APPOINTMENT: (GiftKind.APPOINTMENT,),
    Intent.INTRODUCTION: (GiftKind.INTRODUCTION,),
    Intent.JOB: (GiftKind.RECRUITMENT, GiftKind.KEY_DATE),
    Intent.DOCUMENT: (GiftKind.DOCUMENT,),
    Intent.KEY_DATE: (GiftKind.KEY_DATE,),
    Intent.ADVICE: (GiftKind.ADVICE,),
    Intent.SUPPORT: (GiftKind.SUPPORT,),
}
SMALL_TALK = (Intent.THANKS, Intent.GREETING, Intent.OTHER)
ANSWERED_AT_MOST = 2  # requests answered in one reply: a busy professional writes briefly
HISTORY = 50  # messages of the thread read back (repetitions, bursts)
# French typography: a no-break space before the high punctuation and inside « ».
_FRENCH_SPACES = re.compile(r" ([:;!?»])")
# "de" before a name that starts with a vowel (or a silent h) elides: "d'Inès", "d'Annecy".
_ELISION = re.compile(r"\b([Dd])e ([AEIOUHÂÊÎÔÛÉÈÀ])")


@dataclass
class Speaker:
    """A persona about to write to one student: who speaks, in which language, with which luck."""

    persona_user: User
    student: User
    profile: BehaviourProfile
    lang: str
    rng: random.Random
    today: date

    @property
    def fields(self) -> dict[str, str]:
        persona = self.persona_user.persona
        assert persona is not None
        # The name the persona sees: a pseudonym stays a pseudonym.
        first_name = self.student.name_for(self.persona_user).split(" ")[0]
        return {"first_name": first_name, "me": self.persona_user.first_name,
                "me_full": self.persona_user.full_name, "job_title": persona.job_title,
                "company": persona.company.name, "city": persona.company.city}

    def say(self, variants: Variants | KindVariants, **extra: str) -> str:
        """One of the variants (the persona's kind's own, if any), filled in."""
        if isinstance(variants, KindVariants):
            kind = self.persona_user.persona.kind if self.persona_user.persona else None
            variants = variants.by_kind.get(kind, variants) if kind else variants
        template = self.rng.choice(getattr(variants, self.lang))
        return render(template, {**self.fields, **extra}, self.lang)


def render(template: str, values: dict[str, str], lang: str) -> str:
    text = template.format(**values)
    if lang == "fr":
        text = _ELISION.sub(r"\1'\2", text)
        text = _FRENCH_SPACES.sub("\u00a0\\1", text).replace("« ", "«\u00a0")
    return text[:1].upper() + text[1:]


@dataclass
class Reply:
    text: str | None  # None: the persona does not answer
    gifts: list[tuple[Gift, str]] = field(default_factory=list)  # each with its journal note


def letter(speaker: Speaker, body: list[str]) -> str:
    """Greeting, one paragraph per thing said (easier to read on a phone), sign-off."""
    replies = persona_replies()
    return "\n\n".join([speaker.say(replies.openings), *body, speaker.say(replies.closings)])


def offer_gift(speaker: Speaker, kinds: tuple[GiftKind, ...], given: set[GiftKind],
               gifts: list[tuple[Gift, str]]) -> str | None:
    """The sentence of a gift the persona chooses to give (and the gift, added to `gifts`), or of
    one already given; None when it gives nothing."""
    replies = persona_replies()
    for kind in kinds:
        if kind in given and kind.value in speaker.profile.gifts:
            return speaker.say(replies.gifts[kind].again)
        if not gift_making.may_give(speaker.profile, kind, given):
            continue
        if speaker.rng.randint(1, 100) > speaker.profile.generosity:
            return None
        gift = gift_making.prepare(kind, speaker.persona_user, speaker.student, speaker.profile,
                                   speaker.rng, speaker.lang, speaker.today)
        if gift is None:
            continue
        said = speaker.say(replies.gifts[kind].message, **gift.fields)
        note = speaker.say(replies.gifts[kind].note, said=said, **gift.fields)
        gifts.append((gift, note))
        given.add(kind)
        return said
    return None


def compose_reply(speaker: Speaker, reading: Reading, given: set[GiftKind]) -> Reply:
    """What the persona writes back to what it read (`given`: its earlier gifts to the student)."""
    replies = persona_replies()
    if reading.tone is not Tone.NORMAL:
        if speaker.profile.rudeness == Rudeness.SILENT:
            return Reply(None)
        return Reply(letter(speaker, [speaker.say(replies.cool[reading.tone])]))
    requests = [intent for intent in reading.intents if intent not in SMALL_TALK]
    gifts: list[tuple[Gift, str]] = []
    body = []
    for intent in requests[:ANSWERED_AT_MOST]:
        said = offer_gift(speaker, GIFTS_FOR[intent], given, gifts)
        body.append(said or speaker.say(replies.intents[intent]))
    if not requests:
        small_talk = next(intent for intent in SMALL_TALK
                          if intent in reading.intents or intent is Intent.OTHER)
        body.append(speaker.say(replies.intents[small_talk]))
    return Reply(letter(speaker, body), gifts)


def send_reply(speaker: Speaker, reply: Reply, *, conversation: Conversation | None = None,
               **event_data: object) -> Message | None:
    """Send the reply as a person sends a message, then give its gifts; no commit
    (`conversation`: the pair's, when loaded already)."""
    if reply.text is None:
        return None
    message = write_message(speaker.persona_user, speaker.student, reply.text,
                            conversation=conversation, **event_data)
    for gift, note in reply.gifts:
        gift_making.give(gift, speaker.persona_user, speaker.student, note)
    return message


def speaker_for(persona_user: User, student: User, lang: str, *seed: object,
                today: date) -> Speaker:
    assert persona_user.persona is not None
    return Speaker(persona_user=persona_user, student=student,
                   profile=behaviour_of(persona_user.persona), lang=lang,
                   rng=persona_random(*seed), today=today)


_MESSAGEABLE_KEY = "replies.messageable"  # batch cache: persona id → students it may write to
_THREADS_KEY = "replies.threads"  # batch cache: conversation id → its last messages, newest first


def preload_messages(actions) -> list[object]:  # type: ignore[no-untyped-def]
    """The batch's messages with their conversation and both people (the student's class, the
    persona with its company), whom each persona may write to (`messageable`, a query per
    persona) and the gifts the students received: no per-reply query for any of it."""
    ids = [action.payload.get("message_id") for action in actions]
    ids = [one for one in ids if isinstance(one, int)]
    if not ids:
        return []
    messages = list(db.session.scalars(sa.select(Message).where(Message.id.in_(ids)).options(
        joinedload(Message.conversation),
        joinedload(Message.sender).joinedload(User.school_class),
        joinedload(Message.recipient).joinedload(User.persona).joinedload(Persona.company),
    )).unique())
    students: dict[int, set[int]] = {}
    personas = {}
    for message in messages:
        if message.recipient.is_persona:
            personas[message.recipient_id] = message.recipient
            students.setdefault(message.recipient_id, set()).add(message.sender_id)
    batch_put(_MESSAGEABLE_KEY, {persona_id: set(db.session.scalars(
        sa.select(User.id).where(User.id.in_(sorted(ids)), messageable(personas[persona_id]))))
        for persona_id, ids in students.items()})
    gift_making.preload_gifts_given({message.sender_id for message in messages})
    # The threads' last messages, newest first (one query for the batch).
    ranked = sa.select(Message.id, sa.func.row_number().over(
        partition_by=Message.conversation_id, order_by=Message.id.desc()).label("rank")).where(
        Message.conversation_id.in_(sorted({message.conversation_id for message in messages}))
    ).subquery()
    threads: dict[int, list[Message]] = {message.conversation_id: [] for message in messages}
    for one in db.session.scalars(sa.select(Message).join(ranked, ranked.c.id == Message.id)
                                  .where(ranked.c.rank <= HISTORY)
                                  .order_by(Message.conversation_id, Message.id.desc())):
        threads[one.conversation_id].append(one)
    batch_put(_THREADS_KEY, threads)
    return [*messages, *(one for thread in threads.values() for one in thread)]


def _thread(conversation_id: int) -> list[Message]:
    """The thread's last messages, newest first: from the batch's preload and the replies the
    batch wrote since (those of an action rolled back aside), else one query."""
    preloaded: dict[int, list[Message]] = batch_value(_THREADS_KEY) or {}
    if conversation_id not in preloaded:
        return list(db.session.scalars(
            sa.select(Message).where(Message.conversation_id == conversation_id)
            .order_by(Message.id.desc()).limit(HISTORY)))
    written = written_in_transaction(conversation_id)
    if not written:
        return preloaded[conversation_id]
    return sorted({*preloaded[conversation_id], *written}, key=lambda one: one.id,
                  reverse=True)[:HISTORY]


def _may_write(persona_user: User, student: User) -> bool:
    """`can_message`, answered by the batch's preload when it said yes (nothing a handler does
    takes a contact away within a batch); asked again otherwise."""
    known: dict[int, set[int]] = batch_value(_MESSAGEABLE_KEY) or {}
    return student.id in known.get(persona_user.id, ()) or can_message(persona_user, student)


@action_handler(REPLY, preload=preload_messages)
def reply_to_message(action) -> None:  # type: ignore[no-untyped-def]
    """The scheduled reply to a student's message (and to the ones sent since the last reply).

    While a person plays the persona, the reply waits for the play to end: the people playing
    may answer meanwhile, and any message of the persona in the thread after the student's
    (theirs, or another automatic one) means there is nothing left to reply to; otherwise the
    persona replies once the play is over (`wait_while_played`).
    """
    message = db.session.get(Message, action.payload.get("message_id"))
    if message is None:
        raise ActionObsolete()
    student, persona_user = message.sender, message.recipient
    if not persona_user.is_persona:
        raise ActionObsolete()
    if not _may_write(persona_user, student):
        raise ActionObsolete()  # no longer connected: the persona cannot answer
    thread = _thread(message.conversation_id)
    if any(m.sender_id == student.id and m.id > message.id for m in thread):
        raise ActionObsolete()  # a newer message came: its own reply answers both
    last_reply = next((m for m in thread if m.sender_id == persona_user.id), None)
    since = last_reply.id if last_reply else 0
    unanswered = [m for m in reversed(thread)
                  if m.sender_id == student.id and m.id > since and m.hidden_at is None]
    if not unanswered:
        raise ActionObsolete()  # hidden by a teacher meanwhile, or already answered
    wait_while_played(action, persona_user, student)
    earlier = [m.body for m in thread if m.sender_id == student.id and m.id <= since]
    looked = action.payload.get("looked")
    reading = read_messages([m.body for m in unanswered], earlier, student.locale,
                            policy_for(student).context,
                            looked=looked if isinstance(looked, dict) and [
                                m.id for m in unanswered] == [message.id] else None)
    if reading.tone is not Tone.NORMAL and last_reply and _was_cool(last_reply):
        return  # one cool answer is enough: then silence
    speaker = speaker_for(persona_user, student, reading.lang, "reply", message.id,
                          today=message.created_at.date())
    reply = compose_reply(speaker, reading, gift_making.gifts_given(student, persona_user))
    send_reply(speaker, reply, conversation=message.conversation, tone=reading.tone.value,
               intents=[intent.value for intent in reading.intents])


def _was_cool(reply: Message) -> bool:
    """Was this message of the persona a cool answer (rudeness, spam, SMS language)?"""
    data = db.session.scalar(sa.select(ActivityEvent.data).where(
        ActivityEvent.user_id == reply.sender_id, ActivityEvent.kind == "message_sent",
        ActivityEvent.subject_type == "Message", ActivityEvent.subject_id == reply.id))
    return (data or {}).get("tone", Tone.NORMAL.value) != Tone.NORMAL.value
