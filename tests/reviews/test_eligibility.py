"""Who may review a company: a trainee who did an internship there, in Tremplin (a recruitment
that ended with an offer) or on their profile (an experience at the company)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from sandbox.core.errors import PermissionDenied
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.jobs.models import ApplicationStatus
from sandbox.reviews.models import CompanyReview
from sandbox.reviews.services import (
    Eligibility,
    names_the_company,
    page_for,
    review_page,
    save_review,
)
from tests.reviews.test_writing import answers


@pytest.fixture
def cimes(internships):  # type: ignore[no-untyped-def]
    return internships.company(name="Cimes & Lacs Voyages", slug="cimes-et-lacs")


@pytest.mark.parametrize(("organisation", "same"), [
    ("Cimes & Lacs Voyages", True),
    ("CIMES ET LACS", True),  # the page's address
    ("cimes lacs voyages", True),
    ("Cîmes & Lacs — Voyages", True),
    ("Cimes & Lacs", False),  # another name: perhaps another company
    ("", False),
    ("&", False),
])
def test_an_experience_names_the_company_accents_case_and_punctuation_aside(
        cimes, organisation, same):
    assert names_the_company(organisation, cimes) is same


def test_an_experience_at_the_company_makes_a_student_eligible(school, internships, cimes):
    lea = school["student"]
    assert review_page(lea, cimes).eligibility is Eligibility.NONE
    internships.experience(lea, "Cimes et Lacs")
    assert review_page(lea, cimes).eligibility is Eligibility.EXPERIENCE
    assert review_page(lea, cimes).can_write


def test_an_internship_that_has_not_started_does_not_count(school, internships, cimes):
    lea = school["student"]
    internships.experience(lea, "Cimes & Lacs Voyages",
                           start_date=utcnow().date() + timedelta(days=30))
    assert review_page(lea, cimes).eligibility is Eligibility.NONE
    internships.experience(lea, "Cimes & Lacs Voyages", start_date=None)  # no date: taken as said
    assert review_page(lea, cimes).eligibility is Eligibility.EXPERIENCE


def test_a_recruitment_that_ended_with_an_offer_makes_a_student_eligible(
        school, internships, cimes):
    lea, hugo = school["student"], school["classmate"]
    internships.application(lea, cimes, ApplicationStatus.OFFER)
    for status in (ApplicationStatus.INTERVIEW, ApplicationStatus.DECLINED):
        internships.application(hugo, cimes, status)
    assert review_page(lea, cimes).eligibility is Eligibility.HIRED
    assert review_page(hugo, cimes).eligibility is Eligibility.NONE
    # An offer from another company says nothing about this one.
    other = internships.company(name="Autre", slug="autre")
    assert review_page(lea, other).eligibility is Eligibility.NONE


def test_a_student_who_was_not_there_is_told_how_to_become_eligible(school, cimes, client_as):
    page = client_as(school["student"]).get(f"/companies/{cimes.slug}/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="review-form"' not in html and 'role="status"' in html
    assert "/profile/edit#experiences" in html
    # Sending the form anyway is refused, and nothing is written.
    sent = client_as(school["student"]).post(f"/companies/{cimes.slug}/review", data={
        "recommend": "yes"})
    assert sent.status_code == 403
    with pytest.raises(PermissionDenied):
        save_review(school["student"], cimes.slug, answers())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyReview)) == 0


@pytest.mark.parametrize("role", ["teacher", "admin", "persona"])
def test_only_students_review(school, cimes, role):
    with pytest.raises(PermissionDenied):
        page_for(school[role], cimes.slug)


def test_the_page_of_a_company_that_does_not_exist_is_not_found(school, client_as):
    assert client_as(school["student"]).get("/companies/nowhere/review").status_code == 404


def test_the_company_page_offers_the_review_to_those_who_may_write_it(
        school, internships, cimes, client_as):
    lea, hugo = school["student"], school["classmate"]
    internships.experience(lea, "Cimes & Lacs Voyages", start_date=date(2025, 6, 2))
    write = f'class="button button--primary" href="/companies/{cimes.slug}/review"'
    assert write in client_as(lea).get(f"/companies/{cimes.slug}").get_data(as_text=True)
    other = client_as(hugo).get(f"/companies/{cimes.slug}").get_data(as_text=True)
    assert write not in other and f'href="/companies/{cimes.slug}/review"' in other
    teacher = client_as(school["teacher"]).get(f"/companies/{cimes.slug}").get_data(as_text=True)
    assert f"/companies/{cimes.slug}/review" not in teacher
