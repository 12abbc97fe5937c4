"""The reviews on a company's page: nothing before three, then the rate and the averages
(computed in SQL, formatted in the reader's language), and the texts each reader may read."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import url_for
from flask_babel import force_locale

from sandbox.companies.models import JobKind, JobOffer
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.reviews.summary import MIN_REVIEWS, company_summary

# Three reviews: 2 of 3 recommend; pride 5, 4, 4 → 4.3; growth 3, 2, 2 → 2.3; the rest 4.
SCORES = [(5, 3, 4, 4, 4, 4), (4, 2, 4, 4, 4, 4), (4, 2, 4, 4, 4, 4)]


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def _averages(html: str) -> list[str]:
    """Each criterion's average as the page writes it ("4,3" in French, "4.3" in English)."""
    return re.findall(r"<dd>([0-9][0-9.,]*)\D", html.split('class="review-averages"', 1)[1])


@pytest.fixture
def company(internships):  # type: ignore[no-untyped-def]
    return internships.company()


@pytest.fixture
def three(school, factories, internships, company):  # type: ignore[no-untyped-def]
    """Three classmates reviewed the company (Léa, the reader, did not)."""
    authors = [school["classmate"], *(factories.make_student(school["class"]) for _ in range(2))]
    return [internships.review(author, company, recommend=index < 2, scores=scores,
                               liked=f"Texte numéro {index} : une équipe accueillante et "
                                     f"des missions variées.")
            for index, (author, scores) in enumerate(zip(authors, SCORES))]


def test_nothing_shows_before_three_reviews_and_the_page_says_so(
        school, internships, company, client_as):
    internships.review(school["classmate"], company, liked="Le premier avis, encore caché.")
    html = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    assert 'id="reviews"' in html and 'class="empty"' in html.split('id="reviews"', 1)[1]
    assert "review-averages" not in html and "Le premier avis" not in html
    with force_locale("en"):
        assert company_summary(company.id).count == 1 and not company_summary(company.id).shown
    assert MIN_REVIEWS == 3


def test_three_reviews_show_the_rate_and_the_averages_in_french(school, three, company,
                                                                client_as):
    html = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    rate = re.search(r'class="review-rate__value">([^<]+)<', html).group(1)
    assert rate == "67\xa0%"
    assert _averages(html) == ["4,3", "2,3", "4,0", "4,0", "4,0", "4,0"]
    assert '<meter min="1" max="5" value="4.3"' in html
    for index in range(3):
        assert f"Texte numéro {index}" in html


def test_the_numbers_follow_the_readers_language(school, three, company, client_as):
    reader = school["student"]
    reader.locale = "en"
    db.session.commit()
    html = _html(client_as(reader).get(f"/companies/{company.slug}"))
    assert re.search(r'class="review-rate__value">([^<]+)<', html).group(1) == "67%"
    assert _averages(html)[:2] == ["4.3", "2.3"]


def test_the_summary_is_computed_in_sql_with_rounding_half_up(school, factories, internships,
                                                              company):
    authors = [factories.make_student(school["class"]) for _ in range(4)]
    for author, pride in zip(authors, (5, 4, 4, 4)):  # 17 / 4 = 4.25
        internships.review(author, company, scores=(pride, 1, 1, 1, 1, 1))
    summary = company_summary(company.id)
    assert summary.count == 4 and summary.recommend_rate == 1.0
    assert summary.averages["pride"] == 4.3 and summary.averages["growth"] == 1.0


def test_hidden_and_deleted_reviews_count_nowhere(school, factories, three, internships,
                                                  company, client_as):
    three[0].hidden_at = utcnow()
    db.session.commit()
    html = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    assert "review-averages" not in html and "Texte numéro" not in html  # two left: too few
    extra = internships.review(factories.make_student(school["class"]), company,
                               recommend=False, scores=(1, 1, 1, 1, 1, 1),
                               liked="Un avis supprimé par le professeur.",
                               deleted_at=utcnow())
    assert company_summary(company.id).count == 2
    internships.review(factories.make_student(school["class"]), company, recommend=False,
                       scores=(1, 5, 4, 4, 4, 4))
    html = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    # 4, 4 and 1 → 3.0; 1 of 3 recommend; the hidden and the deleted are left out.
    assert _averages(html)[0] == "3,0"
    assert re.search(r'class="review-rate__value">([^<]+)<', html).group(1) == "33\xa0%"
    assert "Texte numéro 0" not in html and extra.liked not in html


def test_students_read_the_texts_without_names_teachers_with_them(school, three, company,
                                                                 client_as):
    hugo = school["classmate"]
    student_page = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    assert hugo.public_name not in student_page.split('id="reviews"', 1)[1].split("</section>")[0]
    assert student_page.count('class="review"') == 3
    assert student_page.count("/report/review/") == 3

    teacher_page = _html(client_as(school["teacher"]).get(f"/companies/{company.slug}"))
    assert hugo.name_for(school["teacher"]) in teacher_page
    assert teacher_page.count("/moderation/content/review/") == 3  # "Hide", not "Report"
    assert "/report/review/" not in teacher_page


def test_the_author_finds_their_own_review_marked_and_editable(school, three, company,
                                                               client_as):
    hugo = school["classmate"]
    html = _html(client_as(hugo).get(f"/companies/{company.slug}"))
    own = html.split(f'id="review-{three[0].id}"', 1)[1].split("</li>", 1)[0]
    assert f'href="/companies/{company.slug}/review"' in own and "/report/" not in own


def test_texts_stay_in_the_readers_network_scope_the_numbers_do_not(school, three, company,
                                                                    client_as):
    nina = school["other_student"]  # another class, closed to the school
    html = _html(client_as(nina).get(f"/companies/{company.slug}"))
    assert _averages(html)[0] == "4,3"
    assert "Texte numéro" not in html and 'class="review"' not in html
    other_teacher = _html(client_as(school["other_teacher"]).get(f"/companies/{company.slug}"))
    assert "Texte numéro" not in other_teacher


def test_teachers_read_their_students_reviews_before_the_threshold(school, internships,
                                                                  company, client_as):
    internships.review(school["classmate"], company, liked="Un avis que le professeur lit déjà.")
    assert "Un avis que le professeur lit déjà." in _html(
        client_as(school["teacher"]).get(f"/companies/{company.slug}"))
    assert "Un avis que le professeur lit déjà." not in _html(
        client_as(school["student"]).get(f"/companies/{company.slug}"))


def test_a_hidden_review_shows_to_its_author_with_a_notice(school, three, company, client_as):
    hugo = school["classmate"]
    three[0].hidden_at = utcnow()
    db.session.commit()
    page = _html(client_as(hugo).get(f"/companies/{company.slug}/review"))
    assert three[0].liked in page and 'class="notice"' in page and 'class="review-form"' not in page
    assert f'action="/companies/{company.slug}/review/delete"' in page


@pytest.mark.parametrize("reader", ["student", "teacher"])
def test_the_page_runs_a_fixed_number_of_queries(reader, school, factories, internships,
                                                 company, client_as, count_queries):
    authors = [factories.make_student(school["class"]) for _ in range(12)]
    for author in authors[:3]:
        internships.review(author, company)
    client, url = client_as(school[reader]), f"/companies/{company.slug}"
    client.get(url)  # the session's first page warms up
    with count_queries() as few:
        _html(client.get(url))
    for author in authors[3:]:
        internships.review(author, company, recommend=False)
    with count_queries() as many:
        html = _html(client.get(url))
    assert html.count('class="review"') == 12
    assert many.count == few.count, many.statements
    # The numbers, the texts, and for a student their own review: one query each.
    assert sum("company_reviews" in sql for sql in many.statements) == (
        3 if reader == "student" else 2)


def test_open_offers_link_to_their_page(app, school, company, client_as):
    offer = JobOffer(slug="stage-lefort", company_id=company.id, title="Stage logistique",
                     kind=JobKind.INTERNSHIP, city="Lyon")
    db.session.add(offer)
    db.session.commit()
    with app.test_request_context():
        link = url_for("jobs.offer", offer_id=offer.id)
    html = _html(client_as(school["student"]).get(f"/companies/{company.slug}"))
    assert f'<h3 class="offer__title"><a href="{link}">Stage logistique</a></h3>' in html
