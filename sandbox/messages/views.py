"""Direct messages: the inbox, a thread, sending, live updates, and the teachers' review."""

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
from flask_login import current_user, login_required

from sandbox.accounts.models import User
from sandbox.classes.permissions import can_manage_student
from sandbox.charter.web import charter_ack, findings_json
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.limits import per_person
from sandbox.messages import services
from sandbox.notifications.services import unread_count as unread_notifications

blueprint = Blueprint("messages", __name__, url_prefix="/messages")

USER_ID = "<int(min=1, max=2147483647):user_id>"
MESSAGE_ID = "<int(min=0, max=2147483647):message_id>"
STUDENT_ID = "<int(min=1, max=2147483647):student_id>"
OTHER_ID = "<int(min=1, max=2147483647):other_id>"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _page_id(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= 2**31 - 1 else None


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.app_context_processor
def unread_messages() -> dict[str, int]:
    """The unread count next to "Messages" in the menu (one query)."""
    if current_user.is_authenticated and not current_user.must_change_password:
        return {"unread_messages": services.unread_count(current_user)}
    return {"unread_messages": 0}


@blueprint.app_template_global("can_message")
def can_message_template(person: User) -> bool:
    """For the "Send a message" button: may the current user write to `person`?"""
    return current_user.is_authenticated and services.can_message(current_user, person)


@blueprint.app_template_global("can_review_messages")
def can_review_messages(person: User) -> bool:
    """For the "Read their messages" link: is the current user one of the student's staff?"""
    return current_user.is_authenticated and can_manage_student(current_user, person)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("messages/index.html", threads=services.threads_of(current_user))


def _render_thread(  # type: ignore[no-untyped-def]
    user_id: int, body: str = "", refusal: ServiceError | None = None
):
    page = services.thread(current_user, user_id, before_id=_page_id("before"))
    error = str(refusal.message) if refusal is not None else None
    return render_template(
        "messages/thread.html", page=page, body=body, error=error, refusal=refusal,
        max_length=services.MESSAGE_MAX_LENGTH, who_may_write=services.who_may_write,
    )


@blueprint.route(f"/{USER_ID}")
def thread(user_id: int):  # type: ignore[no-untyped-def]
    return _render_thread(user_id)


@blueprint.route(f"/{USER_ID}", methods=["POST"])
@per_person("MESSAGE_RATE_LIMIT")
def send(user_id: int):  # type: ignore[no-untyped-def]
    body = request.form.get("body", "")
    try:
        message = services.send_message(current_user, user_id, body,
                                        charter_ack=charter_ack())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        if _wants_json():
            answer: dict[str, object] = {"error": str(error.message)}
            if findings := findings_json(error):
                answer["findings"] = findings
            return jsonify(answer), 400
        return _render_thread(user_id, body=body, refusal=error)
    if _wants_json():
        return jsonify(message_id=message.id, conversation_id=message.conversation_id)
    flash(_("Message sent."), "success")
    return redirect(url_for("messages.thread", user_id=user_id, _anchor="message-form"))


@blueprint.route(f"/{USER_ID}/since/{MESSAGE_ID}")
def since(user_id: int, message_id: int):  # type: ignore[no-untyped-def]
    """The messages after `message_id` (live updates): their HTML, marked read once fetched."""
    page = services.thread(current_user, user_id, after_id=message_id)
    html = render_template("messages/_messages.html", messages=page.messages,
                           other=page.other, owner=current_user) if page.messages else ""
    return jsonify(
        html=html,
        last_id=page.messages[-1].id if page.messages else message_id,
        has_more=len(page.messages) >= services.PAGE_SIZE,
        conversation_id=page.conversation.id if page.conversation else None,
        unread_notifications=unread_notifications(current_user),
        unread_messages=services.unread_count(current_user),
    )


@blueprint.route(f"/students/{STUDENT_ID}")
def student_threads(student_id: int):  # type: ignore[no-untyped-def]
    if student_id == current_user.id:
        return redirect(url_for("messages.index"))
    student, threads = services.student_threads(current_user, student_id)
    return render_template("messages/student_threads.html", student=student, threads=threads)


@blueprint.route(f"/students/{STUDENT_ID}/{OTHER_ID}")
def student_thread(student_id: int, other_id: int):  # type: ignore[no-untyped-def]
    if student_id == current_user.id:
        return redirect(url_for("messages.thread", user_id=other_id))
    student, page = services.student_thread(
        current_user, student_id, other_id, before_id=_page_id("before")
    )
    return render_template("messages/student_thread.html", student=student, page=page)
