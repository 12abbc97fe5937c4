"""What the dashboard learns from the gate: each finding of a sent text, and what became of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.charter.models import CharterFinding, CharterRule, FindingOutcome, Severity
from sandbox.extensions import db
from sandbox.posts.comment_services import add_comment
from sandbox.posts.services import create_post

PHONE = "Appelez-moi au 06 12 34 56 78 pour le stage."
SMS = "slt tout le monde, jsp si je viens demain."
CLEAN = "Bonjour à tous, je serai présent demain pour la visite."


def findings() -> list[CharterFinding]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CharterFinding).order_by(CharterFinding.id)))


def outcomes() -> list[tuple[str, FindingOutcome]]:
    return [(row.category, row.outcome) for row in findings()]


def test_a_refusal_is_kept_even_though_nothing_was_published(school):
    with pytest.raises(CharterRefusal):
        create_post(school["student"], body=PHONE, audience="network")
    row = findings()[0]
    assert (row.category, row.outcome, row.severity) == ("phone", FindingOutcome.BLOCKED,
                                                         Severity.BLOCK)
    assert row.user_id == school["student"].id and row.class_id == school["class"].id
    assert row.content_id is None and row.resolved_at is None
    assert row.context[row.context_start:row.context_end] == row.excerpt == "06 12 34 56 78"


def test_sending_the_same_words_again_is_one_finding(school):
    for _attempt in range(3):
        with pytest.raises(CharterRefusal):
            create_post(school["student"], body=PHONE, audience="network")
    assert len(findings()) == 1


def test_a_changed_text_marks_the_pending_findings_fixed(school):
    student = school["student"]
    with pytest.raises(CharterRefusal):
        create_post(student, body=PHONE, audience="network")
    post = create_post(student, body=CLEAN, audience="network")
    row = findings()[0]
    assert (row.outcome, row.content_id) == (FindingOutcome.FIXED, post.id)
    assert row.resolved_at is not None


def test_publishing_anyway_marks_the_advice_overridden(school):
    student = school["student"]
    with pytest.raises(CharterCoaching):
        create_post(student, body=SMS, audience="network")
    assert {outcome for _, outcome in outcomes()} == {FindingOutcome.COACHED}
    create_post(student, body=SMS, audience="network", charter_ack=True)
    assert {outcome for _, outcome in outcomes()} == {FindingOutcome.OVERRIDDEN}
    assert {category for category, _ in outcomes()} == {"sms"}


def test_a_post_refusal_is_not_settled_by_a_comment(school):
    student = school["student"]
    with pytest.raises(CharterRefusal):
        create_post(student, body=PHONE, audience="network")
    post = create_post(school["classmate"], body=CLEAN, audience="network")
    add_comment(student, post.id, "Merci pour l'information, à demain.")
    assert outcomes() == [("phone", FindingOutcome.BLOCKED)]


def test_flagged_findings_are_kept_with_the_published_content(school):
    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == school["class"].id,
        CharterRule.code == "no_sms_language")).one()
    rule.severity = Severity.FLAG
    db.session.commit()
    post = create_post(school["student"], body=SMS, audience="network")
    rows = findings()
    assert rows and {(r.outcome, r.content_kind, r.content_id) for r in rows} == {
        (FindingOutcome.FLAGGED, "post", post.id)}


def test_teachers_texts_are_not_screened_nor_recorded(school):
    create_post(school["teacher"], body=SMS, audience="network")
    assert findings() == []


def test_a_blocked_comment_is_not_fixed_by_a_comment_on_another_post(school):
    student, hugo = school["student"], school["classmate"]
    first = create_post(hugo, body=CLEAN, audience="network")
    second = create_post(hugo, body="Qui vient à la visite de l’entreprise jeudi ?",
                         audience="network")
    with pytest.raises(CharterRefusal):
        add_comment(student, first.id, PHONE)
    add_comment(student, second.id, "Moi, je serai là jeudi matin.")
    assert outcomes() == [("phone", FindingOutcome.BLOCKED)]
    comment = add_comment(student, first.id, "Écrivez-moi par message privé, merci.")
    row = findings()[0]
    assert (row.outcome, row.content_id) == (FindingOutcome.FIXED, comment.id)


def test_saving_a_flagged_text_again_keeps_one_finding_per_words(school):
    from sandbox.posts.services import edit_post

    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == school["class"].id,
        CharterRule.code == "no_sms_language")).one()
    rule.severity = Severity.FLAG
    db.session.commit()
    post = create_post(school["student"], body=SMS, audience="network")
    first = len(findings())
    edit_post(school["student"], post.id, SMS + " Merci.")
    edit_post(school["student"], post.id, SMS + " Merci beaucoup.")
    assert len(findings()) == first
