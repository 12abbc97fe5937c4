"""Recording what people do. Callers commit: the event joins the action's own transaction."""

from __future__ import annotations

from typing import Any

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.dashboard import live
from sandbox.extensions import db


def record_event(
    user: User,
    kind: str,
    subject: Any | None = None,
    **data: Any,
) -> ActivityEvent:
    """Add an event for `user` to the current transaction (no commit, so nothing half-written).

    The teachers watching the student's class hear that something happened, once committed.
    """
    event = ActivityEvent(
        user_id=user.id,
        class_id=user.class_id,
        kind=kind,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        data=data,
    )
    db.session.add(event)
    live.activity_recorded(user, kind)
    return event
