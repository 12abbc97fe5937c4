"""Coaching an invitation before it is sent: a personal message gets answers, a generic one doesn't.

The hints are advice: the student may send anyway, and that choice is recorded for the teacher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.models import Invitation

# Folded openings that say nothing about the person invited, in French and English.
GENERIC_MESSAGES = (
    "je souhaiterais vous ajouter a mon reseau",
    "je voudrais vous ajouter a mon reseau",
    "je souhaite vous ajouter a mon reseau",
    "j'aimerais vous ajouter a mon reseau",
    "j aimerais vous ajouter a mon reseau",
    "je voudrais t'ajouter a mon reseau",
    "rejoignez mon reseau",
    "ajoute moi",
    "ajoutez moi",
    "i'd like to add you to my network",
    "i would like to add you to my network",
    "i'd like to add you to my professional network",
    "please add me",
    "let's connect",
    "join my network",
)
SHORT_MESSAGE = 40  # characters: below this, a message rarely says why
COPIED_THRESHOLD = 3  # the same message already sent to this many people in a month


@dataclass(frozen=True)
class Hint:
    code: str  # stable: "no_message", "generic", "impersonal", "copied"
    text: str


_GREETINGS = re.compile(r"\b(bonjour|bonsoir|salut|hello|hi|dear|cher|chere|madame|monsieur)\b")


def _is_generic(folded: str, recipient_name: str) -> bool:
    """A known phrase wherever it stands, with little else around it (greetings and name aside)."""
    rest = _GREETINGS.sub(" ", folded.replace(recipient_name, " "))
    rest = " ".join(re.sub(r"[^\w' ]", " ", rest).split())
    for generic in GENERIC_MESSAGES:
        if generic in rest and len(rest) <= len(generic) + 25:
            return True
    return False


def _mentions_recipient(folded: str, sender: User, recipient: User) -> bool:
    # Only the name the sender sees: the real name behind a pseudonym must never change a hint.
    names = {fold(part) for part in recipient.name_for(sender).split() if len(part) > 2}
    if recipient.persona is not None:
        names.add(fold(recipient.persona.company.name))
    return any(name and name in folded for name in names)


_HINTS = {
    "no_message": _l("An invitation without a message is often ignored. Say who you are and why "
                     "you want to connect: a course, a company, a shared interest."),
    "generic": _l("This message could be sent to anyone. Mention what you have in common or "
                  "what interests you in their work."),
    "impersonal": _l("Your message is short and does not mention the person or their company. "
                     "A personal touch makes an answer more likely."),
    "copied": _l("You have already sent exactly this message to several people. Recruiters "
                 "notice copied messages: adapt it to this person."),
}
COPIED_WITHIN = timedelta(days=30)


def coach_invitation(sender: User, recipient: User, message: str) -> list[Hint]:
    return [Hint(code, str(_HINTS[code])) for code in hint_codes(sender, recipient, message)]


def hint_codes(sender: User, recipient: User, message: str,
               sent: Iterable[tuple[int, str]] | None = None) -> list[str]:
    """The codes of `coach_invitation`'s hints, without their texts (a persona reading an
    invitation). `sent`: the sender's invitations of the last month, as (recipient id, folded
    message), when the caller has them (else one query)."""
    folded = fold(message)
    if not folded:
        return ["no_message"]
    codes: list[str] = []
    if _is_generic(folded, fold(recipient.name_for(sender))):
        codes.append("generic")
    elif len(folded) < SHORT_MESSAGE and not _mentions_recipient(folded, sender, recipient):
        codes.append("impersonal")
    if sent is None:
        sent = recently_sent([sender.id]).get(sender.id, [])
    if sum(1 for to, previous in sent
           if to != recipient.id and previous == folded) >= COPIED_THRESHOLD:
        codes.append("copied")
    return codes


def recently_sent(sender_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """The invitations these people sent in the last month: sender id → (recipient id, folded
    message), in one query."""
    sent: dict[int, list[tuple[int, str]]] = {}
    rows = db.session.execute(
        sa.select(Invitation.sender_id, Invitation.recipient_id, Invitation.message).where(
            Invitation.sender_id.in_(sorted(set(sender_ids))),
            Invitation.created_at >= utcnow() - COPIED_WITHIN))
    for sender_id, recipient_id, message in rows:
        sent.setdefault(sender_id, []).append((recipient_id, _folded(message)))
    return sent


@lru_cache(maxsize=4096)
def _folded(message: str) -> str:
    """`fold`, remembered: a worker reads a sender's same invitations again for each answer."""
    return fold(message)
