"""A whole class moves to another deployment: export → import into an empty database → export
again gives the same document, and the class works there as it did."""

from __future__ import annotations

import dataclasses
import json

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.cli import cli
from sandbox.dashboard.figures import class_figures
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.posts.models import Post
from sandbox.transfer.document import dump_document
from sandbox.transfer.exporter import export_class, find_class
from tests.conftest import PASSWORD, login_client
from tests.factories import Factories
from tests.transfer.semester import SMS_NOTE, build_semester, make_world


def _figures_by_username(klass) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    students = {user.id: user.username for user in db.session.scalars(
        sa.select(User).where(User.class_id == klass.id))}
    figures = {}
    for user_id, row in class_figures(klass).items():
        values = {field.name: getattr(row, field.name) for field in dataclasses.fields(row)}
        values.pop("student", None)  # the person, as loaded by each deployment
        figures[students[user_id]] = values
    return figures


def test_a_class_moves_and_exports_to_the_same_document(app, school, factories, second_app,
                                                        inside, tmp_path):
    made = build_semester(school, factories, lambda user: login_client(app, user))
    code = school["class"].join_code
    first = tmp_path / "first.json"
    result = app.test_cli_runner().invoke(cli, ["export-class", code, "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # nothing of this class points outside it
    figures_before = _figures_by_username(school["class"])
    photo_bytes = (uploads_dir(app.instance_path) / made["photo"].image_path).read_bytes()

    with inside(second_app):
        make_world(Factories(PASSWORD))  # the new server has loaded the same seed
        imported = second_app.test_cli_runner().invoke(cli, ["import-class", str(first)])
        assert imported.exit_code == 0, imported.output
        assert code in imported.output and "3" in imported.output
        second = tmp_path / "second.json"
        again = second_app.test_cli_runner().invoke(cli, ["export-class", code, "-o",
                                                          str(second)])
        assert again.exit_code == 0, again.output
        assert second.read_bytes() == first.read_bytes()

        # The class works there: same figures, logins, pictures.
        klass = find_class(code)
        assert _figures_by_username(klass) == figures_before
        photo = db.session.scalars(sa.select(Post).where(Post.image_path.is_not(None))).one()
        assert (uploads_dir(second_app.instance_path) / photo.image_path).read_bytes() \
            == photo_bytes
        lea = second_app.test_client()
        assert lea.post("/login", data={"username": "lea.martin", "password": PASSWORD}
                        ).status_code == 302
        # The charter changed after Léa signed it: she is asked to sign the new version first.
        assert lea.get("/feed").headers["Location"].startswith("/charter/sign")
        teacher = second_app.test_client()
        teacher.post("/login", data={"username": "prof.durand", "password": PASSWORD})
        name = photo.image_path.rsplit("/", 1)[-1]
        with teacher.get(f"/posts/{photo.id}/images/{name}") as picture:
            assert picture.status_code == 200 and picture.data == photo_bytes


def test_the_document_holds_everything_and_no_database_id(app, school, factories):
    build_semester(school, factories, lambda user: login_client(app, user))
    document = export_class(school["class"]).document
    text = dump_document(document)
    assert text == dump_document(export_class(school["class"]).document)  # deterministic
    assert (document["format"], document["version"]) == ("tremplin-class", 2)
    assert document["class"]["teachers"] == ["prof.assistante", "prof.durand"]
    people = {person["username"]: person for person in document["people"]}
    assert sorted(people) == ["hugo.petit", "ines.moreau", "lea.martin", "prof.assistante",
                              "prof.durand"]
    lea = people["lea.martin"]
    assert lea["password_hash"].startswith("pbkdf2:") and lea["last_login_at"]
    assert people["ines.moreau"]["pseudonym"] == "Nesa"
    network = document["network"]
    profile = lea["profile"]
    assert profile["photo"] and profile["banner"] and profile["visibility"]["about"] == "teacher"
    assert [skill["name"] for skill in profile["skills"]] == ["Export", "Négociation"]
    assert profile["skills"][0]["endorsements"][0]["endorser"] == "hugo.petit"
    assert [len(profile[name]) for name in ("experiences", "education", "languages", "links")] \
        == [1, 1, 1, 1]
    assert document["charter"]["settings"]["version"] == 2
    assert document["charter"]["settings"]["forbidden_words"] == ["nul"]
    assert {finding["outcome"] for finding in document["findings"]} == {"fixed", "flagged"}
    cases = document["moderation"]["cases"]
    assert sorted(case["status"] for case in cases) == ["approved", "hidden", "open", "open"]
    assert len(network["introductions"]) == 2
    _about_the_flagged_introduction(document)
    assert any(case["reports"] for case in cases)
    assert {entry["action"] for entry in document["moderation"]["audit"]} >= {
        "charter_edit", "flag", "hide", "report"}
    assert len(document["rubric"]["grades"]) == 4
    assert len(network["connections"]) == 4
    assert network["outcomes"][0]["contact"] == "hugo.petit"
    assert network["contact_lists"][0]["members"] == ["hugo.petit"]
    shares = [post for post in document["posts"] if post["shared_post"]]
    assert len(shares) == 1 and shares[0]["author"] == "hugo.petit"
    assert [len(c["messages"]) for c in document["conversations"]] == [2]
    assert document["groups"][0]["members"]
    kinds = {event["kind"] for event in document["events"]}
    assert {"post_created", "post_shared", "commented", "liked_post", "message_sent",
            "invitation_sent", "charter_edited", "moderation_hide"} <= kinds
    # References are keys, never ids: no event keeps a number where an id was.
    for event in document["events"]:
        for name, value in event["data"].items():
            if name.endswith("_id") or name == "played_by":
                assert value is None or isinstance(value, str), (event["kind"], name, value)
    assert '"id"' not in text


def _about_the_flagged_introduction(document: dict) -> None:
    """The case, findings, audit entries and events about the flagged introduction note all
    point at the introduction's key."""
    flagged = [item for item in document["network"]["introductions"]
               if item["note"] == SMS_NOTE]
    assert len(flagged) == 1
    key = flagged[0]["key"]
    case = next(case for case in document["moderation"]["cases"]
                if case["content_kind"] == "introduction")
    assert (case["content"], case["status"], case["author"]) == (key, "approved", "hugo.petit")
    findings = [f for f in document["findings"] if f["content_kind"] == "introduction"]
    assert findings and all(f["content"] == key and f["outcome"] == "flagged"
                            for f in findings)
    audit = [entry for entry in document["moderation"]["audit"]
             if entry["content_kind"] == "introduction"]
    assert {entry["action"] for entry in audit} == {"flag", "approve"}
    assert all(entry["content"] == key for entry in audit)
    events = [event for event in document["events"]
              if event["data"].get("content_kind") == "introduction"]
    assert [event["kind"] for event in events] == ["moderation_approve"]
    assert events[0]["data"]["content_id"] == key


def test_teacher_events_come_only_when_about_the_class(app, school, factories):
    teacher = school["teacher"]
    client = login_client(app, teacher)  # a login is about no class: not exported
    assert client.get("/").status_code in (200, 302)
    build_semester(school, factories, lambda user: login_client(app, user))
    events = export_class(school["class"]).document["events"]
    teacher_events = [event for event in events if event["user"] == "prof.durand"]
    assert teacher_events and all(not event["in_class"] for event in teacher_events)
    assert "logged_in" not in {event["kind"] for event in teacher_events}
    assert all(event["subject"] for event in teacher_events)


def test_the_json_is_sorted_indented_utf8(app, school):
    text = dump_document(export_class(school["class"]).document)
    assert text.startswith("{\n  \"applications\": ")
    assert json.loads(text)["class"]["name"] == "BTS CI 1"
    assert "\\u" not in text  # accents are written as they are


def test_a_class_moves_into_the_suites_database(app, second_app, inside, tmp_path):
    """The other way round: made on the second deployment, imported into the suite's database
    (PostgreSQL when DATABASE_URL says so)."""
    with inside(second_app):
        factories = Factories(PASSWORD)
        teacher = factories.make_teacher(username="prof.durand")
        klass = factories.make_class(teacher, name="BTS CI 2")
        school = {"class": klass, "teacher": teacher,
                  "student": factories.make_student(klass, username="lea.martin"),
                  "classmate": factories.make_student(klass, username="hugo.petit")}
        build_semester(school, factories, lambda user: login_client(second_app, user))
        code = klass.join_code
        first = dump_document(export_class(klass).document)
    file = tmp_path / "class.json"
    file.write_text(first, encoding="utf-8")
    make_world(Factories(PASSWORD))
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["import-class", str(file)]).exit_code == 0
    assert runner.invoke(cli, ["export-class", code]).stdout == first
