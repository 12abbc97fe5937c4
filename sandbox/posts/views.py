"""Posts: publish, read, edit, delete, share; the feed pages, hashtag pages, live updates."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from sandbox.charter.web import charter_ack
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import safe_next_url
from sandbox.core.limits import per_person
from sandbox.extensions import db
from sandbox.network.follows import normalise_hashtag
from sandbox.network.models import FollowedHashtag
from sandbox.posts import feed, reactions, services
from sandbox.posts.consent import answer_photo_tag
from sandbox.posts.forms import ComposerInput, read_composer
from sandbox.posts.mentions import mention_suggestions
from sandbox.posts.models import Post
from sandbox.posts.presenters import (
    card_context,
    composer_context,
    feed_context,
    register_template_helpers,
    wants_fragment,
)

blueprint = Blueprint("posts", __name__)
register_template_helpers(blueprint)

POST_ID = "<int(min=1, max=2147483647):post_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _cursor(name: str) -> str | None:
    """A cursor from the query string; a malformed one is a bad request, not a crash."""
    value = request.args.get(name) or None
    try:
        feed.Cursor.decode(value)
    except feed.InvalidCursor:
        abort(400)
    return value


def _next(default: str | None = None) -> str:
    return safe_next_url(request.values.get("next")) or default or url_for("home.index")


def _publish(data: ComposerInput) -> Post:
    return services.create_post(
        current_user, body=data.body, audience=data.audience, group_id=data.group_id,
        contact_list_id=data.list_id, image=data.image, shared_post_id=data.shared_post_id,
        charter_ack=charter_ack(), shows_people=data.shows_people, photo_tags=data.photo_tags,
    )


# ---- writing ------------------------------------------------------------------------------


@blueprint.route("/posts/", methods=["POST"])
@per_person("POST_RATE_LIMIT")
def create():  # type: ignore[no-untyped-def]
    data = read_composer(request.form, request.files)
    try:
        _publish(data)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        return render_template("posts/compose.html", data=data, error=error, next=_next(),
                               **composer_context()), 422
    flash(_("Your post is published."), "success")
    return redirect(_next())


@blueprint.route(f"/posts/{POST_ID}")
def show(post_id: int):  # type: ignore[no-untyped-def]
    page = feed.single_post(current_user, post_id)
    if not page.posts:
        raise NotFound(_("This post does not exist."))
    post = page.posts[0]
    return render_template("posts/show.html", post=post, page=page,
                           comments=reactions.comments_for(current_user, post),
                           **card_context(page))


@blueprint.route(f"/posts/{POST_ID}/edit", methods=["GET", "POST"])
@per_person("POST_RATE_LIMIT")
def edit(post_id: int):  # type: ignore[no-untyped-def]
    post = services.own_post(current_user, post_id)
    body, error = post.body, None
    if request.method == "POST":
        body = request.form.get("body", "")
        try:
            services.edit_post(current_user, post_id, body, charter_ack=charter_ack())
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as refused:
            error = refused
        else:
            flash(_("Your post has been changed."), "success")
            return redirect(url_for("posts.show", post_id=post_id))
    return render_template("posts/edit.html", post=post, body=body, error=error), (
        422 if error else 200
    )


@blueprint.route(f"/posts/{POST_ID}/delete", methods=["POST"])
def delete(post_id: int):  # type: ignore[no-untyped-def]
    services.delete_post(current_user, post_id)
    flash(_("Your post has been deleted."), "success")
    target = _next()
    if target.startswith(url_for("posts.show", post_id=post_id)):
        target = url_for("home.index")  # the page of a deleted post is gone
    return redirect(target)


@blueprint.route(f"/posts/{POST_ID}/photo-consent", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def photo_consent(post_id: int):  # type: ignore[no-untyped-def]
    """A person tagged in the picture agrees to appear in it, or refuses."""
    agree = request.form.get("answer") == "agree"
    try:
        post = answer_photo_tag(current_user, post_id, agree)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as refused:
        flash(str(refused.message), "error")
        return redirect(_next(url_for("posts.show", post_id=post_id)))
    flash(_("Thank you: the picture will be shown.") if agree and not post.awaiting_consent
          else _("Thank you: your answer was sent to the author.") if agree
          else _("The picture will not be shown: its author has been told."), "success")
    return redirect(_next(url_for("posts.show", post_id=post_id)))


@blueprint.route(f"/posts/{POST_ID}/share", methods=["GET", "POST"])
@per_person("POST_RATE_LIMIT")
def share(post_id: int):  # type: ignore[no-untyped-def]
    if not services.may_post(current_user):
        raise PermissionDenied(_("Administrators do not post in the network."))
    try:
        original = services.shareable_original(current_user, post_id)
    except NotFound:
        raise
    except ServiceError as refused:  # deleted: say so, rather than a bare 404
        flash(str(refused.message), "error")
        return redirect(url_for("home.index"))
    data = ComposerInput(body="", audience="network", shared_post_id=original.id)
    error = None
    if request.method == "POST":
        # A share has no picture of its own, and quotes the post of this page, whatever is sent.
        data = replace(read_composer(request.form), image=None, shared_post_id=original.id)
        try:
            _publish(data)
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as refused:
            error = refused
        else:
            flash(_("Shared: the original is quoted in your post."), "success")
            return redirect(_next())
    page = feed.single_post(current_user, original.id)
    return render_template("posts/share.html", original=original, page=page, data=data,
                           error=error, next=_next(), **composer_context(),
                           **card_context(page)), (422 if error else 200)


@blueprint.route(f"/posts/{POST_ID}/images/<name>")
def image(post_id: int, name: str):  # type: ignore[no-untyped-def]
    """A post's picture, only for those who may see the post."""
    path = services.image_file(current_user, post_id, name)
    response = send_file(path, mimetype="image/webp", conditional=True, max_age=86400)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@blueprint.route("/posts/mentions")
def mentions():  # type: ignore[no-untyped-def]
    """The composer's @-autocomplete: people the author may mention (and so may see)."""
    return jsonify(people=mention_suggestions(current_user, request.args.get("q", "")))


# ---- reading ------------------------------------------------------------------------------


@blueprint.route("/hashtags/<tag>")
def hashtag(tag: str):  # type: ignore[no-untyped-def]
    try:
        normal = normalise_hashtag(tag)
    except ServiceError:
        abort(404)
    if normal != tag:
        return redirect(url_for("posts.hashtag", tag=normal), code=301)
    page = feed.hashtag_feed(current_user, normal, before=_cursor("before"))
    context = feed_context(page, _more("posts.hashtag", page, tag=normal))
    if wants_fragment():
        return render_template("posts/_page.html", **context)
    following = db.session.get(FollowedHashtag, (current_user.id, normal)) is not None
    return render_template("posts/hashtag.html", tag=normal, following=following, **context)


def _more(endpoint: str, page: feed.FeedPage, **values: object) -> str | None:
    if page.next_cursor is None:
        return None
    return url_for(endpoint, before=page.next_cursor, **values)


@blueprint.route("/feed")
def feed_page():  # type: ignore[no-untyped-def]
    """Older posts of the home feed: a fragment for the script, or a page without JavaScript."""
    page = feed.home_feed(current_user, before=_cursor("before"))
    template = "posts/_page.html" if wants_fragment() else "posts/feed.html"
    return render_template(template, **feed_context(page, _more("posts.feed_page", page)))


@blueprint.route("/feed/new")
def new_posts():  # type: ignore[no-untyped-def]
    """How many posts entered the home feed since `after` (and, with `cards=1`, the cards)."""
    after = _cursor("after")
    page = feed.new_in_home_feed(current_user, after)
    count = len(page.posts)
    answer: dict[str, object] = {
        "count": count,
        "label": ngettext("%(num)d new post", "%(num)d new posts", count),
        "cursor": page.newest_cursor if page.posts else after,
    }
    if request.args.get("cards") == "1":
        answer["html"] = render_template("posts/_cards.html", card_back=url_for("home.index"),
                                         **feed_context(page, None))
    return jsonify(answer)
