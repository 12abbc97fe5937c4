"""Two students in two browsers: one invites with a personal message, the other accepts."""

from __future__ import annotations

import pytest

from sandbox.seeding.files import read_demo_seed

pytestmark = pytest.mark.browser


def _login(browser, base: str, username: str, password: str):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return page


def test_invite_accept_and_both_see_the_connection(browser, demo_server):
    # No `app` fixture here: a second app would take over the shared Socket.IO server.
    demo = read_demo_seed()
    first, second = demo.students[2], demo.students[3]
    second_name = second.pseudonym or f"{second.first_name} {second.last_name}"
    inviter = _login(browser, demo_server, first.username, first.password)
    invitee = _login(browser, demo_server, second.username, second.password)
    # The inviter finds the classmate through search, as a student would.
    inviter.goto(f"{demo_server}/search?q={second_name}")
    link = inviter.locator("a.result__title").first.get_attribute("href")
    second_id = int(link.rsplit("/", 1)[-1])

    invitee.goto(f"{demo_server}/network/")  # open before the invitation exists
    invitee.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    assert invitee.locator("[data-bell-count]").get_attribute("data-bell-count") == "0"

    inviter.goto(f"{demo_server}/network/invite/{second_id}")
    inviter.fill("#message", "")
    inviter.locator("main form button[type=submit]").click()
    assert inviter.locator(".coach").count() == 1  # coached: no message
    inviter.fill("#message", f"Bonjour {second_name}, on prépare ensemble l'oral de négociation ?")
    inviter.locator("main form button[type=submit]").click()
    inviter.wait_for_url(f"{demo_server}/people/{second_id}")

    # The invitee's open page counts it at once, without a reload.
    invitee.wait_for_function(
        "() => document.querySelector('[data-bell-count]').dataset.bellCount === '1'")
    assert invitee.locator("[data-bell-count]").is_visible()
    invitee.goto(f"{demo_server}/network/")
    assert "l'oral de négociation" in invitee.content()
    invitee.locator("form[action$='/accept'] button").click()
    invitee.wait_for_url(f"{demo_server}/network/")
    assert invitee.locator(".flash--success").count() == 1

    first_name = first.pseudonym or f"{first.first_name} {first.last_name}"
    for page, other_name in ((inviter, second_name), (invitee, first_name)):
        page.goto(f"{demo_server}/network/")
        section = page.locator("section[aria-labelledby='connections-heading']")
        # The demo students start with a few seeded connections; the new one is among them.
        assert section.locator("li.person-row", has_text=other_name).count() == 1
