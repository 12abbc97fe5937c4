"""The two new kinds of moderated text: company reviews and cover letters.

A review is read on its company's page: the charter flags it into the teachers' queue, its
readers report it, the author's teachers hide, restore or delete it, and then it counts nowhere.
A cover letter is private between its author and the recruiter: flagged into the queue, hidden or
deleted by the author's teachers, never reported.
"""

from __future__ import annotations


import pytest
import sqlalchemy as sa
from flask import Flask

from sandbox.charter.gate import Screening, settle
from sandbox.charter.models import Severity
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.jobs.models import ApplicationStatus
from sandbox.moderation import content as moderation_content
from sandbox.moderation.actions import decide
from sandbox.moderation.models import AuditEntry, CaseStatus, ContentKind, ModerationCase
from sandbox.moderation.reports import report_content
from sandbox.notifications.models import Notification
from sandbox.reviews.models import CompanyReview
from sandbox.reviews.services import ReviewAnswers, save_review
from sandbox.reviews.summary import company_summary
from tests.charter.test_gate import set_severity
from tests.moderation.conftest import finding
from tests.reviews.conftest import ADVICE, Internships

SMS_ADVICE = "slt, jsp quoi dire mais venez avec des questions sur les produits."


@pytest.fixture
def internships(app: Flask) -> Internships:
    return Internships()


@pytest.fixture
def reviewed(people, factories, internships):  # type: ignore[no-untyped-def]
    """Transports Lefort reviewed by Léa (with an answer the charter flags) and two classmates:
    enough for the page to show the reviews."""
    set_severity(people["class"], "no_sms_language", Severity.FLAG)
    company = internships.company()
    lea = people["student"]
    internships.experience(lea, company.name)
    review, _ = save_review(lea, company.slug, ReviewAnswers(
        recommend="no", scores=dict.fromkeys(("pride", "growth", "motivation", "fun",
                                              "management", "environment"), "1"),
        liked="L'équipe m'a confié de vrais dossiers clients dès la première semaine.",
        advice=SMS_ADVICE))
    for _ in range(2):
        internships.review(factories.make_student(people["class"]), company)
    return company, review


def _case(kind: ContentKind) -> ModerationCase:
    return db.session.scalars(sa.select(ModerationCase).where(
        ModerationCase.content_kind == kind)).one()


# ---- reviews --------------------------------------------------------------------------------


def test_a_flagged_review_is_in_the_queue_with_its_label_and_link(people, reviewed, client_as):
    company, review = reviewed
    case = _case(ContentKind.REVIEW)
    assert case.content_id == review.id and case.flagged and case.status is CaseStatus.OPEN
    page = client_as(people["teacher"]).get("/moderation").get_data(as_text=True)
    assert "Company review by Lea Martin" in page
    assert f'href="/companies/{company.slug}#review-{review.id}"' in page
    assert f"/moderation/cases/{case.id}/hide" in page  # the author's teacher may remove it


def test_a_hidden_review_leaves_the_page_and_the_numbers_until_restored(
        people, reviewed, client_as):
    company, review = reviewed
    teacher, hugo = people["teacher"], people["classmate"]
    case = _case(ContentKind.REVIEW)
    assert f'id="review-{review.id}"' in client_as(hugo).get(
        f"/companies/{company.slug}").get_data(as_text=True)
    assert company_summary(company.id).count == 3

    decide(teacher, case.id, "hide", "Langage SMS")
    page = client_as(hugo).get(f"/companies/{company.slug}").get_data(as_text=True)
    assert f'id="review-{review.id}"' not in page and "jsp quoi dire" not in page
    assert "review-averages" not in page  # two visible reviews: too few to show anything
    assert company_summary(company.id).count == 2
    told = db.session.scalar(sa.select(Notification).where(Notification.kind == "content_hidden"))
    assert told.user_id == people["student"].id and told.data["content_kind"] == "review"
    assert _case(ContentKind.REVIEW).status is CaseStatus.HIDDEN
    # Its author still finds it, with the notice, and may only delete it.
    own = client_as(people["student"]).get(f"/companies/{company.slug}/review")
    assert "jsp quoi dire" in own.get_data(as_text=True)

    decide(teacher, case.id, "restore")
    assert company_summary(company.id).count == 3
    assert "jsp quoi dire" in client_as(hugo).get(
        f"/companies/{company.slug}").get_data(as_text=True)


def test_a_deleted_review_is_gone_for_good(people, reviewed):
    company, review = reviewed
    case = _case(ContentKind.REVIEW)
    decide(people["teacher"], case.id, "delete", "Injurieux")
    db.session.refresh(review)
    assert review.deleted_at is not None and review.hidden_at is None
    assert company_summary(company.id).count == 2
    with pytest.raises(ServiceError):
        decide(people["teacher"], case.id, "restore")


def test_every_decision_on_a_review_is_audited(people, reviewed):
    _company, review = reviewed
    teacher = people["teacher"]
    case = _case(ContentKind.REVIEW)
    for action in ("hide", "restore", "delete"):
        decide(teacher, case.id, action)
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.content_kind == "review").order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["flag", "hide", "restore", "delete"]
    assert all(e.content_id == review.id and e.author_id == people["student"].id
               and e.class_id == people["class"].id for e in entries)
    assert [e.actor_id for e in entries[1:]] == [teacher.id] * 3


def test_only_the_authors_teachers_remove_a_review(people, reviewed, client_as):
    _company, review = reviewed
    case = _case(ContentKind.REVIEW)
    with pytest.raises(NotFound):  # another class's case does not exist for its teacher
        decide(people["other_teacher"], case.id, "hide")
    hide = f"/moderation/content/review/{review.id}/hide"
    assert client_as(people["other_teacher"]).post(hide).status_code == 404
    assert client_as(people["classmate"]).post(hide).status_code == 403
    db.session.refresh(review)
    assert review.hidden_at is None
    # From the company's page, the author's teacher hides it at once.
    answer = client_as(people["teacher"]).post(hide, data={"next": "/companies/x#reviews"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/companies/x#reviews"
    db.session.refresh(review)
    assert review.hidden_at is not None


def test_readers_report_a_review_they_can_read(people, reviewed, client_as):
    company, review = reviewed
    hugo = people["classmate"]
    form = client_as(hugo).get(f"/report/review/{review.id}")
    assert form.status_code == 200 and "jsp quoi dire" in form.get_data(as_text=True)
    sent = client_as(hugo).post(f"/report/review/{review.id}", data={"reason": "insult"})
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/companies/{company.slug}#review-{review.id}"
    case = _case(ContentKind.REVIEW)
    assert case.report_count == 1 and case.author_id == people["student"].id
    with pytest.raises(PermissionDenied):  # one's own words: edit or delete them
        report_content(people["student"], "review", review.id, "spam")
    with pytest.raises(NotFound):  # another class's student does not read it
        report_content(people["other_student"], "review", review.id, "spam")


def test_a_review_nobody_reads_yet_cannot_be_reported(people, internships, factories):
    company = internships.company()
    review = internships.review(people["student"], company)
    with pytest.raises(NotFound):  # one review: the page shows nothing yet
        report_content(people["classmate"], "review", review.id, "spam")
    for _ in range(2):
        internships.review(factories.make_student(people["class"]), company)
    assert report_content(people["classmate"], "review", review.id, "spam").case_id


# ---- cover letters --------------------------------------------------------------------------


@pytest.fixture
def letter(people, internships):  # type: ignore[no-untyped-def]
    """Léa's application to Transports Lefort, its letter flagged by the charter."""
    lea = people["student"]
    application = internships.application(lea, internships.company(), ApplicationStatus.SENT)
    application.cover_letter = "Vous pouvez me joindre au 06 12 34 56 78 pour un entretien."
    screening = Screening(texts={"cover_letter": application.cover_letter}, flagged=[
        ("cover_letter", finding(application.cover_letter, "06 12 34 56 78"))])
    settle(screening, lea, ContentKind.APPLICATION, application.id)
    db.session.commit()
    return application


def test_a_flagged_letter_is_in_the_queue_with_its_label(people, letter, client_as):
    case = _case(ContentKind.APPLICATION)
    assert case.content_id == letter.id and case.author_id == people["student"].id
    page = client_as(people["teacher"]).get(f"/moderation/cases/{case.id}").get_data(
        as_text=True)
    assert "Cover letter by Lea Martin" in page and "06 12 34 56 78" in page
    for action in ("approve", "hide", "delete", "warn"):
        assert f"/moderation/cases/{case.id}/{action}" in page


def test_a_letter_is_hidden_restored_and_deleted_by_hiding_for_good(people, letter):
    teacher = people["teacher"]
    case = _case(ContentKind.APPLICATION)
    decide(teacher, case.id, "hide")
    db.session.refresh(letter)
    assert letter.hidden_at is not None
    assert moderation_content.teacher_link(ContentKind.APPLICATION, letter) is None
    decide(teacher, case.id, "restore")
    db.session.refresh(letter)
    assert letter.hidden_at is None
    decide(teacher, case.id, "delete")
    db.session.refresh(letter)
    assert letter.hidden_at is not None and _case(ContentKind.APPLICATION).status is \
        CaseStatus.DELETED
    with pytest.raises(ServiceError):
        decide(teacher, case.id, "restore")
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.content_kind == "application").order_by(AuditEntry.id)).all()
    assert actions == ["flag", "hide", "restore", "delete"]


def test_a_letter_is_never_reported(people, letter, client_as):
    with pytest.raises(NotFound):
        report_content(people["classmate"], "application", letter.id, "spam")
    assert client_as(people["classmate"]).get(
        f"/report/application/{letter.id}").status_code == 404


def test_the_teachers_link_to_a_letter_is_the_jobs_page_once_it_exists(people, letter, app):
    with app.test_request_context():
        link = moderation_content.teacher_link(ContentKind.APPLICATION, letter)
    if "jobs.application" in app.view_functions:
        assert link == f"/jobs/applications/{letter.id}"
    else:
        assert link is None
    assert moderation_content.text_of(ContentKind.APPLICATION, letter) == letter.cover_letter
    assert moderation_content.author_id_of(ContentKind.APPLICATION, letter) == \
        people["student"].id


def test_every_kind_has_a_label_and_a_model():
    for kind in ContentKind:
        assert kind in moderation_content.KIND_LABELS
    assert moderation_content.REPORTABLE <= moderation_content.REMOVABLE
    assert ContentKind.APPLICATION not in moderation_content.REPORTABLE
    assert ContentKind.REVIEW in moderation_content.REPORTABLE


def test_review_text_for_reports_joins_the_two_answers(people, internships):
    review = internships.review(people["student"], internships.company(), liked="Aimé.",
                                advice=ADVICE)
    assert moderation_content.text_of(ContentKind.REVIEW, review) == f"Aimé.\n\n{ADVICE}"
    assert isinstance(moderation_content.load(ContentKind.REVIEW, review.id), CompanyReview)
