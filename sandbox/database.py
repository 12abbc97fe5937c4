"""Engine settings that make SQLite behave like a real server database."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sandbox.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers work while one writer writes;
    # the busy timeout makes a writer wait instead of failing at once when another is writing.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def first_line(error: BaseException) -> str:
    """What a database error says, in one line: the driver's reason, without the statement or
    its parameters (which may hold pupils' data)."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _close_session_quietly(_error: BaseException | None) -> None:
    """End the request's session. When the database went away during the request, rolling its
    connection back fails too: drop the connection instead of failing an answer already made.
    (Registered after Flask-SQLAlchemy, so it runs before its own teardown.)"""
    try:
        db.session.remove()
    except sa.exc.DBAPIError:
        try:
            db.session.registry().invalidate()
        except sa.exc.DBAPIError:
            pass
        db.session.registry.clear()


def configure_engine(app: Flask) -> None:
    app.teardown_appcontext(_close_session_quietly)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
