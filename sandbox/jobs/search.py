"""Finding job offers: who sees which offer, the search and its filters, one offer's page.

The one visibility rule (`offer_visible_to`) serves the search, the offer page, saved offers and
applications alike: the seeded offers (no class) are everyone's; an offer written in a class
(a recruiter team's, a teacher's playing a persona) is seen by that class, its teachers and the
admins only. Every page runs a fixed number of queries whatever the number of offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from sandbox.accounts.models import User
from sandbox.classes.models import class_teachers
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.core.errors import NotFound
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer

PAGE_SIZE = 20
MAX_PAGE = 500
QUERY_MAX_LENGTH = 100
MAX_WORDS = 6

# The accented forms of each letter `fold` takes the accents off, lowercase and uppercase
# (SQLite's lower() leaves "É" alone).
_ACCENTED = {
    "a": "àâäáãåÀÂÄÁÃÅ", "c": "çÇ", "e": "éèêëÉÈÊË", "i": "íìîïÍÌÎÏ", "n": "ñÑ",
    "o": "óòôöõÓÒÔÖÕ", "u": "úùûüÚÙÛÜ", "y": "ýÿÝŸ",
}
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}


def offer_visible_to(viewer: User) -> sa.ColumnElement[bool]:
    """A WHERE clause on JobOffer: True for the offers `viewer` may see (open or not)."""
    seeded = JobOffer.class_id.is_(None)
    if viewer.is_admin:
        return sa.true()
    if viewer.is_teacher:
        taught = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == viewer.id)
        return sa.or_(seeded, JobOffer.class_id.in_(taught))
    if viewer.is_student and viewer.class_id is not None:
        return sa.or_(seeded, JobOffer.class_id == viewer.class_id)
    return seeded


def visible_offer(viewer: User, offer_id: int) -> JobOffer:
    """The offer with its company, when `viewer` may see it; NotFound otherwise (one query)."""
    offer = db.session.scalar(
        sa.select(JobOffer).join(JobOffer.company)
        .where(JobOffer.id == offer_id, offer_visible_to(viewer))
        .options(contains_eager(JobOffer.company))
    )
    if offer is None:
        raise NotFound(_l("This job offer does not exist."))
    return offer


def _title_contains(word: str) -> sa.ColumnElement[bool]:
    """The offer's title holds the folded `word`, whatever its accents and capitals.

    SQLite has no accent folding: its GLOB takes a class of letters for each one that may be
    accented. PostgreSQL lowercases every letter and `translate` takes the accents off.
    """
    title: sa.ColumnElement[str] = sa.func.lower(JobOffer.title)
    for ligature, letters in _LIGATURES.items():
        title = sa.func.replace(title, ligature, letters)
    if db.session.get_bind().dialect.name == "sqlite":
        pattern = "".join(f"[{letter}{_ACCENTED[letter]}]" if letter in _ACCENTED else letter
                          for letter in word)
        return title.op("GLOB")(f"*{pattern}*")
    accented = "".join(forms[: len(forms) // 2] for forms in _ACCENTED.values())
    plain = "".join(letter * (len(forms) // 2) for letter, forms in _ACCENTED.items())
    return sa.func.translate(title, accented, plain).contains(word, autoescape=True)


def query_words(text: str | None) -> list[str]:
    """The words of a search, folded, without punctuation ("d’été" → "d", "ete"), one letter
    words left out."""
    folded = fold("".join(char for char in (text or "")[:QUERY_MAX_LENGTH] if char.isprintable()))
    return [word for word in re.findall(r"\w+", folded) if len(word) > 1][:MAX_WORDS]


@dataclass(frozen=True)
class OfferFilters:
    """What the search page filters on; None (or empty) means no filter."""

    query: str = ""
    kind: JobKind | None = None
    sector: Sector | None = None
    city: str | None = None
    start_from: date | None = None
    start_before: date | None = None
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.query or self.kind or self.sector or self.city or self.start_from
                    or self.start_before)

    def as_args(self, **changes: object) -> dict[str, str]:
        """The query string of these filters (for pagination links), with `changes`."""
        values: dict[str, object] = {
            "q": self.query, "kind": self.kind.value if self.kind else None,
            "sector": self.sector.value if self.sector else None, "city": self.city,
            "from": self.start_from.isoformat() if self.start_from else None,
            "before": self.start_before.isoformat() if self.start_before else None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value}


def _enum(kind: type, value: str | None):  # type: ignore[no-untyped-def]
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> tuple[date | None, bool]:
    """A date typed in the filter (ISO, what <input type=date> sends); False when invalid."""
    if not value:
        return None, True
    try:
        return date.fromisoformat(value.strip()[:10]), True
    except ValueError:
        return None, False


def parse_filters(args: dict[str, str]) -> tuple[OfferFilters, dict[str, str]]:
    """The filters of a query string, and a message for each one that could not be read.

    An unknown contract type or sector filters nothing (like the companies directory); a date
    that is not one is said, so that the student does not believe the list is filtered.
    """
    errors: dict[str, str] = {}
    start_from, ok = _date(args.get("from"))
    if not ok:
        errors["from"] = str(_l("Type a date, for example 01/09/2027."))
    start_before, ok = _date(args.get("before"))
    if not ok:
        errors["before"] = str(_l("Type a date, for example 01/09/2027."))
    try:
        page = min(max(int(args.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    city = " ".join((args.get("city") or "").split())[:80] or None
    return OfferFilters(
        query=" ".join((args.get("q") or "").split())[:QUERY_MAX_LENGTH],
        kind=_enum(JobKind, args.get("kind")), sector=_enum(Sector, args.get("sector")),
        city=city, start_from=start_from, start_before=start_before, page=page,
    ), errors


@dataclass(frozen=True)
class OfferRow:
    offer: JobOffer
    saved: bool
    application: Application | None


@dataclass(frozen=True)
class OfferResults:
    filters: OfferFilters
    rows: list[OfferRow]
    total: int
    cities: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _matching(viewer: User, filters: OfferFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [JobOffer.is_open.is_(True), offer_visible_to(viewer)]
    if filters.kind is not None:
        conditions.append(JobOffer.kind == filters.kind)
    if filters.sector is not None:
        conditions.append(Company.sector == filters.sector)
    if filters.city:
        conditions.append(JobOffer.city == filters.city)
    if filters.start_from is not None:
        conditions.append(JobOffer.start_date >= filters.start_from)
    if filters.start_before is not None:
        conditions.append(JobOffer.start_date <= filters.start_before)
    for word in query_words(filters.query):
        # The title, or the company's name and city ("vallorgues", "lyon").
        conditions.append(sa.or_(_title_contains(word),
                                 Company.search_text.contains(word, autoescape=True)))
    return conditions


def search_offers(viewer: User, filters: OfferFilters) -> OfferResults:
    """The open offers `viewer` sees that match `filters`, newest first, one page of them,
    with whether the viewer saved each and their application to it: five queries."""
    conditions = _matching(viewer, filters)
    total = db.session.scalar(
        sa.select(sa.func.count(JobOffer.id)).join(JobOffer.company).where(*conditions)) or 0
    offers = list(db.session.scalars(
        sa.select(JobOffer).join(JobOffer.company).where(*conditions)
        .options(contains_eager(JobOffer.company))
        .order_by(JobOffer.created_at.desc(), JobOffer.id.desc())
        .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)
    ))
    saved, applications = marks_for(viewer, [offer.id for offer in offers])
    return OfferResults(
        filters=filters,
        rows=[OfferRow(offer, offer.id in saved, applications.get(offer.id)) for offer in offers],
        total=total,
        cities=offer_cities(viewer),
    )


def offer_cities(viewer: User) -> list[str]:
    """The cities of the open offers `viewer` sees, in alphabetical order (one query)."""
    return list(db.session.scalars(
        sa.select(JobOffer.city).where(JobOffer.is_open.is_(True), offer_visible_to(viewer))
        .distinct().order_by(JobOffer.city)
    ))


def marks_for(viewer: User, offer_ids: list[int]) -> tuple[set[int], dict[int, Application]]:
    """Which of these offers `viewer` saved, and their application to each (two queries)."""
    if not offer_ids:
        return set(), {}
    saved = set(db.session.scalars(sa.select(SavedOffer.offer_id).where(
        SavedOffer.user_id == viewer.id, SavedOffer.offer_id.in_(offer_ids))))
    applications = {application.offer_id: application for application in db.session.scalars(
        sa.select(Application).where(Application.student_id == viewer.id,
                                     Application.offer_id.in_(offer_ids)))}
    return saved, applications
