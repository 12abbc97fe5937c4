"""Language and time zone of each request, and the template helpers that use them."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from sandbox.config import SUPPORTED_LOCALES

# Each language is named in itself, so that anyone can find their own in the switch.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def select_locale() -> str:
    """The user's saved choice, else the choice made on this browser, else the school's default."""
    if not has_request_context():  # command line, workers: the school's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def register_i18n_helpers(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "supported_languages": SUPPORTED_LOCALES,
        }
