"""Mathieu's journey (DESIGN.md §4.1), in the browser from the class code to the application.

A young job seeker joins the class with its code, signs the charter, builds his profile, joins
the workshop group and posts there; he meets a recruiter, Claire Morvan, and invites her with a
personal message. Some days later (the professionals' clock is moved forward, see
`School.let_time_pass`) she has accepted, proposed a coffee and introduced him to a colleague,
whom he invites in turn. Now a connection, he reads her e-mail on her profile and applies to her
company's offer, addressing it to her. His teacher, on another computer, sees each step on his
page of the dashboard.

Run in French on a phone and on a desktop, and once in English (the language chosen on the
login page, before joining, sticks to the new account).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.seeding.files import read_demo_seed
from tests.e2e.journeys.conftest import School
from tests.e2e.pages import DESKTOP, PHONE, login, new_page, submit, text_of

pytestmark = pytest.mark.browser

RECRUITER = "claire.morvan"
RECRUITER_NAME = "Claire Morvan"
RECRUITER_EMAIL = "claire.morvan@cimes-et-lacs.example"
OFFER = "Stage assistant(e) commercial(e) export"
GROUP = "Atelier réseaux professionnels"
FRIENDS = ("Thomas Vuillermoz", "Inès Belkacem", "Sandrine Chassaing")  # hers, in the seed
# What the teacher reads on Mathieu's page of the dashboard (in her language, French).
TEACHER_TIMELINE = (
    "A rejoint la classe", "A signé la charte de la classe", "A modifié son profil",
    "A changé sa photo de profil", "A rejoint le groupe « {group} »",
    "A publié dans le groupe « {group} »", "A invité {recruiter} avec un message personnel",
    "A reçu de {recruiter} : Un rendez-vous", "A invité {friend} avec un message personnel",
    "A postulé à l’offre « {offer} » de Cimes & Lacs Voyages",
)


@dataclass(frozen=True)
class Words:
    """What the journey types and reads, in the language of the page."""

    lang: str
    welcome: str
    headline: str
    about: str
    post: str
    invitation: str
    friend_invitation: str
    letter: str
    connected: str
    appointment: str
    introduced: str  # "{introducer} … {person}"


FRENCH = Words(
    lang="fr",
    welcome="Bienvenue sur Tremplin",
    headline="En recherche d'un stage en commerce export | BTS CI",
    about=("Après un bac pro commerce, je prépare un BTS Commerce International. J'aime le "
           "contact client et les langues ; je cherche un stage dans le tourisme ou l'export."),
    post=("Bonjour à tous ! Je commence l'atelier réseau pro et je cherche un stage en "
          "commerce export pour février. Vos conseils sont les bienvenus. #reseaupro"),
    invitation=("Bonjour Madame Morvan, je prépare un BTS Commerce International et les séjours "
                "de Cimes & Lacs Voyages m'intéressent. Pourrais-je vous poser quelques "
                "questions sur votre stage export ?"),
    friend_invitation=("Bonjour {first}, Claire Morvan m'a conseillé de vous contacter : je "
                       "cherche un stage en commerce export et votre expérience m'aiderait."),
    letter=("Madame Morvan,\n\nÉtudiant en BTS Commerce International, je souhaite rejoindre "
            "Cimes & Lacs Voyages pour le stage d'assistant commercial export. Notre échange "
            "m'a confirmé mon intérêt pour le tourisme et la relation avec les partenaires "
            "étrangers. Je parle anglais couramment.\n\nJe serais heureux d'en parler avec "
            "vous lors d'un entretien.\n\nCordialement."),
    connected="En relation",
    appointment="Un rendez-vous",
    introduced="{introducer} a mis {student} en relation avec {person}.",
)
ENGLISH = Words(
    lang="en",
    welcome="Welcome to Tremplin",
    headline="Looking for an internship in export sales | BTS CI",
    about=("After a vocational baccalaureate in sales, I am studying international trade. I "
           "enjoy meeting customers and speaking languages; I am looking for an internship."),
    post=("Hello everyone! I am starting the networking workshop and I am looking for an "
          "internship in export sales from February. Your advice is welcome. #reseaupro"),
    invitation=("Hello Ms Morvan, I am studying international trade and the holidays of Cimes & "
                "Lacs Voyages interest me. Could I ask you a few questions about your export "
                "internship?"),
    friend_invitation=("Hello {first}, Claire Morvan advised me to contact you: I am looking "
                       "for an internship in export sales and your experience would help me."),
    letter=("Dear Ms Morvan,\n\nAs a student in international trade, I would like to join "
            "Cimes & Lacs Voyages for the export sales assistant internship. Our conversation "
            "confirmed my interest in tourism and in working with partners abroad. I speak "
            "fluent English and some Spanish.\n\nI would be glad to talk about it with you in "
            "an interview.\n\nYours faithfully."),
    connected="Connected",
    appointment="An appointment",
    introduced="{introducer} introduced {student} to {person}.",
)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (40, 110, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def _generous_today(school: School) -> None:
    """Claire Morvan has a free afternoon: she welcomes every new contact and gives what she
    can (in the seed she does so three times out of four, drawn at random)."""
    with school.app.app_context():
        claire = db.session.scalar(sa.select(User).where(User.username == RECRUITER))
        assert claire is not None and claire.persona is not None
        claire.persona.behaviour = {**(claire.persona.behaviour or {}), "generosity": 100}
        db.session.commit()


def _person_id(page: Any, school: School, name: str) -> int:
    """Find someone with the header's search box, as a student would; their id."""
    page.fill("#header-search-q", name)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/search\?"))
    link = page.locator("a.result__title", has_text=name).first
    link.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    assert page.locator("h1#profile-name").inner_text().startswith(name)
    return int(page.url.rsplit("/", 1)[-1])


def _invite(page: Any, school: School, person_id: int, message: str) -> None:
    page.locator(f"main a[href='/network/invite/{person_id}']").first.click()
    page.wait_for_url(school.url(f"/network/invite/{person_id}"))
    page.fill("#message", message)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(school.url(f"/people/{person_id}"))
    assert page.locator(".coach").count() == 0  # a personal message: nothing to coach
    assert page.locator("form[action*='/network/invitations/'][action$='/withdraw']").count() == 1


def _mathieu_s_journey(browser: Any, school: School, viewport: dict[str, int],
                       words: Words) -> None:
    demo = read_demo_seed()
    problems: list[str] = []
    page = new_page(browser, viewport, problems)

    # He opens Tremplin, (chooses his language,) and joins with the code his teacher gave.
    page.goto(school.url("/login"))
    if words.lang == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_url(school.url("/login"))
    assert page.locator("html").get_attribute("lang") == words.lang
    page.locator("main a[href='/join']").click()
    page.wait_for_url(school.url("/join"))
    page.fill("#join_code", demo.klass.join_code.lower())  # typed as heard, in lowercase
    page.fill("#first_name", "Mathieu")
    page.fill("#last_name", "Lemaire")
    page.fill("#username", "mathieu.lemaire")
    page.fill("#password", "un-mot-de-passe-solide")
    page.fill("#confirm", "un-mot-de-passe-solide")
    page.locator("main form button[type=submit]").click()

    # The charter comes first: nothing else opens before he signs it.
    page.wait_for_url(re.compile(r"/charter/sign"))
    assert words.welcome in page.locator(".flash--success").inner_text()
    assert demo.klass.name in page.locator("main").inner_text()
    page.goto(school.url("/groups/"))
    page.wait_for_url(re.compile(r"/charter/sign"))
    page.locator("#agree").check()
    page.locator("form.charter-sign button[type=submit]").click()
    page.wait_for_url(lambda url: "/charter/sign" not in url)
    assert page.locator("html").get_attribute("lang") == words.lang

    # His profile: identity, an experience, a photo with the checklist ticked.
    page.goto(school.url("/profile/edit"))
    page.fill("#headline", words.headline)
    page.fill("#about", words.about)
    page.fill("#city", "Lyon")
    page.fill("#skills", "Anglais\nRelation client\nProspection\nTravail en équipe")
    page.fill("#hashtags", "#i4emploi #export")
    submit(page, page.locator("form[action='/profile/edit'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/edit"))
    assert page.locator(".flash--success").count() == 1
    page.locator("#experiences summary").click()
    page.fill("#experiences-role", "Vendeur saisonnier")
    page.fill("#experiences-organisation", "Boutique Les Halles")
    submit(page, page.locator("form[action='/profile/experiences/add'] button[type=submit]"))
    page.wait_for_url(re.compile(r"/profile/edit"))
    assert "Vendeur saisonnier" in page.locator("#experiences").inner_text()
    page.goto(school.url("/profile/pictures"))
    page.set_input_files("#avatar-image", files=[
        {"name": "mathieu.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    submit(page, page.locator("form[action='/profile/pictures/avatar'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/pictures"))
    assert page.locator("img.avatar--photo").count() >= 1
    for box in page.locator("form[action='/profile/photo-checklist'] input[type=checkbox]").all():
        box.check()
    submit(page, page.locator("form[action='/profile/photo-checklist'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/pictures"))
    assert page.locator(
        "form[action='/profile/photo-checklist'] input[type=checkbox]:not(:checked)").count() == 0
    page.goto(school.url("/profile/edit"))
    score = int(re.sub(r"\D", "", page.locator("#score-heading").inner_text()))
    assert score >= 80, score

    # The workshop group: he joins it and posts there.
    page.goto(school.url("/groups/"))
    page.locator("main a", has_text=GROUP).first.click()
    page.wait_for_url(school.url("/groups/atelier-reseaux-pro"))
    submit(page, page.locator("form[action='/groups/atelier-reseaux-pro/join'] button"))
    page.wait_for_url(re.compile(r"/groups/atelier-reseaux-pro"))
    assert page.locator("form[action='/groups/atelier-reseaux-pro/leave']").count() == 1
    page.fill("#composer-body", words.post)
    submit(page, page.locator(".composer__form button[type=submit]"))
    page.wait_for_url(re.compile(r"/groups/atelier-reseaux-pro"))
    first_post = page.locator("[data-feed-posts] article.post").first
    assert words.post[:60] in first_post.inner_text()
    assert "Mathieu Lemaire" in first_post.inner_text()

    # He meets a recruiter: her profile hides her e-mail from strangers; he invites her.
    claire_id = _person_id(page, school, RECRUITER_NAME)
    assert RECRUITER_EMAIL not in page.locator("main").inner_text()
    _invite(page, school, claire_id, words.invitation)

    # A professional takes her time: nothing yet. Days go by: she has accepted, written to him
    # (a coffee) and introduced him to a friend.
    _generous_today(school)
    assert school.let_time_pass(hours=0) == 0
    page.reload()
    assert page.locator(".profile__actions form[action$='/withdraw']").count() == 1
    assert school.let_time_pass() >= 2  # her answer, then her welcome message
    page.goto(school.url(f"/people/{claire_id}"))
    assert words.connected in page.locator(".profile__actions").inner_text()
    page.goto(school.url("/journal"))
    assert words.appointment in page.locator("main").inner_text()
    page.goto(school.url("/network/introductions"))
    introductions = page.locator("main").inner_text()
    friend = next(name for name in FRIENDS if name in introductions)
    assert words.introduced.format(introducer=RECRUITER_NAME, student="Mathieu Lemaire",
                                   person=friend) in introductions
    page.goto(school.url(f"/messages/{claire_id}"))
    hers = page.locator("[data-message-list] li.message:not(.message--mine)")
    assert hers.count() == 1
    assert hers.locator(".message__author").inner_text() == RECRUITER_NAME
    assert friend in hers.locator(".message__body").inner_text()  # she names her friend

    # He invites the friend, naming who sent him.
    friend_id = _person_id(page, school, friend)
    _invite(page, school, friend_id, words.friend_invitation.format(first=friend.split()[0]))

    # Now a connection, he finds her e-mail on her profile, and applies to her company's offer.
    page.goto(school.url(f"/people/{claire_id}"))
    contact = page.locator("section[aria-labelledby='contact-heading']")
    assert RECRUITER_EMAIL in contact.inner_text()
    page.locator("main a[href='/companies/cimes-et-lacs']").first.click()
    page.wait_for_url(school.url("/companies/cimes-et-lacs"))
    page.locator("#offers-heading ~ ul a", has_text=OFFER).first.click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    page.fill("#cover_letter", words.letter)
    page.fill("#recruiter_email", RECRUITER_EMAIL)
    page.locator("form[action$='/apply'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/applications"))
    assert OFFER in page.locator("main").inner_text()

    # His teacher, on a computer, finds him on the dashboard and reads every step.
    teacher = login(browser, school.base, demo.teacher.username, demo.teacher.password, DESKTOP,
                    problems)
    teacher.goto(school.url("/classes/"))
    teacher.locator("main a[href^='/classes/']", has_text=demo.klass.name).first.click()
    teacher.locator("main a[href$='/dashboard']").first.click()
    teacher.wait_for_url(re.compile(r"/classes/\d+/dashboard$"))
    teacher.locator("#overview-rows a", has_text="Lemaire").first.click()
    teacher.wait_for_url(re.compile(r"/dashboard/students/\d+"))
    timeline = text_of(teacher.locator("#timeline"))
    for line in TEACHER_TIMELINE:  # the teacher reads it in her own language
        expected = line.format(group=GROUP, recruiter=RECRUITER_NAME, friend=friend, offer=OFFER)
        assert expected in timeline, (expected, timeline)
    assert problems == [], problems


def test_mathieu_s_journey_in_french(browser: Any, school: School,
                                     viewport: dict[str, int]) -> None:
    _mathieu_s_journey(browser, school, viewport, FRENCH)


def test_mathieu_s_journey_in_english_on_a_phone(browser: Any, school: School) -> None:
    _mathieu_s_journey(browser, school, PHONE, ENGLISH)
