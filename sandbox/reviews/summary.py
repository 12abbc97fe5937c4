"""What a company's page shows of its reviews, and who reads which review.

Trainees are often minors, and a review says where they did their internship and what they
thought of the people there. So the privacy-friendlier choices:

- nothing shows until `MIN_REVIEWS` trainees have reviewed the company: with one or two
  reviews, a rate or an average would tell exactly what one person said;
- the rate and the averages count every visible review of the school: numbers of three or more
  people, with no name, say nothing about anyone;
- the texts are read only within the reader's network scope (the same rule as their posts: the
  reader's class, or the school when the class is open to it), and students read them without
  the author's name ("A trainee"), so that a critical word about a workplace never follows a
  named young person around. Their teachers, who moderate them, read the name, and read their
  students' texts even before the threshold, to moderate them in place.

Hidden and deleted reviews count nowhere and show to nobody but their author (with a notice).
Everything is computed in SQL: a fixed number of queries whatever the number of reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import format_decimal, format_percent
from sqlalchemy.orm import contains_eager

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.reviews.models import CRITERIA, CompanyReview
from sandbox.reviews.services import ReviewPage, review_page

MIN_REVIEWS = 3  # reviews before anything shows (the page says so)
TEXTS_SHOWN = 30  # the newest texts a page shows; the numbers count them all


@dataclass(frozen=True)
class ReviewSummary:
    """The numbers of a company's visible reviews; `shown` once there are enough of them."""

    count: int
    recommend_rate: float | None = None  # 0..1
    averages: dict[str, float] = field(default_factory=dict)  # criterion -> 1..5, one decimal

    @property
    def shown(self) -> bool:
        return self.count >= MIN_REVIEWS

    @property
    def rate_text(self) -> str:
        """"67 %" in French, "67%" in English."""
        return format_percent(self.recommend_rate or 0) if self.recommend_rate is not None else ""

    def average_text(self, criterion: str) -> str:
        """"4,2" in French, "4.2" in English."""
        return format_decimal(self.averages[criterion], format="0.0")


def _visible() -> list[sa.ColumnElement[bool]]:
    """A review anyone may count: neither hidden nor deleted, by an account still active."""
    return [CompanyReview.hidden_at.is_(None), CompanyReview.deleted_at.is_(None),
            User.is_disabled.is_(False)]


def _one_decimal(value: object) -> float:
    """Rounded half up (4.25 → 4.3), as people round; averages come as Decimal on PostgreSQL."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def company_summary(company_id: int) -> ReviewSummary:
    """The count, the recommendation rate and each criterion's average: one query."""
    recommended = sa.func.sum(sa.case((CompanyReview.recommend.is_(True), 1), else_=0))
    query = (
        sa.select(sa.func.count(CompanyReview.id), recommended,
                  *(sa.func.avg(getattr(CompanyReview, name)) for name in CRITERIA))
        .join(User, User.id == CompanyReview.author_id)
        .where(CompanyReview.company_id == company_id, *_visible())
    )
    count, yes, *averages = db.session.execute(query).one()
    if not count or count < MIN_REVIEWS:
        return ReviewSummary(count=count or 0)
    return ReviewSummary(
        count=count,
        recommend_rate=int(yes or 0) / count,
        averages={name: _one_decimal(value) for name, value in zip(CRITERIA, averages)},
    )


def names_shown_to(viewer: User) -> bool:
    """Teachers (of the authors: the scope sees to it) and admins read who wrote a review."""
    return viewer.is_teacher or viewer.is_admin


def readable_reviews(viewer: User, company_id: int) -> list[CompanyReview]:
    """The visible reviews whose author is in the viewer's network scope, newest first.

    The authors (their class and its teachers, for `name_for` and the "Hide" button) are loaded
    only for those who read the names: one more query.
    """
    query = (
        sa.select(CompanyReview)
        .join(User, User.id == CompanyReview.author_id)
        .where(CompanyReview.company_id == company_id, *_visible(), visible_people(viewer))
        .order_by(CompanyReview.created_at.desc(), CompanyReview.id.desc())
        .limit(TEXTS_SHOWN)
    )
    if names_shown_to(viewer):
        query = query.options(contains_eager(CompanyReview.author)
                              .joinedload(User.school_class)
                              .selectinload(SchoolClass.teachers))
    return list(db.session.scalars(query).unique())


def can_read_review(viewer: User, review: CompanyReview) -> bool:
    """Does the company's page show this review's text to `viewer`? (for reports: two queries)"""
    if review.hidden_at is not None or review.deleted_at is not None:
        return False
    in_scope = db.session.scalar(sa.select(sa.exists().where(
        User.id == review.author_id, visible_people(viewer))))
    if not in_scope:
        return False
    return names_shown_to(viewer) or company_summary(review.company_id).shown


@dataclass(frozen=True)
class CompanyReviews:
    """The reviews part of a company's page, for one viewer."""

    summary: ReviewSummary
    reviews: list[CompanyReview]  # the texts the viewer reads
    names_shown: bool
    own: ReviewPage | None  # a student's own review and whether they may write one

    @property
    def waiting(self) -> int:
        """How many more reviews before the numbers and the texts show."""
        return max(0, MIN_REVIEWS - self.summary.count)


def company_reviews(viewer: User, company: Company) -> CompanyReviews:
    """Everything the company's page shows of its reviews: two to four queries, whatever
    their number (the numbers, the viewer's own review for a student, the texts)."""
    summary = company_summary(company.id)
    names_shown = names_shown_to(viewer)
    reviews = readable_reviews(viewer, company.id) if summary.shown or names_shown else []
    own = review_page(viewer, company) if viewer.is_student else None
    return CompanyReviews(summary=summary, reviews=reviews, names_shown=names_shown, own=own)
