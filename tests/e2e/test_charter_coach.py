"""The charter coach in the browser: a student types a phone number in a post, sees the coach
highlight it as they type, edits it out and publishes."""

from __future__ import annotations

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser


def test_the_coach_highlights_a_phone_number_live(browser, demo_server):
    student = read_demo_seed().students[0]
    page = phone_login(browser, demo_server, student.username, student.password)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    box = page.locator("#composer-charter")
    assert box.is_hidden()
    page.locator("#composer-body").press_sequentially(
        "Bonjour, je cherche une alternance en logistique : appelez-moi au 06 12 34 56 78.",
        delay=5)
    box.wait_for(state="visible")
    mark = box.locator("mark.charter-mark")
    mark.wait_for(state="visible")
    assert mark.inner_text() == "06 12 34 56 78"
    assert box.locator(".charter-finding--block").count() == 1

    # The student takes the number out: the coach has nothing left to say.
    page.fill("#composer-body",
              "Bonjour, je cherche une alternance en logistique : écrivez-moi sur Tremplin.")
    page.locator("#composer-body").press("End")
    page.locator("#composer-body").type(" Merci.")
    box.wait_for(state="hidden")
    page.locator(".composer__form button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/")
    first = page.locator("[data-feed-posts] article.post").first
    assert "écrivez-moi sur Tremplin" in first.inner_text()
    assert problems == [], problems
