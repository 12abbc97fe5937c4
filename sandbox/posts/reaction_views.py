"""Likes and comments: POST routes that redirect back, or answer JSON to `reactions.js`.

Without JavaScript every form posts and comes back to where it was (a safe local `next`, else
the post's comments). With it, a like button sends `Accept: application/json` and gets the new
state and a translated sentence for the screen-reader announcement.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.charter.web import charter_ack
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import safe_next_url
from sandbox.core.limits import per_person
from sandbox.posts import reactions, text
from sandbox.posts.comment_services import comment_to_edit
from sandbox.posts.models import COMMENT_MAX_LENGTH

blueprint = Blueprint("reactions", __name__)

POST_ID = "<int(min=1, max=2147483647):post_id>"
COMMENT_ID = "<int(min=1, max=2147483647):comment_id>"
# Enough for a lively workshop, not for flooding a classmate's post.


@blueprint.app_template_global()
def comment_max_length() -> int:
    """For the comment forms' `maxlength` and counter, wherever the partials are included."""
    return COMMENT_MAX_LENGTH


@blueprint.app_template_filter("comment_text")
def comment_text(body: str) -> Markup:
    """A comment as safe HTML: escaped, with URLs and #hashtags as links (as in posts).

    @mentions stay plain text: comments do not notify the people they name.
    """
    return text.render(body)


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _back(post_id: int, anchor: str = "comments"):  # type: ignore[no-untyped-def]
    target = safe_next_url(request.form.get("next"))
    return redirect(target or url_for("posts.show", post_id=post_id, _anchor=anchor))


def _refused(  # type: ignore[no-untyped-def]
    error: ServiceError, post_id: int | None, anchor: str = "comments"
):
    """A refusal in the user's language: JSON for fetch, else a flash and back to the post."""
    status = 404 if isinstance(error, NotFound) else 403 if isinstance(
        error, PermissionDenied) else 400
    if _wants_json():
        return jsonify(error=str(error.message)), status
    if status != 400 or post_id is None:
        raise error  # the app's 404 or 403 page: nothing to go back to
    flash(str(error.message), "error")
    return _back(post_id, anchor)


# ---- comments ------------------------------------------------------------------------------


@blueprint.route(f"/posts/{POST_ID}/comments", methods=["POST"])
@per_person("COMMENT_RATE_LIMIT")
def create_comment(post_id: int):  # type: ignore[no-untyped-def]
    parent_id = request.form.get("parent_id", type=int)
    body = request.form.get("body") or ""
    try:
        comment = reactions.add_comment(
            current_user, post_id, body, parent_id=parent_id, charter_ack=charter_ack()
        )
    except (CharterCoaching, CharterRefusal) as error:
        # What the student typed comes back on a page of its own, with the coach's advice.
        if _wants_json():
            return jsonify(error=str(error.message),
                           findings=[finding.as_json() for finding in error.findings]), 422
        return render_template("posts/comment_edit.html", comment=None, post_id=post_id,
                               parent_id=parent_id, body=body, error=error,
                               max_length=COMMENT_MAX_LENGTH), 422
    except ServiceError as error:
        anchor = f"comment-{parent_id}" if parent_id else "comments"
        return _refused(error, post_id, anchor)
    if _wants_json():
        return jsonify(id=comment.id, message=_("Comment published.")), 201
    flash(_("Comment published."), "success")
    return _back(post_id, f"comment-{comment.id}")


@blueprint.route(f"/comments/{COMMENT_ID}/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):  # type: ignore[no-untyped-def]
    comment = comment_to_edit(current_user, comment_id)  # 404 / 403 before anything else
    error = None
    body = comment.body
    if request.method == "POST":
        body = request.form.get("body") or ""
        try:
            reactions.edit_comment(current_user, comment_id, body, charter_ack=charter_ack())
        except ServiceError as refusal:
            error = refusal
        else:
            flash(_("Comment updated."), "success")
            return redirect(
                url_for("posts.show", post_id=comment.post_id, _anchor=f"comment-{comment_id}")
            )
    return render_template(
        "posts/comment_edit.html", comment=comment, body=body, error=error,
        max_length=COMMENT_MAX_LENGTH,
    ), 400 if error else 200


@blueprint.route(f"/comments/{COMMENT_ID}/delete", methods=["POST"])
def delete_comment(comment_id: int):  # type: ignore[no-untyped-def]
    comment = reactions.delete_comment(current_user, comment_id)
    if _wants_json():
        return jsonify(message=_("Comment deleted."))
    flash(_("Comment deleted."), "success")
    return _back(comment.post_id)


# ---- likes ---------------------------------------------------------------------------------


def _like_answer(liked: bool, count: int, post_id: int, anchor: str, like_url: str,
                 unlike_url: str):  # type: ignore[no-untyped-def]
    """Back to the page, or the new state for `reactions.js` (and what to announce)."""
    if not _wants_json():
        return _back(post_id, anchor)
    count_label = ngettext("%(num)d like", "%(num)d likes", count)
    if liked:
        message = _("You like this. %(likes)s.", likes=count_label)
    else:
        message = _("You no longer like this. %(likes)s.", likes=count_label)
    return jsonify(liked=liked, like_count=count, count_label=count_label, message=message,
                   action=unlike_url if liked else like_url)


def _post_like(post_id: int, like: bool):  # type: ignore[no-untyped-def]
    try:
        if like:
            reactions.like_post(current_user, post_id)
        else:
            reactions.unlike_post(current_user, post_id)
    except ServiceError as error:
        return _refused(error, post_id)
    post = reactions.visible_post(current_user, post_id)
    summary = reactions.summary_for(current_user, post)
    return _like_answer(
        summary.liked_by_viewer, summary.like_count, post_id, f"reactions-{post_id}",
        url_for("reactions.like_post", post_id=post_id),
        url_for("reactions.unlike_post", post_id=post_id),
    )


@blueprint.route(f"/posts/{POST_ID}/like", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def like_post(post_id: int):  # type: ignore[no-untyped-def]
    return _post_like(post_id, like=True)


@blueprint.route(f"/posts/{POST_ID}/unlike", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def unlike_post(post_id: int):  # type: ignore[no-untyped-def]
    return _post_like(post_id, like=False)


def _comment_like(comment_id: int, like: bool):  # type: ignore[no-untyped-def]
    try:
        if like:
            reactions.like_comment(current_user, comment_id)
        else:
            reactions.unlike_comment(current_user, comment_id)
        comment = reactions.visible_comment(current_user, comment_id)
    except ServiceError as error:
        return _refused(error, None)
    count, liked = reactions.comment_like_counts(current_user, [comment_id])[comment_id]
    return _like_answer(
        liked, count, comment.post_id, f"comment-{comment_id}",
        url_for("reactions.like_comment", comment_id=comment_id),
        url_for("reactions.unlike_comment", comment_id=comment_id),
    )


@blueprint.route(f"/comments/{COMMENT_ID}/like", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def like_comment(comment_id: int):  # type: ignore[no-untyped-def]
    return _comment_like(comment_id, like=True)


@blueprint.route(f"/comments/{COMMENT_ID}/unlike", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def unlike_comment(comment_id: int):  # type: ignore[no-untyped-def]
    return _comment_like(comment_id, like=False)
