"""Fixtures for the reviews: companies, internships, reviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.profiles.models import Experience
from sandbox.reviews.models import CRITERIA, CompanyReview

# Answers the default charter lets through as they are (no advice, nothing flagged).
LIKED = "L'équipe m'a confié de vrais dossiers clients dès la première semaine."
ADVICE = "Préparez des questions sur les produits avant le premier jour de stage."


class Internships:
    """Small verbs: a company, an internship there (two ways), a review written in the table."""

    def company(self, name: str = "Transports Lefort", slug: str = "transports-lefort") -> Company:
        company = Company(slug=slug, name=name, sector=Sector.LOGISTICS, city="Lyon")
        db.session.add(company)
        db.session.commit()
        return company

    def experience(self, student: Any, organisation: str,
                   start_date: date | None = date(2025, 5, 12)) -> Experience:
        item = Experience(profile_id=student.id, role="Stagiaire", organisation=organisation,
                          start_date=start_date)
        db.session.add(item)
        db.session.commit()
        return item

    def application(self, student: Any, company: Company,
                    status: ApplicationStatus = ApplicationStatus.OFFER) -> Application:
        offer = JobOffer(slug=f"stage-{company.slug}-{student.id}-{status.value}",
                         company_id=company.id, title="Stage commercial", kind=JobKind.INTERNSHIP,
                         city=company.city)
        db.session.add(offer)
        db.session.flush()
        application = Application(offer_id=offer.id, student_id=student.id,
                                  cover_letter="Madame, Monsieur, je souhaite rejoindre votre "
                                               "équipe pour mon stage.", status=status)
        db.session.add(application)
        db.session.commit()
        return application

    def review(self, author: Any, company: Company, recommend: bool = True,
               scores: tuple[int, ...] = (4, 4, 4, 4, 4, 4), liked: str = LIKED,
               advice: str = ADVICE, **fields: Any) -> CompanyReview:
        review = CompanyReview(company_id=company.id, author_id=author.id, recommend=recommend,
                               liked=liked, advice=advice, **dict(zip(CRITERIA, scores)),
                               **fields)
        db.session.add(review)
        db.session.commit()
        return review


@pytest.fixture
def internships(app: Flask) -> Internships:
    return Internships()


def form(recommend: str = "yes", scores: tuple[int, ...] = (4, 5, 3, 4, 2, 5),
         liked: str = LIKED, advice: str = ADVICE, **extra: str) -> dict[str, str]:
    """The review form as a browser sends it."""
    data = {"recommend": recommend, "liked": liked, "advice": advice,
            **{name: str(score) for name, score in zip(CRITERIA, scores)}}
    data.update(extra)
    return data
