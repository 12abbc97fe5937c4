"""How the charter's findings read: category and severity labels, a text cut at its findings.

The composer's coach box and the teacher's moderation queue both use these, so a finding looks
the same to the student who wrote the text and to the teacher who reviews it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine import Category
from sandbox.charter.models import Severity

CATEGORY_LABELS = {
    Category.PHONE: _l("Phone number"),
    Category.EMAIL: _l("Personal e-mail"),
    Category.ADDRESS: _l("Postal address"),
    Category.SMS: _l("SMS language"),
    Category.REGISTER: _l("Informal register"),
    Category.SPELLING: _l("Spelling or grammar"),
    Category.INSULT: _l("Insult"),
    Category.DISCRIMINATION: _l("Discrimination"),
    Category.DEFAMATION: _l("Defamation"),
    Category.PHOTO_CONSENT: _l("Photo without consent"),
    Category.CODES: _l("Network codes"),
}

SEVERITY_LABELS = {
    Severity.COACH: _l("advice"),
    Severity.FLAG: _l("sent to your teacher"),
    Severity.BLOCK: _l("not allowed"),
}


def category_label(code: str) -> str:
    try:
        return str(CATEGORY_LABELS[Category(code)])
    except ValueError:
        return code


def severity_label(severity: Severity | str) -> str:
    return str(SEVERITY_LABELS.get(Severity(severity), severity))


def _get(finding: Any, name: str) -> Any:
    return finding.get(name) if isinstance(finding, dict) else getattr(finding, name, None)


# ---- a text cut at its findings -------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of the excerpt; `category` is set when a finding points at it."""

    text: str
    category: str | None = None
    label: str | None = None


def highlight(excerpt: str, findings: Sequence[Any]) -> tuple[list[Segment], set[int]]:
    """The text in pieces, each finding's span on its own (the template escapes each piece).

    `findings` are `Finding` objects (the composer's coach) or their JSON dicts (as a
    moderation case stores them).

    A span is kept only when it lies inside the excerpt, does not overlap one already kept, and
    (when the finding recorded its words) still shows those words: the content may have been
    edited since. Returns the pieces and the indexes of the findings that were placed.
    """
    kept: list[tuple[int, int, int]] = []
    for index, finding in enumerate(findings):
        start, end = _get(finding, "start"), _get(finding, "end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(excerpt):
            continue
        words = _get(finding, "excerpt")
        if isinstance(words, str) and words and excerpt[start:end] != words:
            continue
        if any(start < other_end and other_start < end for other_start, other_end, _ in kept):
            continue
        kept.append((start, end, index))
    kept.sort()
    segments: list[Segment] = []
    position = 0
    for start, end, index in kept:
        if start > position:
            segments.append(Segment(excerpt[position:start]))
        code = str(_get(findings[index], "category") or "")
        segments.append(Segment(excerpt[start:end], _css_category(code), category_label(code)))
        position = end
    if position < len(excerpt):
        segments.append(Segment(excerpt[position:]))
    return segments, {index for _, _, index in kept}


def _css_category(code: str) -> str:
    return code if code in {category.value for category in Category} else "other"
