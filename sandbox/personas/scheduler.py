"""Scheduled actions: what a persona will do later, stored, then carried out once by a worker.

A feature schedules an action inside its own transaction (`schedule`), so the action exists if
and only if what caused it was committed. A worker claims due actions with one conditional
UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers), so two workers
never claim the same row. It then carries a batch out in one transaction that first re-asserts
its claim (a write, which holds the rows until the commit), runs each handler (undone alone if
it fails, see `batches`) and marks the action done in that same transaction: a crash between
the claim and the commit leaves nothing half-done, only a claim that `requeue_stale` hands
back; and a claim handed back meanwhile (a worker that looked dead but was only slow) is
skipped, never run twice.

A handler ends its action one of four ways: done (it returns), cancelled (`ActionObsolete`:
nothing left to do), pending again later (`ActionPostponed`: not yet, e.g. while a person plays
the persona; the attempt is not counted), or retried (anything else it raises).

The handlers' registry lives in `registry` and the batch runner in `batches`; features import
everything from here.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from sandbox.core import deferred
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.personas.batches import BatchReport, run_batch
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.registry import (
    HANDLERS,
    MAX_ATTEMPTS,
    PRELOADERS,
    RETRY_AFTER,
    STALE_AFTER,
    ActionObsolete,
    ActionPostponed,
    Handler,
    Preloader,
    action_handler,
    logger,
)

# The registry and the batch runner live apart (module size); features import it all from here.
__all__ = [
    "HANDLERS", "MAX_ATTEMPTS", "PRELOADERS", "RETRY_AFTER", "STALE_AFTER", "ActionObsolete",
    "ActionPostponed", "BatchReport", "Handler", "Preloader", "action_handler", "cancel_keyed",
    "cancel_pending", "claim_due", "inline_worker_id", "release_claims", "requeue_stale",
    "run_batch", "run_claimed", "run_due", "schedule",
]


def schedule(
    kind: str,
    run_at: datetime,
    *,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    persona_id: int | None = None,
    student_id: int | None = None,
) -> ScheduledAction | None:
    """Add an action to the current transaction (the caller commits with what caused it).

    `payload` must be JSON (ids, short strings): it is what the handler gets back. With a
    `dedupe_key` already scheduled, nothing is added and None is returned, even when two
    requests schedule it at the same moment.

    In a worker's batch (a handler scheduling what comes next), the row is queued and written
    at the batch's end with the others (`core.deferred`): the action returned is not in the
    session yet, and a key already taken is skipped then, not here.
    """
    payload = dict(payload or {})
    try:
        json.dumps(payload)
    except (TypeError, ValueError) as error:
        raise ValueError(f"the payload of a scheduled action must be JSON: {error}") from None
    if dedupe_key is not None and len(dedupe_key) > 120:
        raise ValueError("a dedupe key has at most 120 characters")
    values = {"kind": kind, "run_at": run_at, "payload": payload, "dedupe_key": dedupe_key,
              "persona_id": persona_id, "student_id": student_id,
              "status": ActionStatus.PENDING, "attempts": 0, "last_error": "",
              "created_at": utcnow()}
    session = db.session()
    if deferred.deferring(session):
        # A worker's batch: one multi-row INSERT at its end (a taken key is skipped then).
        action = ScheduledAction(**values)
        deferred.defer(session, action, unique_on="dedupe_key" if dedupe_key else None)
        return action
    if dedupe_key is None:
        action = ScheduledAction(**values)
        db.session.add(action)
        return action
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        # One statement, no savepoint: the loser of a race inserts nothing, and the caller's
        # transaction goes on (a savepoint opened first would, on SQLite's driver, commit it).
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        return db.session.scalars(
            insert(ScheduledAction).values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(ScheduledAction)
        ).first()
    try:
        with db.session.begin_nested():
            action = ScheduledAction(**values)
            db.session.add(action)
    except IntegrityError:
        return None  # only the savepoint is rolled back: the caller's own writes stay
    return action


def _payload_text(key: str) -> sa.ColumnElement[str]:
    """The payload's value at `key` as text, the same on SQLite and PostgreSQL ('3', 'abc')."""
    return sa.cast(ScheduledAction.payload[key].as_string(), sa.String)


def cancel_pending(kind: str | None = None, /, **payload_match: Any) -> int:
    """Cancel the pending actions (of `kind`, if given) whose payload has these values, e.g.
    `cancel_pending(invitation_id=3)`, in the caller's transaction; returns how many.

    An action a worker is carrying out right now is left to it: its handler sees that there
    is nothing left to do (and raises `ActionObsolete`).
    """
    if kind is None and not payload_match:
        raise ValueError("cancel_pending needs a kind or payload values to match")
    query = sa.select(ScheduledAction.id, ScheduledAction.payload).where(
        ScheduledAction.status == ActionStatus.PENDING)
    if kind is not None:
        query = query.where(ScheduledAction.kind == kind)
    for key, value in payload_match.items():
        # Ids and strings are narrowed in SQL; every value is then compared exactly below.
        if isinstance(value, int | str) and not isinstance(value, bool):
            query = query.where(_payload_text(key) == str(value))
    queued = _cancel_queued(lambda row: (
        (kind is None or row.kind == kind)
        and all((row.payload or {}).get(key, _MISSING) == value
                for key, value in payload_match.items())))
    ids = [row.id for row in db.session.execute(query)
           if all((row.payload or {}).get(key, _MISSING) == value
                  for key, value in payload_match.items())]
    if not ids:
        return queued
    return db.session.execute(
        sa.update(ScheduledAction)
        # Still pending: a worker may have claimed one since.
        .where(ScheduledAction.id.in_(ids), ScheduledAction.status == ActionStatus.PENDING)
        .values(status=ActionStatus.CANCELLED, done_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount + queued


_MISSING = object()


def _cancel_queued(matching: Callable[[ScheduledAction], bool]) -> int:
    """Cancel the actions a worker's batch scheduled and has not written yet: written
    cancelled, their dedupe keys taken as if they had been written first."""
    return deferred.update(
        db.session(), ScheduledAction,
        lambda queued: queued.status is ActionStatus.PENDING and matching(queued),
        status=ActionStatus.CANCELLED, done_at=utcnow())


def cancel_keyed(keys: Collection[str]) -> None:
    """Cancel the pending actions with these dedupe keys, in the caller's transaction (one
    indexed update; those a batch queued are written cancelled)."""
    keys = set(keys)
    _cancel_queued(lambda queued: queued.dedupe_key in keys)
    db.session.execute(
        sa.update(ScheduledAction)
        .where(ScheduledAction.dedupe_key.in_(sorted(keys)),
               ScheduledAction.status == ActionStatus.PENDING)
        .values(status=ActionStatus.CANCELLED, done_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _due(now: datetime, kinds: Collection[str] | None) -> sa.Select[tuple[int]]:
    query = sa.select(ScheduledAction.id).where(
        ScheduledAction.status == ActionStatus.PENDING, ScheduledAction.run_at <= now)
    if kinds is not None:
        query = query.where(ScheduledAction.kind.in_(sorted(kinds)))
    return query


def claim_due(worker: str, limit: int = 200, now: datetime | None = None, *,
              kinds: Collection[str] | None = None) -> list[int]:
    """Mark up to `limit` due actions (of `kinds`, when given) as this worker's, and commit:
    their ids, soonest first."""
    if kinds is not None and not kinds:
        return []
    now = now or utcnow()
    # A read first: an idle worker polls every second, and should not take SQLite's writer
    # lock (or write PostgreSQL's log) each time to find nothing.
    if db.session.execute(_due(now, kinds).limit(1)).first() is None:
        db.session.commit()
        return []
    due = _due(now, kinds).order_by(ScheduledAction.run_at, ScheduledAction.id).limit(limit)
    claim = sa.update(ScheduledAction).where(ScheduledAction.status == ActionStatus.PENDING)
    if db.session.get_bind().dialect.name == "postgresql":
        # Rows another worker is claiming are skipped, not waited for. The due rows are picked
        # once, in a materialised CTE: as `id IN (subquery)`, PostgreSQL may rescan the
        # subquery for each candidate row, and each rescan skips the rows this very statement
        # has just updated, so the LIMIT moves on and the claim takes every due row.
        picked = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        claim = claim.where(ScheduledAction.id == picked.c.id)
    else:
        # SQLite evaluates the subquery once, and one writer at a time runs this statement.
        claim = claim.where(ScheduledAction.id.in_(due.scalar_subquery()))
    claimed = db.session.execute(
        claim.values(status=ActionStatus.RUNNING, claimed_by=worker, claimed_at=now,
                     attempts=ScheduledAction.attempts + 1)
        .returning(ScheduledAction.id, ScheduledAction.run_at)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return [row.id for row in sorted(claimed, key=lambda row: (row.run_at, row.id))]


def _hand_back(where: sa.ColumnElement[bool], now: datetime, reason: str) -> int:
    """Make claimed actions pending again, or failed when they used their last attempt."""
    failed = db.session.execute(
        sa.update(ScheduledAction)
        .where(where, ScheduledAction.status == ActionStatus.RUNNING,
               ScheduledAction.attempts >= MAX_ATTEMPTS)
        .values(status=ActionStatus.FAILED, done_at=now, last_error=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if failed:
        logger.warning("%d scheduled actions failed for good: %s", failed, reason)
    return db.session.execute(
        sa.update(ScheduledAction)
        .where(where, ScheduledAction.status == ActionStatus.RUNNING)
        .values(status=ActionStatus.PENDING, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount


def requeue_stale(older_than: timedelta = STALE_AFTER, now: datetime | None = None) -> int:
    """Hand back actions claimed by a worker that stopped before finishing them, and commit;
    returns how many are pending again (one that used its last attempt is failed instead: a
    handler that kills its worker must not kill every worker in turn)."""
    now = now or utcnow()
    count = _hand_back(ScheduledAction.claimed_at < now - older_than, now,
                       "the worker stopped before finishing this action")
    db.session.commit()
    return count


def release_claims(action_ids: list[int], worker: str) -> int:
    """Hand back this worker's claims at once (its batch failed as a whole), and commit."""
    if not action_ids:
        return 0
    count = _hand_back(sa.and_(ScheduledAction.id.in_(action_ids),
                               ScheduledAction.claimed_by == worker),
                       utcnow(), "the worker's batch failed before its commit")
    db.session.commit()
    return count


def run_claimed(action_ids: list[int], worker: str) -> int:
    """Carry out claimed actions (see `run_batch`); returns how many were done."""
    return run_batch(action_ids, worker).done


def inline_worker_id() -> str:
    """The worker name of code that runs due actions itself (tests, scripts): unique to this
    process and thread, so that two of them never take each other's claims for their own."""
    return f"inline:{os.getpid()}:{threading.get_ident()}"


def run_due(worker: str | None = None, limit: int = 200, now: datetime | None = None) -> int:
    """Claim and carry out everything due at `now` (tests pass a `now` in the future instead of
    sleeping); returns how many were done. An action that fails is not retried within the call.
    """
    worker = worker or inline_worker_id()
    total = 0
    while claimed := claim_due(worker, limit, now):
        total += run_claimed(claimed, worker)
    return total
