"""Error pages that look like the app and speak the user's language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from sandbox.core.errors import NotFound, PermissionDenied
from sandbox.database import first_line
from sandbox.extensions import db

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The page could not understand what was sent.")),
    403: (_l("Access denied"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or no longer exists.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("File too large"), _l("The file sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on the server. Try again in a moment; if it persists, tell your teacher.")),
}


def _render_error(code: int, detail: str | None = None):  # type: ignore[no-untyped-def]
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.accept_mimetypes.best == "application/json":
        return {"error": str(title), "message": str(detail or message)}, code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


# Seconds after which the outage page reloads itself (and what Retry-After says).
RETRY_AFTER_SECONDS = 10


def is_outage(error: sa.exc.DBAPIError) -> bool:
    """Whether the database is away (refused, cut, shutting down, locked too long), not a bug
    (a missing table, bad SQL, a cancelled statement)."""
    if error.connection_invalidated:
        return True
    orig = error.orig
    text = str(orig or "").lower()
    if "database is locked" in text or "unable to open database" in text:
        return True
    state = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate",
                                                                             None)
    if state is None:  # psycopg: a connection that failed or broke has no SQLSTATE
        return isinstance(error, sa.exc.InterfaceError) or type(orig).__module__.startswith(
            "psycopg")
    # 08: connection exceptions; 57P01-57P03: the server is shutting down or starting.
    return state.startswith("08") or state in {"57P01", "57P02", "57P03"}


def _database_unavailable(error: sa.exc.DBAPIError):  # type: ignore[no-untyped-def]
    """The database cannot be reached (restarting, network cut) or is locked: a page that says
    so and comes back by itself, rendered without the database (no user, no counters)."""
    if not is_outage(error):
        current_app.logger.error("database error", exc_info=error)
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            pass
        return _render_error(500)
    current_app.logger.warning("database unavailable: %s", first_line(error))
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:  # the connection is gone: nothing to undo there
        pass
    language = session.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        title = _("Tremplin is unavailable for a moment")
        message = _("Tremplin cannot reach its database right now. What you had already saved "
                    "is kept; what you were sending was not saved.")
        retry = _("This page tries again by itself in a few seconds.")
        if request.accept_mimetypes.best == "application/json":
            body = {"error": title, "message": message}
        else:
            # Straight from Jinja: Flask's render_template would run the context processors,
            # which ask the database for the user and their unread counts.
            # Only a page that was read comes back by itself: reloading a form's address would
            # read what only takes a POST.
            reloads = request.method in {"GET", "HEAD"}
            body = current_app.jinja_env.get_template("errors/unavailable.html").render(
                language=language, title=title, message=message,
                retry=retry if reloads else "", retry_after=RETRY_AFTER_SECONDS if reloads else 0)
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def register_error_pages(app: Flask) -> None:
    # Connection refused or lost, server restarting, SQLite locked too long: OperationalError;
    # a connection found dead mid-use: InterfaceError.
    app.register_error_handler(sa.exc.OperationalError, _database_unavailable)
    app.register_error_handler(sa.exc.InterfaceError, _database_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):  # type: ignore[no-untyped-def]
        return _render_error(
            400, str(_l("The form has expired or was sent from elsewhere. Reload the page and try again."))
        )

    @app.errorhandler(PermissionDenied)
    def permission_denied(error: PermissionDenied):  # type: ignore[no-untyped-def]
        return _render_error(403, str(error.message))

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound):  # type: ignore[no-untyped-def]
        return _render_error(404)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        return _render_error(error.code or 500)
