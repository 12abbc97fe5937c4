"""The charter flags a text: its case opens (or reopens) with the findings, in the save's
commit."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.charter.engine import Category
from sandbox.charter.gate import Screening, settle
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, CaseStatus, ContentKind, ModerationCase
from sandbox.moderation.services import flag_content
from tests.moderation.conftest import finding


def test_a_flag_opens_a_case_with_the_findings_as_json(people, content):
    lea = people["student"]
    text = "Appelle-moi au 06 12 34 56 78"
    post = content.post(lea, text)
    case = flag_content(lea, ContentKind.POST, post.id, text, [finding(text, "06 12 34 56 78")])
    db.session.commit()
    assert case.flagged and case.status is CaseStatus.OPEN and case.report_count == 0
    assert case.class_id == people["class"].id and case.excerpt == text
    assert case.findings == [{
        "category": "phone", "rule": "personal_information", "start": 15, "end": 29,
        "excerpt": "06 12 34 56 78", "message": "Do not publish a phone number.",
        "fix": "Remove it.", "severity": "flag",
    }]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "flag"))
    assert entry.actor_id == lea.id and entry.data == {"categories": ["phone"]}


def test_flagging_does_not_commit_by_itself(people, content):
    post = content.post(people["student"], "Texte")
    flag_content(people["student"], ContentKind.POST, post.id, "Texte", [])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationCase)) == 0


def test_the_same_content_flagged_again_updates_and_reopens_its_case(people, content):
    lea = people["student"]
    post = content.post(lea, "Premier 06 12 34 56 78")
    case = flag_content(lea, ContentKind.POST, post.id, post.body,
                        [finding(post.body, "06 12 34 56 78")])
    case.status = CaseStatus.APPROVED
    db.session.commit()
    edited = "Écris-moi : lea@example.com"
    flag_content(lea, ContentKind.POST, post.id, edited,
                 [finding(edited, "lea@example.com", Category.EMAIL)])
    db.session.commit()
    cases = db.session.scalars(sa.select(ModerationCase)).all()
    assert len(cases) == 1
    assert cases[0].status is CaseStatus.OPEN and cases[0].excerpt == edited
    assert [f["category"] for f in cases[0].findings] == ["email"]


def test_a_hidden_case_keeps_the_teachers_decision(people, content):
    lea = people["student"]
    post = content.post(lea, "Texte")
    case = flag_content(lea, ContentKind.POST, post.id, "Texte", [])
    case.status = CaseStatus.HIDDEN
    db.session.commit()
    flag_content(lea, ContentKind.POST, post.id, "Texte modifié", [])
    db.session.commit()
    assert db.session.scalar(sa.select(ModerationCase.status)) is CaseStatus.HIDDEN


def test_the_gate_settles_flagged_findings_into_the_queue(people, content):
    """`settle` (the charter's gate) hands what it let through to `flag_content`."""
    lea = people["student"]
    text = "Mon tuteur M. Dupont est un voleur"
    post = content.post(lea, text)
    screening = Screening(texts={"body": text},
                          flagged=[("body", finding(text, "voleur", Category.DEFAMATION,
                                                    "respect"))])
    settle(screening, lea, ContentKind.POST, post.id)
    db.session.commit()
    case = db.session.scalar(sa.select(ModerationCase))
    assert case.content_id == post.id and case.findings[0]["category"] == "defamation"
    assert text[case.findings[0]["start"]:case.findings[0]["end"]] == "voleur"
