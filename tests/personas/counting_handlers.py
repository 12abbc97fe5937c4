"""Scheduled-action handlers for the worker's tests, each leaving a trace a duplicate would show.

Imported by the tests themselves, and by worker processes with
`sandbox worker --import tests.personas.counting_handlers` (run from the checkout).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.personas.models import ScheduledAction
from sandbox.personas.scheduler import (
    ActionObsolete,
    ActionPostponed,
    action_handler,
    cancel_keyed,
    schedule,
)

COUNTED = "test_counted"


@action_handler("test_count")
def count_once(action: ScheduledAction) -> None:
    """One notification to `user_id` about this action: two would mean it ran twice."""
    notify(action.payload["user_id"], COUNTED, subject=action, seen=action.payload)


@action_handler("test_obsolete")
def obsolete(action: ScheduledAction) -> None:
    """Writes, then finds there is nothing left to do: the write must not stay."""
    notify(action.payload["user_id"], COUNTED, subject=action)
    raise ActionObsolete("the invitation was withdrawn")


@action_handler("test_postponed")
def postponed(action: ScheduledAction) -> None:
    """Writes, then waits until the payload's `until` (as a played persona waits for the play
    to end): the write must not stay, nor the attempt count; then it is done once."""
    until = datetime.fromisoformat(action.payload["until"])
    notify(action.payload["user_id"], COUNTED, subject=action)
    if action.claimed_at is not None and action.claimed_at < until:
        raise ActionPostponed(until, "not yet")


@action_handler("test_postponed_for_now")
def postponed_for_now(action: ScheduledAction) -> None:
    """Asks to wait until the very moment it was claimed: never due again at once."""
    assert action.claimed_at is not None
    raise ActionPostponed(action.claimed_at)


@action_handler("test_flaky")
def flaky(action: ScheduledAction) -> None:
    """Writes, then fails: the write must not stay, the action is tried again later."""
    notify(action.payload["user_id"], COUNTED, subject=action)
    raise RuntimeError("the persona's mailbox is full")


@action_handler("test_obsolete_after_flush")
def obsolete_after_flush(action: ScheduledAction) -> None:
    """Writes to the database itself (not through a queue), then gives up: the write must not
    stay, and the other actions of its batch must not suffer from it."""
    db.session.add(Notification(user_id=action.payload["user_id"], kind=COUNTED,
                                subject_type="ScheduledAction", subject_id=action.id, data={}))
    db.session.flush()
    raise ActionObsolete("written, then nothing left to do")


@action_handler("test_message_then_obsolete")
def message_then_obsolete(action: ScheduledAction) -> None:
    """Writes a message (two statements outside the unit of work), then gives up: neither the
    message nor its event may stay."""
    from sandbox.messages.services import write_message

    sender = db.session.get(User, action.payload["user_id"])
    recipient = db.session.get(User, action.payload["to_id"])
    write_message(sender, recipient, "Un message qui ne doit pas rester.")
    raise ActionObsolete("written, then nothing left to do")


@action_handler("test_schedule_next")
def schedule_next(action: ScheduledAction) -> None:
    """Counts, and schedules the action its payload names (`next_key`), once per key."""
    count_once(action)
    schedule("test_count", action.run_at + timedelta(hours=1),
             payload={"user_id": action.payload["user_id"]},
             dedupe_key=action.payload["next_key"])
    if action.payload.get("then_cancel"):
        cancel_keyed([action.payload["next_key"]])


@action_handler("test_bad_queued_row")
def bad_queued_row(action: ScheduledAction) -> None:
    """A notification the database refuses (no such user): in a worker's batch it is queued,
    and refused only when the batch writes its rows together."""
    notify(10**9, COUNTED, subject=action)


@action_handler("test_bad_write")
def bad_write(action: ScheduledAction) -> None:
    """A write the database refuses when it is flushed (no such user)."""
    db.session.add(Notification(user_id=10**9, kind=COUNTED, subject_type="ScheduledAction",
                                subject_id=action.id, data={}))


def effects(action_ids: list[int] | None = None) -> dict[int, int]:
    """How many traces each action left (action id → count)."""
    query = (sa.select(Notification.subject_id, sa.func.count())
             .where(Notification.kind == COUNTED, Notification.subject_type == "ScheduledAction")
             .group_by(Notification.subject_id))
    if action_ids is not None:
        query = query.where(Notification.subject_id.in_(action_ids))
    return dict(db.session.execute(query).all())


def _people_of(actions: list[ScheduledAction]) -> list[User]:
    wanted = {action.payload["user_id"] for action in actions}
    return list(db.session.scalars(sa.select(User).where(User.id.in_(wanted))))


@action_handler("test_preloaded", preload=_people_of)
def greet(action: ScheduledAction) -> None:
    """Reads the person its payload names: preloaded for the whole batch."""
    person = db.session.get(User, action.payload["user_id"])
    notify(person, COUNTED, subject=action)


def _broken_preload(actions: list[ScheduledAction]) -> list[User]:
    raise RuntimeError("the preload broke")


@action_handler("test_badly_preloaded", preload=_broken_preload)
def count_all_the_same(action: ScheduledAction) -> None:
    """A preloader that fails only makes the batch slower."""
    count_once(action)
