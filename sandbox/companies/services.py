"""Reading the companies: the directory and its filters, one employer-brand page, the logos.

Every page is served by a fixed number of queries, whatever the number of companies, offers or
people: offer counts are aggregated in SQL and what a page shows is loaded with it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from sandbox.accounts.models import User
from sandbox.companies.models import Company, JobOffer, Sector
from sandbox.extensions import db
from sandbox.personas.models import Persona, PersonaKind

# Each gives at least 4.5:1 contrast with white text (WCAG 2.1 AA for normal text).
LOGO_PALETTE = (
    "#0b5cad",  # blue, 6.7:1
    "#1b5e34",  # green, 7.8:1
    "#9b1c1c",  # red, 8.2:1
    "#6b21a8",  # purple, 8.7:1
    "#0f766e",  # teal, 5.5:1
    "#b45309",  # amber, 5.0:1
    "#be185d",  # pink, 6.0:1
    "#374151",  # slate, 10.3:1
)

# The people of a company, in the order a visitor looks for them.
_PERSONA_ORDER = {kind: rank for rank, kind in enumerate(
    (PersonaKind.RECRUITER, PersonaKind.MANAGER, PersonaKind.EMPLOYEE, PersonaKind.ALUMNI)
)}


@dataclass(frozen=True)
class DirectoryEntry:
    """A company of the directory and how many offers it has open."""

    company: Company
    open_offers: int


@dataclass(frozen=True)
class CompanyPage:
    """Everything an employer-brand page shows, loaded up front.

    The people come apart from the company: `Company` has no relationship to its personas.
    """

    company: Company
    people: list[Persona]
    open_offers: list[JobOffer]


def _offers_seen_by(viewer: User | None) -> sa.ColumnElement[bool]:
    """Offers written in a class show to that class only; without a viewer, the seeded ones."""
    from sandbox.jobs.search import offer_visible_to  # jobs builds on companies

    return JobOffer.class_id.is_(None) if viewer is None else offer_visible_to(viewer)


def directory(sector: Sector | None = None, city: str | None = None, *,
              viewer: User | None = None) -> list[DirectoryEntry]:
    """The companies matching the filters (None: no filter), by name, with the open offers
    `viewer` may see.

    One query: the offers are counted by a grouped subquery joined to the companies.
    """
    open_counts = (
        sa.select(JobOffer.company_id, sa.func.count(JobOffer.id).label("open_offers"))
        .where(JobOffer.is_open.is_(True), _offers_seen_by(viewer))
        .group_by(JobOffer.company_id)
        .subquery()
    )
    query = (
        sa.select(Company, sa.func.coalesce(open_counts.c.open_offers, 0))
        .outerjoin(open_counts, open_counts.c.company_id == Company.id)
        .order_by(sa.func.lower(Company.name), Company.id)
    )
    if sector is not None:
        query = query.where(Company.sector == sector)
    if city is not None:
        query = query.where(Company.city == city)
    return [DirectoryEntry(company, count) for company, count in db.session.execute(query)]


def sector_counts(city: str | None = None) -> dict[Sector, int]:
    """How many companies each sector has (in `city` when given), in the order of `Sector`.

    Sectors without any company are left out.
    """
    query = sa.select(Company.sector, sa.func.count(Company.id)).group_by(Company.sector)
    if city is not None:
        query = query.where(Company.city == city)
    counts = {sector: count for sector, count in db.session.execute(query)}
    return {sector: counts[sector] for sector in Sector if sector in counts}


def cities() -> list[str]:
    """The cities where at least one company is based, in alphabetical order."""
    query = sa.select(Company.city).distinct().order_by(Company.city)
    return list(db.session.scalars(query))


def parse_sector(value: str | None) -> Sector | None:
    """The sector a query parameter names, or None when it names none (no filter, no error)."""
    try:
        return Sector(value) if value else None
    except ValueError:
        return None


def company_by_slug(slug: str) -> Company | None:
    if not slug.isprintable():  # PostgreSQL refuses a NUL byte: such a slug exists nowhere
        return None
    return db.session.scalar(sa.select(Company).where(Company.slug == slug))


def company_page(slug: str, viewer: User | None = None) -> CompanyPage | None:
    """A company, its people (with their user and profile) and the open offers `viewer` may
    see: three queries."""
    company = company_by_slug(slug)
    if company is None:
        return None
    people = list(
        db.session.scalars(
            sa.select(Persona)
            .join(Persona.user)
            .where(Persona.company_id == company.id, User.is_disabled.is_(False))
            .options(
                contains_eager(Persona.user).joinedload(User.profile),
                contains_eager(Persona.user).joinedload(User.school_class),
            )
            .order_by(User.last_name, User.first_name, User.id)
        )
    )
    people.sort(key=lambda persona: _PERSONA_ORDER.get(persona.kind, len(_PERSONA_ORDER)))
    offers = list(
        db.session.scalars(
            sa.select(JobOffer)
            .where(JobOffer.company_id == company.id, JobOffer.is_open.is_(True),
                   _offers_seen_by(viewer))
            .order_by(JobOffer.start_date.is_(None), JobOffer.start_date, JobOffer.id)
        )
    )
    return CompanyPage(company=company, people=people, open_offers=offers)


def logo_colour(slug: str) -> str:
    """A palette colour chosen from the slug: the same company always gets the same colour.

    A stable digest, not `hash()`, which changes with every Python process.
    """
    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    return LOGO_PALETTE[int.from_bytes(digest[:4], "big") % len(LOGO_PALETTE)]


_WORD = re.compile(r"\w+")


def initials(name: str) -> str:
    """Up to two letters for a logo: "Cimes & Lacs Voyages" → "CL", "Banque de France" → "BF".

    Capitalised words are preferred, so that small linking words ("de", "et") are skipped.
    """
    words = [word for word in _WORD.findall(name) if word[0] != "_"]
    capitalised = [word for word in words if word[0].isupper() or word[0].isdigit()]
    chosen = capitalised or words
    return "".join(word[0] for word in chosen[:2]).upper() or "?"


def logo_svg(company: Company) -> str:
    """The company's generated logo: its initials in white on a rounded square of its colour."""
    title = escape(company.name)
    letters = escape(initials(company.name))
    colour = logo_colour(company.slug)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" '
        'role="img">'
        f"<title>{title}</title>"
        f'<rect width="96" height="96" rx="20" ry="20" fill="{colour}"/>'
        '<text x="48" y="49" text-anchor="middle" dominant-baseline="central" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'font-size="38" font-weight="700" fill="#ffffff">{letters}</text>'
        "</svg>"
    )
