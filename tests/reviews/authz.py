"""The reviews routes in the authorization matrix (tests/test_authorization.py).

Léa (student) did her internship at "Avis & Fils" (on her profile) and reviewed it; Nina
(another class) did not: she reads why she may not review it, and may not send a review.
Teachers and admins never write reviews (403). A company that does not exist is 404 to the
students. The POSTs send an empty form (the page comes back with what is missing), except the
deletion of Léa's review, which comes last.
"""

from __future__ import annotations

from datetime import date

from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case


def add_entries(school: dict) -> dict:
    from sandbox.companies.models import Company, Sector
    from sandbox.extensions import db
    from sandbox.profiles.models import Experience
    from sandbox.reviews.models import CompanyReview

    company = Company(slug="avis-et-fils", name="Avis & Fils", sector=Sector.RETAIL,
                      city="Lyon")
    db.session.add(company)
    db.session.flush()
    lea = school["student"]
    db.session.add(Experience(profile_id=lea.id, role="Stagiaire", organisation="Avis & Fils",
                              start_date=date(2025, 5, 12)))
    db.session.add(CompanyReview(
        company_id=company.id, author_id=lea.id, recommend=True, pride=4, growth=4,
        motivation=4, fun=4, management=4, environment=4,
        liked="Une équipe qui m'a fait confiance dès le premier jour.",
        advice="Préparez des questions sur les produits avant de commencer.",
    ))
    db.session.commit()
    return {"review_company": company}


def _review(s: dict) -> str:
    return f"/companies/{s['review_company'].slug}/review"


def _trainees(student: int | str, other_student: int | str) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "student": student, "other_student": other_student,
            "teacher": FORBIDDEN, "other_teacher": FORBIDDEN, "admin": FORBIDDEN}


CASES: dict[str, list[Case]] = {
    "reviews.edit": [
        Case("GET", _review, _trainees(OK, OK)),
        Case("GET", lambda s: "/companies/no-such-company/review",
             _trainees(NOT_FOUND, NOT_FOUND)),
        Case("POST", _review, _trainees(OK, FORBIDDEN), data={}),
    ],
    "reviews.delete": [
        Case("POST", lambda s: "/companies/no-such-company/review/delete",
             _trainees(NOT_FOUND, NOT_FOUND)),
        Case("POST", lambda s: f"{_review(s)}/delete", _trainees(REDIRECT, NOT_FOUND)),
    ],
}
