"""Two worker processes on one database: each due action is carried out once, and only once.

Two real `sandbox worker` processes, in their loop as a school deploys them, share the test
database (SQLite, or PostgreSQL 15 in the CI's second run, where claims go through
`FOR UPDATE SKIP LOCKED`). Both are waiting when a few thousand actions fall due at once; each
action leaves a notification, so an action carried out twice would leave two. SIGTERM then
stops both cleanly. The handlers come from `tests.personas.counting_handlers`, loaded with the
command's own `--import`, as a school's plugin would be.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.personas.models import ActionStatus, ScheduledAction
from tests.multiprocess import servers
from tests.personas.counting_handlers import effects

ACTIONS = 3000
WORKERS = ("exactly-once-1", "exactly-once-2")
CHECKOUT = Path(__file__).resolve().parents[2]


def start_worker(name: str, url: str, folder: Path) -> tuple[subprocess.Popen, Path]:
    log = folder / f"{name}.log"
    env = servers.app_environment(folder / name, url)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "worker", "--worker-id", name,
             "--batch", "50", "--interval", "0.1",
             "--import", "tests.personas.counting_handlers"],
            env=env, stdout=output, stderr=subprocess.STDOUT, cwd=CHECKOUT,
        )
    return process, log


def wait_until(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def two_workers(app, tmp_path: Path) -> Iterator[list[tuple[subprocess.Popen, Path]]]:  # type: ignore[no-untyped-def]
    """Two worker processes on the test database, ready; both stopped afterwards."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    started = [start_worker(name, url, tmp_path) for name in WORKERS]
    try:
        for (process, log), name in zip(started, WORKERS, strict=True):
            # Ready once it has said what it handles (after the imports and the schema check)
            wait_until(lambda p=process, lg=log, n=name: p.poll() is not None
                       or n in lg.read_text(), 60, f"{name} to start")
            assert process.poll() is None, log.read_text()
        yield started
    finally:
        for process, _log in started:
            servers.stop(process)


def test_two_workers_carry_out_each_action_exactly_once(app, school, two_workers):
    student = school["student"]
    now = utcnow()
    db.session.execute(sa.insert(ScheduledAction), [
        {"kind": "test_count", "run_at": now, "payload": {"user_id": student.id, "n": n},
         "status": ActionStatus.PENDING, "attempts": 0, "last_error": "", "created_at": now}
        for n in range(ACTIONS)
    ])
    db.session.commit()

    def all_done() -> bool:
        db.session.rollback()  # a fresh look each time
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(ScheduledAction)
            .where(ScheduledAction.kind == "test_count",
                   ScheduledAction.status == ActionStatus.DONE)) == ACTIONS

    wait_until(all_done, 180, "every action to be done")
    for process, log in two_workers:
        process.terminate()  # SIGTERM: finish the batch, then exit
    for (process, log), name in zip(two_workers, WORKERS, strict=True):
        assert process.wait(timeout=30) == 0, log.read_text()
        assert name in log.read_text().strip().splitlines()[-1]  # its last word: stopped

    # Only this test's kind: the workers also plan the school's personas' next posts.
    rows = db.session.execute(sa.select(ScheduledAction.id, ScheduledAction.status,
                                        ScheduledAction.attempts, ScheduledAction.claimed_by)
                              .where(ScheduledAction.kind == "test_count")).all()
    assert len(rows) == ACTIONS
    assert {row.status for row in rows} == {ActionStatus.DONE}
    assert {row.attempts for row in rows} == {1}  # claimed once each, never handed back
    traces = effects()
    assert traces == {row.id: 1 for row in rows}  # each effect exactly once
    # Both took part, so the claims really did meet
    assert {row.claimed_by for row in rows} == set(WORKERS)
