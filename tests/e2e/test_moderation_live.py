"""In a browser: a student reports a comment, the teacher hides it from the queue, and it
vanishes from another student's open page without reload, announced to screen readers.

Needs `templates/moderation/_live.html` included in base.html for logged-in people.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.posts.models import Comment, Post
from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser


def _write(database_url: str, author: str, commenter: str) -> tuple[int, int]:
    """A post and a comment written straight in the database (no second app: it would take
    over the Socket.IO server the demo app uses)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            ids = dict(connection.execute(
                sa.select(User.username, User.id).where(User.username.in_((author, commenter)))
            ).all())
            post_id = connection.execute(sa.insert(Post.__table__).values(
                author_id=ids[author], body="Je partage une offre de stage en logistique.",
                audience="network", created_at=sa.func.current_timestamp(),
            )).inserted_primary_key[0]
            comment_id = connection.execute(sa.insert(Comment.__table__).values(
                post_id=post_id, author_id=ids[commenter], body="Ton offre est nulle, comme toi.",
                created_at=sa.func.current_timestamp(),
            )).inserted_primary_key[0]
    finally:
        engine.dispose()
    return post_id, comment_id


def test_a_hidden_comment_vanishes_from_an_open_page(browser, demo_server, base_config):
    demo = read_demo_seed()
    author, commenter, reporter, reader = demo.students[:4]
    post_id, comment_id = _write(base_config["SQLALCHEMY_DATABASE_URI"], author.username,
                                 commenter.username)
    problems: list[str] = []

    reporting = phone_login(browser, demo_server, reporter.username, reporter.password, problems)
    reporting.goto(f"{demo_server}/posts/{post_id}")
    reporting.locator(f"a[href='/report/comment/{comment_id}']").click()
    reporting.check("input[value=insult]")
    reporting.locator("main form button[type=submit]").click()
    reporting.wait_for_url(f"{demo_server}/posts/{post_id}#comment-{comment_id}")

    reading = phone_login(browser, demo_server, reader.username, reader.password, problems)
    reading.goto(f"{demo_server}/posts/{post_id}")
    reading.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    assert reading.locator(f"#comment-{comment_id}").is_visible()

    teacher = phone_login(browser, demo_server, demo.teacher.username, demo.teacher.password,
                     problems)
    teacher.goto(f"{demo_server}/moderation")
    case = teacher.locator("article.mod-case", has_text="Ton offre est nulle")
    case.locator("textarea[name=reason]").first.fill("Moquerie envers un camarade")
    case.locator("button[formaction$='/hide']").click()
    teacher.wait_for_load_state()

    reading.locator(f"#comment-{comment_id}").wait_for(state="detached")
    assert reading.locator("article.post").count() == 1  # the post itself stays
    status = reading.locator("[data-moderation-status]")
    reading.wait_for_function(
        "() => document.querySelector('[data-moderation-status]').textContent.length > 0")
    assert status.get_attribute("aria-live") == "polite"
    assert problems == [], problems
