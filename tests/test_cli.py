"""The `sandbox` command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.cli import cli
from sandbox.extensions import db


def test_help_explains_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "run", "init-db", "db", "seed", "create-admin", "create-teacher",
                    "worker", "doctor", "backup", "restore"):
        assert f"  {command} " in result.output
    assert "--app" not in result.output
    demo_help = runner.invoke(cli, ["demo", "--help"]).output
    assert "--host" in demo_help and "--port" in demo_help and "--fresh" in demo_help


def test_create_teacher(runner, app):
    result = runner.invoke(
        cli,
        ["create-teacher", "--username", "prof.leroy", "--first-name", "Anne",
         "--last-name", "Leroy", "--password", "un-long-secret"],
    )
    assert result.exit_code == 0, result.output
    assert "Compte enseignant « prof.leroy » créé." in result.output
    teacher = db.session.scalar(sa.select(User).where(User.username == "prof.leroy"))
    assert teacher.role is Role.TEACHER
    assert teacher.must_change_password is True


def test_create_admin_reports_a_taken_username(runner, app, school):
    result = runner.invoke(
        cli,
        ["create-admin", "--username", "admin.test", "--first-name", "A",
         "--last-name", "B", "--password", "un-long-secret"],
    )
    assert result.exit_code == 1
    assert "admin.test" in result.output


def test_seed_shows_progress_and_a_summary_in_the_schools_language(runner, app):
    result = runner.invoke(cli, ["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Chargement de l’école fictive" in result.output
    last_line = result.output.strip().splitlines()[-1]
    assert last_line.startswith("Données chargées : créé ")
    assert "élèves : 12" in last_line
    again = runner.invoke(cli, ["seed", "--demo"])
    assert "créé rien" in again.output


def test_seed_without_demo_creates_no_known_passwords(runner, app):
    runner.invoke(cli, ["seed"])
    staff = db.session.scalars(sa.select(User).where(User.role != Role.PERSONA)).all()
    assert staff == []


def test_init_db_is_safe_to_run_again(runner, app):
    result = runner.invoke(cli, ["init-db"])
    assert result.exit_code == 0, result.output
    assert "Base de données prête" in result.output


def test_fresh_refuses_to_empty_a_server_database(runner, app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("this run uses SQLite; the PostgreSQL run checks this")
    result = runner.invoke(cli, ["demo", "--fresh"])
    assert result.exit_code == 1
    assert "il ne vide jamais une base de données serveur" in result.output


@pytest.fixture
def sqlite_app(make_app, tmp_path):  # type: ignore[no-untyped-def]
    """An app on its own, empty SQLite file (not the migrated test database)."""
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'own.sqlite3'}",
                    INSTANCE_PATH=tmp_path)


def test_run_refuses_a_database_that_is_not_migrated(sqlite_app, monkeypatch):
    served = []
    monkeypatch.setattr("sandbox.cli._serve", lambda host, port: served.append((host, port)))
    result = sqlite_app.test_cli_runner().invoke(cli, ["run"])
    assert result.exit_code == 1
    assert "sandbox db upgrade" in result.output
    assert served == []


def test_demo_fresh_builds_seeds_prints_logins_and_serves(sqlite_app, monkeypatch):
    served = []
    monkeypatch.setattr("sandbox.cli._serve", lambda host, port: served.append((host, port)))
    runner = sqlite_app.test_cli_runner()
    first = runner.invoke(cli, ["demo", "--port", "5123"])
    assert first.exit_code == 0, first.output
    result = runner.invoke(cli, ["demo", "--fresh", "--host", "127.0.0.1", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "Ancienne base de démonstration supprimée." in result.output
    assert "http://localhost:5123/" in result.output
    assert "prof.martin" in result.output and "tremplin-prof" in result.output
    assert "DEMO-BTS-2026" in result.output
    assert served == [("127.0.0.1", 5123), ("127.0.0.1", 5123)]
    # --fresh started again from nothing: everything was created anew
    assert "déjà présents" in result.output and "élèves : 12" in result.output

    after_run = runner.invoke(cli, ["run", "--port", "5124"])
    assert after_run.exit_code == 0, after_run.output
    assert served[-1] == ("127.0.0.1", 5124)


def test_python_dash_m_sandbox_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--help"], capture_output=True, text=True, check=True
    )
    assert "create-teacher" in result.stdout and "demo" in result.stdout
    version = subprocess.run(
        [sys.executable, "-m", "sandbox", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("Tremplin, version ")
