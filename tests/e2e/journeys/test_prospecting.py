"""Prospecting (DESIGN.md §4.3): a student grows her network the way the workshops teach.

Camille, who wants to work in fashion, follows a company, one of its recruiters and a hashtag;
looks through a classmate's connections; invites people from her suggestions, and is coached
when her message is generic, then when she sends the same one again and again; reacts to a job
offer (likes the recruiter's post about it, saves the offer); approaches the company politely;
and meets the weekly limit on invitations her class sets, as on a real network.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.network.invitations import sent_this_week
from sandbox.seeding.files import read_demo_seed
from tests.e2e.journeys.conftest import School
from tests.e2e.pages import login, submit

pytestmark = pytest.mark.browser

COMPANY, COMPANY_SLUG = "Maison Joséphane", "maison-josephane"
RECRUITER, COLLEAGUE = "Hélène Carrier", "Giulia Ferrante"
OFFER = "Alternance conseiller(ère) de vente en boutique"
GENERIC = "Je souhaite vous ajouter à mon réseau."
SAME_FOR_ALL = ("Bonjour, je suis étudiante en BTS Commerce International à Lyon et je "
                "cherche un stage dans la mode. Pourrions-nous échanger ?")
POLITE = ("Bonjour Madame Carrier, j'ai lu votre offre d'alternance chez Maison Joséphane : "
          "j'ai deux saisons de vente en boutique de chaussures et j'aimerais vous poser "
          "quelques questions sur le métier de conseillère de vente.")
NEW_INVITATIONS = 5  # what her class lets her send this week, on top of what she already sent


def _limit_invitations(school: School, username: str) -> int:
    """Her teacher set a small weekly limit for the lesson; the limit."""
    with school.app.app_context():
        student = db.session.scalar(sa.select(User).where(User.username == username))
        assert student is not None and student.school_class is not None
        cap = sent_this_week(student) + NEW_INVITATIONS
        student.school_class.weekly_invitation_cap = cap
        db.session.commit()
        return cap


def _follow(page: Any, form_action: str) -> None:
    submit(page, page.locator(f"main form[action='{form_action}'] button").first)
    assert page.locator(f"main form[action='{form_action}/delete']").count() >= 1


def _send(page: Any, message: str) -> str:
    """Type the invitation's message and send; the coach's words ("" when there are none)."""
    page.fill("#message", message)
    submit(page, page.locator("main form button[type=submit]"))
    coach = page.locator(".coach")
    return coach.inner_text() if coach.count() else ""


def _sent(page: Any) -> None:
    page.wait_for_url(re.compile(r"/people/\d+$"))
    assert page.locator(".flash--success").inner_text().startswith("Invitation envoyée à")
    assert "Invitation envoyée" in page.locator(".profile__actions").inner_text()


def _invite_a_suggestion(page: Any, school: School) -> str:
    """Open the invitation to the first person suggested; their name."""
    page.goto(school.url("/network/"))
    first = page.locator("aside[aria-labelledby='suggestions-heading'] li.person-row").first
    name = first.locator(".person-row__name").inner_text()
    assert first.locator(".suggestion-reasons").inner_text().strip()  # why they are suggested
    first.locator("a[href^='/network/invite/']").click()
    page.wait_for_url(re.compile(r"/network/invite/\d+$"))
    assert name in page.locator("h1").inner_text()
    return name


def test_a_student_prospects_politely_within_her_limit(browser: Any, school: School,
                                                       viewport: dict[str, int]) -> None:
    camille = read_demo_seed().students[2]
    cap = _limit_invitations(school, camille.username)
    problems: list[str] = []
    page = login(browser, school.base, camille.username, camille.password, viewport, problems)

    # She follows the company, its recruiter and a hashtag of her trade.
    page.goto(school.url("/companies/"))
    page.locator("main a", has_text=COMPANY).first.click()
    page.wait_for_url(school.url(f"/companies/{COMPANY_SLUG}"))
    _follow(page, f"/follows/companies/{COMPANY_SLUG}")
    page.locator("section[aria-labelledby='people-heading'] a", has_text=RECRUITER).first.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    recruiter_id = int(page.url.rsplit("/", 1)[-1])
    _follow(page, f"/follows/people/{recruiter_id}")
    page.goto(school.url("/follows/"))
    page.fill("#follow-tag", "#vente")
    submit(page, page.locator("form[action$='/follows/hashtags'] button[type=submit]"))
    page.wait_for_url(re.compile(r"/follows/"))
    followed = page.locator("main").inner_text()
    assert COMPANY in followed and RECRUITER in followed and "#vente" in followed

    # She looks through a classmate's connections.
    page.goto(school.url("/network/"))
    contacts = page.locator("section[aria-labelledby='connections-heading'] .person-row__name")
    assert contacts.count() >= 1
    contacts.first.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    page.locator(".profile__actions a[href$='/connections']").click()
    page.wait_for_url(re.compile(r"/network/people/\d+/connections$"))
    assert page.locator("main li.person-row").count() >= 1

    # Her suggestions: a generic message is coached; a real one goes.
    _invite_a_suggestion(page, school)
    assert f"{cap - NEW_INVITATIONS} sur {cap}" in page.locator("main").inner_text()
    coach = _send(page, GENERIC)
    assert "pourrait être envoyé à n’importe qui" in coach
    assert _send(page, SAME_FOR_ALL) == ""
    _sent(page)
    # Twice more, the same words...
    for _ in range(2):
        _invite_a_suggestion(page, school)
        assert _send(page, SAME_FOR_ALL) == ""
        _sent(page)
    # ...and the coach notices the copy: she writes to this person instead.
    name = _invite_a_suggestion(page, school)
    coach = _send(page, SAME_FOR_ALL)
    assert "exactement ce message à plusieurs personnes" in coach
    assert _send(page, f"Bonjour {name.split()[0]}, {SAME_FOR_ALL[9:]}") == ""
    _sent(page)

    # She reacts to a job offer: likes the recruiter's post about it, saves the offer.
    page.goto(school.url("/hashtags/alternance"))
    post = page.locator("article.post", has_text="Alternance conseiller(ère) de vente").first
    like = post.locator(".like-button")
    assert like.get_attribute("aria-pressed") == "false"
    like.click()
    page.wait_for_function(
        "el => el.getAttribute('aria-pressed') === 'true'", arg=like.element_handle())
    page.goto(school.url(f"/companies/{COMPANY_SLUG}"))
    page.locator("#offers-heading ~ ul a", has_text=OFFER).first.click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    submit(page, page.locator("form[action$='/save'] button"))
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    assert page.locator("form[action$='/unsave'] button").get_attribute("aria-pressed") == "true"
    page.goto(school.url("/jobs/saved"))
    assert OFFER in page.locator("main").inner_text()

    # She approaches the company politely: her message names the recruiter and the company.
    page.goto(school.url(f"/people/{recruiter_id}"))
    page.locator(f".profile__actions a[href='/network/invite/{recruiter_id}']").click()
    page.wait_for_url(school.url(f"/network/invite/{recruiter_id}"))
    assert _send(page, POLITE) == ""
    _sent(page)

    # That was her fifth this week: the class's limit stops the next one, and says why.
    page.goto(school.url(f"/companies/{COMPANY_SLUG}"))
    page.locator("section[aria-labelledby='people-heading'] a", has_text=COLLEAGUE).first.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    colleague_id = int(page.url.rsplit("/", 1)[-1])
    page.locator(f".profile__actions a[href='/network/invite/{colleague_id}']").click()
    page.wait_for_url(school.url(f"/network/invite/{colleague_id}"))
    assert f"{cap} sur {cap}" in page.locator("main").inner_text()
    _send(page, POLITE.replace("Madame Carrier", "Madame Ferrante"))
    assert page.url == school.url(f"/network/invite/{colleague_id}")
    refusal = page.locator(".flash--error").inner_text()
    assert f"Tu as envoyé {cap} invitations ces sept derniers jours" in refusal
    page.goto(school.url(f"/people/{colleague_id}"))
    assert "Invitation envoyée" not in page.locator(".profile__actions").inner_text()
    assert problems == [], problems
