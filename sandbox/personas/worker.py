"""The worker: carries out the personas' scheduled actions when they are due.

`sandbox worker` runs one; several may run, in any number of processes or machines sharing the
database, and each action is still carried out once (see `scheduler`). `sandbox demo` runs one
in a thread beside its server, so that personas react during a demo. A worker claims a batch,
carries it out in one transaction, logs a line about it, and waits a moment when nothing is
due; now and then it hands back the claims of workers that stopped halfway.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.scheduler import (
    HANDLERS,
    STALE_AFTER,
    BatchReport,
    claim_due,
    release_claims,
    requeue_stale,
    run_batch,
)

logger = logging.getLogger("sandbox.worker")
_T = TypeVar("_T")

DEFAULT_BATCH = 200
DEFAULT_INTERVAL = 1.0
# A batch past this hands back what it has not started: on SQLite, requests wait for the one
# writer's lock a batch holds (and give up after 5 s, the busy timeout).
DEFAULT_BATCH_SECONDS = 0.5
FIRST_CLAIM = 20  # before the worker knows how long its actions take
REQUEUE_EVERY = 60.0  # seconds between two looks for stale claims


def default_worker_id(suffix: str = "") -> str:
    """host:pid (and a suffix), what `claimed_by` shows of this worker."""
    name = f"{socket.gethostname()[:50]}:{os.getpid()}"
    return f"{name}:{suffix}" if suffix else name


def summary_line(report: BatchReport) -> str:
    """One line about a batch, in the school's language."""
    return _(
        "actions: %(count)d in %(seconds)s s — done: %(done)d, postponed: %(postponed)d, "
        "cancelled: %(cancelled)d, to retry: %(retried)d, failed: %(failed)d",
        count=report.claimed - report.skipped - report.handed_back,
        seconds=format_decimal(report.seconds, format="0.00"),
        done=report.done, postponed=report.postponed, cancelled=report.cancelled,
        retried=report.retried, failed=report.failed,
    )


@dataclass
class Totals(BatchReport):
    """Batches added together."""

    batches: int = 0

    def add(self, report: BatchReport) -> None:
        for field in fields(BatchReport):
            setattr(self, field.name, getattr(self, field.name) + getattr(report, field.name))
        self.batches += 1


class Worker:
    """Claims and carries out due actions of the kinds it has handlers for."""

    def __init__(
        self,
        app: Flask,
        *,
        worker_id: str | None = None,
        batch: int = DEFAULT_BATCH,
        interval: float = DEFAULT_INTERVAL,
        batch_seconds: float | None = DEFAULT_BATCH_SECONDS,
        stale_after: timedelta = STALE_AFTER,
        requeue_every: float = REQUEUE_EVERY,
        kinds: Collection[str] | None = None,
        pause_gc: bool = False,
    ) -> None:
        self.app = app
        # A process of its own (`sandbox worker`): the garbage collector pauses for each batch
        # (`batches.run_batch`); not beside a web server, whose requests would pause with it.
        self.pause_gc = pause_gc
        self.worker_id = (worker_id or default_worker_id())[:80]
        self.batch = batch
        self.interval = interval
        self.batch_seconds = batch_seconds
        self.stale_after = stale_after
        self.requeue_every = requeue_every
        # Only kinds it can carry out: an action of a plugin this worker lacks is left to a
        # worker that has it, rather than failed here.
        self.kinds = frozenset(HANDLERS if kinds is None else kinds)
        # How many to claim: what fits in `batch_seconds` at the pace seen so far (claiming
        # 200 to hand back 180 would rewrite those rows for nothing), at most `batch`.
        self.claim_size = batch if batch_seconds is None else min(batch, FIRST_CLAIM)
        self._asked = self.claim_size  # the size of the last claim
        self._seconds_per_action: float | None = None

    def warm_up(self) -> None:
        """Read now what the handlers read on their first action (the charter's dictionaries,
        the personas' replies and posts: about a second), then set it all aside from the
        garbage collector, whose full passes over those long-lived objects would otherwise
        slow the batches down now and then."""
        from sandbox.charter.engine.core import warm_up as warm_up_charter
        from sandbox.personas.social_content import persona_content
        from sandbox.seeding.persona_behaviour import persona_replies

        warm_up_charter()
        persona_replies()
        persona_content()
        gc.freeze()

    def announce(self) -> None:
        """Log that the worker starts, with what it handles."""
        with self.app.app_context():
            if not self.kinds:
                logger.warning(_(
                    "Scheduled actions worker %(worker)s started with no handler: it will "
                    "carry out nothing (see --import).", worker=self.worker_id))
                return
            logger.info(_(
                "Scheduled actions worker %(worker)s started (batches of %(batch)d; "
                "kinds: %(kinds)s).",
                worker=self.worker_id, batch=self.batch, kinds=", ".join(sorted(self.kinds)),
            ))

    def run_one_batch(self, now: datetime | None = None) -> BatchReport:
        """Claim up to a batch of actions due at `now` (default: now) and carry them out, in an
        app context and session of its own.

        If the batch fails as a whole (the database went away…), its claims are handed back
        and the error is raised.
        """
        with self.app.app_context():
            self._asked = self.claim_size
            claimed = claim_due(self.worker_id, self._asked, now, kinds=self.kinds)
            if not claimed:
                return BatchReport()
            try:
                report = run_batch(claimed, self.worker_id, budget=self.batch_seconds,
                                   pause_gc=self.pause_gc)
            except Exception:
                db.session.rollback()
                try:
                    release_claims(claimed, self.worker_id)
                except Exception:  # noqa: BLE001 - requeue_stale will hand them back later
                    db.session.rollback()
                raise
            logger.info(summary_line(report))
            self._adapt(report)
            return report

    def look_after_claims(self) -> int:
        """Hand back stale claims, and warn about due actions no worker here can carry out."""
        with self.app.app_context():
            handed_back = requeue_stale(self.stale_after)
            if "persona_post" in self.kinds:
                # Each persona keeps one post planned: new personas and broken chains start
                # here (their first post comes minutes later), committed with the look below.
                from sandbox.personas.social_posts import ensure_persona_posts_scheduled

                ensure_persona_posts_scheduled()
            if handed_back:
                logger.warning(_("Actions handed back after a worker stopped: %(count)d",
                                 count=handed_back))
            orphans = db.session.execute(
                sa.select(ScheduledAction.kind, sa.func.count())
                .where(ScheduledAction.status == ActionStatus.PENDING,
                       ScheduledAction.run_at <= utcnow(),
                       ScheduledAction.kind.not_in(sorted(self.kinds)))
                .group_by(ScheduledAction.kind)
            ).all()
            db.session.commit()
            if orphans:
                logger.warning(_(
                    "Due actions this worker has no handler for: %(count)d (%(kinds)s); "
                    "see --import.",
                    count=sum(count for _kind, count in orphans),
                    kinds=", ".join(sorted(kind for kind, _count in orphans)),
                ))
            return handed_back

    def run_until_idle(self, stop: threading.Event | None = None) -> Totals:
        """Carry out everything due now, batch after batch, then return (`--once`). What falls
        due meanwhile (a follow-up scheduled by a handler) waits for the next run."""
        totals = Totals()
        self.look_after_claims()
        started = utcnow()
        while stop is None or not stop.is_set():
            report = self.run_one_batch(started)
            totals.add(report)
            if not self._more_due(report):
                break
        return totals

    def run_forever(self, stop: threading.Event) -> Totals:
        """Loop until `stop` is set (checked between batches); errors are logged, not fatal."""
        totals = Totals()
        next_look = 0.0
        while not stop.is_set():
            if time.monotonic() >= next_look:
                next_look = time.monotonic() + self.requeue_every
                self._logged(self.look_after_claims)
            report = self._logged(self.run_one_batch)
            if report is not None:
                totals.add(report)
            if report is None or not self._more_due(report):
                stop.wait(self.interval)
        return totals

    def _adapt(self, report: BatchReport) -> None:
        carried_out = report.claimed - report.skipped - report.handed_back
        if self.batch_seconds is None or carried_out <= 0:
            return
        pace = report.seconds / carried_out
        previous = self._seconds_per_action
        self._seconds_per_action = pace if previous is None else 0.7 * previous + 0.3 * pace
        fitting = int(self.batch_seconds / max(self._seconds_per_action, 1e-6))
        self.claim_size = max(1, min(self.batch, fitting))

    def _more_due(self, report: BatchReport) -> bool:
        """A full claim, or a batch cut short, means more is due: go on at once."""
        return report.claimed >= self._asked or report.handed_back > 0

    def _logged(self, step: Callable[[], _T]) -> _T | None:
        try:
            return step()
        except Exception:  # noqa: BLE001 - a worker outlives a database restart
            logger.exception("scheduled actions worker %s: a step failed", self.worker_id)
            return None


@dataclass
class WorkerThread:
    """A worker running in a daemon thread of this process (the demo's)."""

    thread: threading.Thread
    stop_event: threading.Event

    def stop(self, timeout: float = 5.0) -> None:
        """Ask it to stop after its current batch, and wait for it."""
        self.stop_event.set()
        self.thread.join(timeout)


def start_worker_thread(app: Flask, **options: object) -> WorkerThread:
    """Start a worker in a daemon thread: it stops with the process, or with `.stop()`."""
    worker = Worker(app, worker_id=default_worker_id("thread"), **options)  # type: ignore[arg-type]
    worker.announce()
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,),
                              name="scheduled-actions-worker", daemon=True)
    thread.start()
    return WorkerThread(thread, stop)
