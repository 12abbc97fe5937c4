"""An exercise's open pages (the projected board, the students' phones) hear that something
changed, never what.

Members and the class's staff join the `exercise:<id>` room when their socket connects
(`sandbox.realtime`). Two content-free events go there, queued with `publish` so they leave only
once the transaction commits, at most once per exercise and transaction:

- `exercise_state` `{"exercise_id": id}`: started, paused, resumed, next phase, finished, or its
  teams changed. Pages fetch their timer (and board) again.
- `exercise_board` `{"exercise_id": id}`: a member did something an objective may count. Pages
  fetch the board again, where the usual permission checks apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox.activity.models import ActivityEvent
from sandbox.exercises.access import LIVE
from sandbox.exercises.models import Exercise, ExerciseMember
from sandbox.notifications.publisher import publish

STATE_EVENT = "exercise_state"
BOARD_EVENT = "exercise_board"

_SENT_KEY = "tremplin_exercise_signals"
# Set (to {}) by a caller whose transaction changes no exercise's members or status (the personas'
# worker, for one batch): who is a member of which live exercise, then asked once a person.
MEMBERSHIPS_KEY = "tremplin_exercise_memberships"


def exercise_room(exercise_id: int) -> str:
    """The room of an exercise's members and of its class's teachers and admins."""
    return f"exercise:{exercise_id}"


def _signal_once(session: Session, event_name: str, exercise_id: int) -> None:
    sent: set[tuple[str, int]] = session.info.setdefault(_SENT_KEY, set())
    if (event_name, exercise_id) in sent:
        return
    sent.add((event_name, exercise_id))
    publish(event_name, {"exercise_id": exercise_id}, exercise_room(exercise_id))


def state_changed(session: Session, exercise: Exercise) -> None:
    """Tell the exercise's pages that its timer, status or teams changed."""
    _signal_once(session, STATE_EVENT, exercise.id)


def _people_involved(event: ActivityEvent) -> Iterable[int]:
    """Whose progress an event may move: a student who acted, the student behind a persona
    (`played_by`), the student whose invitation someone accepted."""
    data: dict[str, Any] = event.data or {}
    if event.class_id is not None and event.user_id is not None:  # a student's own action
        yield event.user_id
    for key in ("played_by", "sender_id"):
        value = data.get(key)
        if type(value) is int:
            yield value


def events_flushed(session: Session, events: list[ActivityEvent]) -> None:
    """Called as activity events are flushed: the live exercises those people are members of
    hear that their board changed (one query, and none for events that concern no student)."""
    people = {person for event in events for person in _people_involved(event)}
    if not people:
        return
    known: dict[int, set[int]] | None = session.info.get(MEMBERSHIPS_KEY)
    if known is not None:
        exercise_ids = sorted(remember_members(session, known, people))
    else:
        with session.no_autoflush:
            exercise_ids = session.scalars(
                sa.select(ExerciseMember.exercise_id).distinct()
                .join(Exercise, Exercise.id == ExerciseMember.exercise_id)
                .where(ExerciseMember.user_id.in_(people), Exercise.status.in_(LIVE))
            ).all()
    for exercise_id in exercise_ids:
        _signal_once(session, BOARD_EVENT, exercise_id)


def remember_members(session: Session, known: dict[int, set[int]], people: set[int]
                     ) -> set[int]:
    """The live exercises of `people`, asking (in one query) only about those not in `known`
    yet, which then are (see `MEMBERSHIPS_KEY`)."""
    missing = people - known.keys()
    if missing:
        for person in missing:
            known[person] = set()
        with session.no_autoflush:
            for person, exercise_id in session.execute(
                sa.select(ExerciseMember.user_id, ExerciseMember.exercise_id)
                .join(Exercise, Exercise.id == ExerciseMember.exercise_id)
                .where(ExerciseMember.user_id.in_(missing), Exercise.status.in_(LIVE))
            ):
                known[person].add(exercise_id)
    return {exercise_id for person in people for exercise_id in known[person]}


def forget(session: Session) -> None:
    """After a commit or a rollback, the next transaction signals afresh."""
    session.info.pop(_SENT_KEY, None)
