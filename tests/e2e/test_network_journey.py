"""Two students in two browsers: one invites with a personal message, the other accepts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
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


def test_invite_accept_and_both_see_the_connection(browser, demo_server, app):
    demo = read_demo_seed()
    first, second = demo.students[2], demo.students[3]
    with app.app_context():
        second_user = db.session.scalar(sa.select(User).where(User.username == second.username))
        second_id, second_name = second_user.id, second_user.public_name
    inviter = _login(browser, demo_server, first.username, first.password)
    invitee = _login(browser, demo_server, second.username, second.password)

    inviter.goto(f"{demo_server}/network/invite/{second_id}")
    inviter.fill("#message", "")
    inviter.locator("main form button[type=submit]").click()
    assert inviter.locator(".coach").count() == 1  # coached: no message
    inviter.fill("#message", f"Bonjour {second_name}, on prépare ensemble l'oral de négociation ?")
    inviter.locator("main form button[type=submit]").click()
    inviter.wait_for_url(f"{demo_server}/people/{second_id}")

    invitee.goto(f"{demo_server}/network/")
    assert "l'oral de négociation" in invitee.content()
    invitee.locator("form[action$='/accept'] button").click()
    invitee.wait_for_url(f"{demo_server}/network/")
    assert invitee.locator(".flash--success").count() == 1

    for page in (inviter, invitee):
        page.goto(f"{demo_server}/network/")
        section = page.locator("section[aria-labelledby='connections-heading']")
        assert section.locator("li.person-row").count() == 1
