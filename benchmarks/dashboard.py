"""How fast is the teacher's dashboard for a class with a semester of activity?

Seeds throwaway classes (`dashboard_class.py`: 35 students and about 20,000 activity events
each, with the posts, comments, likes, invitations, connections, follows, messages, outcomes and
charter findings behind them), then requests, in-process through the Flask test client logged in
as the first class's teacher, each page many times: the overview, the overview over the last 30
days, the overview sorted by findings with the "with findings" filter, its rows alone (what the
live updater fetches), the activity CSV, the student page of each student in turn, the class
feed, the charts' data, the grades, each student's grading page and the grades CSV. Prints
p50/p95/max (wall and CPU time) and the SQL statements per request; `--plans` times the
statements of the slowest calls one by one (run again, rows fetched) with their query plans.

Uses a temporary SQLite file, or the empty database given by --database-url (PostgreSQL).

    .venv/bin/python benchmarks/dashboard.py [--classes 6] [--events 20000] [--samples 60]
        [--database-url postgresql+psycopg://…] [--reuse] [--gc-freeze] [--plans]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dashboard_class import build_classes, counts, load_classes
from flask import Flask
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import User
from sandbox.core.resources import resource_dir
from sandbox.core.time import utcnow
from sandbox.extensions import db

WARM_UP = 3


@dataclass
class Stats:
    """The timings of one page: wall and CPU time, statements, the slowest call's SQL."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    slowest: tuple[float, list[tuple[str, Any]]] = (0.0, [])

    def row(self, label: str) -> str:
        low, high = min(self.queries), max(self.queries)
        statements = str(low) if low == high else f"{low}–{high}"
        return (f"| {label} | {_p(self.wall, .5):.1f} ms | {_p(self.wall, .95):.1f} ms | "
                f"{max(self.wall):.1f} ms | {_p(self.cpu, .5):.1f} / {_p(self.cpu, .95):.1f} ms "
                f"| {statements} |")


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


class SqlWatch:
    """The statements run while it is on. (Their time is not taken here: with SQLite most of a
    query's work happens while its rows are fetched, after the driver's `execute`.)"""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def _before(self, _connection: Any, _cursor: Any, statement: str, parameters: Any,
                *_args: Any) -> None:
        self.statements.append((statement, parameters))

    def __enter__(self) -> SqlWatch:
        sa.event.listen(db.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *_exc: Any) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._before)


def timed_get(stats: Stats | None, client: Any, path: str) -> Any:
    """One request in an application context of its own, as in production (a new `g`, where
    Flask-Login keeps the user, and a new database session)."""
    with client.application.app_context(), SqlWatch() as watch:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (path, response.status_code)
    assert body
    if stats is not None:
        stats.wall.append(elapsed)
        stats.cpu.append(cpu_ms)
        stats.queries.append(len(watch.statements))
        if elapsed > stats.slowest[0]:
            stats.slowest = (elapsed, watch.statements)
    return response


def teacher_client(app: Flask, teacher_id: int) -> Any:
    """A test client whose session is the teacher's (as after the login form)."""
    client = app.test_client()
    with app.app_context():
        teacher = db.session.get(User, teacher_id)
        assert teacher is not None
        with client.session_transaction() as session:
            session["_user_id"] = teacher.get_id()
            session["_fresh"] = True
    return client


def pages(class_id: int, students: list[int]) -> dict[str, Callable[[int], str]]:
    """Each page to time, as a function of the sample's number."""
    base = f"/classes/{class_id}/dashboard"
    today = utcnow().date()
    month = f"start={(today - timedelta(days=29)).isoformat()}&end={today.isoformat()}"
    return {
        "overview": lambda n: base,
        "overview, last 30 days": lambda n: f"{base}?{month}",
        "overview, sorted by findings, with findings only":
            lambda n: f"{base}?sort=findings&dir=desc&findings=1",
        "overview rows only (`?fragment=rows`, the live update)":
            lambda n: f"{base}?fragment=rows",
        "activity CSV (French)": lambda n: f"{base}/activity.csv?format=fr",
        "student page (each student in turn)":
            lambda n: f"{base}/students/{students[n % len(students)]}",
        "student page, last 30 days":
            lambda n: f"{base}/students/{students[n % len(students)]}?{month}",
        "class feed": lambda n: f"{base}/feed",
        "class charts (`charts.json`)": lambda n: f"{base}/charts.json",
        "grades": lambda n: f"/classes/{class_id}/grades",
        "grades of one student (each in turn)":
            lambda n: f"/classes/{class_id}/grades/students/{students[n % len(students)]}",
        "grades CSV (French)": lambda n: f"/classes/{class_id}/grades.csv?format=fr",
    }


def measure(app: Flask, school: dict[str, Any], samples: int, plans: bool) -> None:
    class_id = school["classes"][0]
    students = school["rosters"][class_id]
    client = teacher_client(app, school["teachers"][0])
    results: dict[str, Stats] = {}
    for label, path in pages(class_id, students).items():
        for n in range(WARM_UP):
            timed_get(None, client, path(n))
        stats = results[label] = Stats()
        for n in range(samples):
            timed_get(stats, client, path(n))
    print("\n| page | p50 | p95 | max | CPU p50 / p95 | SQL statements |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, stats in results.items():
        print(stats.row(label))
    if plans:
        with app.app_context():
            for label in ("overview", "student page (each student in turn)"):
                elapsed, statements = results[label].slowest
                print(f"\nslowest {label} ({elapsed:.1f} ms): its slowest statements")
                explain(statements)


def explain(statements: list[tuple[str, Any]], shown: int = 6) -> None:
    """Each statement run again (best of 3, rows fetched), then the plans of the slowest."""
    dialect = db.engine.dialect.name
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    connection = db.session.connection().connection.dbapi_connection
    timed = []
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        best = float("inf")
        for _ in range(3):
            cursor = connection.cursor()
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            best = min(best, (time.perf_counter() - started) * 1000)
            cursor.close()
        timed.append((best, statement, parameters))
    timed.sort(key=lambda item: -item[0])
    print(f"all {len(timed)} SELECTs: {sum(best for best, _, _ in timed):.1f} ms")
    for best, statement, parameters in timed[:shown]:
        cursor = connection.cursor()
        cursor.execute(prefix + statement, parameters)
        print(f"\n{best:.2f} ms: " + " ".join(statement.split())[:400])
        for row in cursor.fetchall():
            print("   ", " | ".join(str(value) for value in row))
        cursor.close()


def load_note() -> str:
    """The machine's load average: figures taken while other work runs are noisier."""
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=6,
                        help="classes seeded (the first is measured; the others fill the "
                             "tables as a school's would)")
    parser.add_argument("--events", type=int, default=20_000, help="activity events per class")
    parser.add_argument("--samples", type=int, default=60, help="requests timed per page")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="an empty database to fill (default: a temporary SQLite file)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database this script seeded before, without seeding")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() once the app is loaded, as a server could: without it, "
                             "a full garbage collection (~0.1 s here) lands on some requests")
    parser.add_argument("--plans", action="store_true",
                        help="print the plans of the slowest statements of the slowest calls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'dashboard.sqlite3'}"
        app = create_app({"INSTANCE_PATH": Path(folder), "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": url, "SOCKETIO_MESSAGE_QUEUE": None,
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            where = db.engine.url.render_as_string(hide_password=True)
            if args.reuse:
                school = load_classes()
            else:
                if sa.inspect(db.engine).get_table_names():
                    raise SystemExit(f"{where} is not empty: give an empty database, or --reuse")
                upgrade(directory=str(resource_dir("migrations")))
                started = time.perf_counter()
                school = build_classes(args.classes, args.events)
                print(f"seeded {args.classes} classes in {time.perf_counter() - started:.1f} s "
                      f"on {db.engine.dialect.name}")
            print(f"measured class: {counts(school['classes'][0])}")
            db.session.remove()
        if args.gc_freeze:
            gc.collect()
            gc.freeze()
        print(f"before measuring: {load_note()}")
        measure(app, school, args.samples, args.plans)
        print(f"\nafter measuring: {load_note()}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
