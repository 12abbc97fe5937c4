"""Two connected students in two browsers: a direct message arrives live, without a reload."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.network.models import Connection
from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser

HAS_MESSAGE = """(text) => Array.from(document.querySelectorAll('.message__body'))
    .some((body) => body.textContent === text)"""


def _connect(database_url: str, usernames: tuple[str, str]) -> dict[str, int]:
    """Connect the two students straight in the database.

    No second app here: it would take over the Socket.IO server the demo app uses.
    """
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            ids = dict(connection.execute(
                sa.select(User.username, User.id).where(User.username.in_(usernames))
            ).all())
            first, second = (ids[name] for name in usernames)
            connection.execute(sa.insert(Connection.__table__), [
                {"user_id": first, "contact_id": second},
                {"user_id": second, "contact_id": first},
            ])
    finally:
        engine.dispose()
    return ids


def test_a_direct_message_arrives_live(browser, demo_server, base_config):
    demo = read_demo_seed()
    sender, reader = demo.students[0], demo.students[1]
    ids = _connect(base_config["SQLALCHEMY_DATABASE_URI"], (sender.username, reader.username))
    problems: list[str] = []
    writer_page = phone_login(browser, demo_server, sender.username, sender.password, problems)
    reader_page = phone_login(browser, demo_server, reader.username, reader.password, problems)

    # The reader has the thread open before anything was written.
    reader_page.goto(f"{demo_server}/messages/{ids[sender.username]}")
    reader_page.wait_for_function(
        "() => window.Tremplin.socket && window.Tremplin.socket.connected")
    assert reader_page.locator(".message").count() == 0
    assert reader_page.locator(".messages-note").is_visible()

    writer_page.goto(f"{demo_server}/messages/{ids[reader.username]}")
    text = "Salut ! On prépare ensemble l'entretien de vendredi ?"
    writer_page.fill("#body", text)
    assert str(len(text)) in writer_page.locator("#body-counter").inner_text()  # it counts
    writer_page.locator("[data-message-form] button[type=submit]").click()

    # Both pages show it without a reload: the writer's own, and the reader's.
    writer_page.wait_for_function(HAS_MESSAGE, arg=text)
    assert writer_page.input_value("#body") == ""
    reader_page.wait_for_function(HAS_MESSAGE, arg=text)
    assert reader_page.url == f"{demo_server}/messages/{ids[sender.username]}"
    # Read where it appeared: the bell does not count it.
    reader_page.wait_for_function(
        "() => document.querySelector('[data-bell-count]').dataset.bellCount === '0'")

    # The answer goes the other way, live as well.
    reader_page.fill("#body", "Oui, à 16 h au CDI.")
    reader_page.keyboard.press("Control+Enter")
    writer_page.wait_for_function(HAS_MESSAGE, arg="Oui, à 16 h au CDI.")
    assert writer_page.locator(".message").count() == 2
    assert reader_page.locator(".message").count() == 2
    assert problems == [], problems
