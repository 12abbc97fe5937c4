"""The worker: `sandbox worker`, its loop, and the one the demo runs beside its server."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox import cli as cli_module
from sandbox.cli import cli
from sandbox.core.time import utcnow
from sandbox.extensions import db, socketio
from sandbox.personas import handlers, terminal
from sandbox.personas import worker as worker_module
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.scheduler import BatchReport, claim_due, schedule
from sandbox.personas.worker import Worker, start_worker_thread
from sandbox.seeding.loader import SeedSummary
from tests.personas.counting_handlers import effects

HANDLERS_MODULE = "tests.personas.counting_handlers"


@pytest.fixture
def student(school):  # type: ignore[no-untyped-def]
    return school["student"]


def add_many(kind: str, user_id: int, count: int) -> list[int]:
    actions = [schedule(kind, utcnow(), payload={"user_id": user_id}) for _ in range(count)]
    db.session.commit()
    return [action.id for action in actions]


def statuses(ids: list[int]) -> dict[ActionStatus, int]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(ScheduledAction.status, sa.func.count())
                              .where(ScheduledAction.id.in_(ids))
                              .group_by(ScheduledAction.status)).all()
    return dict(rows)  # type: ignore[arg-type]


def wait_for(condition, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.05)


def test_the_command_is_listed(runner):
    assert "  worker " in runner.invoke(cli, ["--help"]).output
    help_text = runner.invoke(cli, ["worker", "--help"]).output
    for option in ("--once", "--batch", "--interval", "--import"):
        assert option in help_text


def test_worker_once_carries_out_everything_due_then_exits(runner, app, student):
    ids = add_many("test_count", student.id, 250)
    flaky = add_many("test_flaky", student.id, 1)
    later = schedule("test_count", utcnow() + timedelta(hours=1),
                     payload={"user_id": student.id})
    db.session.commit()

    result = runner.invoke(cli, ["worker", "--once", "--batch", "100", "--batch-seconds", "60",
                                 "--import", HANDLERS_MODULE, "--worker-id", "cron:1"])

    assert result.exit_code == 0, result.output
    assert statuses(ids) == {ActionStatus.DONE: 250}
    assert effects(ids) == dict.fromkeys(ids, 1)
    assert statuses(flaky) == {ActionStatus.PENDING: 1}  # tried again later
    assert statuses([later.id]) == {ActionStatus.PENDING: 1}
    lines = result.output.strip().splitlines()
    assert "cron:1" in lines[0] and "test_count" in lines[0]  # what it handles
    # One line per batch, each starting with how many it carried out; then the totals
    batches = [first_number(line) for line in lines[1:-2] if first_number(line) is not None]
    assert sum(batches) == 251 and max(batches) <= 100, result.output
    assert first_number(lines[-2]) == 251
    assert "cron:1" in lines[-1]


def first_number(line: str) -> int | None:
    """How many actions a summary line counts (its first number, before the seconds)."""
    found = re.search(r"\d\d:\d\d:\d\d \D*(\d+)\D+\d+[.,]\d\d ", line)
    return int(found.group(1)) if found else None


def test_worker_refuses_a_database_that_is_not_migrated(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'own.sqlite3'}",
                   INSTANCE_PATH=tmp_path)
    result = app.test_cli_runner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 1
    assert "sandbox db upgrade" in result.output


def test_worker_says_which_module_it_cannot_import(runner, app):
    result = runner.invoke(cli, ["worker", "--once", "--import", "school_plugins.nowhere"])
    assert result.exit_code == 1
    assert "school_plugins" in result.output


def test_import_all_imports_the_listed_modules_and_the_extra_ones(monkeypatch):
    monkeypatch.setattr(handlers, "HANDLER_MODULES", ("json",))
    assert handlers.import_all([HANDLERS_MODULE]) == ["json", HANDLERS_MODULE]
    with pytest.raises(ImportError):
        handlers.import_all(["school_plugins.nowhere"])


def test_a_worker_leaves_kinds_it_has_no_handler_for(app, student, caplog):
    mine = add_many("test_count", student.id, 3)
    plugin = add_many("test_obsolete", student.id, 2)
    worker = Worker(app, worker_id="partial:1", kinds={"test_count"})
    with caplog.at_level(logging.WARNING, logger="sandbox.worker"):
        totals = worker.run_until_idle()
    assert totals.done == 3 and totals.batches == 1
    assert statuses(mine) == {ActionStatus.DONE: 3}
    # Untouched, not even an attempt: a worker with the plugin will carry them out.
    assert statuses(plugin) == {ActionStatus.PENDING: 2}
    assert set(db.session.scalars(sa.select(ScheduledAction.attempts)
                                  .where(ScheduledAction.id.in_(plugin)))) == {0}
    assert "test_obsolete" in caplog.text and "--import" in caplog.text


def test_a_worker_postpones_what_must_wait_and_says_so(app, student):
    until = utcnow() + timedelta(hours=1)
    waiting = schedule("test_postponed", utcnow(),
                       payload={"user_id": student.id, "until": until.isoformat()})
    db.session.commit()
    ids = add_many("test_count", student.id, 2)
    worker = Worker(app, worker_id="patient:1", kinds={"test_count", "test_postponed"})
    totals = worker.run_until_idle()  # taken once: due again only in an hour
    assert (totals.done, totals.postponed, totals.batches) == (2, 1, 1)
    assert statuses([waiting.id]) == {ActionStatus.PENDING: 1}
    assert statuses(ids) == {ActionStatus.DONE: 2}
    with force_locale("en"):
        line = worker_module.summary_line(totals)
    assert "actions: 3 in" in line and "done: 2, postponed: 1, cancelled: 0" in line


def test_a_worker_hands_back_stale_claims_before_working(app, student):
    ids = add_many("test_count", student.id, 4)
    claim_due("vanished:1", now=utcnow() - timedelta(minutes=10))
    Worker(app, worker_id="next:2", kinds={"test_count"}).run_until_idle()
    assert statuses(ids) == {ActionStatus.DONE: 4}
    assert effects(ids) == dict.fromkeys(ids, 1)


def test_a_batch_that_fails_as_a_whole_hands_its_claims_back(app, student, monkeypatch, caplog):
    ids = add_many("test_count", student.id, 3)
    calls = []
    real_run_batch = worker_module.run_batch

    def broken_once(action_ids, worker_id, **options):  # type: ignore[no-untyped-def]
        calls.append(list(action_ids))
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return real_run_batch(action_ids, worker_id, **options)

    monkeypatch.setattr(worker_module, "run_batch", broken_once)
    worker = Worker(app, worker_id="steady:1", kinds={"test_count"}, interval=0.01)
    with pytest.raises(ConnectionError):
        worker.run_one_batch()
    # Handed back at once, not in five minutes; the attempt counts
    assert statuses(ids) == {ActionStatus.PENDING: 3}

    # In its loop, a worker logs such an error and goes on
    calls.clear()
    running = start_worker_thread(app, kinds={"test_count"}, interval=0.01)
    try:
        wait_for(lambda: statuses(ids) == {ActionStatus.DONE: 3})
    finally:
        running.stop()
    assert not running.thread.is_alive()
    assert effects(ids) == dict.fromkeys(ids, 1)
    assert "the database went away" in caplog.text


def test_the_worker_thread_carries_out_actions_as_they_fall_due(app, student):
    running = start_worker_thread(app, kinds={"test_count"}, interval=0.02)
    try:
        first = add_many("test_count", student.id, 2)
        wait_for(lambda: statuses(first) == {ActionStatus.DONE: 2})
        second = add_many("test_count", student.id, 1)
        wait_for(lambda: statuses(second) == {ActionStatus.DONE: 1})
    finally:
        running.stop()
    assert not running.thread.is_alive()
    assert effects() == dict.fromkeys(first + second, 1)


def test_the_demo_serves_with_a_worker_beside_it(app, student, monkeypatch):
    ids = add_many("test_count", student.id, 2)
    started: list[object] = []
    monkeypatch.setattr(cli_module, "warm_up_in_background", lambda: None)
    monkeypatch.setattr(terminal.atexit, "register", started.append)

    def serve_a_moment(*_args: object, **_kwargs: object) -> None:
        wait_for(lambda: statuses(ids) == {ActionStatus.DONE: 2})

    monkeypatch.setattr(socketio, "run", serve_a_moment)
    app.config["WORKER_IN_PROCESS"] = True
    try:
        cli_module._serve("127.0.0.1", 5199)
    finally:
        running = app.extensions.pop("tremplin_worker")
        running.stop()
        for handler in list(worker_module.logger.handlers):
            worker_module.logger.removeHandler(handler)
        worker_module.logger.setLevel(logging.NOTSET)
        worker_module.logger.propagate = True
    assert started == [running.stop]  # asked to finish its batch when the demo exits
    assert effects(ids) == dict.fromkeys(ids, 1)


def test_sandbox_demo_asks_for_the_worker_and_run_does_not(runner, app, monkeypatch):
    served = []
    monkeypatch.setattr(cli_module, "load_seed", lambda with_demo_class: SeedSummary())
    monkeypatch.setattr(cli_module, "_print_demo_logins", lambda host, port: None)
    monkeypatch.setattr(cli_module, "_serve", lambda host, port: served.append(
        cli_module.current_app.config.get("WORKER_IN_PROCESS")))
    assert runner.invoke(cli, ["run"]).exit_code == 0
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    assert served == [None, True]


def test_a_worker_claims_what_fits_in_its_batch_time(app):
    worker = Worker(app, batch=200, batch_seconds=0.5)
    assert worker.claim_size == 20  # until it knows its pace
    worker._adapt(BatchReport(claimed=20, seconds=0.01))  # fast handlers: claim all it may
    assert worker.claim_size == 200
    for _ in range(5):  # slow ones (50 ms each): about ten a batch
        worker._adapt(BatchReport(claimed=20, seconds=1.0))
    assert 8 <= worker.claim_size <= 15
    worker._adapt(BatchReport(claimed=20, skipped=5, handed_back=15, seconds=0.2))
    assert worker.claim_size < 200  # nothing carried out: nothing learnt


def test_a_worker_without_handlers_says_so(app, caplog):
    with caplog.at_level(logging.INFO, logger="sandbox.worker"):
        Worker(app, worker_id="empty:1", kinds=()).announce()
    assert "empty:1" in caplog.text and "--import" in caplog.text
