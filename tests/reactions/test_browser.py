"""In a real browser: a like toggles without reloading and is announced; the comment counter."""

from __future__ import annotations

import re

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.conftest import browser, demo_server  # noqa: F401  (the browser fixtures)

pytestmark = pytest.mark.browser


def _count(text: str) -> int:
    return int(re.search(r"\d+", text).group())  # type: ignore[union-attr]


def test_liking_toggles_in_place_and_commenting_works(
    browser, demo_server, tmp_path  # noqa: F811
):
    from playwright.sync_api import expect

    student = read_demo_seed().students[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{demo_server}/login")
    page.get_by_label("Identifiant").fill(student.username)
    page.get_by_label("Mot de passe").fill(student.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{demo_server}/")

    reactions = page.locator(".reactions").first
    form = reactions.locator("form[data-like]")
    button = form.locator("button[aria-pressed]")
    count = form.locator("[data-like-count]")
    was_pressed = button.get_attribute("aria-pressed") == "true"
    before = _count(count.inner_text())
    page.evaluate("window.notReloaded = true")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false" if was_pressed else "true")
    expect(count).to_contain_text(str(before - 1 if was_pressed else before + 1))
    expect(form.locator("[data-like-status]")).not_to_be_empty()  # said to screen readers
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true" if was_pressed else "false")
    expect(count).to_contain_text(str(before))
    assert page.evaluate("window.notReloaded") is True  # all of it without a reload

    # The comment count leads to the post's comments, where the counter follows the typing.
    reactions.locator("a[href$='#comments']").click()
    page.wait_for_url(re.compile(r"/posts/\d+#comments$"))
    box = page.locator("#comments > form textarea[name=body]")
    box.fill("Merci pour ce partage, très utile pour mon stage.")
    counter = page.locator("#" + box.get_attribute("data-counter"))
    expect(counter).to_contain_text("50")
    page.locator("#comments > form button[type=submit]").click()
    expect(page.locator(".comment__body").last).to_have_text(
        "Merci pour ce partage, très utile pour mon stage.")
    page.locator(".comment__reply > summary").last.click()  # the reply form opens
    expect(page.locator(".comment__reply textarea").last).to_be_visible()
    page.screenshot(path=str(tmp_path / "comments.png"), full_page=True)
    assert not problems, problems
