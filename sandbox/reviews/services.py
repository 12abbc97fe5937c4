"""Writing, editing and deleting a trainee's review of a company.

Who may review: a student who did a (simulated) internship at the company, that is

- a recruitment in Tremplin ended with an offer from it (an application to one of its offers at
  status `offer`), or
- their profile lists an experience at this company (the same name as on the company's page,
  accents, case and punctuation aside) that has started.

The second way lets a teacher run the review exercise after real or role-played internships
without a recruitment in the app. One review per student and company; its author edits or
deletes it. The answers go through the class charter like every text a student writes: blocked
words refuse it, advice is read first, flagged words put it in the teachers' queue.

A review a teacher hid or deleted cannot be edited (the teacher's decision was about it): its
author may delete it and write a new one, which the charter and the teachers see afresh.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import changed_texts, screen_fields, settle
from sandbox.companies.models import Company, JobOffer
from sandbox.companies.services import company_by_slug as find_company
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.core.validation import clean_text
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.moderation.models import ContentKind
from sandbox.profiles.models import Experience
from sandbox.reviews.models import ANSWER_MAX_LENGTH, CRITERIA, CompanyReview

ANSWER_MIN_LENGTH = 20  # a sentence: a review that teaches the next trainee something

ALREADY_REVIEWED = _l("You have already reviewed this company: edit your review instead.")


class Eligibility(enum.StrEnum):
    """Why a student may review a company (or that they may not)."""

    HIRED = "hired"  # a recruitment in Tremplin ended with an offer from it
    EXPERIENCE = "experience"  # their profile lists an experience there
    NONE = "none"


@dataclass
class ReviewAnswers:
    """What the form sent, as typed: the service checks everything."""

    recommend: str | None
    scores: dict[str, str | None] = field(default_factory=dict)
    liked: str | None = ""
    advice: str | None = ""


@dataclass(frozen=True)
class ReviewPage:
    """The review page of a company for a student: their review if any, whether they may write."""

    company: Company
    review: CompanyReview | None
    eligibility: Eligibility

    @property
    def can_write(self) -> bool:
        return self.review is None and self.eligibility is not Eligibility.NONE

    @property
    def can_edit(self) -> bool:
        return self.review is not None and not is_removed(self.review)


def is_removed(review: CompanyReview) -> bool:
    """Hidden or deleted by a teacher: nobody else reads it, its author may only delete it."""
    return review.hidden_at is not None or review.deleted_at is not None


# ---- who may review -------------------------------------------------------------------------


def _name_key(text: str) -> str:
    """A company name as compared: "Cimes & Lacs" and "cimes lacs" are the same company."""
    return "".join(char for char in fold(text) if char.isalnum())


def names_the_company(organisation: str, company: Company) -> bool:
    """Does an experience's organisation name this company (its name or its page's address)?"""
    key = _name_key(organisation)
    return bool(key) and key in {_name_key(company.name), _name_key(company.slug)}


def _hired_by(student: User, company_id: int) -> sa.Exists:
    offers = sa.select(JobOffer.id).where(JobOffer.company_id == company_id)
    return sa.exists().where(Application.student_id == student.id,
                             Application.status == ApplicationStatus.OFFER,
                             Application.offer_id.in_(offers))


def _has_experience_at(student: User, company: Company, today: date) -> bool:
    """A started experience at the company on the student's profile (a student has a few)."""
    rows = db.session.execute(
        sa.select(Experience.organisation, Experience.start_date)
        .where(Experience.profile_id == student.id)
    )
    return any(names_the_company(organisation, company)
               and (started is None or started <= today) for organisation, started in rows)


def review_page(student: User, company: Company) -> ReviewPage:
    """The student's review of the company and whether they may write one.

    One query for their review and a recruitment that ended with an offer (an outer join on a
    one-row select, so that the row comes back without a review), and one more for the
    experiences of their profile when neither settles it.
    """
    if not student.is_student or student.class_id is None:
        return ReviewPage(company, None, Eligibility.NONE)
    one_row = sa.select(sa.literal(1).label("one")).subquery()
    review, hired = db.session.execute(
        sa.select(CompanyReview, _hired_by(student, company.id).label("hired"))
        .select_from(one_row)
        .outerjoin(CompanyReview, sa.and_(CompanyReview.company_id == company.id,
                                          CompanyReview.author_id == student.id))
    ).one()
    if review is not None:
        return ReviewPage(company, review, Eligibility.NONE)
    if hired:
        return ReviewPage(company, None, Eligibility.HIRED)
    if _has_experience_at(student, company, utcnow().date()):
        return ReviewPage(company, None, Eligibility.EXPERIENCE)
    return ReviewPage(company, None, Eligibility.NONE)


def company_by_slug(slug: str) -> Company:
    """The company a URL names; NotFound otherwise."""
    company = find_company(slug)
    if company is None:
        raise NotFound(_l("This company does not exist."))
    return company


def require_reviewer(user: User) -> None:
    """Only students (trainees) review companies; teachers read and moderate the reviews."""
    if not user.is_student or user.class_id is None:
        raise PermissionDenied(_l("Only trainees review companies. Their reviews appear on the "
                                  "company's page."))


def page_for(student: User, slug: str) -> ReviewPage:
    """The review page of a company for a student; anyone else is refused."""
    require_reviewer(student)
    return review_page(student, company_by_slug(slug))


# ---- writing --------------------------------------------------------------------------------


def _checked_recommend(value: str | None) -> bool:
    if value not in ("yes", "no"):
        raise ServiceError(_l("Say whether you would recommend this company."),
                           field="recommend")
    return value == "yes"


def _checked_scores(scores: dict[str, str | None]) -> dict[str, int]:
    checked: dict[str, int] = {}
    for name in CRITERIA:
        value = (scores.get(name) or "").strip()
        if value not in {"1", "2", "3", "4", "5"}:
            raise ServiceError(_l("Choose a score from 1 to 5."), field=name)
        checked[name] = int(value)
    return checked


def _checked_answer(value: str | None, name: str) -> str:
    text = clean_text(value, name, max_length=ANSWER_MAX_LENGTH,
                      missing=_l("Answer in a sentence or two: it helps the next trainees."))
    if len(text) < ANSWER_MIN_LENGTH:
        raise ServiceError(_l("Write at least %(count)d characters: a full sentence.",
                              count=ANSWER_MIN_LENGTH), field=name)
    return text


def save_review(author: User, slug: str, answers: ReviewAnswers, *,
                charter_ack: bool = False) -> tuple[CompanyReview, bool]:
    """Write the author's review of a company, or update it; True when it is new.

    Everything is checked before anything is written: the ratings, the answers, then the
    charter (whose refusal leaves nothing behind but its findings for the teacher).
    """
    page = page_for(author, slug)
    review, company = page.review, page.company
    if review is None and not page.can_write:
        raise PermissionDenied(_l("You can review a company once you have done your internship "
                                  "there: see who may review on this page."))
    if review is not None and is_removed(review):
        raise ServiceError(_l("Your teacher removed this review: you may delete it and write a "
                              "new one."))
    recommend = _checked_recommend(answers.recommend)
    scores = _checked_scores(answers.scores)
    liked = _checked_answer(answers.liked, "liked")
    advice = _checked_answer(answers.advice, "advice")
    created = review is None
    if review is not None and review.recommend == recommend and review.liked == liked \
            and review.advice == advice \
            and all(getattr(review, name) == score for name, score in scores.items()):
        return review, False  # saved again as it was: nothing to record
    texts = {"liked": liked, "advice": advice} if created else changed_texts(
        review, liked=liked, advice=advice)
    screening = screen_fields(author, texts, kind=ContentKind.REVIEW,
                              target=f"company:{company.id}", acknowledged=charter_ack)
    if review is None:
        review = CompanyReview(company_id=company.id, author_id=author.id)
        db.session.add(review)
    review.recommend, review.liked, review.advice = recommend, liked, advice
    for name, score in scores.items():
        setattr(review, name, score)
    review.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # the same review sent twice at the same instant
        db.session.rollback()
        raise ServiceError(ALREADY_REVIEWED) from None
    settle(screening, author, ContentKind.REVIEW, review.id)
    record_event(author, "review_written" if created else "review_updated", review,
                 company_id=company.id)
    db.session.commit()
    return review, created


def delete_review(author: User, slug: str) -> None:
    """The author deletes their review for good; they may write a new one afterwards.

    The row goes (unlike a post): one review per student and company, and a student who takes
    back their words about a workplace should not find them kept. What moderation needs stays
    in its own records: a case keeps the text it was about, the audit log its decisions.
    """
    page = page_for(author, slug)
    if page.review is None:
        raise NotFound(_l("You have not reviewed this company."))
    record_event(author, "review_deleted", page.review, company_id=page.company.id)
    db.session.delete(page.review)
    db.session.commit()
