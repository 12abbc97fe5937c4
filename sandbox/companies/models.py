"""Fictional companies (employer-brand facts) and their job offers."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.core.enums import enum_column_type
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.extensions import db


class Sector(enum.StrEnum):
    TOURISM = "tourism"
    AGRIFOOD = "agrifood"
    BANKING = "banking"
    RETAIL = "retail"
    INDUSTRY = "industry"
    CONSULTING = "consulting"
    TECH = "tech"
    ECOMMERCE = "ecommerce"
    LOGISTICS = "logistics"
    COLLABORATIVE = "collaborative"
    FASHION = "fashion"
    MEDIA = "media"
    HEALTH = "health"
    ENERGY = "energy"


class JobKind(enum.StrEnum):
    INTERNSHIP = "internship"
    APPRENTICESHIP = "apprenticeship"
    FIXED_TERM = "fixed_term"
    PERMANENT = "permanent"
    STUDENT_JOB = "student_job"


class Company(db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    sector: Mapped[Sector] = mapped_column(enum_column_type(Sector), index=True)
    city: Mapped[str] = mapped_column(sa.String(80))
    founded_year: Mapped[int | None]
    headcount: Mapped[int | None]
    women_percent: Mapped[int | None]
    average_age: Mapped[int | None]
    turnover_eur: Mapped[int | None] = mapped_column(sa.BigInteger)
    good_to_know: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Name and city, lowercased without accents, for search on any database engine.
    search_text: Mapped[str] = mapped_column(sa.String(250), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    offers: Mapped[list[JobOffer]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="JobOffer.id"
    )

    def __repr__(self) -> str:
        return f"<Company {self.slug}>"


class JobOffer(db.Model):
    __tablename__ = "job_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[JobKind] = mapped_column(enum_column_type(JobKind), index=True)
    city: Mapped[str] = mapped_column(sa.String(80))
    start_date: Mapped[date | None]
    duration: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # An offer written in class (a recruiter student, a teacher playing a persona): only that
    # class sees it. NULL for the seeded offers, which everyone sees.
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    # The persona in whose name it was posted (NULL: the company's own seeded offer).
    posted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    company: Mapped[Company] = relationship(back_populates="offers")


@sa.event.listens_for(Company, "before_insert")
@sa.event.listens_for(Company, "before_update")
def _index_company_for_search(_mapper, _connection, company: Company) -> None:
    company.search_text = fold(f"{company.name} {company.city}")[:250]
