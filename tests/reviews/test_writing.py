"""Writing a review: through the form and the charter, one per student and company, editable
and deletable by its author; a refusal leaves nothing behind."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.charter.models import Severity
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, ContentKind, ModerationCase
from sandbox.reviews.models import CompanyReview
from sandbox.reviews.services import ReviewAnswers, delete_review, save_review
from tests.charter.test_gate import set_severity
from tests.reviews.conftest import ADVICE, LIKED, form

PHONE_ADVICE = "Appelez-moi au 06 12 34 56 78 avant votre premier jour de stage."
SMS_ADVICE = "slt, jsp quoi dire mais venez avec des questions sur les produits."


def answers(**changes) -> ReviewAnswers:  # type: ignore[no-untyped-def]
    data = form(**changes)
    return ReviewAnswers(recommend=data.pop("recommend"), liked=data.pop("liked"),
                         advice=data.pop("advice"), scores=data)


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def events(kind: str) -> list[ActivityEvent]:
    return list(db.session.scalars(sa.select(ActivityEvent).where(ActivityEvent.kind == kind)))


@pytest.fixture
def intern(school, internships):  # type: ignore[no-untyped-def]
    """Léa did her internship at Transports Lefort (it is on her profile)."""
    company = internships.company()
    internships.experience(school["student"], "Transports Lefort")
    return school["student"], company


def test_a_trainee_publishes_a_review_through_the_form(intern, client_as):
    lea, company = intern
    page = client_as(lea).get(f"/companies/{company.slug}/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="recommend"' in html and html.count('type="radio"') == 2 + 6 * 5
    assert 'data-charter-check' in html

    sent = client_as(lea).post(f"/companies/{company.slug}/review", data=form())
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/companies/{company.slug}#reviews"
    review = db.session.scalars(sa.select(CompanyReview)).one()
    assert (review.company_id, review.author_id, review.recommend) == (company.id, lea.id, True)
    assert (review.pride, review.growth, review.motivation, review.fun, review.management,
            review.environment) == (4, 5, 3, 4, 2, 5)
    assert (review.liked, review.advice) == (LIKED, ADVICE)
    [event] = events("review_written")
    assert (event.user_id, event.subject_type, event.subject_id) == (lea.id, "CompanyReview",
                                                                     review.id)
    assert event.data == {"company_id": company.id}


def test_one_review_per_company_edited_by_its_author(intern):
    lea, company = intern
    first, created = save_review(lea, company.slug, answers())
    assert created
    again, created = save_review(lea, company.slug, answers(recommend="no", advice=(
        "Demandez un planning précis dès le premier jour de votre stage.")))
    assert not created and again.id == first.id
    assert count(CompanyReview) == 1 and again.recommend is False
    assert [e.kind for e in events("review_updated")] == ["review_updated"]
    # The same answers sent again change nothing and record nothing.
    save_review(lea, company.slug, answers(recommend="no", advice=again.advice))
    assert len(events("review_updated")) == 1


def test_editing_fills_the_form_with_the_saved_review(intern, client_as):
    lea, company = intern
    save_review(lea, company.slug, answers(recommend="no"))
    html = unescape(client_as(lea).get(f"/companies/{company.slug}/review").get_data(as_text=True))
    checked = re.findall(r'<input checked id="(\w+-\d)"', html)
    assert checked == ["recommend-1", "pride-3", "growth-4", "motivation-2", "fun-3",
                       "management-1", "environment-4"]
    assert LIKED in html and ADVICE in html
    assert f'action="/companies/{company.slug}/review/delete"' in html


def test_missing_answers_are_explained_and_nothing_is_written(intern, client_as):
    lea, company = intern
    with force_locale("en"):
        with pytest.raises(ServiceError, match="recommend") as refused:
            save_review(lea, company.slug, answers(recommend=""))
        assert refused.value.field == "recommend"
        with pytest.raises(ServiceError, match="from 1 to 5") as refused:
            save_review(lea, company.slug, answers(scores=(4, 4, 9, 4, 4, 4)))
        assert refused.value.field == "motivation"
        with pytest.raises(ServiceError, match="at least 20") as refused:
            save_review(lea, company.slug, answers(advice="Bien."))
        assert refused.value.field == "advice"
        with pytest.raises(ServiceError, match="1500 characters at most"):
            save_review(lea, company.slug, answers(liked="Très bien. " * 200))
    page = client_as(lea).post(f"/companies/{company.slug}/review",
                               data=form(scores=(4, 4, 4, 4, 4, 0)))
    assert page.status_code == 200
    assert 'id="environment-error"' in page.get_data(as_text=True)
    assert count(CompanyReview) == 0 and not events("review_written")


def test_a_blocked_answer_is_refused_with_its_words_and_leaves_nothing(intern, client_as):
    lea, company = intern
    with pytest.raises(CharterRefusal) as refused:
        save_review(lea, company.slug, answers(advice=PHONE_ADVICE))
    assert refused.value.field == "advice"
    page = client_as(lea).post(f"/companies/{company.slug}/review",
                               data=form(advice=PHONE_ADVICE))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<mark class="charter-mark"' in html and "06 12 34 56 78</mark>" in html
    assert PHONE_ADVICE in unescape(html)  # the answer comes back as typed
    assert count(CompanyReview) == 0 and count(ModerationCase) == 0
    assert not events("review_written")


def test_the_coach_asks_once_then_publishing_anyway_is_recorded(intern, client_as):
    lea, company = intern
    with pytest.raises(CharterCoaching):
        save_review(lea, company.slug, answers(advice=SMS_ADVICE))
    assert count(CompanyReview) == 0
    page = client_as(lea).post(f"/companies/{company.slug}/review", data=form(advice=SMS_ADVICE))
    assert 'name="charter_ack"' in page.get_data(as_text=True)

    sent = client_as(lea).post(f"/companies/{company.slug}/review",
                               data=form(advice=SMS_ADVICE, charter_ack="1"))
    assert sent.status_code == 302
    review = db.session.scalars(sa.select(CompanyReview)).one()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "override")).one()
    assert (entry.content_kind, entry.content_id) == ("review", review.id)


def test_a_flagged_answer_is_published_and_queued_for_the_teacher(intern, school):
    lea, company = intern
    set_severity(school["class"], "no_sms_language", Severity.FLAG)
    review, _ = save_review(lea, company.slug, answers(advice=SMS_ADVICE))
    case = db.session.scalars(sa.select(ModerationCase)).one()
    assert (case.content_kind, case.content_id) == (ContentKind.REVIEW, review.id)
    assert case.class_id == school["class"].id and case.flagged
    assert case.excerpt == f"{LIKED}\n\n{SMS_ADVICE}"
    start = case.findings[0]["start"]
    assert case.excerpt[start:case.findings[0]["end"]] in SMS_ADVICE


def test_the_author_deletes_the_review_and_may_write_again(intern, client_as):
    lea, company = intern
    review_id = save_review(lea, company.slug, answers())[0].id
    answer = client_as(lea).post(f"/companies/{company.slug}/review/delete")
    assert answer.status_code == 302
    assert count(CompanyReview) == 0
    [event] = events("review_deleted")
    assert event.subject_id == review_id and event.data == {"company_id": company.id}
    again = client_as(lea).post(f"/companies/{company.slug}/review", data=form())
    assert again.status_code == 302 and count(CompanyReview) == 1
    assert client_as(lea).post("/companies/no-such-company/review/delete").status_code == 404


def test_nobody_else_deletes_or_edits_a_review(intern, school, client_as):
    lea, company = intern
    save_review(lea, company.slug, answers())
    hugo = school["classmate"]
    assert client_as(hugo).post(f"/companies/{company.slug}/review/delete").status_code == 404
    assert client_as(school["teacher"]).post(
        f"/companies/{company.slug}/review/delete").status_code == 403
    assert count(CompanyReview) == 1


def test_a_review_removed_by_a_teacher_can_only_be_deleted(intern):
    lea, company = intern
    review, _ = save_review(lea, company.slug, answers())
    review.hidden_at = utcnow()
    db.session.commit()
    with force_locale("en"), pytest.raises(ServiceError, match="removed this review"):
        save_review(lea, company.slug, answers(recommend="no"))
    delete_review(lea, company.slug)
    assert count(CompanyReview) == 0


def test_teachers_do_not_write_reviews(school, internships):
    company = internships.company()
    with pytest.raises(PermissionDenied):
        save_review(school["teacher"], company.slug, answers())
    assert count(CompanyReview) == 0
