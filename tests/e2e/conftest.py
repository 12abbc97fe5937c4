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
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from sandbox.seeding.files import read_demo_seed, read_network_seed
from sandbox.seeding.loader import seed_demo_class, seed_network

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


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
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
        yield chromium
        chromium.close()


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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
