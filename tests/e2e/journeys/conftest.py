"""The journeys of DESIGN.md §4, end to end in the browser: one seeded demo school per test,
served on 127.0.0.1, driven on a phone-sized page and on a desktop one.

The `school` fixture also hands the test the served app, so that a test can make the
professionals' time pass: their answers are scheduled actions, carried out here in-process by
`run_due` with a "now" in the future, rather than by sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from sandbox.core.time import utcnow
from sandbox.personas.handlers import import_all
from sandbox.personas.scheduler import run_due
from sandbox.seeding.files import read_demo_seed, read_groups_seed, read_network_seed
from sandbox.seeding.group_loader import seed_groups
from sandbox.seeding.loader import seed_demo_class, seed_network
from tests.e2e.pages import DESKTOP, PHONE


@dataclass(frozen=True)
class School:
    """The served demo school: its base URL and its app (for the professionals' clock)."""

    base: str
    app: Flask

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def let_time_pass(self, hours: float = 72) -> int:
        """Carry out what the professionals planned to do within `hours`, as the worker does
        (every handler known); how many actions were done."""
        import_all()
        with self.app.app_context():
            return run_due(now=utcnow() + timedelta(hours=hours))


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param


@pytest.fixture
def school(make_app: Any, tmp_path: Any) -> Iterator[School]:
    """The demo school as `sandbox demo` loads it (companies, personas, the demo class, then the
    groups; not its replayed first weeks), served on a free port of 127.0.0.1 with CSRF and rate
    limits on, as in production. Like `demo_server`, a test using it must not build another
    app."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                   INSTANCE_PATH=tmp_path / "instance")
    demo = read_demo_seed()
    with app.app_context():
        seed_network(read_network_seed())
        seed_demo_class(demo)
        seed_groups(read_groups_seed())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield School(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
