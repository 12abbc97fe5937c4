"""A student builds a profile in a real browser and checks it as a recruiter would see it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sandbox.seeding.files import read_demo_seed

pytestmark = pytest.mark.browser


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_profile_photo_and_private_phone_in_the_recruiter_view(browser, demo_server, tmp_path):
    student = read_demo_seed().students[1]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(f"{demo_server}/login")
    page.fill("#username", student.username)
    page.fill("#password", student.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/")

    page.goto(f"{demo_server}/profile/edit")
    page.fill("#headline", "Future chargée d'affaires export, en recherche d'alternance")
    page.fill("#city", "Villeurbanne")
    page.fill("#contact_phone", "06 98 76 54 32")
    # First open to the whole network: the recruiter's view shows the phone...
    page.select_option("#contact_phone_visibility", "network")
    page.locator("form[action='/profile/edit'] button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/profile/edit")
    assert page.locator(".flash--success").count() == 1
    page.goto(f"{demo_server}/profile/view-as/recruiter")
    assert "06 98 76 54 32" in page.content()

    # ...then for connections only: the student checks it is gone.
    page.goto(f"{demo_server}/profile/edit")
    page.select_option("#contact_phone_visibility", "connections")
    page.locator("form[action='/profile/edit'] button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/profile/edit")

    page.goto(f"{demo_server}/profile/pictures")
    page.set_input_files("#avatar-image", files=[
        {"name": "moi.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    ])
    page.locator("form[action='/profile/pictures/avatar'] button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/profile/pictures")
    assert page.locator("img.avatar--photo").count() == 1

    page.goto(f"{demo_server}/profile/view-as/recruiter")
    content = page.content()
    assert "Future chargée d" in content
    assert "06 98 76 54 32" not in content
    photo = page.locator(".profile__identity img.avatar--photo")
    assert photo.count() == 1
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 400
    page.screenshot(path=str(tmp_path / "view-as-recruiter.png"), full_page=True)

    page.goto(f"{demo_server}/profile/view-as/connection")
    assert "06 98 76 54 32" in page.content()
    assert problems == [], problems
