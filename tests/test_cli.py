"""The `sandbox` command line."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.cli import cli
from sandbox.extensions import db


def test_help_explains_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "run", "init-db", "db", "seed", "create-admin", "create-teacher"):
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
    teacher = db.session.scalar(sa.select(User).where(User.username == "prof.leroy"))
    assert teacher.role is Role.TEACHER


def test_create_admin_reports_a_taken_username(runner, app, school):
    result = runner.invoke(
        cli,
        ["create-admin", "--username", "admin.test", "--first-name", "A",
         "--last-name", "B", "--password", "un-long-secret"],
    )
    assert result.exit_code == 1
    assert "admin.test" in result.output


def test_seed_shows_progress_and_a_summary(runner, app):
    result = runner.invoke(cli, ["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Seeding the fictional school" in result.output
    last_line = result.output.strip().splitlines()[-1]
    assert last_line.startswith("Seed loaded: created ")
    again = runner.invoke(cli, ["seed", "--demo"])
    assert "created nothing" in again.output


def test_seed_without_demo_creates_no_known_passwords(runner, app):
    runner.invoke(cli, ["seed"])
    staff = db.session.scalars(sa.select(User).where(User.role != Role.PERSONA)).all()
    assert staff == []


def test_init_db_is_safe_to_run_again(runner, app):
    result = runner.invoke(cli, ["init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output


def test_fresh_refuses_to_empty_a_server_database(runner, app, monkeypatch):
    if db.engine.dialect.name == "sqlite":
        return
    result = runner.invoke(cli, ["demo", "--fresh"])
    assert result.exit_code == 1
    assert "never empties a server database" in result.output
