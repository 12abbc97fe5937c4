"""Smoke test in a real browser: the demo student logs in, sees home in French, then English."""

from __future__ import annotations

import pytest

from sandbox.seeding.files import read_demo_seed

pytestmark = pytest.mark.browser


def test_demo_student_logs_in_and_sees_home_in_french(browser, demo_server, tmp_path):
    student = read_demo_seed().students[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{demo_server}/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Identifiant").fill(student.username)
    page.get_by_label("Mot de passe").fill(student.password)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(f"{demo_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Actualités de ton réseau"
    assert page.locator("article.post").count() > 0
    # The live connection opens with the login cookie (the vendored client is served locally).
    page.wait_for_function("window.Tremplin && window.Tremplin.socket && window.Tremplin.socket.connected")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    # One click on the other language's name switches, and the choice sticks to the account.
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{demo_server}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "News from your network"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{demo_server}/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in to Tremplin"
    assert problems == [], problems
