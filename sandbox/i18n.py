"""Language and time zone of each request, and the template helpers that use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, session
from flask.json.provider import DefaultJSONProvider
from flask_babel import LazyString, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from sandbox.config import SUPPORTED_LOCALES

# Each language is named in itself, so that anyone can find their own in the switch.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def _escaped_html(self: LazyString) -> Markup:
    return escape(str(self))


# Flask-Babel's lazy strings declare themselves HTML-safe (`__html__` returns the text as it is),
# so Jinja and WTForms never escape them, nor what was interpolated into them: a lazy message
# naming a class or a list, e.g. "Only the class %(name)s", would carry a student's markup into
# the page (flask-babel issues #121 and #224). Ours are escaped like any text.
LazyString.__html__ = _escaped_html  # type: ignore[method-assign]


class JSONProvider(DefaultJSONProvider):
    """Lazy strings go into JSON as their text (Flask would take their now-escaped HTML)."""

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)


def compiled_catalogue_is_current(source: Path, compiled: Path) -> bool:
    """Whether the .mo holds exactly the translations of its .po (fuzzy entries left out)."""
    def as_tuple(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    with source.open("rb") as handle:
        # What compiling keeps: translated entries only (an empty msgstr is left out).
        expected = {as_tuple(m.id): as_tuple(m.string) for m in read_po(handle)
                    if m.id and not m.fuzzy and any(as_tuple(m.string) or ())}
    with compiled.open("rb") as handle:
        actual = {as_tuple(m.id): as_tuple(m.string) for m in read_mo(handle) if m.id}
    return actual == expected


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
