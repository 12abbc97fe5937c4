"""The home page, shaped by who is looking."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from sandbox.posts.services import recent_network_posts
from sandbox.profiles.visibility import fields_seen_of

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    if current_user.is_teacher:
        return redirect(url_for("classes.index"))
    if current_user.is_admin:
        return redirect(url_for("admin.index"))
    posts = recent_network_posts(current_user)
    return render_template(
        "home/student.html",
        posts=posts,
        author_fields=fields_seen_of(current_user, [post.author for post in posts]),
    )


@blueprint.route("/healthz")
def health():  # type: ignore[no-untyped-def]
    """For the school's monitoring: the app answers (no data, no login)."""
    return {"status": "ok"}
