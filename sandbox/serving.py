"""What every way of serving Tremplin shares: `sandbox run`, `sandbox demo` and gunicorn."""

from __future__ import annotations

import gc
import threading

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from sandbox.charter.engine.core import warm_up
from sandbox.extensions import db


def schema_heads() -> tuple[set[str], set[str]]:
    """The database's migration heads, and the code's."""
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current), set(script.get_heads())


def schema_is_current() -> bool:
    database, code = schema_heads()
    return database == code


def _warm_up_then_freeze() -> None:
    """Load the charter's dictionaries, then set everything loaded so far aside from the garbage
    collector: its full passes over those millions of long-lived objects cost a request now and
    then a hundred milliseconds (benchmarks/README.md, dashboard)."""
    warm_up()
    gc.freeze()


def warm_up_in_background() -> None:
    """The charter engine's dictionaries load in a thread while the server starts answering."""
    threading.Thread(target=_warm_up_then_freeze, name="charter-warm-up", daemon=True).start()
