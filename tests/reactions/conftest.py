"""Helpers for the reactions tests: posts and comments made directly with the models.

The partials are tried on a page of their own (`PARTIALS_PAGE`), which includes them as the
post page does, so these tests do not depend on how the posts feature lays its page out. Until
that feature has its page (`posts.show`) and share form (`posts.share`), stand-ins take their
names, so the links and redirects exist; once the real ones are there, they are used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, abort, render_template_string
from flask_login import current_user, login_required

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.posts.models import Audience, Comment, Post

_STAND_IN_PAGE = """{% extends "base.html" %}
{% block content %}<article><p>{{ post.body }}</p>
{% include "posts/_reactions.html" %}{% include "posts/_comments.html" %}</article>
{% endblock %}
{% block scripts %}
<script src="{{ url_for('static', filename='js/reactions.js') }}" defer></script>
{% endblock %}"""


PARTIALS_PAGE = "/_test/reactions/posts/{post_id}"


def _partials_page(post_id: int):  # type: ignore[no-untyped-def]
    from sandbox.posts import reactions
    from sandbox.posts.visibility import can_view_post

    post = db.session.get(Post, post_id)
    if not can_view_post(current_user, post):
        abort(404)
    return render_template_string(
        _STAND_IN_PAGE, post=post, summary=reactions.summary_for(current_user, post),
        comments=reactions.comments_for(current_user, post),
    )


@pytest.fixture(autouse=True)
def posts_pages(app: Flask) -> None:
    app.add_url_rule(PARTIALS_PAGE.replace("{post_id}", "<int:post_id>"), "reactions_test_page",
                     login_required(_partials_page))
    if "posts.show" not in app.view_functions:
        app.add_url_rule("/posts/<int:post_id>", "posts.show", login_required(_partials_page))
    if "posts.share" not in app.view_functions:
        app.add_url_rule("/posts/<int:post_id>/share", "posts.share", lambda post_id: "share")


@pytest.fixture
def make_post() -> Callable[..., Post]:
    def make(author: User, body: str = "Mon premier stage commence lundi !",
             audience: Audience = Audience.NETWORK, **fields: Any) -> Post:
        post = Post(author_id=author.id, body=body, audience=audience, **fields)
        db.session.add(post)
        db.session.commit()
        return post

    return make


@pytest.fixture
def make_comment() -> Callable[..., Comment]:
    def make(author: User, post: Post, body: str = "Bravo !", parent: Comment | None = None,
             **fields: Any) -> Comment:
        comment = Comment(post_id=post.id, author_id=author.id, body=body,
                          parent_id=parent.id if parent else None, **fields)
        db.session.add(comment)
        db.session.commit()
        return comment

    return make
