"""Security policy: headers, how sessions find their user, and the forced password change."""

from __future__ import annotations

import hmac

from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from sandbox.accounts.models import User
from sandbox.extensions import db


def content_security_policy() -> dict[str, str]:
    """Everything from this server only; no inline script, no framing by other sites."""
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


# Pages a user who must change their one-time password may still open.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"accounts.change_password", "accounts.logout",
                                   "accounts.set_language", "static"}


def register_login_manager(login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # "basic", not "strong": a phone moving between Wi-Fi and 4G changes address, and "strong"
    # would log the student out mid-lesson.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not hmac.compare_digest(user.session_token, token):
            return None
        return user


def require_password_change():  # type: ignore[no-untyped-def]
    """A student logging in with a one-time password chooses their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _ALLOWED_BEFORE_PASSWORD_CHANGE
    ):
        return redirect(url_for("accounts.change_password"))
    return None


def refuse_json_that_is_not_an_object() -> None:
    """A JSON body must be an object: forms read a JSON request as their fields, and a list or
    a number there would break them (a 500 instead of the clear 400 a bad request deserves)."""
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.is_json:
        body = request.get_json(silent=True)
        if body is not None and not isinstance(body, dict):
            abort(400)
