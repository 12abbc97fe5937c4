"""A post arrives live: the mentioned student's bell counts it, and their open home page offers
"1 new post", which inserts it at the top without reloading."""

from __future__ import annotations

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser


def _connect(inviter, invitee, base: str, invitee_name: str) -> None:
    """The two students connect the way students do: an invitation, then its acceptance."""
    inviter.goto(f"{base}/search?q={invitee_name}")
    link = inviter.locator("a.result__title").first.get_attribute("href")
    invitee_id = int(link.rsplit("/", 1)[-1])
    inviter.goto(f"{base}/network/invite/{invitee_id}")
    inviter.fill("#message", f"Bonjour {invitee_name}, on prépare ensemble l'oral de stage ?")
    inviter.locator("main form button[type=submit]").click()
    inviter.wait_for_url(f"{base}/people/{invitee_id}")
    invitee.goto(f"{base}/network/")
    invitee.locator("form[action$='/accept'] button").click()
    invitee.wait_for_url(f"{base}/network/")


def test_a_post_with_a_mention_arrives_live(browser, demo_server):
    # No `app` fixture here: a second app would take over the shared Socket.IO server.
    demo = read_demo_seed()
    author_seed, reader_seed = demo.students[2], demo.students[3]
    reader_name = reader_seed.pseudonym or f"{reader_seed.first_name} {reader_seed.last_name}"
    author = phone_login(browser, demo_server, author_seed.username, author_seed.password)
    reader = phone_login(browser, demo_server, reader_seed.username, reader_seed.password)
    problems: list[str] = []
    reader.on("pageerror", lambda error: problems.append(str(error)))
    reader.on("console", lambda message: message.type == "error" and problems.append(message.text))
    _connect(author, reader, demo_server, reader_name)

    reader.goto(f"{demo_server}/")  # open before the post exists
    reader.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    bell = reader.locator("[data-bell-count]")
    before = int(bell.get_attribute("data-bell-count") or "0")
    new_posts = reader.locator("[data-new-posts]")
    assert new_posts.is_hidden()

    body = f"Merci @{reader_seed.username} pour tes conseils sur l'oral de #stage !"
    author.goto(f"{demo_server}/")
    author.fill("#composer-body", body)
    assert "/ 3" in author.locator("#composer-count").inner_text()  # the live counter
    author.select_option("#composer-audience", "connections")
    author.locator(".composer__form button[type=submit]").click()
    author.wait_for_url(f"{demo_server}/")
    assert author.locator("article.post").first.inner_text().count("pour tes conseils") == 1

    # The bell of the mentioned reader counts one more, without a reload...
    reader.wait_for_function(
        f"() => document.querySelector('[data-bell-count]').dataset.bellCount === '{before + 1}'")
    # ...and their news offers the new post, which a click inserts at the top.
    new_posts.wait_for(state="visible")
    assert "1" in new_posts.inner_text()
    assert reader.locator("article.post", has_text="pour tes conseils").count() == 0
    new_posts.click()
    reader.locator("article.post", has_text="pour tes conseils").wait_for(state="visible")
    first = reader.locator("[data-feed-posts] article.post").first
    assert "pour tes conseils" in first.inner_text()
    assert first.locator("a.mention[href^='/people/']").inner_text() == f"@{reader_seed.username}"
    assert new_posts.is_hidden()
    assert problems == [], problems


def test_a_double_click_on_publish_publishes_once(browser, demo_server):
    student = read_demo_seed().students[4]
    page = phone_login(browser, demo_server, student.username, student.password)
    text = "Salon de l'agroalimentaire jeudi : qui vient avec moi ? #salon"
    page.locator(".composer__form textarea").fill(text)
    # Two clicks in a row, as an impatient thumb does on a slow connection.
    # Two taps a moment apart, as an impatient thumb does while the first is on its way.
    page.evaluate("""() => {
        const button = document.querySelector('.composer__form button[type=submit]');
        button.click();
        setTimeout(() => button.click(), 30);
    }""")
    page.locator(".flash--success").wait_for()  # back on the news, the post published
    page.wait_for_timeout(500)  # a second request, had one left, is written by now
    page.reload()
    assert page.locator(".post__body", has_text="Salon de l'agroalimentaire").count() == 1
