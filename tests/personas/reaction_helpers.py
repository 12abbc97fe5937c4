"""Shared by the tests of the personas' reactions: their handlers, their temperament, time."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

import sandbox.personas.invitation_reactions  # noqa: F401 - registers the handlers
import sandbox.personas.replies  # noqa: F401
from sandbox.accounts.models import User
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.messages.models import Message
from sandbox.network.services import connect
from sandbox.personas.models import ScheduledAction
from sandbox.personas.scheduler import run_due

# A persona who accepts whoever writes them a personal message, and gives nothing.
EASY = {"min_completeness": 0, "wants_professional_photo": False, "leniency": 0,
        "generosity": 0, "reply_delay": [30, 60]}
# A fixed moment, so that dates drawn from it (a coffee next week) read the same every day.
MONDAY = datetime(2027, 3, 1, 9, 0)


def behave(persona: User, **values: object) -> None:
    """Give the persona this temperament (the rest keeps the profile's defaults)."""
    assert persona.persona is not None
    persona.persona.behaviour = {**EASY, **values}
    db.session.commit()


def run_later(hours: float = 48) -> int:
    """Carry out what is due by then (rather than sleeping)."""
    return run_due(now=utcnow() + timedelta(hours=hours))


def actions(kind: str | None = None) -> list[ScheduledAction]:
    db.session.expire_all()
    query = sa.select(ScheduledAction).order_by(ScheduledAction.id)
    if kind is not None:
        query = query.where(ScheduledAction.kind == kind)
    return list(db.session.scalars(query))


def messages_from(user: User) -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(Message).where(Message.sender_id == user.id).order_by(Message.id)))


def connected(student: User, persona: User) -> None:
    connect(student, persona)
    db.session.commit()


def dated(message: Message, when: datetime = MONDAY) -> Message:
    """Pretend the message was sent at `when` (a reply's dates are drawn from its day)."""
    message.created_at = when
    db.session.commit()
    return message
