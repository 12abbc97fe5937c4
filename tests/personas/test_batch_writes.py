"""A worker's batch writes its events, notifications and next actions together at its end, and
runs without a savepoint per action until an action needs one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core import deferred
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.messages.models import Message
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.personas.behaviour import GiftKind
from sandbox.personas.gifts import Gift, gifts_given, give, preload_gifts_given
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.registry import batch_scope
from sandbox.personas.scheduler import claim_due, run_batch, schedule
from tests.personas.counting_handlers import COUNTED, effects


@pytest.fixture
def student(school):  # type: ignore[no-untyped-def]
    return school["student"]


def _add(kind: str, user_id: int, **payload: object) -> ScheduledAction:
    action = schedule(kind, utcnow(), payload={"user_id": user_id, **payload})
    db.session.commit()
    return action


def _run(count_queries, worker: str = "writes:1") -> list[str]:  # type: ignore[no-untyped-def]
    claimed = claim_due(worker, limit=100)
    with count_queries() as counter:
        run_batch(claimed, worker)
    return counter.statements


def _status(action_id: int) -> ActionStatus:
    db.session.expire_all()
    return db.session.get(ScheduledAction, action_id).status


def _inserts_into(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(f"INSERT INTO {table.upper()}")]


def test_a_batchs_notifications_are_written_in_one_statement_at_its_end(app, student,
                                                                        count_queries):
    ids = [_add("test_count", student.id).id for _ in range(12)]
    statements = _run(count_queries)
    assert len(_inserts_into(statements, "notifications")) == 1
    assert effects() == {action_id: 1 for action_id in ids}
    # Nothing went wrong: not one savepoint.
    assert not [s for s in statements if s.upper().startswith("SAVEPOINT")]


def test_a_handler_that_wrote_then_gave_up_is_rolled_back_alone(app, student, count_queries):
    before = _add("test_count", student.id)
    gave_up = _add("test_obsolete_after_flush", student.id)
    after = _add("test_count", student.id)
    statements = _run(count_queries)
    # Its flushed write could not be taken back alone: the batch ran again, carefully.
    assert [s for s in statements if s.upper().startswith("SAVEPOINT")]
    assert _status(gave_up.id) is ActionStatus.CANCELLED
    assert _status(before.id) is _status(after.id) is ActionStatus.DONE
    assert effects() == {before.id: 1, after.id: 1}  # each once, none of the cancelled one
    assert db.session.get(ScheduledAction, before.id).attempts == 1


def test_a_message_written_then_given_up_is_rolled_back(app, school):
    student, classmate = school["student"], school["classmate"]
    fine = _add("test_count", student.id)
    gave_up = _add("test_message_then_obsolete", student.id, to_id=classmate.id)
    run_batch(claim_due("writes:5", limit=100), "writes:5")
    assert _status(gave_up.id) is ActionStatus.CANCELLED
    assert _status(fine.id) is ActionStatus.DONE and effects() == {fine.id: 1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent).where(
        ActivityEvent.kind == "message_sent")) == 0


def test_a_key_scheduled_twice_in_a_batch_or_already_taken_is_written_once(app, student):
    schedule("test_count", utcnow() + timedelta(days=1), payload={"user_id": student.id},
             dedupe_key="next:taken")
    db.session.commit()
    first = _add("test_schedule_next", student.id, next_key="next:shared")
    second = _add("test_schedule_next", student.id, next_key="next:shared")
    third = _add("test_schedule_next", student.id, next_key="next:taken")
    run_batch(claim_due("writes:2", limit=100), "writes:2")
    for action in (first, second, third):
        assert _status(action.id) is ActionStatus.DONE
    keys = db.session.scalars(sa.select(ScheduledAction.dedupe_key).where(
        ScheduledAction.dedupe_key.is_not(None))).all()
    assert sorted(keys) == ["next:shared", "next:taken"]


def test_what_a_batch_scheduled_then_cancelled_is_written_cancelled(app, student):
    action = _add("test_schedule_next", student.id, next_key="next:cancelled", then_cancel=True)
    run_batch(claim_due("writes:3", limit=100), "writes:3")
    assert _status(action.id) is ActionStatus.DONE
    [cancelled] = db.session.scalars(sa.select(ScheduledAction).where(
        ScheduledAction.dedupe_key == "next:cancelled")).all()
    assert cancelled.status is ActionStatus.CANCELLED and cancelled.done_at is not None
    # Its key stays taken, as if it had been written at once then cancelled.
    assert schedule("test_count", utcnow(), payload={"user_id": student.id},
                    dedupe_key="next:cancelled") is None


def test_a_row_the_database_refuses_fails_its_own_action_only(app, student):
    fine = _add("test_count", student.id)
    refused = _add("test_bad_queued_row", student.id)
    also_fine = _add("test_count", student.id)
    run_batch(claim_due("writes:6", limit=100), "writes:6")
    assert _status(refused.id) is ActionStatus.PENDING  # tried again later
    assert "IntegrityError" in db.session.get(ScheduledAction, refused.id).last_error
    assert _status(fine.id) is _status(also_fine.id) is ActionStatus.DONE
    assert effects() == {fine.id: 1, also_fine.id: 1}


def test_a_reply_written_before_the_batch_ran_again_carefully_is_written_once(app, school):
    from sandbox.messages.services import send_message
    from sandbox.personas.triggers import REPLY
    from tests.personas.reaction_helpers import actions, behave, connected, messages_from

    lea, claire = school["student"], school["persona"]
    behave(claire)
    connected(lea, claire)
    send_message(lea, claire.id, "Bonjour Claire, auriez-vous un conseil pour mon stage ?")
    [reply] = actions(REPLY)
    # Due after the reply: the reply is written, then this one forces the careful run.
    gave_up = schedule("test_obsolete_after_flush", reply.run_at + timedelta(minutes=1),
                       payload={"user_id": lea.id})
    db.session.commit()
    run_batch(claim_due("writes:7", limit=100, now=utcnow() + timedelta(days=2)), "writes:7")
    assert _status(reply.id) is ActionStatus.DONE
    assert db.session.get(ScheduledAction, reply.id).attempts == 1
    assert _status(gave_up.id) is ActionStatus.CANCELLED
    assert len(messages_from(claire)) == 1


def test_rows_queued_by_an_action_rolled_back_are_dropped_with_it(app, student):
    flaky = _add("test_flaky", student.id)  # queues a notification, then fails
    fine = _add("test_count", student.id)
    run_batch(claim_due("writes:4", limit=100), "writes:4")
    assert _status(flaky.id) is ActionStatus.PENDING  # tried again later
    assert effects() == {fine.id: 1}


def test_outside_a_batch_rows_are_added_as_they_come(app, student):
    notification = notify(student, COUNTED)
    assert notification in db.session  # a request's notification is in its transaction
    db.session.commit()
    assert notification.id is not None


def test_a_gift_given_earlier_in_the_batch_counts_before_it_is_written(app, school):
    persona, student = school["persona"], school["student"]
    session = db.session()
    deferred.start(session)
    try:
        with batch_scope():
            preload_gifts_given({student.id})
            assert gifts_given(student, persona) == set()
            give(Gift(GiftKind.ADVICE), persona, student, "Un conseil : relis ta lettre.")
            # Not written yet, but known: the same persona will not give it again.
            assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent)
                                     .where(ActivityEvent.kind == "gift_received")) == 0
            assert gifts_given(student, persona) == {GiftKind.ADVICE}
            deferred.write(session)
    finally:
        deferred.stop(session)
    db.session.commit()
    assert gifts_given(student, persona) == {GiftKind.ADVICE}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == student.id, Notification.kind == "gift_received")) == 1
