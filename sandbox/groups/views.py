"""Groups: the directory, creating and editing a group, its page, its members and their actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.web import charter_ack, charter_error
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.core.limits import per_person
from sandbox.extensions import db
from sandbox.groups import directory, membership, services
from sandbox.groups.forms import GroupForm
from sandbox.groups.models import Group, MembershipStatus
from sandbox.pagecache import kept_page, page_depends_on
from sandbox.posts import feed
from sandbox.posts.presenters import card_context, composer_context
from sandbox.profiles.visibility import fields_seen_of

blueprint = Blueprint("groups", __name__, url_prefix="/groups")

SLUG = "<string(maxlength=100):slug>"
USER_ID = "<int(min=1, max=2147483647):user_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.context_processor
def links() -> dict:
    return {"hashtag_url": hashtag_url}


def hashtag_url(tag: str) -> str:
    """A topic's hashtag page: the posts with that hashtag."""
    return url_for("posts.hashtag", tag=tag)


def _group(slug: str) -> Group:
    return services.get_visible_group(current_user, slug)


def _back(group: Group, page: str = "groups.show"):  # type: ignore[no-untyped-def]
    """Back where the form was (a safe local path), else to the group's page."""
    fallback = url_for(page, slug=group.slug)
    return redirect(safe_next_url(request.form.get("next")) or fallback)


def _save_form(form: GroupForm, save):  # type: ignore[no-untyped-def]
    """Run `save()`; a bad input goes beside its field (or in a flash) and gives None."""
    try:
        return save()
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        form.charter_refusal = charter_error(error)  # the coach box shows its findings
        if not attach_service_error(form, error):
            flash(str(error.message), "error")
    return None


# ---- pages ---------------------------------------------------------------------------------


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "groups/index.html",
        page=directory.directory(current_user, request.args.get("q")),
        query_max_length=directory.QUERY_MAX_LENGTH,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@per_person("GROUP_RATE_LIMIT")
def create():  # type: ignore[no-untyped-def]
    if not services.can_create_groups(current_user):
        raise PermissionDenied(_("Your class does not allow students to create groups: ask "
                                 "your teacher."))
    form = GroupForm()
    classes = services.class_choices(current_user)
    form.offer_classes(classes)
    if request.method == "GET" and request.args.get("class_id"):
        form.class_id.data = request.args.get("class_id")
    if form.validate_on_submit():
        group = _save_form(form, lambda: services.create_group(
            current_user,
            form.name.data,
            form.description.data,
            form.topics.data,
            form.join_policy.data,
            class_id=form.chosen_class_id() if classes else None,
            charter_ack=charter_ack(),
        ))
        if group is not None:
            flash(_("Group “%(name)s” created: you are its admin.", name=group.name), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return render_template("groups/form.html", form=form, group=None, offer_classes=bool(classes))


@blueprint.route(f"/{SLUG}")
@kept_page("groups.show")
def show(slug: str):  # type: ignore[no-untyped-def]
    """The group's page; its members (and the teachers who review it) read its feed there."""
    group = _group(slug)
    page_depends_on(f"g:{group.id}")
    db.session.refresh(group)  # read after its version (see sandbox/pagecache.py)
    page = directory.group_page(current_user, group)
    if not (page.is_member or page.can_edit):
        return render_template("groups/show.html", page=page, group=group, feed=None)
    try:
        posts = feed.group_feed(current_user, group.id, before=request.args.get("before"))
    except feed.InvalidCursor:
        abort(400)
    here = url_for("groups.show", slug=group.slug)
    more_url = url_for("groups.show", slug=group.slug, before=posts.next_cursor) \
        if posts.next_cursor else None
    if request.headers.get("X-Requested-With") == "fetch":  # "load more" wants the cards alone
        return render_template("posts/_page.html", page=posts, more_url=more_url,
                               card_back=here, **card_context(posts))
    composer = composer_context(group) if page.is_member else {"composer": None}
    return render_template("groups/show.html", page=page, group=group, feed=posts,
                           more_url=more_url, card_back=here, **card_context(posts), **composer)


@blueprint.route(f"/{SLUG}/edit", methods=["GET", "POST"])
def edit(slug: str):  # type: ignore[no-untyped-def]
    group = _group(slug)
    if not services.can_edit_group(current_user, group):
        raise PermissionDenied(_("Only the group's admins and teachers can edit it."))
    # The group fills the form to show it; a posted form is only what was posted (a field
    # missing from it must not be taken from the group: its topics are rows, not text).
    form = GroupForm(obj=group) if request.method == "GET" else GroupForm()
    if request.method == "GET":
        form.topics.data = " ".join(f"#{topic.tag}" for topic in group.topics)
        form.join_policy.data = group.join_policy.value
    if form.validate_on_submit():
        saved = _save_form(form, lambda: services.update_group(
            current_user, group, form.name.data, form.description.data, form.topics.data,
            form.join_policy.data, charter_ack=charter_ack(),
        ))
        if saved is not None:
            flash(_("Group saved."), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return render_template("groups/form.html", form=form, group=group, offer_classes=False)


@blueprint.route(f"/{SLUG}/members")
def members(slug: str):  # type: ignore[no-untyped-def]
    group = _group(slug)
    page = directory.members_of(current_user, group)
    people = [entry.user for entry in page.members]
    people += [asking.user for asking in page.requests if asking.user is not None]
    return render_template(
        "groups/members.html", page=page, group=group, seen=fields_seen_of(current_user, people)
    )


# ---- a member's own actions ----------------------------------------------------------------


@blueprint.route(f"/{SLUG}/join", methods=["POST"])
@per_person("GROUP_RATE_LIMIT")
def join(slug: str):  # type: ignore[no-untyped-def]
    group = _group(slug)
    joined = membership.join_group(current_user, group)
    if joined.status is MembershipStatus.ACTIVE:
        flash(_("Welcome to the group “%(name)s”.", name=group.name), "success")
    else:
        flash(_("Request sent: an admin of the group will answer it."), "success")
    return _back(group)


def _act(slug: str, action, done, page: str = "groups.show"):  # type: ignore[no-untyped-def]
    """Run a membership action on the group, say how it went, and come back to `page`.

    A group one may not see or act on is the app's 404/403 page; a refused action (the last
    admin leaving…) is a flash on the page the form was on. `done` is the success message, or
    a function of the group giving it.
    """
    group = _group(slug)
    try:
        action(group)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(done(group) if callable(done) else done, "success")
    return _back(group, page)


@blueprint.route(f"/{SLUG}/request/cancel", methods=["POST"])
def cancel_request(slug: str):  # type: ignore[no-untyped-def]
    return _act(slug, lambda g: membership.cancel_request(current_user, g),
                _("Request withdrawn."))


@blueprint.route(f"/{SLUG}/leave", methods=["POST"])
def leave(slug: str):  # type: ignore[no-untyped-def]
    return _act(slug, lambda g: membership.leave_group(current_user, g),
                lambda g: _("You left the group “%(name)s”.", name=g.name))


# ---- the group admins' actions -------------------------------------------------------------


def _admin_action(slug: str, action, done: str):  # type: ignore[no-untyped-def]
    """A group admin's action, run from the members page and coming back to it."""
    return _act(slug, action, done, "groups.members")


@blueprint.route(f"/{SLUG}/requests/{USER_ID}/accept", methods=["POST"])
def accept(slug: str, user_id: int):  # type: ignore[no-untyped-def]
    return _admin_action(
        slug, lambda g: membership.accept_request(current_user, g, user_id), _("Request accepted.")
    )


@blueprint.route(f"/{SLUG}/requests/{USER_ID}/decline", methods=["POST"])
def decline(slug: str, user_id: int):  # type: ignore[no-untyped-def]
    return _admin_action(
        slug, lambda g: membership.decline_request(current_user, g, user_id),
        _("Request declined."),
    )


@blueprint.route(f"/{SLUG}/members/{USER_ID}/admin", methods=["POST"])
def make_admin(slug: str, user_id: int):  # type: ignore[no-untyped-def]
    return _admin_action(
        slug, lambda g: membership.make_admin(current_user, g, user_id),
        _("This member is now an admin of the group."),
    )


@blueprint.route(f"/{SLUG}/members/{USER_ID}/admin/remove", methods=["POST"])
def remove_admin(slug: str, user_id: int):  # type: ignore[no-untyped-def]
    return _admin_action(
        slug, lambda g: membership.remove_admin(current_user, g, user_id),
        _("This member is no longer an admin."),
    )


@blueprint.route(f"/{SLUG}/members/{USER_ID}/remove", methods=["POST"])
def remove_member(slug: str, user_id: int):  # type: ignore[no-untyped-def]
    return _admin_action(
        slug, lambda g: membership.remove_member(current_user, g, user_id),
        _("Member removed from the group."),
    )

