"""How scores and the figures behind a suggestion read on the pages ("12,5", "60 %")."""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_decimal as babel_decimal
from babel.numbers import format_percent as babel_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from sandbox.grading.suggestions import PERCENT, YES_NO


def score_text(score: float | None) -> str:
    """A score as the teacher reads and types it ("12,5" in French)."""
    return "" if score is None else babel_decimal(score, locale=get_locale())


def score_formatter() -> Callable[[float | None], str]:
    """`score_text` with the reader's locale looked up once: a grades table formats hundreds
    of scores, and each look-up costs."""
    locale = get_locale()
    return lambda score: "" if score is None else babel_decimal(score, locale=locale)


def figure_text(value: float | None, kind: str) -> str:
    """One of the figures behind a suggestion, or its target, in the reader's language."""
    if value is None:
        return ""
    if kind == PERCENT:
        return babel_percent(value / 100, locale=get_locale())
    if kind == YES_NO:
        return _("yes") if value else _("no")
    return babel_decimal(value, locale=get_locale())
