"""`sandbox doctor`: each check finds what it must, says what to fix, and the exit code follows."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import stamp
from alembic.script import ScriptDirectory

from sandbox import doctor
from sandbox.cli import cli
from sandbox.core.resources import resource_dir
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.personas.models import ScheduledAction
from tests.multiprocess import servers

GOOD_KEY = "k" * 48


def run_doctor(app, *args: str):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(cli, ["doctor", *args])
    return result


def findings(app) -> tuple[int, dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    result = run_doctor(app, "--json")
    document = json.loads(result.output)
    by_check: dict[str, dict[str, str]] = {}
    for finding in document["findings"]:
        # A check may report several findings (Redis: one per URL): the worst one counts.
        order = ["ok", "warning", "failure"]
        kept = by_check.get(finding["check"])
        if kept is None or order.index(finding["status"]) > order.index(kept["status"]):
            by_check[finding["check"]] = finding
    assert document["ok"] is (result.exit_code == 0)
    return result.exit_code, by_check


def queued(app, url: str, **more: str):  # type: ignore[no-untyped-def]
    """The app as configured with a Redis queue. Only the setting the doctor reads is set: made
    with it, the app would point the one Socket.IO server of the tests at that Redis."""
    app.config.update(SOCKETIO_MESSAGE_QUEUE=url, **more)
    return app


@pytest.fixture
def healthy(app):  # type: ignore[no-untyped-def]
    """The test app, configured as a one-process deployment with a good key."""
    app.config.update(SECRET_KEY=GOOD_KEY, SOCKETIO_MESSAGE_QUEUE=None,
                      RATELIMIT_STORAGE_URI="memory://")
    return app


def test_a_healthy_deployment_passes_every_check(healthy):
    code, found = findings(healthy)
    assert code == 0
    assert set(found) == {"database", "migrations", "worker", "redis", "secret_key", "uploads",
                          "translations", "spelling"}
    failures = {name: f for name, f in found.items() if f["status"] == "failure"}
    assert failures == {}
    assert found["migrations"]["status"] == "ok"
    assert found["worker"]["status"] == "ok"
    # No probe file is left behind in the uploads folder.
    assert list((Path(healthy.instance_path) / "uploads").iterdir()) == []


def test_the_report_is_in_the_schools_language_and_says_what_to_fix(make_app, tmp_path):
    app = make_app(INSTANCE_PATH=tmp_path / "instance", SECRET_KEY="court")
    with app.app_context():
        result = run_doctor(app)
    assert result.exit_code == 1
    assert "[ÉCHEC] SECRET_KEY ne fait que 5 caractères" in result.output
    assert "Pour corriger\u00a0: " in result.output
    assert "token_urlsafe(48)" in result.output
    assert result.output.strip().endswith("Des vérifications ont échoué.")


def test_overdue_persona_actions_warn_that_no_worker_runs(healthy, factories):
    student = factories.make_student(factories.make_class(factories.make_teacher()))
    db.session.add(ScheduledAction(kind="test_count", run_at=utcnow() - timedelta(hours=1),
                                   payload={}, student_id=student.id))
    db.session.commit()
    code, found = findings(healthy)
    assert code == 0  # a warning, not a failure
    assert found["worker"]["status"] == "warning"
    assert "sandbox worker" in found["worker"]["fix"]


def test_a_database_behind_the_code_is_a_failure(healthy):
    script = ScriptDirectory(healthy.extensions["migrate"].directory)
    head = script.get_revision(script.get_current_head())
    stamp(directory=str(resource_dir("migrations")), revision=head.down_revision)
    try:
        code, found = findings(healthy)
    finally:
        stamp(directory=str(resource_dir("migrations")), revision="head")
    assert code == 1
    assert found["migrations"]["status"] == "failure"
    assert "sandbox db upgrade" in found["migrations"]["fix"]


def test_a_missing_sqlite_file_is_reported_not_created(make_app, tmp_path):
    missing = tmp_path / "nowhere.sqlite3"
    app = make_app(INSTANCE_PATH=tmp_path / "instance", SECRET_KEY=GOOD_KEY,
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    with app.app_context():
        code, found = findings(app)
    assert code == 1
    assert found["database"]["status"] == "failure"
    assert str(missing) in found["database"]["message"]
    assert "migrations" not in found
    assert not missing.exists()


def test_an_unreachable_database_is_a_failure(make_app, tmp_path):
    port = servers.free_port()  # nothing listens there
    app = make_app(INSTANCE_PATH=tmp_path / "instance", SECRET_KEY=GOOD_KEY,
                   SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/x")
    with app.app_context():
        code, found = findings(app)
    assert code == 1
    assert found["database"]["status"] == "failure"
    assert "DATABASE_URL" in found["database"]["fix"]
    assert "secret" not in found["database"]["message"]  # the password is never printed


def test_redis_that_does_not_answer_is_a_failure(make_app, tmp_path):
    url = f"redis://:motdepasse@127.0.0.1:{servers.free_port()}/0"
    app = queued(make_app(INSTANCE_PATH=tmp_path / "instance", SECRET_KEY=GOOD_KEY), url)
    with app.app_context():
        code, found = findings(app)
    assert code == 1
    assert found["redis"]["status"] == "failure"
    assert "SOCKETIO_MESSAGE_QUEUE" in found["redis"]["message"]
    assert "motdepasse" not in found["redis"]["message"]


def test_redis_that_answers_passes(make_app, tmp_path):
    executable = servers.require_redis_server()
    process, url = servers.start_redis(executable, tmp_path)
    try:
        app = queued(make_app(INSTANCE_PATH=tmp_path / "instance", SECRET_KEY=GOOD_KEY), url,
                     RATELIMIT_STORAGE_URI=url)
        with app.app_context():
            reported = list(doctor.check_redis())
    finally:
        servers.stop(process)
    assert [f.status for f in reported] == [doctor.Status.OK, doctor.Status.OK]
    assert reported[0].message.startswith("SOCKETIO_MESSAGE_QUEUE")
    assert reported[1].message.startswith("RATELIMIT_STORAGE_URI")


def test_a_generated_key_is_fine_for_one_process_but_not_several(make_app, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text(GOOD_KEY, encoding="utf-8")
    one = make_app(INSTANCE_PATH=instance, SECRET_KEY=GOOD_KEY)
    with one.app_context():
        assert [f.status for f in doctor.check_secret_key()] == [doctor.Status.OK]
    several = queued(make_app(INSTANCE_PATH=instance, SECRET_KEY=GOOD_KEY),
                     "redis://127.0.0.1:6379/0")
    with several.app_context():
        [finding] = doctor.check_secret_key()
    assert finding.status is doctor.Status.WARNING
    assert "SECRET_KEY" in finding.fix


def test_an_upload_folder_that_cannot_be_written_is_a_failure(make_app, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "uploads").write_text("not a folder")  # as root, permissions would not stop us
    app = make_app(INSTANCE_PATH=instance, SECRET_KEY=GOOD_KEY)
    with app.app_context():
        code, found = findings(app)
    assert code == 1
    assert found["uploads"]["status"] == "failure"
    assert "SANDBOX_INSTANCE_PATH" in found["uploads"]["fix"]


def test_a_missing_or_stale_french_catalogue_is_reported(app, tmp_path):
    real = resource_dir("translations") / "fr" / "LC_MESSAGES"
    folder = tmp_path / "translations"
    messages = folder / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(real / "messages.po", messages / "messages.po")
    [missing] = doctor.check_translations(folder)
    assert missing.status is doctor.Status.FAILURE
    assert "pybabel compile" in missing.fix

    shutil.copy(real / "messages.mo", messages / "messages.mo")
    [current] = doctor.check_translations(folder)
    assert current.status is doctor.Status.OK

    source = messages / "messages.po"
    source.write_bytes(source.read_bytes().replace(b'msgstr "Se connecter"',
                                                   b'msgstr "Connexion"', 1))
    [stale] = doctor.check_translations(folder)
    assert stale.status is doctor.Status.WARNING


def test_missing_spelling_engines_are_a_warning_only(healthy, monkeypatch):
    from sandbox.charter.engine import spelling

    monkeypatch.setattr(spelling, "is_available", lambda lang: lang == "en")
    code, found = findings(healthy)
    assert found["spelling"]["status"] == "warning"
    assert "Grammalecte" in found["spelling"]["message"]
    assert "hunspell" not in found["spelling"]["message"]
    assert code == 0
