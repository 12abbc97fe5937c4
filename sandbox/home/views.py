"""The home page, shaped by who is looking: for students (and personas), the composer and feed."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from sandbox.exercises.lists import live_exercise_of
from sandbox.pagecache import kept_page
from sandbox.posts.feed import home_feed
from sandbox.posts.presenters import card_context, composer_context

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
@kept_page("home.index")
def index():  # type: ignore[no-untyped-def]
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    if current_user.is_teacher:
        return redirect(url_for("classes.index"))
    if current_user.is_admin:
        return redirect(url_for("admin.index"))
    page = home_feed(current_user)
    return render_template(
        "home/student.html", page=page, **card_context(page), **composer_context(),
        live_exercise=live_exercise_of(current_user),
    )


@blueprint.route("/healthz")
def health():  # type: ignore[no-untyped-def]
    """For the school's monitoring: the app answers (no data, no login)."""
    return {"status": "ok"}
