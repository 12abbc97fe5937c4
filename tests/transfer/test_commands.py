"""`sandbox export-class` and `sandbox import-class`: exit codes, refusals, nothing half-done."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.cli import cli
from sandbox.extensions import db
from sandbox.media.images import ImageKind, uploads_dir
from sandbox.posts.models import Post
from sandbox.posts.services import create_post
from sandbox.profiles.services import set_picture
from sandbox.transfer.cli import _omission_line
from sandbox.transfer.document import dump_document
from sandbox.transfer.exporter import export_class
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.transfer.semester import connect_through_invitation, picture


@pytest.fixture
def document(school: dict[str, Any]) -> dict[str, Any]:
    """A small class with pictures, exported from the first deployment."""
    lea = school["student"]
    set_picture(lea, ImageKind.AVATAR, picture((120, 40, 200)))
    create_post(lea, body="Ma première visite d'entreprise.", audience="network",
                image=picture((20, 200, 80)), charter_ack=True)
    return export_class(school["class"]).document


def _write(tmp_path: Path, document: dict[str, Any] | str, name: str = "class.json") -> str:
    file = tmp_path / name
    text = document if isinstance(document, str) else dump_document(document)
    file.write_text(text, encoding="utf-8")
    return str(file)


def _nothing_written(app: Any) -> None:
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 0
    uploads = uploads_dir(app.instance_path)
    assert not uploads.exists() or not any(path.is_file() for path in uploads.rglob("*"))


def test_help_says_what_is_left_out(runner):
    help_text = runner.invoke(cli, ["export-class", "--help"]).output
    assert "left out" in help_text and "password hashes" in help_text
    assert "one transaction" in runner.invoke(cli, ["import-class", "--help"]).output


def test_export_of_an_unknown_code_fails(runner, school):
    result = runner.invoke(cli, ["export-class", "NO-SUCH-CODE"])
    assert result.exit_code == 1
    assert "NO-SUCH-CODE" in result.stderr and result.stdout == ""


def test_the_export_file_is_for_its_owner_only(runner, school, tmp_path):
    target = tmp_path / "class.json"
    result = runner.invoke(cli, ["export-class", school["class"].join_code.lower(), "-o",
                                 str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["class"]["name"] == "BTS CI 1"


def test_export_counts_what_it_leaves_out(runner, school):
    connect_through_invitation(school["student"], school["persona"],
                               "Bonjour, votre métier m'intéresse beaucoup.")
    result = runner.invoke(cli, ["export-class", school["class"].join_code])
    assert result.exit_code == 0
    assert _omission_line("connections", 1) in result.stderr.splitlines()
    assert "claire.recruteuse" not in result.stdout


def test_import_refuses_a_taken_username_and_writes_nothing(document, second_app, inside,
                                                            tmp_path):
    file = _write(tmp_path, document)
    with inside(second_app):
        Factories(PASSWORD).make_admin(username="hugo.petit")
        result = second_app.test_cli_runner().invoke(cli, ["import-class", file])
        assert result.exit_code == 1
        assert "hugo.petit" in result.stderr and "lea.martin" not in result.stderr
        _nothing_written(second_app)
        assert db.session.scalars(sa.select(User.username)).all() == ["hugo.petit"]


def test_import_refuses_a_class_already_here(document, runner, tmp_path):
    result = runner.invoke(cli, ["import-class", _write(tmp_path, document)])
    assert result.exit_code == 1
    assert document["class"]["join_code"] in result.stderr


@pytest.mark.parametrize("change", [
    lambda document: "{ not json",
    lambda document: {**document, "format": "something-else"},
    lambda document: {**document, "version": 3},
    lambda document: {key: value for key, value in document.items() if key != "people"},
    lambda document: {**document, "posts": [{**document["posts"][0], "author": "nobody"}]},
    lambda document: {**document, "posts": [{**document["posts"][0], "image": "AAAA"}]},
    lambda document: {**document, "events": [*document["events"], {
        **document["events"][0], "subject_type": "Post", "subject": "post-99"}]},
], ids=["not-json", "format", "version", "missing-part", "unknown-person", "bad-picture",
        "dangling-key"])
def test_import_refuses_an_invalid_document(document, change, second_app, inside, tmp_path):
    """Each refusal comes before the commit; pictures already stored are removed."""
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(
            cli, ["import-class", _write(tmp_path, change(document))])
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() and "Traceback" not in result.output
        _nothing_written(second_app)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_refused_version_is_named(document, second_app, inside, tmp_path):
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(
            cli, ["import-class", _write(tmp_path, {**document, "version": 7})])
        assert result.exit_code == 1 and "7" in result.stderr


def test_import_prints_a_summary(document, second_app, inside, tmp_path):
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(
            cli, ["import-class", _write(tmp_path, document)])
        assert result.exit_code == 0, result.output
        assert document["class"]["join_code"] in result.stdout and result.stderr == ""
        lea = db.session.scalar(sa.select(User).where(User.username == "lea.martin"))
        assert lea.profile.photo_path and lea.profile.search_text
        assert lea.school_class.join_code == document["class"]["join_code"]
