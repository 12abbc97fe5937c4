"""Alembic environment: migrate the database of the running Tremplin app.

Run through `sandbox db upgrade` (Flask-Migrate), so the app, its config and its models are loaded.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

db = current_app.extensions["migrate"].db
target_metadata = db.metadata


def _skip_empty_autogenerate(context_, _revision, directives) -> None:  # type: ignore[no-untyped-def]
    """`sandbox db migrate` writes no file when the models did not change."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logging.getLogger("alembic").info("No change in the models: no migration written.")


def run_migrations_offline() -> None:
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
            render_as_batch=True,
            compare_type=True,
            process_revision_directives=_skip_empty_autogenerate,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
