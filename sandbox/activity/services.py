"""Recording what people do. Callers commit: the event joins the action's own transaction.

While a person plays a persona (`sandbox.personas.playing.acting_for`), every event recorded
for that persona carries `played_by` (the real person's id), and the player is told of each
event, so that it writes its audit entry in the very same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.core import deferred
from sandbox.core.time import utcnow
from sandbox.dashboard import live
from sandbox.extensions import db


class Player(Protocol):
    """Someone playing a persona right now (see `sandbox.personas.playing`)."""

    persona_id: int
    real_id: int

    def witness(self, event: ActivityEvent, subject: Any | None) -> None:
        """Called after each event recorded while playing (in the same transaction)."""


# A context variable rather than `flask.g`: the worker and the CLI record events outside any
# request, and a variable reset on leaving cannot leak into the next request of a thread.
_playing: ContextVar[Player | None] = ContextVar("tremplin_playing", default=None)


@contextmanager
def played_by(player: Player) -> Iterator[Player]:
    """Record every event of this block as played by `player` (one player at a time)."""
    token = _playing.set(player)
    try:
        yield player
    finally:
        _playing.reset(token)


def current_player() -> Player | None:
    """Who is playing a persona in this context, if anyone."""
    return _playing.get()


def record_event(
    user: User,
    kind: str,
    subject: Any | None = None,
    **data: Any,
) -> ActivityEvent:
    """Add an event for `user` to the current transaction (no commit, so nothing half-written).

    The teachers watching the student's class hear that something happened, once committed.
    In a worker's batch the row is queued and written at the batch's end (`core.deferred`).
    """
    player = _playing.get()
    if player is not None and user.id == player.persona_id and data.get("played_by") is None:
        data["played_by"] = player.real_id
    event = ActivityEvent(
        user_id=user.id,
        class_id=user.class_id,
        kind=kind,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        data=data,
        created_at=utcnow(),
    )
    session = db.session()
    if player is None and deferred.deferring(session):
        deferred.defer(session, event)  # a worker's batch: written with the others at its end
    else:
        session.add(event)
    live.activity_recorded(user, kind)
    if player is not None:
        player.witness(event, subject)
    return event
