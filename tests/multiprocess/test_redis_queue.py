"""Several app processes behind Redis: an event emitted in one reaches a socket on another.

Two real app processes, served by gunicorn with deploy/gunicorn.conf.py as a school deploys them,
share one SQLite file, one SECRET_KEY and one Redis server
(SOCKETIO_MESSAGE_QUEUE). Léa, logged in on the first, invites Hugo through the usual form; Hugo,
whose socket is connected to the second, must hear the "notification" event. CSRF and rate
limits are on, as in production.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import User
from sandbox.core.resources import resource_dir
from sandbox.extensions import db
from tests.conftest import PASSWORD, TEST_PASSWORD_HASH
from tests.factories import Factories
from tests.multiprocess import servers

SECRET = "multiprocess-tests-only"
DELIVERY_SECONDS = 5.0


def prepare_database(folder: Path, url: str) -> dict[str, int]:
    """Migrate a fresh database and create a class with two students; returns their ids."""
    app = create_app({"INSTANCE_PATH": folder / "setup", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": SECRET, "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
                      "SOCKETIO_MESSAGE_QUEUE": None})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        factories = Factories(password=PASSWORD)
        klass = factories.make_class(factories.make_teacher(username="prof.multi"))
        ids = {name: factories.make_student(klass, username=name).id
               for name in ("lea.multi", "hugo.multi")}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 3
        db.session.remove()
        db.engine.dispose()
    return ids


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Redis, then two app processes on the same database and queue; all stopped afterwards."""
    executable = servers.require_redis_server()
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    ids = prepare_database(tmp_path, url)
    started = []
    sockets: list[Any] = []
    try:
        redis, queue = servers.start_redis(executable, tmp_path)
        started.append(redis)
        apps = []
        for number in (1, 2):
            folder = tmp_path / f"instance{number}"
            env = servers.app_environment(folder, url, SECRET_KEY=SECRET,
                                          SOCKETIO_MESSAGE_QUEUE=queue)
            log = tmp_path / f"app{number}.log"
            process, port = servers.start_app(env, log)
            started.append(process)
            apps.append((process, port, log))
        for process, port, log in apps:  # both start together: two cores, half the wait
            servers.wait_until_serving(process, port, log)
        yield {"ids": ids, "urls": [f"http://127.0.0.1:{port}" for _, port, _ in apps],
               "logs": [log for _, _, log in apps], "sockets": sockets}
    finally:
        for process in reversed(started):
            servers.stop(process)
        # After the servers: a client closing its WebSocket on the development server waits
        # 3 s for a closing handshake it does not get; with the server gone it closes at once.
        for client in sockets:
            client.disconnect()


def log_in(base_url: str, username: str):  # type: ignore[no-untyped-def]
    """A `requests` session logged in through the real form (its CSRF token included)."""
    import requests

    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=5)
    response = session.post(
        f"{base_url}/login",
        data={"username": username, "password": PASSWORD,
              "csrf_token": servers.csrf_token(page.text)},
        allow_redirects=False, timeout=5,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def connect_socket(base_url: str, cookies: dict[str, str] | None,
                   refusals: list[Any] | None = None):  # type: ignore[no-untyped-def]
    """A real Socket.IO client over WebSocket; records the notifications it hears.

    Why the server refused the connection, if it did, goes to `refusals`.
    """
    import socketio

    client = socketio.Client(reconnection=False)
    heard: list[dict[str, Any]] = []
    arrived = threading.Event()
    client.on("connect_error", (refusals if refusals is not None else []).append)

    @client.on("notification")
    def on_notification(payload: dict[str, Any]) -> None:
        heard.append(payload)
        arrived.set()

    cookie = "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())
    client.connect(base_url, headers={"Cookie": cookie} if cookie else {},
                   transports=["websocket"], wait_timeout=5)
    client.heard, client.arrived = heard, arrived  # type: ignore[attr-defined]
    return client


def test_an_event_from_one_process_reaches_a_socket_on_another(two_processes):
    import socketio

    first, second = two_processes["urls"]
    hugo_id = two_processes["ids"]["hugo.multi"]

    refusals: list[Any] = []
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect_socket(second, None, refusals)  # anonymous: refused by the app, not the network
    assert refusals == [{"message": "unauthorized"}]

    hugo = log_in(second, "hugo.multi")
    socket = connect_socket(second, hugo.cookies.get_dict())
    two_processes["sockets"].append(socket)
    assert socket.connected

    lea = log_in(first, "lea.multi")
    form = lea.get(f"{first}/network/invite/{hugo_id}", timeout=5)
    assert form.status_code == 200
    sent = lea.post(
        f"{first}/network/invite/{hugo_id}",
        data={"csrf_token": servers.csrf_token(form.text), "send_anyway": "y",
              "message": "Bonjour Hugo, on travaille ensemble sur le projet export."},
        allow_redirects=False, timeout=5,
    )
    assert sent.status_code == 302, sent.text[:500]
    assert socket.arrived.wait(DELIVERY_SECONDS), (
        "no notification reached the other process:\n"
        + "\n".join(log.read_text()[-2000:] for log in two_processes["logs"])
    )
    assert [payload["kind"] for payload in socket.heard] == ["invitation_received"]
