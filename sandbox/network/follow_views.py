"""Following people, companies and hashtags without connecting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.forms import safe_next_url
from sandbox.network import follows

blueprint = Blueprint("follows", __name__, url_prefix="/follows")

USER_ID = "<int(min=1, max=2147483647):user_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _back():  # type: ignore[no-untyped-def]
    """Back where the button was (a profile, a company), or to the list of what one follows."""
    return redirect(safe_next_url(request.form.get("next")) or url_for("follows.index"))


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("follows/index.html", following=follows.following_of(current_user))


@blueprint.route(f"/people/{USER_ID}", methods=["POST"])
def follow_person(user_id: int):  # type: ignore[no-untyped-def]
    try:
        person = follows.follow_person(current_user, user_id)
    except NotFound:
        raise  # someone outside one's network: the 404 page, as for their profile
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You now follow %(name)s.", name=person.name_for(current_user)), "success")
    return _back()


@blueprint.route(f"/people/{USER_ID}/delete", methods=["POST"])
def unfollow_person(user_id: int):  # type: ignore[no-untyped-def]
    follows.unfollow_person(current_user, user_id)
    flash(_("You no longer follow this person."), "success")
    return _back()


@blueprint.route("/companies/<slug>", methods=["POST"])
def follow_company(slug: str):  # type: ignore[no-untyped-def]
    company = follows.follow_company(current_user, slug)
    flash(_("You now follow %(name)s.", name=company.name), "success")
    return _back()


@blueprint.route("/companies/<slug>/delete", methods=["POST"])
def unfollow_company(slug: str):  # type: ignore[no-untyped-def]
    company = follows.unfollow_company(current_user, slug)
    flash(_("You no longer follow %(name)s.", name=company.name), "success")
    return _back()


def _follow_hashtag(raw: str | None):  # type: ignore[no-untyped-def]
    try:
        tag = follows.follow_hashtag(current_user, raw)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You now follow #%(tag)s.", tag=tag), "success")
    return _back()


@blueprint.route("/hashtags", methods=["POST"])
def follow_hashtag_form():  # type: ignore[no-untyped-def]
    """The small form of the page: the hashtag typed in the `tag` field."""
    return _follow_hashtag(request.form.get("tag"))


@blueprint.route("/hashtags/<tag>", methods=["POST"])
def follow_hashtag(tag: str):  # type: ignore[no-untyped-def]
    return _follow_hashtag(tag)


@blueprint.route("/hashtags/<tag>/delete", methods=["POST"])
def unfollow_hashtag(tag: str):  # type: ignore[no-untyped-def]
    try:
        tag = follows.unfollow_hashtag(current_user, tag)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You no longer follow #%(tag)s.", tag=tag), "success")
    return _back()
