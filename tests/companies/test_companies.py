"""The companies: directory and filters, employer-brand pages, generated logos, query counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape

import pytest
import sqlalchemy as sa
from flask import url_for

from sandbox.accounts.models import User
from sandbox.companies import services
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.extensions import db
from sandbox.seeding.files import read_network_seed
from sandbox.seeding.loader import seed_network
from tests.conftest import login_client

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def network(app):  # type: ignore[no-untyped-def]
    """The seeded fictional companies, their offers and their personas."""
    seed = read_network_seed()
    seed_network(seed)
    return seed


@pytest.fixture
def student_client(client_as, factories):  # type: ignore[no-untyped-def]
    """A logged-in student; no company comes with them (unlike the `school` fixture's persona)."""
    klass = factories.make_class(factories.make_teacher(), name="BTS CI 2")
    return client_as(factories.make_student(klass))


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def _company_names(page: str) -> list[str]:
    pattern = r'<h3 class="company-card__name"><a href="/companies/[^"]+">([^<]+)</a>'
    return re.findall(pattern, page)


def _filter_links(page: str) -> dict[str, tuple[str, bool]]:
    """Each sector filter link: its text → (its URL, whether it is the active one)."""
    nav = page.split('class="filter-links"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"( aria-current="true")?>([^<]+)</a>', nav)
    return {text: (href, bool(current)) for href, current, text in links}


def _add_company(  # type: ignore[no-untyped-def]
    slug: str, sector: Sector = Sector.TOURISM, city: str = "Lyon", **fields
) -> Company:
    company = Company(slug=slug, name=fields.pop("name", slug.title()), sector=sector, city=city,
                      **fields)
    db.session.add(company)
    db.session.commit()
    return company


def _add_offer(  # type: ignore[no-untyped-def]
    company: Company, slug: str, is_open: bool = True, **fields
) -> JobOffer:
    offer = JobOffer(slug=slug, company_id=company.id, title=fields.pop("title", slug),
                     kind=fields.pop("kind", JobKind.INTERNSHIP), city=company.city,
                     is_open=is_open, **fields)
    db.session.add(offer)
    db.session.commit()
    return offer


# --- The directory ---------------------------------------------------------------------------


def test_directory_lists_every_seeded_company_with_its_open_offers(student_client, network):
    page = _text(student_client.get("/companies/"))
    assert sorted(_company_names(page)) == sorted(c.name for c in network.companies)
    assert "Cimes & Lacs Voyages" in page
    assert "/companies/cimes-et-lacs/logo.svg" in page
    card = page.split("Cimes & Lacs Voyages</a>", 1)[1].split("</li>", 1)[0]
    assert "Annecy" in card
    assert "85" in card
    assert "2 offres" in card or "2 open" in card


def test_directory_counts_only_open_offers(student_client):
    company = _add_company("alpha", name="Alpha")
    _add_offer(company, "alpha-1")
    _add_offer(company, "alpha-2", is_open=False)
    entries = services.directory()
    assert [(e.company.slug, e.open_offers) for e in entries] == [("alpha", 1)]
    assert [e.open_offers for e in services.directory(sector=Sector.TOURISM)] == [1]


def test_sector_filter_shows_that_sector_only(student_client, network):
    page = _text(student_client.get("/companies/?sector=logistics"))
    expected = sorted(c.name for c in network.companies if c.sector is Sector.LOGISTICS)
    assert len(expected) == 2
    assert sorted(_company_names(page)) == expected


def test_city_filter_shows_that_city_only(student_client, network):
    page = _text(student_client.get("/companies/?city=Lyon"))
    expected = sorted(c.name for c in network.companies if c.city == "Lyon")
    assert len(expected) >= 2
    assert sorted(_company_names(page)) == expected
    assert '<option value="Lyon" selected>Lyon</option>' in page


def test_both_filters_combine_and_links_keep_the_city(student_client, network):
    page = _text(student_client.get("/companies/?sector=fashion&city=Lyon"))
    assert _company_names(page) == ["Maison Joséphane"]
    links = _filter_links(page)
    assert all("city=Lyon" in href for href, _current in links.values())
    # the city form keeps the chosen sector
    assert '<input type="hidden" name="sector" value="fashion">' in page


def test_sector_counts_are_right_and_the_active_one_is_marked(student_client, network):
    expected: dict[Sector, int] = {}
    for company in network.companies:
        expected[company.sector] = expected.get(company.sector, 0) + 1
    assert services.sector_counts() == expected
    assert expected[Sector.LOGISTICS] == 2

    page = _text(student_client.get("/companies/?sector=logistics"))
    links = _filter_links(page)
    shown = {href: int(re.search(r"\((\d+)\)$", text).group(1))  # type: ignore[union-attr]
             for text, (href, _current) in links.items()}
    assert shown == {
        "/companies/": len(network.companies),
        **{f"/companies/?sector={sector.value}": count for sector, count in expected.items()},
    }
    active = [href for href, current in links.values() if current]
    assert active == ["/companies/?sector=logistics"]


def test_all_sectors_is_the_active_filter_by_default(student_client, network):
    links = _filter_links(_text(student_client.get("/companies/")))
    assert [href for href, current in links.values() if current] == ["/companies/"]


def test_sector_counts_follow_the_chosen_city(network):
    lyon = {c.sector for c in network.companies if c.city == "Lyon"}
    assert set(services.sector_counts("Lyon")) == lyon
    assert sum(services.sector_counts("Lyon").values()) == len(
        [c for c in network.companies if c.city == "Lyon"]
    )


def test_cities_are_those_of_the_companies(network):
    assert services.cities() == sorted({c.city for c in network.companies})


@pytest.mark.parametrize("query", [
    "?sector=nope", "?sector=", "?city=Atlantis", "?sector=%00&city=%FF", "?sector=TOURISM",
])
def test_unknown_filter_values_are_ignored(student_client, network, query):
    page = _text(student_client.get(f"/companies/{query}"))
    assert len(_company_names(page)) == len(network.companies)


def test_active_sector_stays_visible_when_the_city_has_none(student_client, network):
    page = _text(student_client.get("/companies/?sector=tourism&city=Lyon"))
    assert _company_names(page) == []
    active = [text for text, (_href, current) in _filter_links(page).items() if current]
    assert len(active) == 1 and active[0].endswith("(0)")


def test_every_role_sees_the_directory(client_as, school, network):
    for role in ("student", "teacher", "admin", "other_student"):
        assert client_as(school[role]).get("/companies/").status_code == 200


def test_directory_runs_a_fixed_number_of_queries(student_client, factories, count_queries):
    factories.make_company()
    _add_offer(factories.make_company(), "only-offer")
    with count_queries() as few:
        page = _text(student_client.get("/companies/"))
    assert len(_company_names(page)) == 2

    for number in range(4):
        company = _add_company(
            f"more-{number}", sector=list(Sector)[number], city=f"Ville {number}"
        )
        for rank in range(3):
            _add_offer(company, f"more-{number}-{rank}")
    with count_queries() as many:
        page = _text(student_client.get("/companies/?city=Lyon"))
        page = _text(student_client.get("/companies/"))
    assert len(_company_names(page)) == 6
    assert many.count == 2 * few.count, many.statements
    assert few.count <= 7, few.statements  # incl. the bell and the messages badge


# --- A company's page ------------------------------------------------------------------------


def test_company_page_shows_the_facts(student_client, network):
    page = _text(student_client.get("/companies/cimes-et-lacs"))
    assert page.count("<h1") == 1
    assert "<h1>Cimes & Lacs Voyages</h1>" in page
    facts = page.split('<dl class="stats facts">', 1)[1].split("</dl>", 1)[0]
    flat = re.sub(r"\s+", " ", facts.replace("\u202f", " ").replace("\xa0", " "))
    assert "2009" in flat
    assert "85" in flat
    assert "58 %" in flat
    assert "34" in flat
    assert "12,5 M €" in flat  # French by default
    assert "Deux jours de télétravail par semaine" in page
    assert "Agence réceptive spécialisée" in page


def test_turnover_is_formatted_in_the_reader_language(client_as, school, network):
    student = school["student"]
    student.locale = "en"
    db.session.commit()
    page = _text(client_as(student).get("/companies/cimes-et-lacs"))
    assert "€12.5M" in page
    assert "58%" in page


def test_company_page_lists_its_people(student_client, network):
    page = _text(student_client.get("/companies/cimes-et-lacs"))
    people = [p for p in network.personas if p.company == "cimes-et-lacs"]
    assert len(people) == 3
    for person in people:
        assert f"{person.first_name} {person.last_name}" in page
        assert person.job_title in page
        assert person.headline in page
    others = [p for p in network.personas if p.company != "cimes-et-lacs"]
    assert f"{others[0].first_name} {others[0].last_name}" not in page
    # the recruiter comes first
    assert page.index("Claire Morvan") < page.index("Thomas Vuillermoz")


def test_company_page_lists_its_open_offers_only(student_client, network):
    company = db.session.scalar(sa.select(Company).where(Company.slug == "cimes-et-lacs"))
    _add_offer(company, "cimes-closed", is_open=False, title="Offre déjà pourvue")
    page = _text(student_client.get("/companies/cimes-et-lacs"))
    seeded = next(c for c in network.companies if c.slug == "cimes-et-lacs")
    for offer in seeded.offers:
        assert offer.title in page
        assert offer.duration in page
    assert "Offre déjà pourvue" not in page
    assert "1 févr. 2027" in page  # the start date, in French
    assert page.count('<h3 class="offer__title">') == len(seeded.offers)


def test_company_without_facts_offers_or_people_still_shows(student_client):
    _add_company("vide", name="Vide & Associés")
    page = _text(student_client.get("/companies/vide"))
    assert "<h1>Vide & Associés</h1>" in page
    assert "offer__title" not in page


def test_user_content_is_escaped(student_client):
    _add_company("pirate", name="<script>alert(1)</script>", description="<b>gras</b>")
    page = student_client.get("/companies/pirate").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    listing = student_client.get("/companies/").get_data(as_text=True)
    assert "<script>alert" not in listing


def test_unknown_company_is_not_found(student_client, network):
    assert student_client.get("/companies/no-such-company").status_code == 404
    assert student_client.get("/companies/no-such-company/logo.svg").status_code == 404


def test_company_page_runs_a_fixed_number_of_queries(
    student_client, factories, count_queries
):  # type: ignore[no-untyped-def]
    company = factories.make_company(slug="petite")
    factories.make_persona(company=company)
    _add_offer(company, "petite-1")
    with count_queries() as few:
        _text(student_client.get("/companies/petite"))

    for _number in range(5):
        factories.make_persona(company=company)
    for rank in range(6):
        _add_offer(company, f"petite-more-{rank}", start_date=date(2027, 1, rank + 1))
    with count_queries() as many:
        page = _text(student_client.get("/companies/petite"))
    assert page.count('<li class="person">') == 6
    assert page.count('<h3 class="offer__title">') == 7
    assert many.count == few.count, many.statements
    assert few.count <= 13, few.statements  # incl. scope, follow, bell, messages, reviews


# --- Logos -----------------------------------------------------------------------------------


def _contrast_with_white(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_logo_is_an_svg_of_the_company_colour_and_initials(student_client, network):
    response = student_client.get("/companies/cimes-et-lacs/logo.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    svg = ET.fromstring(response.get_data())  # well-formed XML, "&" escaped
    assert svg.tag == f"{SVG}svg"
    assert svg.find(f"{SVG}title").text == "Cimes & Lacs Voyages"  # type: ignore[union-attr]
    rect = svg.find(f"{SVG}rect")
    assert rect.get("fill") == services.logo_colour("cimes-et-lacs")  # type: ignore[union-attr]
    text = svg.find(f"{SVG}text")
    assert text.text == "CL"  # type: ignore[union-attr]
    assert text.get("fill") == "#ffffff"  # type: ignore[union-attr]
    assert b"Cimes &amp; Lacs" in response.get_data()


def test_logo_escapes_every_name(student_client):
    _add_company("balise", name='<Tom & "Jerry">')
    body = student_client.get("/companies/balise/logo.svg").get_data(as_text=True)
    assert "<Tom" not in body
    title = ET.fromstring(body).find(f"{SVG}title")
    assert title.text == '<Tom & "Jerry">'  # type: ignore[union-attr]


def test_logo_colour_is_deterministic_readable_and_varied():
    slugs = [f"entreprise-{number}" for number in range(60)]
    assert [services.logo_colour(s) for s in slugs] == [services.logo_colour(s) for s in slugs]
    assert services.logo_colour("cimes-et-lacs") == services.logo_colour("cimes-et-lacs")
    assert len({services.logo_colour(s) for s in slugs}) >= 6
    for colour in services.LOGO_PALETTE:
        assert _contrast_with_white(colour) >= 4.5, colour


@pytest.mark.parametrize(("name", "letters"), [
    ("Cimes & Lacs Voyages", "CL"),
    ("Plumetis & Co", "PC"),
    ("Troquella", "T"),
    ("Ventaluce Énergies", "VÉ"),
    ("Banque de France", "BF"),
    ("maison rose", "MR"),
    ("&&&", "?"),
    ("", "?"),
])
def test_initials(name, letters):
    assert services.initials(name) == letters


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/companies/", "/companies/cimes-et-lacs", "/companies/cimes-et-lacs/logo.svg",
    "/companies/no-such-company",
])
def test_visitors_must_log_in(client, network, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_every_role_sees_a_company_page(client_as, school, network):
    for role in ("student", "teacher", "admin"):
        client = client_as(school[role])
        assert client.get("/companies/cimes-et-lacs").status_code == 200
        assert client.get("/companies/cimes-et-lacs/logo.svg").status_code == 200


def test_people_link_to_their_profile(make_app, factories, network):
    student = factories.make_student(factories.make_class(None))
    with_profiles = make_app()
    claire = db.session.scalar(sa.select(User).where(User.username == "claire.morvan"))
    with with_profiles.test_request_context():
        expected = url_for("profiles.show", user_id=claire.id)
    page = _text(login_client(with_profiles, student).get("/companies/cimes-et-lacs"))
    assert f'<a href="{expected}">Claire Morvan</a>' in page
