"""A document may have been crafted or edited by hand: whatever the app itself would never have
written is refused, with a message, before anything is written."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import gettext as _
from PIL import Image
from pydantic import ValidationError

from sandbox.accounts.models import User
from sandbox.charter import edits
from sandbox.charter.gate import CharterRefusal
from sandbox.charter.services import update_charter
from sandbox.classes.models import SchoolClass
from sandbox.cli import cli
from sandbox.extensions import db
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.media.images import ImageKind, uploads_dir
from sandbox.posts.services import create_post
from sandbox.profiles.services import ItemKind, add_item, set_picture
from sandbox.transfer import cli as transfer_cli
from sandbox.transfer.document import dump_document, read_document
from sandbox.transfer.exporter import export_class
from sandbox.transfer.references import TransferError
from sandbox.transfer.schema_people import GradePart
from tests.transfer.semester import PHONE, picture

SCORE = 7777.5  # a placeholder score, replaced in the text of the document


@pytest.fixture
def document(school: dict[str, Any]) -> dict[str, Any]:
    """A small class with a profile, a picture, a finding, posting windows and a grade."""
    klass, teacher, lea = school["class"], school["teacher"], school["student"]
    set_picture(lea, ImageKind.AVATAR, picture((120, 40, 200)))
    add_item(lea, ItemKind.LANGUAGES, {"language": "Anglais", "level": "B2"})
    lea.profile.visibility = {"about": "teacher"}
    lea.profile.photo_checklist = {"bed": False}
    lea.locale = "fr"
    with pytest.raises(CharterRefusal):
        create_post(lea, body=PHONE, audience="network")
    update_charter(teacher, klass.id, edits.CharterEdit(posting_windows=[
        {"day": "0", "start": "08:00", "end": "18:00"}]))
    rubric = Rubric(class_id=klass.id, scale=20, criteria=[
        RubricCriterion(key="identity", measure=Measure.IDENTITY, label_fr="Identité",
                        label_en="Identity", weight=2, position=1)])
    db.session.add(rubric)
    db.session.flush()
    db.session.add(Grade(criterion_id=rubric.criteria[0].id, student_id=lea.id, score=12.25,
                         comment="Bon profil", graded_by_id=teacher.id))
    db.session.commit()
    return export_class(klass).document


def _lea(document: dict[str, Any]) -> dict[str, Any]:
    return next(person for person in document["people"] if person["username"] == "lea.martin")


def _profile(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda document: change(_lea(document)["profile"])


def _grade(score: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["rubric"]["grades"][0]["score"] = score
    return change


def _window(window: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["charter"]["settings"]["posting_windows"] = [window]
    return change


def _set(part: str, name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target = document[part][0] if isinstance(document[part], list) else document[part]
        target[name] = value
    return change


def _event(data: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["events"].append({
            "user": "lea.martin", "in_class": True, "kind": "message_sent",
            "subject_type": None, "subject": None, "data": data,
            "created_at": "2026-10-01T08:00:00"})
    return change


def _text(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> bytes:
    changed = copy.deepcopy(document)
    change(changed)
    return dump_document(changed).encode("utf-8")


def test_the_document_as_exported_is_read(app, document):
    read = read_document(_text(document, lambda document: None))
    assert read.rubric is not None and read.rubric.grades[0].score == 12.25
    assert read.charter.settings is not None and read.charter.settings.posting_windows
    assert {finding.category for finding in read.findings} == {"phone"}


CHANGES = {  # what is changed, and where the refusal says the problem is
    "visibility-value": (_profile(lambda profile: profile["visibility"].update(about="all")),
                         "profile.visibility.about"),
    "visibility-field": (_profile(lambda profile: profile["visibility"].update(
        password="network")), "password"),
    "photo-checklist": (_profile(lambda profile: profile["photo_checklist"].update(
        selfie=True)), "selfie"),
    "language-level": (_profile(lambda profile: profile["languages"][0].update(level="Z9")),
                       "languages.0.level"),
    "locale": (lambda document: _lea(document).update(locale="xx"), "locale"),
    "scale": (lambda document: document["rubric"].update(scale=15), "rubric.scale"),
    "weight-high": (lambda document: document["rubric"]["criteria"][0].update(weight=11),
                    "criteria.0.weight"),
    "weight-negative": (lambda document: document["rubric"]["criteria"][0].update(weight=-1),
                        "criteria.0.weight"),
    "score-above-scale": (_grade(20.25), "20.25"),
    "score-negative": (_grade(-1), "grades.0.score"),
    "score-not-quarter": (_grade(12.3), "12.3"),
    "invitation-cap": (_set("class", "weekly_invitation_cap", 0), "weekly_invitation_cap"),
    "finding-category": (_set("findings", "category", "gossip"), "findings.0.category"),
    "rule-check": (lambda document: document["charter"]["rules"][0].update(
        checks=["Not a code!"]), "rules.0.checks"),
    "window-day": (_window({"day": 7, "start": "08:00", "end": "18:00"}),
                   "posting_windows.0.day"),
    "window-backwards": (_window({"day": 0, "start": "18:00", "end": "08:00"}),
                         "posting_windows.0"),
    "window-time": (_window({"day": 0, "start": "8h", "end": "18:00"}),
                    "posting_windows.0.start"),
    "window-shape": (_window({"day": 0}), "posting_windows.0.start"),
}


@pytest.mark.parametrize(("change", "where"), CHANGES.values(), ids=CHANGES.keys())
def test_values_the_app_never_writes_are_refused(app, document, change, where):
    with pytest.raises(TransferError) as refused:
        read_document(_text(document, change))
    assert where in str(refused.value)


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity"])
@pytest.mark.parametrize("where", ["score", "event"])
def test_a_number_no_database_stores_is_refused(app, document, number, where):
    """Read as infinity or NaN, which PostgreSQL's JSON (and a grade) cannot hold."""
    change = _grade(SCORE) if where == "score" else _event({"seconds": SCORE})
    text = _text(document, change).replace(str(SCORE).encode(), number.encode())
    assert number.encode() in text
    with pytest.raises(TransferError, match=number.lstrip("-")):
        read_document(text)


@pytest.mark.parametrize("score", [math.inf, math.nan])
def test_the_schema_itself_wants_a_finite_score(score):
    grade = {"criterion": "identity", "student": "lea.martin", "score": score, "comment": "",
             "graded_by": None, "updated_at": "2026-10-01T08:00:00"}
    with pytest.raises(ValidationError, match="finite"):
        GradePart.model_validate(grade)


def _write(tmp_path: Path, text: bytes) -> str:
    file = tmp_path / "class.json"
    file.write_bytes(text)
    return str(file)


def _refused(second_app: Any, file: str) -> str:
    """Import `file` into the empty second deployment: refused, nothing written."""
    result = second_app.test_cli_runner().invoke(cli, ["import-class", file])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    uploads = uploads_dir(second_app.instance_path)
    assert not uploads.exists() or not any(path.is_file() for path in uploads.rglob("*"))
    return result.stderr


@pytest.mark.parametrize("data", [
    {"recipient_id": 1},
    {"content_kind": "post", "content_id": 1},
], ids=["recipient-id", "content-id"])
def test_a_database_id_in_an_event_is_refused(document, second_app, inside, tmp_path, data):
    """An id would point at a row of the new database: another class's student, a post…"""
    file = _write(tmp_path, _text(document, _event(data)))
    with inside(second_app):
        stderr = _refused(second_app, file)
        name = next(name for name in data if name.endswith("_id"))
        assert name in stderr and "1" in stderr


def test_a_picture_over_pillows_limit_is_refused(document, second_app, inside, tmp_path,
                                                 monkeypatch):
    """Pillow only warns between its limit and twice its limit: here that warning refuses."""
    file = _write(tmp_path, _text(document, lambda document: None))
    avatar = 400 * 400
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", avatar - 1)
    with inside(second_app):
        assert _refused(second_app, file).strip().endswith(
            _("A picture in the document has too many pixels to be opened safely."))


def _too_large(file: str) -> str:
    """The refusal, as the command words it in this app's language."""
    with pytest.raises(TransferError) as refused:
        transfer_cli._read_document_file(Path(file))
    return str(refused.value)


def test_a_document_over_the_size_limit_is_refused(document, second_app, inside, tmp_path,
                                                   monkeypatch):
    text = _text(document, lambda document: None)
    file = _write(tmp_path, text)
    monkeypatch.setattr(transfer_cli, "MAX_DOCUMENT_BYTES", len(text) - 1)
    with inside(second_app):
        assert _refused(second_app, file).strip().endswith(_too_large(file))
        monkeypatch.setattr(transfer_cli, "MAX_DOCUMENT_BYTES", len(text))
        assert second_app.test_cli_runner().invoke(
            cli, ["import-class", file]).exit_code == 0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_file_with_no_size_is_read_no_further_than_the_limit(second_app, inside,
                                                                monkeypatch):
    monkeypatch.setattr(transfer_cli, "MAX_DOCUMENT_BYTES", 2**20)
    with inside(second_app):
        assert _refused(second_app, "/dev/zero").strip().endswith(_too_large("/dev/zero"))


def test_the_grades_of_a_class_keep_a_valid_score(document, second_app, inside, tmp_path):
    """The rules above let a real class through: its grade comes back as it was."""
    file = _write(tmp_path, _text(document, _grade(19.75)))
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(cli, ["import-class", file])
        assert result.exit_code == 0, result.output
        assert db.session.scalars(sa.select(Grade.score)).all() == [19.75]
        lea = db.session.scalar(sa.select(User).where(User.username == "lea.martin"))
        assert lea.profile.visibility == {"about": "teacher"}
        assert json.dumps(lea.profile.visibility) == '{"about": "teacher"}'
