"""Reporting: who may report what, once, with a reason; the teachers are told, no text travels."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, CaseStatus, ModerationCase, Report
from sandbox.moderation.reports import report_content
from sandbox.notifications.models import Notification
from sandbox.posts.models import Audience


def test_a_report_opens_a_case_records_it_and_tells_the_teachers_only(people, content):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    post = content.post(lea, "Hugo est nul, il ne sert à rien")
    report = report_content(hugo, "post", post.id, "insult", "  Il se moque de moi.  ")

    case = db.session.get(ModerationCase, report.case_id)
    assert (case.content_kind, case.content_id, case.author_id) == ("post", post.id, lea.id)
    assert case.class_id == people["class"].id
    assert case.report_count == 1 and case.status is CaseStatus.OPEN and not case.flagged
    assert case.excerpt == "Hugo est nul, il ne sert à rien"
    assert report.details == "Il se moque de moi."
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report"))
    assert (entry.actor_id, entry.author_id, entry.content_id) == (hugo.id, lea.id, post.id)
    assert db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "content_reported", ActivityEvent.user_id == hugo.id))
    told = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "content_reported")).all()
    assert [n.user_id for n in told] == [teacher.id]
    # Ids and codes only: nothing of the text or of the details.
    assert told[0].subject_type == "ModerationCase" and told[0].subject_id == case.id
    assert told[0].data == {"case_id": case.id, "content_kind": "post", "reason": "insult"}
    assert not db.session.scalar(sa.select(Notification).where(Notification.user_id == lea.id))


def test_reporting_twice_is_refused_and_a_second_reporter_adds_to_the_case(people, content,
                                                                         factories):
    lea, hugo = people["student"], people["classmate"]
    zoe = factories.make_student(people["class"], username="zoe.blanc")
    post = content.post(lea, "Un texte signalé")
    report_content(hugo, "post", post.id, "spam")
    with force_locale("en"), pytest.raises(ServiceError, match="already reported"):
        report_content(hugo, "post", post.id, "insult")
    report_content(zoe, "post", post.id, "other", "")
    case = db.session.scalar(sa.select(ModerationCase))
    assert case.report_count == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2


def test_one_cannot_report_ones_own_text(people, content):
    post = content.post(people["student"])
    with pytest.raises(PermissionDenied):
        report_content(people["student"], "post", post.id, "spam")


def test_one_can_report_only_what_one_can_see(people, content):
    lea, nina = people["student"], people["other_student"]
    private = content.post(lea, "Pour mes contacts", audience=Audience.CONNECTIONS)
    for kind, content_id in (("post", private.id), ("post", 99999999), ("profile", lea.id),
                             ("nothing", 1)):
        with pytest.raises(NotFound):
            report_content(nina, kind, content_id, "spam")
    hidden = content.post(lea, "Caché", hidden_at=db.func.now())
    with pytest.raises(NotFound):
        report_content(people["classmate"], "post", hidden.id, "spam")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationCase)) == 0


def test_comments_follow_their_post_and_messages_their_recipient(people, content, factories):
    lea, hugo, nina = people["student"], people["classmate"], people["other_student"]
    post = content.post(lea, "Mon stage", audience=Audience.CONNECTIONS)
    comment = content.comment(lea, post, "Merci")
    with pytest.raises(NotFound):
        report_content(nina, "comment", comment.id, "spam")
    report_content(hugo, "comment", comment.id, "spam")

    message = content.message(hugo, lea, "Tu es ridicule")
    zoe = factories.make_student(people["class"], username="zoe.blanc")
    with pytest.raises(NotFound):  # not addressed to her
        report_content(zoe, "message", message.id, "harassment")
    with pytest.raises(PermissionDenied):  # the sender's own text
        report_content(hugo, "message", message.id, "harassment")
    report_content(lea, "message", message.id, "harassment")
    kinds = set(db.session.scalars(sa.select(ModerationCase.content_kind)))
    assert kinds == {"comment", "message"}


@pytest.mark.parametrize(("reason", "details", "message"), [
    ("", "", "Choose why"),
    ("rude", "", "Choose why"),
    ("spam", "x" * 501, "500 characters at most"),
    ("spam", "bad\x00text", "invisible characters"),
    ("spam", "reversed \u202etxt.exe", "invisible characters"),
])
def test_bad_reports_are_refused_and_leave_nothing(people, content, reason, details, message):
    post = content.post(people["student"])
    with pytest.raises(ServiceError) as refused:
        report_content(people["classmate"], "post", post.id, reason, details)
    with force_locale("en"):
        assert message in str(refused.value.message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationCase)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_a_new_report_reopens_an_approved_case(people, content, factories):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea)
    report = report_content(hugo, "post", post.id, "spam")
    case = db.session.get(ModerationCase, report.case_id)
    case.status = CaseStatus.APPROVED
    db.session.commit()
    zoe = factories.make_student(people["class"], username="zoe.blanc")
    report_content(zoe, "post", post.id, "insult")
    db.session.refresh(case)
    assert case.status is CaseStatus.OPEN and case.report_count == 2


def test_a_persona_post_goes_to_the_reporters_teachers(people, content):
    post = content.post(people["persona"], "Nous recrutons")
    report = report_content(people["other_student"], "post", post.id, "spam")
    case = db.session.get(ModerationCase, report.case_id)
    assert case.class_id is None  # the author has no class: each report has its reporter's
    told = db.session.scalars(sa.select(Notification.user_id)).all()
    assert told == [people["other_teacher"].id]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "report"))
    assert entry.class_id == people["other_class"].id


def test_two_classes_reporting_one_persona_post_each_read_their_own_reports(
        people, content, factories, client_as):
    from sandbox.moderation.services import open_count

    lea, nina = people["student"], people["other_student"]
    teacher, other_teacher = people["teacher"], people["other_teacher"]
    post = content.post(people["persona"], "Stage non rémunéré, 60 heures par semaine")
    report_content(nina, "post", post.id, "false_information", "Détails de Nina")
    report_content(lea, "post", post.id, "spam", "Détails de Léa")

    case = db.session.scalar(sa.select(ModerationCase))
    assert case.class_id is None and case.report_count == 2
    told = db.session.execute(sa.select(Notification.user_id, Notification.actor_id).where(
        Notification.kind == "content_reported").order_by(Notification.id)).all()
    assert told == [(other_teacher.id, nina.id), (teacher.id, lea.id)]
    assert open_count(teacher) == 1 and open_count(other_teacher) == 1

    lea_saw = ("Lea Martin", "Détails de Léa", "Spam or advertising (1)")
    nina_saw = ("Nina Roux", "Détails de Nina", "False information about someone (1)")
    for reader, mine, theirs in ((teacher, lea_saw, nina_saw),
                                 (other_teacher, nina_saw, lea_saw)):
        client = client_as(reader)
        for url in ("/moderation", f"/moderation/cases/{case.id}"):
            page = client.get(url).get_data(as_text=True)
            assert "Stage non rémunéré" in page, (reader, url)
            assert '<h3 class="mod-case__subtitle">1 report<' in page, (reader, url)
            assert all(words in page for words in mine), (reader, url)
            assert not any(words in page for words in theirs), (reader, url)
        # The audit log: their own students' reports only.
        for url in ("/moderation/audit", "/moderation/audit.csv"):
            page = client.get(url).get_data(as_text=True)
            assert mine[0] in page and theirs[0] not in page, (reader, url)
    # A teacher none of whose students reported it does not know the case exists.
    third = factories.make_teacher(username="prof.third")
    factories.make_class(third, name="BTS SIO 1")
    assert client_as(third).get(f"/moderation/cases/{case.id}").status_code == 404
    assert "Stage non rémunéré" not in client_as(third).get("/moderation").get_data(
        as_text=True)
    assert open_count(third) == 0


def test_teachers_of_the_author_moderate_instead_of_reporting(people, content):
    post = content.post(people["student"])
    with pytest.raises(PermissionDenied):
        report_content(people["teacher"], "post", post.id, "spam")


# ---- the form ---------------------------------------------------------------------------


def test_the_report_form_explains_and_sends(people, content, client_as):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, "Un texte <b>gras</b>")
    client = client_as(hugo)
    page = client.get(f"/report/post/{post.id}").get_data(as_text=True)
    assert 'type="radio"' in page and 'value="personal_information"' in page
    assert "Personal information (phone, address, e-mail)" in page
    assert "will not know who reported it" in page
    assert "Un texte &lt;b&gt;gras&lt;/b&gt;" in page

    refused = client.post(f"/report/post/{post.id}", data={"details": "Sans raison"})
    assert refused.status_code == 422
    assert "Choose why you report this." in refused.get_data(as_text=True)
    assert "Sans raison" in refused.get_data(as_text=True)  # kept as typed

    sent = client.post(f"/report/post/{post.id}", data={"reason": "insult"})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/posts/{post.id}"
    again = client.get(f"/report/post/{post.id}").get_data(as_text=True)
    assert "You have already reported this." in again and 'type="radio"' not in again


def test_the_report_link_shows_to_readers_who_are_not_the_author(people, content, client_as):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, "Mon premier post")
    link = f'/report/post/{post.id}"'
    assert link in client_as(hugo).get(f"/posts/{post.id}").get_data(as_text=True)
    assert link not in client_as(lea).get(f"/posts/{post.id}").get_data(as_text=True)
    teacher_page = client_as(people["teacher"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert link not in teacher_page
    assert f"/moderation/content/post/{post.id}/hide" in teacher_page


def test_a_double_click_reports_once(people, content, monkeypatch):
    from sandbox.moderation import reports as services

    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea)
    report_content(hugo, "post", post.id, "spam")
    stale = [False]  # the second click checked before the first one was saved
    real = services.has_reported
    monkeypatch.setattr(services, "has_reported",
                        lambda *args: stale.pop() if stale else real(*args))
    with pytest.raises(ServiceError) as refused:
        report_content(hugo, "post", post.id, "spam")
    assert refused.value.message == services.ALREADY_REPORTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
    assert db.session.scalar(sa.select(ModerationCase.report_count)) == 1


def test_two_classmates_opening_the_same_case_at_once_both_count(people, content, factories,
                                                                 monkeypatch):
    from sandbox.moderation import reports as services

    lea, hugo = people["student"], people["classmate"]
    zoe = factories.make_student(people["class"], username="zoe.blanc")
    post = content.post(lea)
    report_content(hugo, "post", post.id, "spam")
    stale = [None]  # Zoé looked for the case before Hugo's report was saved
    real = services.case_of
    monkeypatch.setattr(services, "case_of", lambda *args: stale.pop() if stale else real(*args))
    report_content(zoe, "post", post.id, "insult")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2
    assert db.session.scalar(sa.select(ModerationCase.report_count)) == 2


def test_reports_are_limited_per_person(make_app, school, content, tmp_path):
    from sandbox.accounts.models import User
    from tests.conftest import login_client

    posts = [content.post(school["student"], f"Texte {number}") for number in range(3)]
    hugo_id = school["classmate"].id
    limited = make_app(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="2 per minute",
                       INSTANCE_PATH=tmp_path / "limited")
    with limited.app_context():
        hugo = login_client(limited, db.session.get(User, hugo_id))
        sent = [hugo.post(f"/report/post/{post.id}", data={"reason": "spam"}).status_code
                for post in posts]
        assert sent == [302, 302, 429]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 2
        assert hugo.get(f"/report/post/{posts[2].id}").status_code == 200  # reading is free
