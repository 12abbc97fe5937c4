"""Scheduled actions: stored with what caused them, carried out once, retried, cancelled."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from sandbox.core.time import utcnow
from sandbox.extensions import db, socketio
from sandbox.notifications.models import Notification
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.scheduler import (
    MAX_ATTEMPTS,
    cancel_pending,
    claim_due,
    requeue_stale,
    run_batch,
    run_claimed,
    run_due,
    schedule,
)
from tests.personas.counting_handlers import effects

LATER = timedelta(hours=1)


@pytest.fixture
def student(school):  # type: ignore[no-untyped-def]
    return school["student"]


def add(kind: str, user_id: int, *, run_at: datetime | None = None, **payload: object):  # type: ignore[no-untyped-def]
    action = schedule(kind, run_at or utcnow(), payload={"user_id": user_id, **payload})
    db.session.commit()
    return action


def fresh(action: ScheduledAction) -> ScheduledAction:
    db.session.expire_all()
    return db.session.get(ScheduledAction, action.id)


def test_a_due_action_is_done_once_with_its_effect(app, student):
    action = add("test_count", student.id, note={"tags": ["café", 3]})
    later = add("test_count", student.id, run_at=utcnow() + LATER)

    assert run_due() == 1
    assert run_due() == 0
    done = fresh(action)
    assert done.status is ActionStatus.DONE and done.done_at is not None
    assert done.attempts == 1 and done.claimed_by.startswith("inline:")
    assert effects() == {action.id: 1}
    # The handler got the payload back as JSON
    notification = db.session.scalar(sa.select(Notification))
    assert notification.data["seen"] == {"user_id": student.id, "note": {"tags": ["café", 3]}}
    # Not due yet: left alone until its time
    assert fresh(later).status is ActionStatus.PENDING
    assert run_due(now=utcnow() + LATER + timedelta(seconds=1)) == 1
    assert effects() == {action.id: 1, later.id: 1}


def test_schedule_belongs_to_the_callers_transaction(app, student):
    schedule("test_count", utcnow(), payload={"user_id": student.id}, dedupe_key="k:1")
    schedule("test_count", utcnow(), payload={"user_id": student.id})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledAction)) == 0


def test_a_dedupe_key_schedules_once_and_keeps_the_callers_writes(app, student):
    first = schedule("test_count", utcnow(), payload={"user_id": student.id},
                     dedupe_key="answer:7")
    assert first is not None and first.id is not None
    db.session.commit()
    student.profile.headline = "Futur commercial"
    again = schedule("test_count", utcnow(), payload={"user_id": student.id},
                     dedupe_key="answer:7")
    assert again is None
    db.session.commit()
    db.session.expire_all()
    assert student.profile.headline == "Futur commercial"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledAction)) == 1


def test_a_payload_must_be_json(app, student):
    with pytest.raises(ValueError, match="JSON"):
        schedule("test_count", utcnow(), payload={"when": utcnow()})


def test_an_obsolete_action_is_cancelled_and_leaves_nothing(app, student):
    action = add("test_obsolete", student.id)
    assert run_due() == 0
    cancelled = fresh(action)
    assert cancelled.status is ActionStatus.CANCELLED
    assert cancelled.last_error == "the invitation was withdrawn"
    assert effects() == {}
    assert run_due(now=utcnow() + LATER) == 0


def test_a_postponed_action_waits_uncounted_and_leaves_nothing_meanwhile(app, student):
    until = utcnow() + LATER
    action = add("test_postponed", student.id, until=until.isoformat())
    fine = add("test_count", student.id)
    start = utcnow()

    assert run_due(now=start) == 1  # the other action of the batch is done all the same
    waiting = fresh(action)
    assert waiting.status is ActionStatus.PENDING and waiting.attempts == 0
    assert (waiting.run_at, waiting.claimed_by, waiting.claimed_at) == (until, None, None)
    assert waiting.last_error == "not yet" and waiting.done_at is None
    assert effects() == {fine.id: 1}  # the postponed handler's write was rolled back

    assert run_due(now=until - timedelta(seconds=1)) == 0  # not before its time
    assert run_due(now=until) == 1
    done = fresh(action)
    assert done.status is ActionStatus.DONE and done.attempts == 1
    assert effects() == {fine.id: 1, action.id: 1}


def test_a_postponement_is_never_for_now_nor_a_failure(app, student):
    action = add("test_postponed_for_now", student.id)
    start = utcnow()
    batch = claim_due("w1", now=start)
    report = run_batch(batch, "w1")
    assert (report.done, report.postponed, report.retried) == (0, 1, 0)
    assert fresh(action).run_at == start + timedelta(seconds=1)
    assert run_due(now=start + timedelta(seconds=1)) == 0  # taken once, not again at once
    for second in range(2, 2 + 2 * MAX_ATTEMPTS, 2):
        run_due(now=start + timedelta(seconds=second))
    waiting = fresh(action)
    assert waiting.status is ActionStatus.PENDING and waiting.attempts == 0


def test_a_failing_action_is_retried_later_then_failed(app, student, caplog):
    flaky = add("test_flaky", student.id)
    fine = add("test_count", student.id)
    start = utcnow()

    assert run_due(now=start) == 1  # the other action of the batch is done all the same
    retried = fresh(flaky)
    assert retried.status is ActionStatus.PENDING and retried.attempts == 1
    assert retried.last_error == "RuntimeError: the persona's mailbox is full"
    assert retried.run_at == start + timedelta(seconds=30)
    assert effects() == {fine.id: 1}  # the failed handler's write was rolled back

    assert run_due(now=start + timedelta(seconds=10)) == 0  # not before its back-off
    assert fresh(flaky).attempts == 1
    run_due(now=start + timedelta(minutes=1))
    second = fresh(flaky)
    assert second.attempts == 2 and second.status is ActionStatus.PENDING
    assert second.run_at == start + timedelta(minutes=6)
    run_due(now=start + LATER)
    failed = fresh(flaky)
    assert failed.status is ActionStatus.FAILED and failed.attempts == MAX_ATTEMPTS
    assert failed.done_at is not None and "mailbox" in failed.last_error
    assert effects() == {fine.id: 1}
    assert run_due(now=start + 10 * LATER) == 0
    assert "failed for good" in caplog.text


def test_a_write_the_database_refuses_is_rolled_back_alone(app, student):
    refused = add("test_bad_write", student.id)
    fine = add("test_count", student.id)
    assert run_due() == 1
    assert fresh(refused).status is ActionStatus.PENDING
    assert "IntegrityError" in fresh(refused).last_error
    assert fresh(fine).status is ActionStatus.DONE and effects() == {fine.id: 1}


def test_an_action_without_handler_is_not_lost_silently(app, student):
    action = add("test_nobody_handles_this", student.id)
    run_due()
    waiting = fresh(action)
    assert waiting.status is ActionStatus.PENDING
    assert "no handler" in waiting.last_error


def test_live_events_of_a_rolled_back_action_are_not_sent(app, student, monkeypatch):
    sent = []
    monkeypatch.setattr(socketio, "emit", lambda event, payload, to: sent.append((event, to)))
    add("test_flaky", student.id)
    add("test_obsolete", student.id)
    add("test_count", student.id)
    run_due()
    assert sent == [("notification", f"user:{student.id}")]


def test_a_crash_between_claim_and_commit_is_handed_back_and_done_once(app, student):
    actions = [add("test_count", student.id) for _ in range(3)]
    crashed = claim_due("host:1", limit=10)
    assert sorted(crashed) == sorted(a.id for a in actions)
    assert run_due() == 0  # claimed: nobody else takes them
    assert requeue_stale() == 0  # not stale yet

    assert requeue_stale(now=utcnow() + timedelta(minutes=6)) == 3
    assert run_due() == 3
    # The first worker was only slow: it comes back, finds them no longer its own
    report = run_batch(crashed, "host:1")
    assert report.done == 0 and report.skipped == 3
    assert effects() == {a.id: 1 for a in actions}
    assert {fresh(a).attempts for a in actions} == {2}


def test_a_slow_worker_never_runs_what_another_claimed_again(app, student):
    action = add("test_count", student.id)
    assert claim_due("slow:1") == [action.id]
    requeue_stale(older_than=timedelta(0), now=utcnow() + timedelta(seconds=1))
    assert claim_due("fast:2") == [action.id]
    assert run_claimed([action.id], "slow:1") == 0
    assert run_claimed([action.id], "fast:2") == 1
    assert effects() == {action.id: 1}
    assert fresh(action).claimed_by == "fast:2"


def test_a_claim_that_keeps_killing_its_worker_ends_failed(app, student):
    action = add("test_count", student.id)
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert claim_due(f"doomed:{attempt}", now=now) == [action.id]
        now += timedelta(minutes=6)
        requeue_stale(now=now)
    failed = fresh(action)
    assert failed.status is ActionStatus.FAILED
    assert failed.last_error == "the worker stopped before finishing this action"
    assert claim_due("next:1", now=now + LATER) == []


def test_cancel_pending_matches_the_payload_exactly(app, student):
    running = add("test_count", student.id, invitation_id=3, round=2)
    assert claim_due("busy:1") == [running.id]
    invitation = add("test_count", student.id, invitation_id=3)
    as_text = add("test_count", student.id, invitation_id="3")
    other = add("test_count", student.id, invitation_id=4)
    other_kind = add("test_obsolete", student.id, invitation_id=3)

    assert cancel_pending("test_count", invitation_id=3) == 1
    db.session.commit()
    assert fresh(invitation).status is ActionStatus.CANCELLED
    assert fresh(as_text).status is ActionStatus.PENDING
    assert fresh(other).status is ActionStatus.PENDING
    assert fresh(other_kind).status is ActionStatus.PENDING
    assert fresh(running).status is ActionStatus.RUNNING  # its worker decides
    assert cancel_pending(invitation_id=3) == 1  # any kind: the other one
    assert cancel_pending(invitation_id="3", user_id=student.id) == 1
    assert cancel_pending(invitation_id=99) == 0
    with pytest.raises(ValueError):
        cancel_pending()


def test_a_batch_is_loaded_in_one_query_and_committed_once(app, student, count_queries):
    def statements_for(count: int) -> list[str]:
        ids = [add("test_obsolete", student.id).id for _ in range(count)]
        claimed = claim_due("counted:1", limit=100)
        assert sorted(claimed) == sorted(ids)
        with count_queries() as counter:
            run_batch(claimed, "counted:1")
        return [s for s in counter.statements
                if not s.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))]

    # Each obsolete action's notification is rolled back with its savepoint; what remains is
    # the claim's check (which loads the batch) and the marks, whatever the batch's size.
    small, large = statements_for(2), statements_for(20)
    assert len(small) == len(large) == 2


def test_two_workers_claiming_at_once_never_get_the_same_action(app, student):
    now = utcnow()
    db.session.execute(sa.insert(ScheduledAction), [
        {"kind": "test_count", "run_at": now, "payload": {"user_id": student.id},
         "status": ActionStatus.PENDING, "created_at": now} for _ in range(400)
    ])
    db.session.commit()
    claims: dict[str, list[int]] = {"one": [], "two": []}
    errors: list[BaseException] = []
    # Both claim at the same moment, round after round, until nothing is left.
    rounds = threading.Barrier(2)

    def claim_all(name: str) -> None:
        try:
            with app.app_context():
                while True:
                    try:
                        rounds.wait(timeout=10)
                    except threading.BrokenBarrierError:
                        pass  # the other one is done
                    claimed = claim_due(name, limit=7, now=now)
                    if not claimed:
                        rounds.abort()
                        return
                    claims[name].extend(claimed)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
            rounds.abort()

    threads = [threading.Thread(target=claim_all, args=(name,)) for name in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    one, two = set(claims["one"]), set(claims["two"])
    assert len(one) == len(claims["one"]) and len(two) == len(claims["two"])
    assert not one & two
    assert len(one | two) == 400
    assert one and two  # both took part


def test_a_crash_before_the_batch_commit_leaves_nothing_half_done(app, student, monkeypatch):
    actions = [add("test_count", student.id) for _ in range(3)]
    claimed = claim_due("doomed:1")

    def power_cut() -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(db.session, "commit", power_cut)
    with pytest.raises(RuntimeError):
        run_batch(claimed, "doomed:1")
    monkeypatch.undo()
    db.session.rollback()
    # Neither the handlers' writes nor the done marks were committed (the savepoints did not
    # commit on their own either): the claims wait to be handed back, then run once.
    assert effects() == {}
    assert {fresh(a).status for a in actions} == {ActionStatus.RUNNING}
    requeue_stale(now=utcnow() + timedelta(minutes=6))
    assert run_due() == 3
    assert effects() == {a.id: 1 for a in actions}


def test_a_claim_takes_at_most_its_limit_soonest_first(app, student):
    now = utcnow()
    ids = [add("test_count", student.id, run_at=now - timedelta(seconds=30 - n)).id
           for n in range(30)]
    assert claim_due("limited:1", limit=10, now=now) == ids[:10]
    running = db.session.scalars(sa.select(ScheduledAction.id).where(
        ScheduledAction.status == ActionStatus.RUNNING)).all()
    assert sorted(running) == ids[:10]
    assert claim_due("limited:2", limit=10, now=now, kinds={"test_obsolete"}) == []
    assert claim_due("limited:2", limit=10, now=now, kinds=set()) == []
    assert claim_due("limited:2", limit=100, now=now, kinds={"test_count"}) == ids[10:]


def test_a_batch_past_its_budget_hands_back_what_it_has_not_started(app, student, monkeypatch):
    ids = [add("test_count", student.id).id for _ in range(5)]
    claimed = claim_due("hurried:1")
    clock = iter(range(100))  # each reading of the clock: one more second
    monkeypatch.setattr("sandbox.personas.batches.time.perf_counter", lambda: next(clock))
    report = run_batch(claimed, "hurried:1", budget=1.5)
    monkeypatch.undo()
    assert (report.done, report.handed_back) == (2, 3)
    assert effects() == {ids[0]: 1, ids[1]: 1}
    db.session.expire_all()
    later = [db.session.get(ScheduledAction, i) for i in ids[2:]]
    # As if never claimed: pending, no attempt spent, ready for the next batch
    assert {(a.status, a.attempts, a.claimed_by) for a in later} == {
        (ActionStatus.PENDING, 0, None)}
    assert run_due() == 3


def test_a_preloader_loads_what_a_batch_reads_in_one_query(app, school, count_queries):
    people = [school[name] for name in ("student", "classmate", "other_student", "teacher")]
    ids = [add("test_preloaded", person.id).id for person in people * 3]
    claimed = claim_due("preloading:1")
    db.session.expunge_all()  # nothing already loaded: the worker starts afresh
    with count_queries() as counter:
        report = run_batch(claimed, "preloading:1")
    assert report.done == 12
    reads_of_people = [s for s in counter.statements if "FROM users" in s]
    assert len(reads_of_people) == 1
    assert effects() == dict.fromkeys(ids, 1)


def test_a_failing_preloader_only_slows_the_batch(app, student, caplog):
    ids = [add("test_badly_preloaded", student.id).id for _ in range(3)]
    assert run_due() == 3
    assert effects() == dict.fromkeys(ids, 1)
    assert "the preload broke" in caplog.text
