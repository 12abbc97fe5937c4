"""The charter at save time: block refuses, coach asks once, flag publishes for the teacher.

The texts are real ones the engine must catch (a phone number is blocked by the default charter,
SMS language is coached); each class's own severities are honoured.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.charter.models import CharterRule, Severity
from sandbox.core.errors import ServiceError
from sandbox.extensions import db
from sandbox.messages.services import send_message
from sandbox.moderation.models import AuditEntry, ModerationCase
from sandbox.network.services import connect
from sandbox.posts.comment_services import add_comment
from sandbox.posts.models import Comment, Post
from sandbox.posts.services import create_post

PHONE = "Appelez-moi au 06 12 34 56 78 pour le stage."
SMS = "slt tout le monde, jsp si je viens demain."


def count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def set_severity(klass: Any, code: str, severity: Severity) -> None:
    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == klass.id, CharterRule.code == code)).one()
    rule.severity = severity
    db.session.commit()


def test_a_blocked_finding_refuses_the_post_and_writes_nothing(school):
    with pytest.raises(CharterRefusal) as refused:
        create_post(school["student"], body=PHONE, audience="network")
    assert refused.value.field == "body"
    assert [f.category.value for f in refused.value.findings] == ["phone"]
    assert count(Post) == 0 and count(AuditEntry) == 0


def test_coach_findings_ask_once_then_the_override_is_recorded(school):
    student = school["student"]
    with pytest.raises(CharterCoaching) as coached:
        create_post(student, body=SMS, audience="network")
    assert {f.category.value for f in coached.value.findings} == {"sms"}
    assert count(Post) == 0

    post = create_post(student, body=SMS, audience="network", charter_ack=True)
    entry = db.session.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.content_kind, entry.content_id) == ("override", "post", post.id)
    assert entry.actor_id == student.id and entry.class_id == school["class"].id
    assert {f["category"] for f in entry.data["findings"]} == {"sms"}
    assert db.session.scalar(sa.select(ActivityEvent.kind).where(
        ActivityEvent.kind == "charter_override")) == "charter_override"


def test_acknowledging_never_lets_a_blocked_text_through(school):
    with pytest.raises(CharterRefusal):
        create_post(school["student"], body=PHONE, audience="network", charter_ack=True)
    assert count(Post) == 0


def test_a_flagged_finding_publishes_and_opens_a_case_for_the_teacher(school):
    set_severity(school["class"], "no_sms_language", Severity.FLAG)
    post = create_post(school["student"], body=SMS, audience="network")
    case = db.session.scalars(sa.select(ModerationCase)).one()
    assert (case.content_kind.value, case.content_id) == ("post", post.id)
    assert case.flagged and case.class_id == school["class"].id
    assert {f["category"] for f in case.findings} == {"sms"}
    assert case.excerpt == SMS


def test_each_class_decides_its_severities(school):
    set_severity(school["class"], "personal_information", Severity.COACH)
    with pytest.raises(CharterCoaching):
        create_post(school["student"], body=PHONE, audience="network")
    # The other class keeps the default: blocked.
    with pytest.raises(CharterRefusal):
        create_post(school["other_student"], body=PHONE, audience="network")


def test_a_disabled_rule_checks_nothing(school):
    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == school["class"].id,
        CharterRule.code == "personal_information")).one()
    rule.enabled = False
    db.session.commit()
    assert create_post(school["student"], body=PHONE, audience="network").id


def test_teachers_are_not_screened(school):
    assert create_post(school["teacher"], body=SMS, audience="network").id


def test_comments_and_messages_go_through_the_same_gate(school):
    student, classmate = school["student"], school["classmate"]
    post = create_post(classmate, body="Qui vient au forum des métiers ?", audience="network")
    with pytest.raises(CharterRefusal):
        add_comment(student, post.id, PHONE)
    assert count(Comment) == 0
    connect(student, classmate)
    db.session.commit()
    with pytest.raises(CharterCoaching):
        send_message(student, classmate.id, SMS)
    assert send_message(student, classmate.id, SMS, charter_ack=True).id


# ---- through the pages: nothing typed is lost ----------------------------------------------


def test_the_composer_shows_the_refusal_with_the_text_as_typed(school, client_as):
    client = client_as(school["student"])
    response = client.post("/posts/", data={"body": PHONE, "audience": "network"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "pour le stage.</textarea>" in page  # the text comes back as typed
    assert '<mark class="charter-mark"' in page and "06 12 34 56 78</mark>" in page
    assert 'name="charter_ack"' not in page  # a blocked text cannot be sent anyway
    assert count(Post) == 0


def test_the_composer_offers_to_publish_anyway_after_advice(school, client_as):
    client = client_as(school["student"])
    first = client.post("/posts/", data={"body": SMS, "audience": "network"})
    assert first.status_code == 422 and 'name="charter_ack"' in first.get_data(as_text=True)
    second = client.post("/posts/", data={"body": SMS, "audience": "network",
                                          "charter_ack": "1"})
    assert second.status_code == 302 and count(Post) == 1


def test_a_refused_comment_comes_back_on_its_own_page(school, client_as):
    post = create_post(school["classmate"], body="Qui vient au forum ?", audience="network")
    response = client_as(school["student"]).post(f"/posts/{post.id}/comments",
                                                 data={"body": PHONE})
    assert response.status_code == 422
    assert "pour le stage.</textarea>" in response.get_data(as_text=True)


def test_a_refused_message_sent_with_javascript_gets_the_findings(school, client_as):
    connect(school["student"], school["classmate"])
    db.session.commit()
    response = client_as(school["student"]).post(
        f"/messages/{school['classmate'].id}", data={"body": PHONE},
        headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert [f["category"] for f in response.get_json()["findings"]] == ["phone"]


def test_outside_the_posting_windows_students_neither_post_nor_comment(school):
    from datetime import UTC, datetime

    from sandbox.charter.models import ClassCharter
    from sandbox.charter.windows import posting_open

    charter = db.session.get(ClassCharter, school["class"].id)
    today = datetime.now(UTC).weekday()
    # A one-minute window on another day: posting is closed now.
    charter.posting_windows = [{"day": (today + 3) % 7, "start": "08:00", "end": "08:01"}]
    db.session.commit()
    assert not posting_open(charter)
    post = create_post(school["teacher"], body="Le sujet du devoir est en ligne.",
                       audience="network")  # teachers are not bound by the windows
    with pytest.raises(ServiceError, match="08:00"):
        create_post(school["student"], body="Bonjour à tous.", audience="network")
    with pytest.raises(ServiceError, match="08:00"):
        add_comment(school["student"], post.id, "Merci beaucoup.")
    # The other class has no window.
    assert create_post(school["other_student"], body="Bonjour à tous.", audience="network").id


def test_short_fields_refuse_what_is_blocked_without_asking_for_advice(school):
    """A profile entry, a pseudonym: blocked words are refused; advice is not asked for."""
    from sandbox.profiles.models import Experience
    from sandbox.profiles.services import ItemKind, add_item

    student = school["student"]
    entry = {"role": "Vendeur", "organisation": "Boutique du centre",
             "start_date": None, "end_date": None}
    with pytest.raises(CharterRefusal):
        add_item(student, ItemKind.EXPERIENCES,
                 {**entry, "description": "Appelez-moi au 06 12 34 56 78."})
    assert count(Experience) == 0
    add_item(student, ItemKind.EXPERIENCES, {**entry, "description": "slt, g vendu des trucs"})
    assert count(Experience) == 1 and count(AuditEntry) == 0
