"""Live delivery: every Socket.IO emit goes out here, and only after the database commit.

Services queue what to publish on the session (`publish`); when the transaction commits, the
queue is emitted to the users' rooms; when it rolls back, the queue is dropped, so nobody is ever
told about something that was not saved. Payloads carry ids and counts, never content: a client
that wants more asks a page, where the usual permission checks apply.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from sandbox.extensions import db, socketio

_QUEUE_KEY = "tremplin_pending_emits"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def group_room(group_id: int) -> str:
    """The room of a group's active members (joined when their socket connects)."""
    return f"group:{group_id}"


def publish(event_name: str, payload: dict[str, Any], room: str) -> None:
    """Queue an emit to `room`, sent once the current transaction commits."""
    db.session.info.setdefault(_QUEUE_KEY, []).append((event_name, payload, room))


@event.listens_for(Session, "after_commit")
def _emit_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (SQLAlchemy says "commit"): the transaction goes on
    pending = session.info.pop(_QUEUE_KEY, [])
    for event_name, payload, room in pending:
        socketio.emit(event_name, payload, to=room)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_QUEUE_KEY, None)
