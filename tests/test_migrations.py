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


def test_upgrading_keeps_and_completes_existing_data(make_app, tmp_path):
    """A school upgrading mid-semester: rows written under the first schema survive the upgrade,
    and the new search keys are filled in for them."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
                   INSTANCE_PATH=tmp_path)
    migrations = str(resource_dir("migrations"))
    with app.app_context():
        from sandbox.extensions import db

        upgrade(directory=migrations, revision="7e189daa1354")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, username, role, first_name, last_name, session_token,"
                " is_disabled, must_change_password, created_at)"
                " VALUES (1, 'lea.m', 'student', 'Léa', 'Béranger', 'x', 0, 0, '2026-09-01')"))
            connection.execute(sa.text(
                "INSERT INTO profiles (user_id, headline, about, city, contact_email,"
                " contact_phone, visibility) VALUES (1, 'Étudiante', '', 'Besançon', '', '', '{}')"))
            connection.execute(sa.text(
                "INSERT INTO companies (id, slug, name, sector, city, good_to_know, description,"
                " created_at) VALUES (1, 'acme', 'Société Générique', 'retail', 'Évry', '[]', '',"
                " '2026-09-01')"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            profile = connection.execute(
                sa.text("SELECT search_text, photo_checklist FROM profiles")).one()
            company = connection.execute(sa.text("SELECT search_text FROM companies")).scalar()
        assert profile.search_text == "lea beranger etudiante besancon"
        assert profile.photo_checklist == "{}"
        assert company == "societe generique evry"
        downgrade(directory=migrations, revision="7e189daa1354")  # the way back works too
        db.engine.dispose()
