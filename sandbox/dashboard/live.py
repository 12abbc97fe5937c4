"""The dashboard during a lesson: a class's teachers hear that something happened, not what.

When an activity event is recorded for a student, or the charter records a finding about one of
their texts, the teachers and admins watching that class (the `class-staff:<id>` room, joined in
`sandbox.realtime`) are told `class_activity` `{"class_id": id}`; when the student published a
post or a comment, `class_post` `{"class_id": id}` too. The page then asks the server again
(the overview's rows, the class feed's new items), where the usual permission checks apply, so
no text, name or figure ever travels through the socket.

Both are queued with `publish`, so they leave only once the transaction commits (never for a
rolled-back action), and at most once per class and per transaction: a post that records an
event, settles a finding and notifies three people is one signal, not five.

The same way, when an activity event concerns a member of a live exercise, the exercise's room
hears `exercise_board` (`sandbox.exercises.live`): its board is fetched again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.exercises import live as exercise_live
from sandbox.extensions import db
from sandbox.notifications.publisher import publish

ACTIVITY_EVENT = "class_activity"
FEED_EVENT = "class_post"
# What appears in the class feed: a post, a share (a post that quotes another), a comment.
FEED_KINDS = frozenset({"post_created", "post_shared", "commented"})

_SENT_KEY = "tremplin_class_staff_signals"


def class_staff_room(class_id: int) -> str:
    """The room of the teachers of a class and of the admins (never of students)."""
    return f"class-staff:{class_id}"


def _signal_once(session: Session, event_name: str, class_id: int) -> None:
    """Queue `event_name` for the class's staff unless this transaction already did."""
    sent: set[tuple[str, int]] = session.info.setdefault(_SENT_KEY, set())
    if (event_name, class_id) in sent:
        return
    sent.add((event_name, class_id))
    publish(event_name, {"class_id": class_id}, class_staff_room(class_id))


def activity_recorded(user: User, kind: str) -> None:
    """Called by `record_event`: a student of a class did something (staff actions are not
    class activity: a teacher's moderation shows on its own pages)."""
    if user.role is not Role.STUDENT or user.class_id is None:
        return
    _signal_once(db.session(), ACTIVITY_EVENT, user.class_id)
    if kind in FEED_KINDS:
        _signal_once(db.session(), FEED_EVENT, user.class_id)


@event.listens_for(Session, "before_flush")
def _findings_added(session: Session, _context: Any, _instances: Any) -> None:
    """A charter finding changes the overview's figures too. Findings are written by the
    charter gate (sometimes with no activity event, when a text is refused), so they are
    noticed as they are flushed. Only students' texts have a class on their findings."""
    for instance in session.new:
        if isinstance(instance, CharterFinding) and instance.class_id is not None:
            _signal_once(session, ACTIVITY_EVENT, instance.class_id)


@event.listens_for(Session, "before_flush")
def _exercise_activity(session: Session, _context: Any, _instances: Any) -> None:
    """Events are looked at as they are flushed rather than in `activity_recorded`: by then
    their data is complete (`played_by`, added while a person plays a persona)."""
    events = [instance for instance in session.new if isinstance(instance, ActivityEvent)]
    if events:
        exercise_live.events_flushed(session, events)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: what this transaction signalled stays remembered
    session.info.pop(_SENT_KEY, None)
    exercise_live.forget(session)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_SENT_KEY, None)
    exercise_live.forget(session)
