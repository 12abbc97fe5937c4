"""`POST /api/charter/check` and `sandbox charter-check`: the engine's verdict as JSON."""

from __future__ import annotations

import json

import sqlalchemy as sa

from sandbox.charter.cli import charter_check_command
from sandbox.charter.models import CharterRule
from sandbox.extensions import db

PHONE = "Appelez-moi au 06 12 34 56 78 pour le stage."


def test_a_student_gets_the_findings_of_their_text(school, client_as):
    response = client_as(school["student"]).post("/api/charter/check", json={"text": PHONE})
    assert response.status_code == 200
    report = response.get_json()
    assert report["lang"] == "fr"
    [finding] = [f for f in report["findings"] if f["category"] == "phone"]
    assert PHONE[finding["start"]:finding["end"]] == finding["excerpt"] == "06 12 34 56 78"
    assert finding["rule"] == "personal_information" and finding["severity"] == "block"
    assert finding["message"]


def test_each_student_is_checked_against_their_own_class_charter(school, client_as):
    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == school["class"].id,
        CharterRule.code == "personal_information")).one()
    rule.enabled = False
    db.session.commit()
    mine = client_as(school["student"]).post("/api/charter/check", json={"text": PHONE})
    theirs = client_as(school["other_student"]).post("/api/charter/check", json={"text": PHONE})
    assert "phone" not in {f["category"] for f in mine.get_json()["findings"]}
    assert "phone" in {f["category"] for f in theirs.get_json()["findings"]}


def test_bad_requests_get_a_clear_answer(school, client_as):
    client = client_as(school["student"])
    assert client.post("/api/charter/check", data="text").status_code == 400
    assert client.post("/api/charter/check", json={"text": 3}).status_code == 400
    too_long = client.post("/api/charter/check", json={"text": "a" * 3_001})
    assert too_long.status_code == 413 and "error" in too_long.get_json()


def test_anonymous_visitors_cannot_use_the_engine(client):
    response = client.post("/api/charter/check", json={"text": PHONE})
    assert response.status_code in (302, 401)


def test_the_cli_prints_the_same_json(app):
    runner = app.test_cli_runner()
    result = runner.invoke(charter_check_command, ["--json", PHONE])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {"lang", "findings"}
    [finding] = [f for f in report["findings"] if f["category"] == "phone"]
    assert set(finding) >= {"category", "rule", "start", "end", "excerpt", "message",
                            "severity"}


def test_the_cli_reads_standard_input_and_a_class(app, school):
    runner = app.test_cli_runner()
    result = runner.invoke(charter_check_command, ["--lang", "en", "--json", "-"],
                           input="Call me on 07700 900123.")
    report = json.loads(result.output)
    assert report["lang"] == "en"
    assert "phone" in {f["category"] for f in report["findings"]}

    code = school["class"].join_code
    human = runner.invoke(charter_check_command, ["--class", code, PHONE])
    assert human.exit_code == 0 and "[phone] personal_information (block)" in human.output
    unknown = runner.invoke(charter_check_command, ["--class", "NOPE-0000", PHONE])
    assert unknown.exit_code != 0
