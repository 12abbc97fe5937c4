"""Searching job offers: the filters, who sees which offer, a fixed number of queries."""

from __future__ import annotations

from datetime import date

from sandbox.companies.models import Company, JobKind, Sector
from sandbox.extensions import db
from sandbox.jobs.search import parse_filters, search_offers
from tests.jobs.conftest import make_offer


def _titles(viewer, **args) -> list[str]:
    filters, errors = parse_filters(args)
    assert errors == {}
    return sorted(row.offer.title for row in search_offers(viewer, filters).rows)


def _bank() -> Company:
    bank = Company(slug="banque-ardelle", name="Banque Ardelle", sector=Sector.BANKING,
                   city="Lille")
    db.session.add(bank)
    db.session.commit()
    return bank


def test_filters_by_type_sector_city_dates_and_words(school, cimes):
    bank = _bank()
    make_offer(cimes["company"], "Agent(e) d'accueil voyageurs — job d'été",
               kind=JobKind.STUDENT_JOB, start_date=date(2027, 7, 1))
    make_offer(bank, "Alternance conseiller clientèle", kind=JobKind.APPRENTICESHIP,
               city="Lille", start_date=date(2027, 9, 1))
    make_offer(bank, "CDI chargé d'affaires", kind=JobKind.PERMANENT, city="Lille",
               start_date=None)
    student = school["student"]

    assert _titles(student, kind="apprenticeship") == ["Alternance conseiller clientèle"]
    assert _titles(student, sector="tourism") == [
        "Agent(e) d'accueil voyageurs — job d'été", "Stage assistant(e) commercial(e) export"]
    assert _titles(student, city="Lille") == ["Alternance conseiller clientèle",
                                              "CDI chargé d'affaires"]
    assert _titles(student, **{"from": "2027-06-01"}) == [
        "Agent(e) d'accueil voyageurs — job d'été", "Alternance conseiller clientèle"]
    assert _titles(student, before="2027-07-01") == [
        "Agent(e) d'accueil voyageurs — job d'été", "Stage assistant(e) commercial(e) export"]
    # Words without accents or capitals find the title, or the company's name.
    assert _titles(student, q="ETE") == ["Agent(e) d'accueil voyageurs — job d'été"]
    assert _titles(student, q="clientele alternance") == ["Alternance conseiller clientèle"]
    assert _titles(student, q="ardelle cdi") == ["CDI chargé d'affaires"]
    assert _titles(student, q="100%_") == []  # LIKE wildcards are plain characters
    # An unknown type or sector filters nothing, like the companies directory.
    assert len(_titles(student, kind="spaceship", sector="moon")) == 4


def test_a_date_that_is_not_one_is_said(client_as, school, cimes):
    response = client_as(school["student"]).get("/jobs/?from=31/02/2027")
    assert response.status_code == 200
    assert 'id="job-from-error"' in response.text
    assert cimes["offer"].title in response.text  # the list is not filtered by it


def test_closed_offers_are_not_listed(school, cimes):
    make_offer(cimes["company"], "Stage pourvu", is_open=False)
    assert _titles(school["student"]) == ["Stage assistant(e) commercial(e) export"]


def test_an_offer_written_in_a_class_is_seen_by_that_class_only(school, cimes, client_as):
    own = make_offer(cimes["company"], "Offre de la classe", class_id=school["class"].id)
    seen = {role: _titles(school[role]) for role in
            ("student", "other_student", "teacher", "other_teacher", "admin")}
    assert "Offre de la classe" in seen["student"]
    assert "Offre de la classe" in seen["teacher"]
    assert "Offre de la classe" in seen["admin"]
    assert "Offre de la classe" not in seen["other_student"]
    assert "Offre de la classe" not in seen["other_teacher"]
    # Everyone sees the seeded offer.
    assert all("Stage assistant(e) commercial(e) export" in titles for titles in seen.values())
    assert client_as(school["other_student"]).get(f"/jobs/{own.id}").status_code == 404
    assert client_as(school["student"]).get(f"/jobs/{own.id}").status_code == 200


def test_pages_of_twenty(school, cimes):
    for number in range(24):
        make_offer(cimes["company"], f"Offre {number:02d}")
    first, _ = parse_filters({})
    second, _ = parse_filters({"page": "2"})
    assert search_offers(school["student"], first).total == 25
    assert len(search_offers(school["student"], first).rows) == 20
    assert len(search_offers(school["student"], second).rows) == 5
    assert parse_filters({"page": "many"})[0].page == 1


def _count_page_queries(client, count_queries) -> int:
    with count_queries() as counter:
        response = client.get("/jobs/?sector=tourism")
    assert response.status_code == 200
    return counter.count


def test_the_search_page_runs_a_fixed_number_of_queries(school, cimes, client_as,
                                                        count_queries):
    client = client_as(school["student"])
    client.get("/jobs/")  # warm up what every first request loads
    few = _count_page_queries(client, count_queries)
    for number in range(15):
        offer = make_offer(cimes["company"], f"Offre {number:02d}")
        if number % 3 == 0:
            from sandbox.jobs.services import save_offer

            save_offer(school["student"], offer.id)
    many = _count_page_queries(client, count_queries)
    assert many == few
