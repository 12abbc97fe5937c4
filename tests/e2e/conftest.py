"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's Chromium.

Playwright cannot download its own browsers here, so the system Chromium is used through
`executable_path`. Without Chromium these tests skip, unless TREMPLIN_REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from sandbox import create_app
from sandbox.extensions import db
from sandbox.seeding.files import read_demo_seed, read_network_seed
from sandbox.seeding.loader import seed_demo_class, seed_network
from tests.conftest import _empty_all_tables

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"),
                      "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless; without it, a skip (a failure under
    TREMPLIN_REQUIRE_BROWSER=1)."""
    executable = find_chromium()
    reason = "no Chromium found (install Debian's `chromium`, or set CHROMIUM_PATH)"
    if executable is None:
        if os.environ.get("TREMPLIN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """CI runs the suite twice (SQLite, then PostgreSQL): what only the browser sees (markup,
    focus, pictures) is checked in the first pass only."""
    if os.environ.get("TREMPLIN_ENGINE_NEUTRAL_DONE") != "1":
        return
    skip = pytest.mark.skip(reason="the same on every database engine: checked in CI's "
                                   "first pass")
    for item in items:
        if item.get_closest_marker("same_on_every_engine"):
            item.add_marker(skip)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def module_browser():  # type: ignore[no-untyped-def]
    """One Chromium for a whole module: each test opens its own contexts in it."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def demo_server(make_app, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The seeded demo school, served on a free port of 127.0.0.1; yields its base URL.

    CSRF protection and rate limits are on, as in production: every form the browser sends
    must carry its token. A test using this server must not build another app (no `app`
    fixture): each app takes over the one shared Socket.IO server, and live events would go to
    the wrong one.
    """
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                   INSTANCE_PATH=tmp_path / "instance")
    with app.app_context():
        seed_network(read_network_seed())
        seed_demo_class(read_demo_seed())
    with served(app) as base:
        yield base


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` served on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def module_demo_app(base_config, migrated_database,  # type: ignore[no-untyped-def]
                    tmp_path_factory):
    """The seeded demo school's app (CSRF and rate limits on), shared by a module's tests.

    For tests that only read, or whose writes do not get in each other's way: the seeding is
    then paid once per module. A module may add what its pages need (in an app context) before
    serving it with `served(app)`; every table is emptied after the module. As with
    `demo_server`, no other app may be built meanwhile (the Socket.IO server is shared).
    """
    app = create_app({**base_config, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True,
                      "INSTANCE_PATH": tmp_path_factory.mktemp("instance")})
    with app.app_context():
        seed_network(read_network_seed())
        seed_demo_class(read_demo_seed())
    yield app
    with app.app_context():
        db.session.remove()
        if app.config["SQLALCHEMY_DATABASE_URI"] == migrated_database:
            _empty_all_tables()
        db.engine.dispose()
