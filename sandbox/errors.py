"""Error pages that look like the app and speak the user's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from sandbox.core.errors import NotFound, PermissionDenied

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


def register_error_pages(app: Flask) -> None:
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
