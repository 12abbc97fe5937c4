"""Schema changes ship as migrations: `db upgrade` from empty must give exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from sandbox.core.resources import resource_dir


def test_upgrade_from_empty_matches_the_models(app, db):
    # The test database was built by `upgrade()` from an empty database (see conftest).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_database_is_at_the_single_head(app, db):
    script = ScriptDirectory(str(resource_dir("migrations")))
    heads = script.get_heads()
    assert len(heads) == 1, "two migration branches: merge them"
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)
