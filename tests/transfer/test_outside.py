"""What links a class to the outside is left out of its document, counted, and the document
stays the same after an import and a new export."""

from __future__ import annotations

import json

from flask import g

from sandbox.charter.models import CharterRule, Severity
from sandbox.cli import cli
from sandbox.extensions import db
from sandbox.network.follows import follow_company
from sandbox.network.journal import add_outcome
from sandbox.posts.comment_services import add_comment
from sandbox.posts.like_services import like_post
from sandbox.posts.services import create_post
from sandbox.transfer.cli import _omission_line
from sandbox.transfer.exporter import export_class
from tests.transfer.semester import SMS, connect_through_invitation


def test_a_persona_connection_is_left_out_and_counted(app, school, runner):
    lea, persona = school["student"], school["persona"]
    connect_through_invitation(lea, persona, "Bonjour, votre métier m'intéresse beaucoup.")
    connect_through_invitation(lea, school["classmate"])
    add_outcome(lea, "advice", contact_id=persona.id, note="Un conseil de recruteuse")

    exported = export_class(school["class"])
    assert exported.omitted["connections"] == 1 and exported.omitted["invitations"] == 1
    text = json.dumps(exported.document, ensure_ascii=False)
    assert "claire.recruteuse" not in text
    assert [(c["user"], c["contact"]) for c in exported.document["network"]["connections"]] \
        == [("hugo.petit", "lea.martin"), ("lea.martin", "hugo.petit")]
    # The journal line stays, without the contact outside the class.
    assert exported.document["network"]["outcomes"][0]["contact"] is None

    result = runner.invoke(cli, ["export-class", school["class"].join_code])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["format"] == "tremplin-class"
    # In the school's language (French by default, now that the catalogue has it).
    assert _omission_line("connections", 1) in result.stderr.splitlines()


def test_content_outside_the_class_is_left_out(app, school, factories):
    lea, nina, persona = school["student"], school["other_student"], school["persona"]
    theirs = create_post(persona, body="Nous recrutons des stagiaires.", audience="network",
                         charter_ack=True)
    add_comment(lea, theirs.id, "Je suis intéressée par votre offre.", charter_ack=True)
    like_post(lea, theirs.id)
    ours = create_post(lea, body="Mon premier message.", audience="network", charter_ack=True)
    like_post(persona, ours.id)
    follow_company(lea, persona.persona.company.slug)
    share = create_post(lea, body="À lire", audience="network", shared_post_id=theirs.id,
                        charter_ack=True)
    exported = export_class(school["class"])
    document = exported.document
    assert [post["body"] for post in document["posts"]] == ["Mon premier message.", "À lire"]
    assert all(post["likes"] == [] for post in document["posts"])
    assert document["comments"] == []
    assert document["posts"][1]["shared_post"] is None  # the quoted post is outside
    assert exported.omitted["comments"] == 1 and exported.omitted["follows"] == 1
    assert exported.omitted["reactions"] == 1  # the persona's like of Léa's post
    assert share.shared_post_id == theirs.id and nina.username not in str(document)


def test_a_case_about_a_text_outside_keeps_its_findings(app, school, second_app, inside,
                                                        tmp_path):
    """Léa's flagged invitation to a persona is left out, but its case and finding stay,
    still about the same (gone) text, and the document survives a round trip."""
    rule = db.session.query(CharterRule).filter_by(class_id=school["class"].id,
                                                    code="no_sms_language").one()
    rule.severity = Severity.FLAG
    db.session.commit()
    g.pop("charter_policies", None)
    connect_through_invitation(school["student"], school["persona"], SMS)
    document = export_class(school["class"]).document
    [case] = document["moderation"]["cases"]
    assert (case["content_kind"], case["content"]) == ("invitation", "gone-1")
    assert {finding["content"] for finding in document["findings"]} == {"gone-1"}
    assert [entry["content"] for entry in document["moderation"]["audit"]] == ["gone-1"]

    first = tmp_path / "class.json"
    app.test_cli_runner().invoke(cli, ["export-class", school["class"].join_code, "-o",
                                       str(first)])
    with inside(second_app):
        runner = second_app.test_cli_runner()
        assert runner.invoke(cli, ["import-class", str(first)]).exit_code == 0
        again = runner.invoke(cli, ["export-class", school["class"].join_code])
        assert again.stdout == first.read_text(encoding="utf-8")


def test_a_teacher_of_two_classes_brings_only_this_class(app, school, factories):
    teacher, other = school["teacher"], school["other_class"]
    other.teachers.append(teacher)
    db.session.commit()
    create_post(school["other_student"], body="Bonjour la classe.", audience="network",
                charter_ack=True)
    document = export_class(school["class"]).document
    assert [person["username"] for person in document["people"]] == [
        "hugo.petit", "lea.martin", "prof.durand"]
    assert document["posts"] == []
