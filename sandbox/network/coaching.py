"""Coaching an invitation before it is sent: a personal message gets answers, a generic one doesn't.

The hints are advice: the student may send anyway, and that choice is recorded for the teacher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def coach_invitation(sender: User, recipient: User, message: str) -> list[Hint]:
    folded = fold(message)
    if not folded:
        return [Hint("no_message", str(_l(
            "An invitation without a message is often ignored. Say who you are and why you "
            "want to connect: a course, a company, a shared interest.")))]
    hints: list[Hint] = []
    if _is_generic(folded, fold(recipient.name_for(sender))):
        hints.append(Hint("generic", str(_l(
            "This message could be sent to anyone. Mention what you have in common or what "
            "interests you in their work."))))
    elif len(folded) < SHORT_MESSAGE and not _mentions_recipient(folded, sender, recipient):
        hints.append(Hint("impersonal", str(_l(
            "Your message is short and does not mention the person or their company. "
            "A personal touch makes an answer more likely."))))
    since = utcnow() - timedelta(days=30)
    sent = db.session.scalars(
        sa.select(Invitation.message).where(
            Invitation.sender_id == sender.id, Invitation.created_at >= since,
            Invitation.recipient_id != recipient.id,
        )
    )
    if sum(1 for previous in sent if fold(previous) == folded) >= COPIED_THRESHOLD:
        hints.append(Hint("copied", str(_l(
            "You have already sent exactly this message to several people. Recruiters notice "
            "copied messages: adapt it to this person."))))
    return hints
