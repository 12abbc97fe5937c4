"""How fast is the home feed at school scale?

Seeds a throwaway school (`feed_school.py`: 2,000 students, 50 connections each, 50 groups,
follows, 200,000 posts), then times, in-process, the first page and the next page ("load more")
of `home_feed` for a sample of students, and of `group_feed` for one of each student's groups,
with p50/p95 (wall and CPU time) and the SQL statements per page; then the whole home page
through the test client for some of them.

Uses a temporary SQLite file, or the empty database given by --database-url (PostgreSQL).

    .venv/bin/python benchmarks/feed.py [--students 2000] [--posts 200000] [--samples 200]
        [--database-url postgresql+psycopg://…] [--reuse] [--plans]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from feed_school import build_school, counts, load_school
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import User
from sandbox.core.resources import resource_dir
from sandbox.extensions import db


@dataclass
class Stats:
    """The timings of one kind of page: wall and CPU time, SQL statements, the slowest call."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    slowest: tuple[float, int, list[tuple[str, Any]]] = (0.0, 0, [])

    def report(self, label: str) -> None:
        print(f"{label}: p50 {_p(self.wall, 0.5):.1f} ms, p95 {_p(self.wall, 0.95):.1f} ms, "
              f"max {max(self.wall):.1f} ms (CPU p50 {_p(self.cpu, 0.5):.1f} ms, "
              f"p95 {_p(self.cpu, 0.95):.1f} ms) over {len(self.wall)} calls; "
              f"SQL queries per page {min(self.queries)}–{max(self.queries)}")


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def timed(stats: Stats, call: Callable[[User], Any], user_id: int) -> Any:
    """Run `call(viewer)` for a freshly loaded viewer, recording its time and SQL in `stats`.

    Loading the viewer is not timed (a request has it already). CPU time is this process's:
    with SQLite, nearly all the work; it stays meaningful when another job shares the machine.
    """
    viewer = _viewer(user_id)
    statements: list[tuple[str, Any]] = []

    def before(*args: Any) -> None:  # (connection, cursor, statement, parameters, …)
        statements.append((args[2], args[3]))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = call(viewer)
        elapsed = (time.perf_counter() - started) * 1000
        stats.cpu.append((time.process_time() - cpu) * 1000)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    stats.wall.append(elapsed)
    stats.queries.append(len(statements))
    if elapsed > stats.slowest[0]:
        stats.slowest = (elapsed, user_id, statements)
    return result


def explain(statements: list[tuple[str, Any]]) -> None:
    """The plan of each statement of a call, as the database chose it."""
    dialect = db.engine.dialect.name
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    connection = db.session.connection().connection.dbapi_connection
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        cursor = connection.cursor()
        cursor.execute(prefix + statement, parameters)
        print("\n" + " ".join(statement.split())[:600])
        for row in cursor.fetchall():
            print("   ", " | ".join(str(value) for value in row))
        cursor.close()


def load_note() -> str:
    """The machine's load average: figures taken while other work runs are noisier."""
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="an empty database to fill (default: a temporary SQLite file)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database this script seeded before, without seeding")
    parser.add_argument("--http", type=int, default=50,
                        help="how many students also get the whole home page (test client)")
    parser.add_argument("--plans", action="store_true",
                        help="print the query plans of the slowest home first page")
    parser.add_argument("--seed-only", action="store_true", help="seed, count, stop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'feed.sqlite3'}"
        app = create_app({"INSTANCE_PATH": Path(folder), "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": url, "SOCKETIO_MESSAGE_QUEUE": None})
        with app.app_context():
            where = db.engine.url.render_as_string(hide_password=True)
            if args.reuse:
                school = load_school()
                print(f"reusing {where}: {counts()}")
            else:
                if sa.inspect(db.engine).get_table_names():
                    raise SystemExit(f"{where} is not empty: give an empty database, or --reuse")
                upgrade(directory=str(resource_dir("migrations")))
                started = time.perf_counter()
                school = build_school(args.students, args.connections, args.posts)
                print(f"school seeded in {time.perf_counter() - started:.1f} s on "
                      f"{db.engine.dialect.name}: {counts()}")
            if not args.seed_only:
                print(f"before measuring: {load_note()}")
                measure(school, args.samples, args.http, args.plans)
                print(f"after measuring: {load_note()}")
            db.session.remove()
            db.engine.dispose()


def _viewer(user_id: int) -> User:
    """A viewer as a request has it: a fresh session, the user and their class loaded."""
    db.session.expunge_all()
    user = db.session.get(User, user_id)
    assert user is not None
    _ = user.school_class  # the login loader's user; the scope reads the class
    return user


def measure(school: dict[str, Any], samples: int, http: int, plans: bool) -> None:
    """Time the feed pages for `samples` students, and the home feed of a few teachers and
    personas."""
    from sandbox.posts.feed import group_feed, home_feed

    rng = random.Random(3)
    students = rng.sample(school["students"], samples)
    results: dict[str, Stats] = {}

    def run(label: str, user_id: int, call: Callable[[User], Any]) -> Any:
        return timed(results.setdefault(label, Stats()), call, user_id)

    empty = 0
    for user_id in students:
        page = run("home, first page", user_id, home_feed)
        empty += not page.posts
        if page.next_cursor:
            cursor = page.next_cursor
            run("home, load more", user_id, lambda v, c=cursor: home_feed(v, before=c))
        group_id = rng.choice(school["memberships"][user_id])
        page = run("group, first page", user_id, lambda v, g=group_id: group_feed(v, g))
        if page.next_cursor:
            cursor = page.next_cursor
            run("group, load more", user_id,
                lambda v, g=group_id, c=cursor: group_feed(v, g, before=c))
    for kind in ("teachers", "personas"):
        for user_id in rng.sample(school[kind], min(10, len(school[kind]))):
            run(f"home, first page ({kind})", user_id, home_feed)
    for label, stats in results.items():
        stats.report(label)
    print(f"students with an empty first page: {empty} of {len(students)}")
    if http:
        measure_http(students[:http])
    if plans:
        slowest = results["home, first page"].slowest
        print(f"\nplans of the slowest home first page ({slowest[0]:.1f} ms, user {slowest[1]}):")
        explain(slowest[2])


def _get(client: Any, path: str) -> Any:
    """A request in an application context of its own, as in production (a new `g`, where
    Flask-Login keeps the user, and a new database session)."""
    with client.application.app_context():
        return client.get(path)


def measure_http(students: list[int]) -> None:
    """The whole home page (feed, cards, composer, template) through the test client."""
    from flask import current_app

    stats = Stats()
    for user_id in students:
        client = current_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = _viewer(user_id).get_id()
            session["_fresh"] = True
        answer = timed(stats, lambda _viewer, c=client: _get(c, "/"), user_id)
        assert answer.status_code == 200, answer.status_code
    stats.report("GET / through the test client (students)")


if __name__ == "__main__":
    main()
