"""Fixtures shared by every test: the app, its database, clients logged in as each role.

The schema is built once per run by the real migrations (so every test runs on the schema a
school gets from `sandbox db upgrade`); each test gets a fresh app and leaves empty tables behind.
Set DATABASE_URL to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.accounts.models import User
from sandbox.core.resources import resource_dir
from sandbox.extensions import db as _db
from tests.factories import Factories

# Fast hashing for tests only: scrypt's cost is the point in production, and a waste here.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1000"
PASSWORD = "correct-horse-42"


def _database_url(directory: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{directory / 'tests.sqlite3'}"


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def base_config(instance_dir: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret",
        "INSTANCE_PATH": instance_dir,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_dir),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
        "BABEL_DEFAULT_LOCALE": "fr",
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def migrated_database(base_config: dict[str, Any]) -> str:
    """Empty the test database, then build it with the migrations, once per run."""
    app = create_app(base_config)
    with app.app_context():
        reflected = sa.MetaData()
        reflected.reflect(_db.engine)
        reflected.drop_all(_db.engine)
        upgrade(directory=str(resource_dir("migrations")))
        _db.engine.dispose()
    return base_config["SQLALCHEMY_DATABASE_URI"]


class IsolatedClient(FlaskClient):
    """Each request gets its own application context, as in production.

    Tests keep an app context open to use the database; without this, requests would reuse it,
    sharing `g` (where Flask-Login caches the user) and the database session between clients.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[override,no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _empty_all_tables(attempts: int = 5) -> None:
    """Empty every table. A browser test's server may still be answering a last request (a
    live page refetching a fragment) when its test ends: on PostgreSQL, the TRUNCATE can then
    deadlock with that request's reads, and PostgreSQL may pick the TRUNCATE to fail. The
    request ends within moments, so the TRUNCATE is tried again."""
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    for attempt in range(1, attempts + 1):
        try:
            with _db.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    names = ", ".join(f'"{t.name}"' for t in tables)
                    connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                else:
                    for table in tables:
                        connection.execute(table.delete())
            return
        except sa.exc.OperationalError as error:
            if attempt == attempts or "deadlock" not in str(error).lower():
                raise
            time.sleep(0.5 * attempt)


@pytest.fixture
def make_app(base_config: dict[str, Any], migrated_database: str) -> Iterator[Callable[..., Flask]]:
    """Build an app with config overrides; every table is emptied after the test."""
    made: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app({**base_config, **overrides})
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield factory
    emptied = False
    for app in made:
        with app.app_context():
            _db.session.remove()
            if not emptied and app.config["SQLALCHEMY_DATABASE_URI"] == migrated_database:
                _empty_all_tables()
                emptied = True
            _db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """The app, with an instance folder (uploads) of its own for each test."""
    app = make_app(INSTANCE_PATH=tmp_path / "instance")
    with app.app_context():
        yield app


@pytest.fixture
def db(app: Flask):  # type: ignore[no-untyped-def]
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def factories(app: Flask) -> Factories:
    return Factories(password=PASSWORD)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str, password: str = PASSWORD, follow: bool = False):  # type: ignore[no-untyped-def]
        return self._client.post(
            "/login", data={"username": username, "password": password},
            follow_redirects=follow,
        )

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def school(factories: Factories) -> dict[str, Any]:
    """Two classes with their teachers and students, an admin and a persona."""
    teacher = factories.make_teacher(username="prof.durand")
    klass = factories.make_class(teacher, name="BTS CI 1")
    other_teacher = factories.make_teacher(username="prof.other")
    other_class = factories.make_class(other_teacher, name="BTS MCO 2")
    return {
        "admin": factories.make_admin(username="admin.test"),
        "teacher": teacher,
        "class": klass,
        "student": factories.make_student(klass, username="lea.martin"),
        "classmate": factories.make_student(klass, username="hugo.petit"),
        "other_teacher": other_teacher,
        "other_class": other_class,
        "other_student": factories.make_student(other_class, username="nina.roux"),
        "persona": factories.make_persona(username="claire.recruteuse"),
    }


def login_client(app: Flask, user: User | None) -> FlaskClient:
    """A new client logged in as `user` (anonymous when None)."""
    client = app.test_client()
    if user is not None:
        response = AuthActions(client).login(user.username)
        assert response.status_code == 302, f"could not log in as {user.username}"
    return client


@pytest.fixture
def client_as(app: Flask) -> Callable[[User | None], FlaskClient]:
    return lambda user: login_client(app, user)


@pytest.fixture
def socket_as(app: Flask, client_as):  # type: ignore[no-untyped-def]
    """A Socket.IO test client sharing the login cookie of `user` (anonymous when None).

    Each connects in its own application context, as each connection does in production; what
    came with the connection is already read, and every socket is closed after the test.
    """
    from sandbox.extensions import socketio

    opened = []

    def connect(user: User | None):  # type: ignore[no-untyped-def]
        with app.app_context():
            socket = socketio.test_client(app, flask_test_client=client_as(user))
        if socket.is_connected():
            socket.get_received()
        opened.append(socket)
        return socket

    yield connect
    for socket in opened:
        if socket.is_connected():
            socket.disconnect()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """Counts the SQL statements run inside a `with count_queries() as counter:` block."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before_execute(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            counter.statements.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", before_execute)
        try:
            yield counter
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", before_execute)

    return counting
