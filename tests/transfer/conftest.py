"""A second deployment for the transfer tests: an app on an empty database of its own.

Whatever engine the suite runs on (SQLite, or PostgreSQL through DATABASE_URL), the second
deployment is a fresh SQLite file built by the real migrations: once per run into a template,
then copied for each test, so a class moves between two engines when the suite runs on
PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from sandbox import create_app
from sandbox.core.resources import resource_dir
from sandbox.extensions import db


@pytest.fixture(scope="session")
def empty_database_template(base_config: dict[str, Any],
                            tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("transfer-template")
    template = folder / "empty.sqlite3"
    app = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}",
                      "INSTANCE_PATH": folder / "instance"})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        db.engine.dispose()
    return template


@pytest.fixture
def second_app(make_app: Callable[..., Flask], empty_database_template: Path,
               tmp_path: Path) -> Flask:
    """Another deployment: its own empty database and its own instance folder (uploads)."""
    database = tmp_path / "second.sqlite3"
    shutil.copyfile(empty_database_template, database)
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                    INSTANCE_PATH=tmp_path / "second-instance")


@pytest.fixture
def inside() -> Callable[[Flask], Any]:
    """`with inside(app):` works in that app's context (its own database session)."""

    @contextmanager
    def context(app: Flask) -> Iterator[Flask]:
        with app.app_context():
            yield app
            db.session.remove()

    return context
