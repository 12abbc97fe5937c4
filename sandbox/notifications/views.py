"""The notifications page: what happened that concerns me."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from sandbox.notifications import services
from sandbox.notifications.models import Notification

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")

# What each kind of notification says; %(name)s is the person who acted.
MESSAGES = {
    "invitation_received": _l("%(name)s invited you to connect."),
    "gift_received": _l("%(name)s gave you something for your network journal."),
    "exercise_started": _l(
        "%(name)s started the exercise: open it to see your team’s objectives and the timer."),
    "invitation_accepted": _l("%(name)s accepted your invitation."),
    "introduced_to": _l("%(name)s introduced you to someone of their network."),
    "introduced": _l("%(name)s introduced someone to you."),
    "new_follower": _l("%(name)s follows you."),
    "recommendation_received": _l("%(name)s wrote you a recommendation."),
    "recommendation_accepted": _l("%(name)s accepted your recommendation."),
    "skill_endorsed": _l("%(name)s endorsed one of your skills."),
    "mentioned": _l("%(name)s mentioned you in a post."),
    "post_shared": _l("%(name)s shared your post."),
    "post_commented": _l("%(name)s commented on your post."),
    "comment_replied": _l("%(name)s replied to your comment."),
    "post_liked": _l("%(name)s likes your post."),
    "comment_liked": _l("%(name)s likes your comment."),
    "message_received": _l("%(name)s sent you a message."),
    "group_join_requested": _l("%(name)s asks to join your group."),
    "group_request_accepted": _l("%(name)s accepted you in the group."),
    "group_admin_granted": _l("%(name)s made you an admin of the group."),
    "photo_tag_request": _l("%(name)s tagged you in a picture: do you agree to appear in it?"),
    "photo_consent_given": _l("%(name)s agreed to appear in your picture."),
    "photo_consent_declined": _l("%(name)s did not agree to appear in your picture: it is not "
                                 "shown."),
    "content_reported": _l("A student reported a text of your class: it is in your moderation "
                           "queue."),
    "moderation_warning": _l("%(name)s sent you a warning about one of your texts."),
    "content_hidden": _l("%(name)s hid one of your texts: read why in your feedback."),
    "content_deleted": _l("%(name)s deleted one of your texts: read why in your feedback."),
}

# Kinds whose sentence depends on a value of their data: (kind, value) → sentence.
# %(offer)s is the title of the job offer.
MESSAGES_BY_STATUS = {
    ("application_status_changed", "seen"): _l("%(name)s read your application for "
                                               "“%(offer)s”."),
    ("application_status_changed", "shortlisted"): _l("%(name)s shortlisted your application "
                                                      "for “%(offer)s”."),
    ("application_status_changed", "interview"): _l("%(name)s invites you to an interview for "
                                                    "“%(offer)s”."),
    ("application_status_changed", "offer"): _l("%(name)s offers you the job “%(offer)s”!"),
    ("application_status_changed", "declined"): _l("%(name)s did not select your application "
                                                   "for “%(offer)s”."),
}


class _Values(dict):
    """The values a sentence may name; one its notification lacks reads "…", not an error."""

    def __missing__(self, key: str) -> str:
        return "…"


def describe(notification: Notification, named: set[int]) -> str:
    """The sentence; the actor is named only if the reader may see them (`named`)."""
    data = notification.data or {}
    template = MESSAGES_BY_STATUS.get((notification.kind, str(data.get("status")))) or \
        MESSAGES.get(notification.kind, _l("%(name)s did something that concerns you."))
    if notification.actor is None:
        name = "Tremplin"
    elif notification.actor_id in named:
        name = notification.actor.name_for(current_user)
    else:  # e.g. a student of another class asking to join a school-wide group
        name = _("Someone outside your network")
    words = {key: value for key, value in data.items() if isinstance(value, str)}
    return str(template) % _Values(words, name=name, offer=data.get("offer_title") or "…")


def link(notification: Notification) -> str:
    """Where opening a notification leads; the page there checks what the reader may see."""
    kind, data = notification.kind, notification.data or {}
    if kind == "gift_received":
        return url_for("recommendations.journal")
    if kind == "exercise_started" and "exercise_id" in data:
        return url_for("exercises.show", exercise_id=data["exercise_id"])
    if kind.startswith("invitation"):
        return url_for("network.index")
    if kind == "application_status_changed":
        return url_for("jobs.applications", _anchor=f"application-{notification.subject_id}")
    if kind == "content_reported" and "case_id" in data:
        return url_for("moderation.case", case_id=data["case_id"])
    if kind == "moderation_warning":
        return url_for("moderation.warnings", _anchor=f"warning-{notification.subject_id}")
    if kind in {"content_hidden", "content_deleted"}:
        return url_for("moderation.warnings")
    if kind.startswith("introduc"):
        return url_for("network.introductions")
    if kind.startswith("recommendation"):
        return url_for("recommendations.index")
    if kind in {"post_commented", "comment_replied", "comment_liked"} and "post_id" in data:
        return url_for("posts.show", post_id=data["post_id"],
                       _anchor=f"comment-{notification.subject_id}")
    if "post_id" in data:
        return url_for("posts.show", post_id=data["post_id"])
    if kind == "message_received" and notification.actor_id:
        return url_for("messages.thread", user_id=notification.actor_id)
    if kind == "group_join_requested" and "slug" in data:
        return url_for("groups.members", slug=data["slug"])
    if kind.startswith("group") and "slug" in data:
        return url_for("groups.show", slug=data["slug"])
    if notification.actor_id:  # the profile page answers 404 to someone out of scope
        return url_for("profiles.show", user_id=notification.actor_id)
    return url_for("home.index")


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.app_context_processor
def bell() -> dict[str, int]:
    """The unread count shown on every page (one query), kept live by the socket."""
    if current_user.is_authenticated and not current_user.must_change_password:
        return {"unread_notifications": services.unread_count(current_user)}
    return {"unread_notifications": 0}


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    notifications = services.about_visible_content(current_user,
                                                   services.latest_for(current_user))
    named = services.actors_in_scope(current_user, notifications)
    return render_template(
        "notifications/index.html",
        notifications=notifications,
        describe=lambda notification: describe(notification, named),
        link=link,
    )


@blueprint.route("/<int:notification_id>/open", methods=["POST"])
def open_one(notification_id: int):  # type: ignore[no-untyped-def]
    """Opening a notification marks it read, then goes where it points."""
    notification = services.mark_read(current_user, notification_id)
    return redirect(link(notification))


@blueprint.route("/read", methods=["POST"])
def mark_read():  # type: ignore[no-untyped-def]
    services.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))
