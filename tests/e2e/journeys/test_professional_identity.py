"""Professional identity (DESIGN.md §4.2): a student builds the profile a recruiter will see.

Léa uploads a photo and goes through the "photo mistakes to avoid" checklist, adds a banner,
chooses between her pseudonym and her real name, writes her headline and hashtags (#i4emploi
says she is open to work), decides who sees each field, and checks the result with "view as a
recruiter" (and as a connection).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from sandbox.seeding.files import read_demo_seed
from tests.e2e.journeys.conftest import School
from tests.e2e.pages import login, submit, text_of

pytestmark = pytest.mark.browser

HEADLINE = "Étudiante en BTS CI | Prospection export en anglais et en espagnol"
ABOUT = ("J'aime préparer des rendez-vous avec des clients étrangers : l'été dernier, j'ai "
         "accueilli des vacanciers en trois langues dans un camping de la Drôme.")
PHONE_NUMBER = "06 11 22 33 44"
MISTAKES = ("boîte de nuit", "lit ou un canapé", "vacances", "ni animal", "visage")


def _image(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _save_profile(page: Any, school: School) -> None:
    submit(page, page.locator("form[action='/profile/edit'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/edit"))
    assert page.locator(".flash--success").inner_text().startswith("Ton profil")


def test_a_student_builds_the_profile_a_recruiter_sees(browser: Any, school: School,
                                                       viewport: dict[str, int]) -> None:
    lea = read_demo_seed().students[1]
    assert lea.pseudonym == "Léa K."
    problems: list[str] = []
    page = login(browser, school.base, lea.username, lea.password, viewport, problems)

    # The photo page: the checklist of mistakes a recruiter notices first.
    page.goto(school.url("/profile/pictures"))
    checklist = page.locator("aside[aria-labelledby='mistakes-heading']")
    assert text_of(checklist.locator("h2")) == "Photo : les erreurs à éviter"
    labels = checklist.locator("label").all_inner_texts()
    assert len(labels) == 5
    for words in MISTAKES:
        assert any(words in label for label in labels), (words, labels)
    page.set_input_files("#avatar-image", files=[
        {"name": "lea.jpg", "mimeType": "image/jpeg", "buffer": _image((600, 600), (200, 90, 60))}])
    submit(page, page.locator("form[action='/profile/pictures/avatar'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/pictures"))
    assert page.locator(".flash--success").count() == 1
    assert page.locator("main img.avatar--photo").count() >= 1
    # She ticks four of the five: she is not alone on this photo.
    boxes = checklist.locator("input[type=checkbox]")
    for index in range(boxes.count()):
        if "ni animal" not in labels[index]:
            boxes.nth(index).check()
    submit(page, checklist.locator("button[type=submit]"))
    page.wait_for_url(school.url("/profile/pictures"))
    assert checklist.locator("input[type=checkbox]:checked").count() == 4
    page.goto(school.url("/profile/edit"))
    page.locator("main a.button", has_text="Voir mon profil").click()
    own = page.locator("section[aria-labelledby='checklist-heading']").inner_text()
    assert own.count("✔") == 4 and "Non coché" in own and "ni animal" in own

    # The banner.
    page.goto(school.url("/profile/pictures"))
    page.set_input_files("#banner-image", files=[
        {"name": "banniere.jpg", "mimeType": "image/jpeg",
         "buffer": _image((1500, 500), (20, 60, 120))}])
    submit(page, page.locator("form[action='/profile/pictures/banner'] button[type=submit]"))
    page.wait_for_url(school.url("/profile/pictures"))
    banner = page.locator("main img.profile__banner")
    assert banner.is_visible()
    assert banner.evaluate("img => img.complete && img.naturalWidth > 0")

    # Her identity: real name for now, a headline, #i4emploi, and who sees what.
    page.goto(school.url("/profile/edit"))
    assert page.locator("#pseudonym").input_value() == "Léa K."
    page.fill("#pseudonym", "")
    page.fill("#headline", HEADLINE)
    page.fill("#about", ABOUT)
    page.fill("#hashtags", "#i4emploi #export #langues")
    page.fill("#contact_phone", PHONE_NUMBER)
    page.select_option("#about_visibility", "connections")
    page.select_option("#contact_phone_visibility", "teacher")
    _save_profile(page, school)
    assert page.locator("#about_visibility").input_value() == "connections"
    assert page.locator("#contact_phone_visibility").input_value() == "teacher"

    # "View as a recruiter": her real name, her headline, open to work; not her story nor
    # her phone number.
    page.locator("main a.button[href='/profile/view-as/recruiter']").first.click()
    page.wait_for_url(school.url("/profile/view-as/recruiter"))
    assert page.locator("#preview-heading").inner_text() == \
        "Ton profil tel que le voit un recruteur"
    name = page.locator("h1#profile-name").inner_text()
    assert name.startswith("Léa Kaddour") and "Ouvert aux opportunités" in name
    assert page.locator(".profile__headline").inner_text() == HEADLINE
    assert page.locator(".profile__identity img.avatar--photo").count() == 1
    assert page.locator("img.profile__banner").count() == 1
    hashtags = page.locator("ul.tags--hashtags").inner_text()
    assert "#i4emploi" in hashtags and "#export" in hashtags
    content = page.locator("main").inner_text()
    assert "camping de la Drôme" not in content and PHONE_NUMBER not in content

    # As a connection: her story shows; the number is still for her teacher only.
    page.locator(".preview-notice__links a[href='/profile/view-as/connection']").click()
    page.wait_for_url(school.url("/profile/view-as/connection"))
    content = page.locator("main").inner_text()
    assert "camping de la Drôme" in content and PHONE_NUMBER not in content

    # On second thoughts, her pseudonym: recruiters see it instead of her name.
    page.goto(school.url("/profile/edit"))
    page.fill("#pseudonym", "Léa K.")
    _save_profile(page, school)
    page.goto(school.url("/profile/view-as/recruiter"))
    assert page.locator("h1#profile-name").inner_text().startswith("Léa K.")
    assert "Kaddour" not in page.locator("main").inner_text()
    assert problems == [], problems
