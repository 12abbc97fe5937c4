"""Carrying out a batch of claimed actions: one transaction, each action undone alone if it fails.

The worker (`sandbox.personas.worker`) and `scheduler.run_due` call `run_batch` with the ids
`scheduler.claim_due` returned.

A batch first runs without savepoints: most handlers either write or give up before writing
(nothing left to do, a person plays the persona), and the events, notifications and next
actions they write are queued and inserted together at the end (`core.deferred`), so a
handler that gives up leaves nothing to undo. When a handler fails after writing to the
database, the transaction is rolled back and the batch runs again with a savepoint around
each action. Both ways, the effects and the "done" marks are committed together.
"""

from __future__ import annotations

import copy
import gc
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from sandbox.activity.models import ActivityEvent
from sandbox.core import deferred
from sandbox.core.time import utcnow
from sandbox.exercises.live import MEMBERSHIPS_KEY, events_flushed, remember_members
from sandbox.extensions import db
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.registry import (
    HANDLERS,
    MAX_ATTEMPTS,
    PRELOADERS,
    RETRY_AFTER,
    ActionObsolete,
    ActionPostponed,
    batch_scope,
    logger,
    running,
)

# A postponed action is never due again before this, whatever its handler asked: `run_due`
# would otherwise take it again at once, and again.
MIN_POSTPONEMENT = timedelta(seconds=1)


@dataclass
class BatchReport:
    """What became of a batch of claimed actions."""

    claimed: int = 0
    done: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    postponed: int = 0  # pending again, for later (a person plays the persona for now)
    skipped: int = 0  # no longer this worker's (handed back meanwhile)
    handed_back: int = 0  # not started within the batch's time budget
    seconds: float = 0.0


def _save_after_commit_queues() -> dict[str, Any]:
    """What services queued on the session for after the commit (live emits, the dashboard's
    once-per-transaction signals): a rolled-back action must take its share back with it."""
    return {key: copy.copy(value) for key, value in db.session.info.items()}


def _restore_after_commit_queues(saved: dict[str, Any]) -> None:
    db.session.info.clear()
    db.session.info.update(saved)


def run_batch(action_ids: list[int], worker: str, *,
              budget: float | None = None, pause_gc: bool = False) -> BatchReport:
    """Carry out claimed actions, each undone alone if it fails, with one commit for the batch.

    A failing action is rolled back alone and tried again later (after its last attempt it is
    failed, with `last_error`); a postponed one is rolled back too and pending again at the
    time it asked, its attempt not counted; the others and their marks are committed together.
    Past `budget` seconds, the actions not started yet are handed back (as never claimed): on
    SQLite the batch holds the one writer's lock, which requests wait for.

    `pause_gc`: keep the cyclic garbage collector off for the batch (`sandbox worker` does: a
    batch makes a hundred thousand short-lived objects, which reference counting frees, and
    the collector's passes over them cost a fifth of the batch's time, benchmarks/README.md;
    not in a web server's process, where it would pause for the requests too).
    """
    started = time.perf_counter()
    report = BatchReport(claimed=len(action_ids))
    if not action_ids:
        return report
    collecting = pause_gc and gc.isenabled()
    if collecting:
        gc.disable()
    before = _save_after_commit_queues()
    try:
        try:
            return _attempt(action_ids, worker, budget, started, report, careful=False)
        except _Unwind:
            # A handler wrote, then failed: its writes cannot be taken back alone. The whole
            # transaction is (the claims stay this worker's), and the batch runs again with a
            # savepoint around each action and its rows written as they come, so that a row
            # the database refuses fails its own action only.
            db.session.rollback()
            deferred.detach_all(db.session())
            _restore_after_commit_queues(before)
            return _attempt(action_ids, worker, budget, time.perf_counter(),
                            BatchReport(claimed=len(action_ids)), careful=True)
    finally:
        if collecting:
            gc.enable()
        for key in (_WRITES_KEY, MEMBERSHIPS_KEY):
            db.session.info.pop(key, None)
        deferred.stop(db.session())


def _attempt(action_ids: list[int], worker: str, budget: float | None, started: float,
             report: BatchReport, *, careful: bool) -> BatchReport:
    # What the handlers cache for the batch (`registry.batch_cached`), and the members of live
    # exercises, which no handler changes (`exercises.live`: one query per person, not per
    # flush).
    db.session.info[MEMBERSHIPS_KEY] = {}
    if not careful:
        # The events, notifications and next actions the handlers write: queued, then one
        # statement per table at the end (`core.deferred`).
        deferred.start(db.session())
    with batch_scope():
        return _run(action_ids, worker, budget, started, report, careful=careful)


class _Unwind(Exception):
    """Raised out of a batch run without savepoints when an action must be rolled back alone."""


_WRITES_KEY = "tremplin_batch_writes"  # how many flushes and DML statements so far


@event.listens_for(Session, "after_flush")
def _count_flush(session: Session, _context: Any) -> None:
    if _WRITES_KEY in session.info:
        session.info[_WRITES_KEY] += 1


@event.listens_for(Session, "do_orm_execute")
def _count_dml(state: ORMExecuteState) -> None:
    info = state.session.info
    if _WRITES_KEY in info and (state.is_insert or state.is_update or state.is_delete):
        info[_WRITES_KEY] += 1


def _writes() -> int:
    """A number that grows whenever something is written (unwritten changes count as one)."""
    session = db.session()
    return session.info.get(_WRITES_KEY, 0) + (not session._is_clean())  # noqa: SLF001


def _run(action_ids: list[int], worker: str, budget: float | None, started: float,
         report: BatchReport, *, careful: bool) -> BatchReport:
    """The batch's transaction. `careful`: a savepoint around each action, so that one that
    fails is rolled back alone. Otherwise (first, since a savepoint per action costs about a
    third of the work), none: a handler that gives up before writing anything (the usual way:
    nothing left to do, a person plays the persona) needs no rollback, and one that wrote and
    then failed raises `_Unwind`, for a careful run of the whole batch."""
    # Re-assert the claim with a write, loading the actions with it: this opens the transaction
    # (on SQLite, the writer's lock, which also makes the savepoints below real savepoints
    # rather than commits) and holds the rows until the commit, so requeue_stale or
    # cancel_pending elsewhere wait for it; rows handed back meanwhile are not returned.
    actions = sorted(db.session.scalars(
        sa.update(ScheduledAction)
        .where(ScheduledAction.id.in_(action_ids), ScheduledAction.claimed_by == worker,
               ScheduledAction.status == ActionStatus.RUNNING)
        .values(claimed_by=worker)
        .returning(ScheduledAction)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).all(), key=lambda action: (action.run_at, action.id))
    report.skipped = len(action_ids) - len(actions)
    # The students concerned, whose events the live exercises' boards hear of (one query).
    remember_members(db.session(), db.session.info[MEMBERSHIPS_KEY],
                     {action.student_id for action in actions if action.student_id})
    # The session holds loaded objects weakly: the preloaded ones are kept alive until the end.
    preloaded = _preload(actions)
    db.session.info[_WRITES_KEY] = 0
    done: list[int] = []
    cancelled: dict[str, list[int]] = {}  # why → which (one statement per reason)
    for position, action in enumerate(actions):
        if budget is not None and position and time.perf_counter() - started > budget:
            report.handed_back = _unclaim([later.id for later in actions[position:]])
            break
        handler = HANDLERS.get(action.kind)
        queues = _save_after_commit_queues()
        if careful:
            savepoint = db.session.begin_nested()
        else:
            savepoint = None
            db.session.flush()  # what the previous action left (its mark): clean from here
            writes = _writes()
        try:
            if handler is None:
                raise LookupError(f"no handler for scheduled actions of kind {action.kind!r}")
            with running(action):
                handler(action)
            # Flushes the handler's writes: a constraint fails here.
            if savepoint is not None:
                savepoint.commit()
            else:
                db.session.flush()
        except ActionObsolete as reason:
            _take_back(savepoint, queues, writes=None if careful else writes, error=reason)
            cancelled.setdefault(str(reason)[:2000], []).append(action.id)
        except ActionPostponed as wait:
            _take_back(savepoint, queues, writes=None if careful else writes, error=wait)
            _postpone(action, wait)
            report.postponed += 1
        except Exception as error:  # noqa: BLE001 - one action's failure must not stop the rest
            # Without a savepoint, any failure is taken back carefully: the database may have
            # refused a statement (PostgreSQL then refuses the rest of the transaction).
            _take_back(savepoint, queues, writes=None if careful else -1, error=error)
            _record_failure(action, error)
            if action.status is ActionStatus.FAILED:
                report.failed += 1
            else:
                report.retried += 1
        else:
            done.append(action.id)
    if not careful:
        try:
            _write_queued()
        except Exception as error:  # noqa: BLE001 - a row refused: find whose, carefully
            raise _Unwind from error
    # The marks, a statement for many: failures (rare) and postponements were set on their
    # objects above.
    finished = [(done, ActionStatus.DONE, {})] + [
        (ids, ActionStatus.CANCELLED, {"last_error": reason}) for reason, ids in cancelled.items()
    ]
    for ids, status, extra in finished:
        if ids:
            db.session.execute(
                sa.update(ScheduledAction).where(ScheduledAction.id.in_(ids))
                .values(status=status, done_at=utcnow(), **extra)
                .execution_options(synchronize_session=False)
            )
    db.session.commit()
    del preloaded
    report.done = len(done)
    report.cancelled = sum(len(ids) for ids in cancelled.values())
    report.seconds = time.perf_counter() - started
    return report


def _take_back(savepoint: SessionTransaction | None, queues: dict[str, Any], *,
               writes: int | None, error: BaseException) -> None:
    """Undo a failed action: its savepoint's rollback, or nothing when it wrote nothing since
    `writes` (else `_Unwind`); then what it queued for after the commit."""
    if savepoint is not None:
        savepoint.rollback()
    elif writes is not None and _writes() != writes:
        raise _Unwind from error
    _restore_after_commit_queues(queues)


def _write_queued() -> None:
    """The rows the handlers queued, a statement per table. The live exercises hear of the
    events first, as the flush would have told them (`exercises.live`)."""
    session = db.session()
    events = deferred.pending(session, ActivityEvent)
    if events:
        events_flushed(session, events)
    deferred.write(session)


def _preload(actions: list[ScheduledAction]) -> list[object]:
    """Each kind's preloader on its actions of the batch; what they loaded, to keep."""
    by_kind: dict[str, list[ScheduledAction]] = {}
    for action in actions:
        by_kind.setdefault(action.kind, []).append(action)
    kept: list[object] = []
    for kind, mine in by_kind.items():
        preloader = PRELOADERS.get(kind)
        if preloader is None:
            continue
        savepoint = db.session.begin_nested()
        try:
            kept.extend(preloader(mine) or ())
            savepoint.commit()
        except Exception:  # noqa: BLE001 - only slower: each handler loads what it needs
            savepoint.rollback()
            logger.exception("preloading scheduled actions of kind %s failed", kind)
    return kept


def _unclaim(action_ids: list[int]) -> int:
    """Hand back claims not started, their attempt not counted (in the batch's transaction)."""
    return db.session.execute(
        sa.update(ScheduledAction).where(ScheduledAction.id.in_(action_ids))
        .values(status=ActionStatus.PENDING, claimed_by=None, claimed_at=None,
                attempts=ScheduledAction.attempts - 1)
        .execution_options(synchronize_session=False)
    ).rowcount


def _postpone(action: ScheduledAction, wait: ActionPostponed) -> None:
    """Pending again at `wait.until` (a second after the claim at the soonest), as if this claim
    had not been: the attempt is not counted."""
    claimed_at = action.claimed_at or utcnow()
    action.status = ActionStatus.PENDING
    action.claimed_by = None
    action.claimed_at = None
    action.attempts = max(0, action.attempts - 1)
    action.run_at = max(wait.until, claimed_at + MIN_POSTPONEMENT)
    action.last_error = wait.reason[:2000]


def _record_failure(action: ScheduledAction, error: Exception) -> None:
    action.last_error = f"{type(error).__name__}: {error}"[:2000]
    if action.attempts >= MAX_ATTEMPTS:
        logger.error("scheduled action %d (%s) failed for good after %d attempts",
                     action.id, action.kind, action.attempts, exc_info=error)
        action.status = ActionStatus.FAILED
        action.done_at = utcnow()
        return
    logger.warning("scheduled action %d (%s) failed (attempt %d of %d), will try again",
                   action.id, action.kind, action.attempts, MAX_ATTEMPTS, exc_info=error)
    # From the claim's time, which is the `now` of the run that claimed it (tests pass one).
    claimed_at = action.claimed_at or utcnow()
    action.status = ActionStatus.PENDING
    action.claimed_by = None
    action.claimed_at = None
    action.run_at = claimed_at + RETRY_AFTER[min(action.attempts, len(RETRY_AFTER)) - 1]
