"""A teacher's decisions: each one changes what people see, is audited, and is refused to anyone
who does not teach the author's class."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.moderation.actions import decide, hide_from_card
from sandbox.moderation.models import AuditEntry, CaseStatus, ContentKind, ModerationCase
from sandbox.moderation.reports import report_content
from sandbox.moderation.services import flag_content
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from tests.moderation.conftest import finding


def reported(people, content, body="Mon stage chez Transports Lefort, nuls"):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, body)
    report = report_content(hugo, "post", post.id, "insult")
    return post, db.session.get(ModerationCase, report.case_id)


def test_a_hidden_post_leaves_the_feed_search_notifications_and_its_page(people, content,
                                                                         client_as):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    post, case = reported(people, content)
    notify(hugo, "mentioned", actor=lea, subject=post, post_id=post.id)
    db.session.commit()
    reader = client_as(hugo)
    marker = f'data-post-id="{post.id}"'
    assert marker in reader.get("/").get_data(as_text=True)
    assert marker in reader.get("/search?q=Lefort").get_data(as_text=True)
    assert "mentioned you" in reader.get("/notifications/").get_data(as_text=True)

    answer = client_as(teacher).post(f"/moderation/cases/{case.id}/hide",
                                     data={"reason": "Insulte", "next": "/moderation"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/moderation"

    assert marker not in reader.get("/").get_data(as_text=True)
    assert marker not in reader.get("/search?q=Lefort").get_data(as_text=True)
    assert "mentioned you" not in reader.get("/notifications/").get_data(as_text=True)
    assert reader.get(f"/posts/{post.id}").status_code == 404
    db.session.refresh(case)
    db.session.refresh(post)
    assert case.status is CaseStatus.HIDDEN and post.hidden_at is not None
    assert case.resolved_by_id == teacher.id and post.deleted_at is None


def test_a_hidden_comment_disappears_and_comes_back_when_restored(people, content, client_as):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    post = content.post(hugo, "Mon stage commence lundi")
    comment = content.comment(lea, post, "Quel stage ridicule")
    reply = content.comment(hugo, post, "Merci quand même", parent_id=comment.id)
    report = report_content(hugo, "comment", comment.id, "insult")
    reader = client_as(hugo)
    assert f'id="comment-{comment.id}"' in reader.get(f"/posts/{post.id}").get_data(as_text=True)

    decide(teacher, report.case_id, "hide")
    page = reader.get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'id="comment-{comment.id}"' not in page and "Quel stage ridicule" not in page
    assert f'id="comment-{reply.id}"' not in page  # its replies go with it

    decide(teacher, report.case_id, "restore", "Malentendu")
    page = reader.get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in page and f'id="comment-{reply.id}"' in page
    assert db.session.get(ModerationCase, report.case_id).status is CaseStatus.APPROVED


def test_a_deleted_post_is_gone_for_good(people, content, client_as):
    post, case = reported(people, content)
    decide(people["teacher"], case.id, "delete", "Injurieux")
    db.session.refresh(post)
    assert post.deleted_at is not None
    assert client_as(people["classmate"]).get(f"/posts/{post.id}").status_code == 404
    with pytest.raises(ServiceError):
        decide(people["teacher"], case.id, "restore")
    assert db.session.get(ModerationCase, case.id).status is CaseStatus.DELETED


def test_a_hidden_message_shows_as_hidden_in_the_thread(people, content, client_as):
    lea, hugo = people["student"], people["classmate"]
    message = content.message(hugo, lea, "Tu es vraiment bête")
    report = report_content(lea, "message", message.id, "insult")
    decide(people["teacher"], report.case_id, "delete")
    for reader, other in ((lea, hugo), (hugo, lea)):
        page = client_as(reader).get(f"/messages/{other.id}").get_data(as_text=True)
        assert "Tu es vraiment bête" not in page
        assert "This message was hidden by a teacher." in page
    assert db.session.get(type(message), message.id).hidden_at is not None


def test_every_decision_is_audited_with_an_event(people, content):
    teacher = people["teacher"]
    post, case = reported(people, content)
    decide(teacher, case.id, "approve", "Rien de grave")
    decide(teacher, case.id, "hide")
    decide(teacher, case.id, "restore")
    decide(teacher, case.id, "warn", "Reste poli, s’il te plaît.", "respect")
    decide(teacher, case.id, "delete")
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.actor_id == teacher.id).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["approve", "hide", "restore", "warn", "delete"]
    assert entries[0].reason == "Rien de grave" and entries[3].data["rule"] == "respect"
    assert all(e.content_id == post.id and e.content_kind == "post" for e in entries)
    assert all(e.class_id == people["class"].id for e in entries)
    assert all(e.author_id == people["student"].id for e in entries)
    kinds = db.session.scalars(sa.select(ActivityEvent.kind).where(
        ActivityEvent.user_id == teacher.id).order_by(ActivityEvent.id)).all()
    assert kinds == ["moderation_approve", "moderation_hide", "moderation_restore",
                     "moderation_warn", "moderation_delete"]


def test_a_warning_tells_the_author_with_the_rule_explained(people, content, client_as):
    lea, teacher = people["student"], people["teacher"]
    post, case = reported(people, content)
    decide(teacher, case.id, "warn", "On ne se moque pas d’une entreprise.", "respect")
    told = db.session.scalar(sa.select(Notification).where(
        Notification.kind == "moderation_warning"))
    assert told.user_id == lea.id and told.actor_id == teacher.id
    assert told.subject_type == "AuditEntry"
    assert told.data == {"case_id": case.id, "content_kind": "post"}
    page = client_as(lea).get("/moderation/warnings").get_data(as_text=True)
    assert "A warning about your text" in page
    assert "The rule: No insult, defamation or discrimination" in page
    assert "On ne se moque pas d’une entreprise." in page
    assert "Mon stage chez Transports Lefort, nuls" in page
    # Nobody else reads it, not even the reporter.
    other = client_as(people["classmate"]).get("/moderation/warnings").get_data(as_text=True)
    assert "On ne se moque pas" not in other and "Transports Lefort" not in other


def test_the_author_learns_of_a_removal_but_not_the_teachers_reason(people, content,
                                                                    client_as):
    lea = people["student"]
    post, case = reported(people, content)
    decide(people["teacher"], case.id, "hide", "Signalé par Hugo")
    told = db.session.scalar(sa.select(Notification).where(Notification.user_id == lea.id))
    assert told.kind == "content_hidden" and told.data == {"case_id": case.id,
                                                           "content_kind": "post"}
    page = client_as(lea).get("/moderation/warnings").get_data(as_text=True)
    assert "A teacher hid one of your texts" in page and "Signalé par Hugo" not in page


def test_a_warning_needs_a_message(people, content, client_as):
    post, case = reported(people, content)
    client = client_as(people["teacher"])
    answer = client.post(f"/moderation/cases/{case.id}/warn", data={"reason": "  ",
                                                                     "rule": "respect"})
    assert answer.status_code == 422
    assert "Write the message the student will read." in answer.get_data(as_text=True)
    answer = client.post(f"/moderation/cases/{case.id}/warn",
                         data={"reason": "x" * 1001, "rule": "respect"})
    assert answer.status_code == 422 and "x" * 1001 in answer.get_data(as_text=True)
    answer = client.post(f"/moderation/cases/{case.id}/warn",
                         data={"reason": "Attention", "rule": "no_such_rule"})
    assert answer.status_code == 422
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "warn"))


def test_only_the_teachers_of_the_class_decide(people, content, client_as):
    post, case = reported(people, content)
    with pytest.raises(NotFound):
        decide(people["other_teacher"], case.id, "hide")
    for role in ("student", "classmate", "admin"):
        with pytest.raises(PermissionDenied):
            decide(people[role], case.id, "hide")
    assert client_as(people["other_teacher"]).post(
        f"/moderation/cases/{case.id}/hide").status_code == 404
    db.session.expire_all()
    assert db.session.get(ModerationCase, case.id).status is CaseStatus.OPEN
    assert db.session.get(type(post), post.id).hidden_at is None


def test_decisions_follow_the_cases_state(people, content, client_as):
    teacher = people["teacher"]
    post, case = reported(people, content)
    with pytest.raises(ServiceError):
        decide(teacher, case.id, "restore")  # not hidden
    decide(teacher, case.id, "approve")
    with pytest.raises(ServiceError):
        decide(teacher, case.id, "approve")
    with pytest.raises(NotFound):
        decide(teacher, case.id, "frobnicate")
    answer = client_as(teacher).post(f"/moderation/cases/{case.id}/restore",
                                     data={"next": "/moderation"})
    assert answer.status_code == 302  # with the reason why in a flash message


def test_content_its_author_deleted_can_no_longer_be_hidden(people, content):
    post, case = reported(people, content)
    post.deleted_at = db.func.now()
    db.session.commit()
    with pytest.raises(ServiceError):
        decide(people["teacher"], case.id, "hide")
    decide(people["teacher"], case.id, "approve")


def test_other_kinds_are_approved_or_warned_only(people, content):
    lea, teacher = people["student"], people["teacher"]
    text = "Appelle-moi au 06 12 34 56 78"
    case = flag_content(lea, ContentKind.PROFILE, lea.id, text, [finding(text, "06 12 34 56 78")])
    db.session.commit()
    for action in ("hide", "delete", "restore"):
        with pytest.raises(ServiceError):
            decide(teacher, case.id, action)
    decide(teacher, case.id, "warn", "Retire ton numéro de ton profil.", "personal_information")
    decide(teacher, case.id, "approve")
    assert db.session.get(ModerationCase, case.id).status is CaseStatus.APPROVED


def test_a_teacher_hides_straight_from_the_card(people, content, client_as):
    lea, teacher = people["student"], people["teacher"]
    post = content.post(lea, "Mon stage est nul")
    answer = client_as(teacher).post(f"/moderation/content/post/{post.id}/hide",
                                     data={"next": f"/posts/{post.id}"})
    db.session.expire_all()
    case = db.session.scalar(sa.select(ModerationCase))
    assert answer.headers["Location"] == f"/moderation/cases/{case.id}"
    assert case.status is CaseStatus.HIDDEN and case.excerpt == "Mon stage est nul"
    assert db.session.get(type(post), post.id).hidden_at is not None
    other = content.post(people["other_student"], "Autre classe")
    with pytest.raises(NotFound):
        hide_from_card(teacher, "post", other.id)
    with pytest.raises(PermissionDenied):
        hide_from_card(people["classmate"], "post", other.id)
    with pytest.raises(NotFound):
        hide_from_card(teacher, "post", post.id)  # already hidden


def test_message_threads_offer_report_to_the_recipient_only(people, content, client_as):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    received = content.message(hugo, lea, "Salut Léa")
    sent = content.message(lea, hugo, "Salut Hugo")
    page = client_as(lea).get(f"/messages/{hugo.id}").get_data(as_text=True)
    assert f"/report/message/{received.id}" in page and f"/report/message/{sent.id}" not in page
    review = client_as(teacher).get(f"/messages/students/{lea.id}/{hugo.id}")
    assert "/report/message/" not in review.get_data(as_text=True)  # read-only, no form
    answer = client_as(teacher).post(f"/moderation/content/message/{sent.id}/hide",
                                     data={"next": f"/messages/students/{lea.id}/{hugo.id}"})
    assert answer.headers["Location"] == f"/messages/students/{lea.id}/{hugo.id}"
    page = client_as(hugo).get(f"/messages/{lea.id}").get_data(as_text=True)
    assert "Salut Hugo" not in page and "This message was hidden by a teacher." in page


def test_a_teacher_only_approves_a_persona_or_a_colleagues_text(people, content, client_as):
    from sandbox.classes.models import NetworkScope

    lea, teacher = people["student"], people["teacher"]
    for klass in (people["class"], people["other_class"]):  # Léa reads the whole school
        klass.network_scope = NetworkScope.SCHOOL
    db.session.commit()
    persona_post = content.post(people["persona"], "Nous recrutons des stagiaires")
    colleague_post = content.post(people["other_teacher"], "Réunion des BTS MCO jeudi")
    client = client_as(teacher)
    for post in (persona_post, colleague_post):
        case_id = report_content(lea, "post", post.id, "spam").case_id
        page = client.get(f"/moderation/cases/{case_id}").get_data(as_text=True)
        assert f"/moderation/cases/{case_id}/approve" in page
        for action in ("hide", "delete", "restore", "warn"):
            assert f"/moderation/cases/{case_id}/{action}" not in page, action
        for action in ("hide", "delete", "restore"):
            assert client.post(f"/moderation/cases/{case_id}/{action}").status_code == 403
            with pytest.raises(PermissionDenied):
                decide(teacher, case_id, action)
        case = db.session.get(ModerationCase, case_id)
        db.session.expire_all()
        assert post.hidden_at is None and post.deleted_at is None
        assert db.session.get(ModerationCase, case.id).status is CaseStatus.OPEN
        assert client.post(f"/moderation/cases/{case.id}/approve").status_code == 302
        db.session.expire_all()
        assert db.session.get(ModerationCase, case.id).status is CaseStatus.APPROVED
    # The approvals are in the log of the class whose student reported.
    assert db.session.scalars(sa.select(AuditEntry.class_id).where(
        AuditEntry.action == "approve")).all() == [people["class"].id] * 2
    # Nor from the card: a colleague's text is not the teacher's to hide.
    with pytest.raises(NotFound):
        hide_from_card(teacher, "post", colleague_post.id)


def test_hiding_a_comment_drops_the_notifications_about_its_replies(people, content):
    from sandbox.posts.comment_services import add_comment

    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    post = content.post(hugo, "Mon stage commence lundi")
    comment = content.comment(lea, post, "Quel stage ridicule")
    other = content.comment(lea, post, "Bon courage pour lundi")
    reply = add_comment(hugo, post.id, "Merci quand même", parent_id=comment.id)
    other_reply = add_comment(hugo, post.id, "Merci Léa", parent_id=other.id)

    def told_about():
        return set(db.session.scalars(sa.select(Notification.subject_id).where(
            Notification.user_id == lea.id, Notification.kind == "comment_replied")))

    assert told_about() == {reply.id, other_reply.id}
    report = report_content(hugo, "comment", comment.id, "insult")
    decide(teacher, report.case_id, "hide")
    assert told_about() == {other_reply.id}  # the other thread's reply is still there
