"""What a teacher types in the grading pages and the rubric editor, read and checked.

The forms run these checks to show every mistake at once; the services run them again before
writing anything.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from sandbox.core.errors import ServiceError
from sandbox.core.validation import clean_line, clean_text

SCALES = (10, 20, 100)
WEIGHT_MAX = 10
LABEL_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 1000
COMMENT_MAX_LENGTH = 2000
MAX_CRITERIA = 20

# "12", "12,5", "12.25": a decimal comma is what a French teacher types.
_SCORE = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")
_WHOLE = re.compile(r"^\d{1,3}$")


def parse_score(text: str | None, scale: int, field: str) -> float | None:
    """A score on `scale` to the quarter point; None when left empty (the suggestion stands)."""
    text = "".join((text or "").split())
    if not text:
        return None
    if not _SCORE.match(text):
        raise ServiceError(_l("Write a number from 0 to %(scale)d, for example %(example)s.",
                              scale=scale, example=format_decimal(12.5)), field=field)
    value = Fraction(Decimal(text.replace(",", ".")))
    if value > scale:
        raise ServiceError(_l("The score goes from 0 to %(scale)d.", scale=scale), field=field)
    if (value * 4).denominator != 1:
        raise ServiceError(
            _l("Score to the quarter point: for example %(examples)s.",
               examples=", ".join(format_decimal(v) for v in (12, 12.25, 12.5, 12.75))),
            field=field,
        )
    return float(value)


def parse_comment(text: str | None, field: str) -> str:
    return clean_text(text, field, max_length=COMMENT_MAX_LENGTH, required=False)


def parse_label(text: str | None, field: str) -> str:
    label = clean_line(text, field, max_length=LABEL_MAX_LENGTH)
    if len(label) < 2:
        raise ServiceError(_l("A name has 2 to %(count)d characters.", count=LABEL_MAX_LENGTH),
                           field=field)
    return label


def parse_description(text: str | None, field: str) -> str:
    return clean_text(text, field, max_length=DESCRIPTION_MAX_LENGTH, required=False)


def _whole(text: str | int | None) -> int | None:
    if isinstance(text, int):
        return text
    text = (text or "").strip()
    return int(text) if _WHOLE.match(text) else None


def parse_weight(text: str | int | None, field: str) -> int:
    weight = _whole(text)
    if weight is None or weight > WEIGHT_MAX:
        raise ServiceError(_l("A whole number from 0 to %(max)d (0: not counted).",
                              max=WEIGHT_MAX), field=field)
    return weight


def parse_position(text: str | int | None, field: str) -> int:
    position = _whole(text)
    if position is None or not 1 <= position <= 99:
        raise ServiceError(_l("A whole number from 1 to 99."), field=field)
    return position


def parse_scale(text: str | int | None, field: str = "scale") -> int:
    scale = _whole(text)
    if scale not in SCALES:
        raise ServiceError(_l("Choose 10, 20 or 100 points."), field=field)
    return scale
