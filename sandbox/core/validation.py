"""Checks on short texts typed by people, shared by every feature."""

from __future__ import annotations

import re

import unicodedata

from flask_babel import lazy_gettext as _l

from sandbox.core.errors import ServiceError

NAME_MAX_LENGTH = 80


def has_control_characters(value: str) -> bool:
    """NUL, escape codes and the like: invisible, and refused by PostgreSQL (NUL) anyway.

    Line breaks and tabs are only white space: they are tidied, not refused.
    """
    return any(
        (unicodedata.category(char) in {"Cc", "Cs"} and not char.isspace())
        or char in _DIRECTION_OVERRIDES
        for char in value
    )


# Embeddings, overrides and isolates turn text around: "gpj.exe" shown as "exe.jpg", a link's
# text disguised. Nobody needs them to write a post in French or English.
_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_line(
    value: str | None,
    field: str,
    *,
    max_length: int = NAME_MAX_LENGTH,
    required: bool = True,
) -> str:
    """One line of text with its spaces tidied; a clear message when it cannot be used."""
    value = value or ""
    if has_control_characters(value):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field=field)
    value = " ".join(value.split())
    if required and not value:
        raise ServiceError(_l("This field is required."), field=field)
    if len(value) > max_length:
        raise ServiceError(
            _l("%(count)d characters at most.", count=max_length), field=field
        )
    return value


def clean_text(
    value: str | None,
    field: str,
    *,
    max_length: int,
    required: bool = True,
    missing: str | None = None,
) -> str:
    """Several lines of text: line breaks kept, spaces and blank lines tidied; a clear message
    (`missing` when it is required and empty) when it cannot be used."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if has_control_characters(value):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field=field)
    lines = [" ".join(line.split()) for line in value.split("\n")]
    value = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if required and not value:
        raise ServiceError(missing or _l("This field is required."), field=field)
    if len(value) > max_length:
        raise ServiceError(_l("%(count)d characters at most.", count=max_length), field=field)
    return value
