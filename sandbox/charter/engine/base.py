"""What every check shares: the categories, a hit in a text, and what a check may know.

A check is a function `find(text, context) -> Iterable[Hit]`. It is pure (no database, no
request, no network): the engine gives it the class's allowlists through `CheckContext`, so the
same check runs in a view, in the CLI, in a benchmark and under hypothesis.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol


class Category(enum.StrEnum):
    """Stable codes: the JSON API, the CLI and the class charter's `checks` use them."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    SMS = "sms"
    REGISTER = "register"
    SPELLING = "spelling"
    INSULT = "insult"
    DISCRIMINATION = "discrimination"
    DEFAMATION = "defamation"
    PHOTO_CONSENT = "photo_consent"
    CODES = "codes"


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a check found: `text[start:end]`, why it matters and how to fix it.

    `message` and `fix` are (lazy) translatable strings, rendered in the reader's language.
    """

    category: Category
    start: int
    end: int
    message: str
    fix: str | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a check may know beyond the text: the language and the class's allowlists.

    Sets hold lower-cased entries. `handle_exists` answers whether an @handle names someone the
    author may see (None when there is nobody to ask, as in the CLI).
    """

    lang: str = "fr"
    sms_allowlist: frozenset[str] = frozenset()
    school_domains: frozenset[str] = frozenset()
    allowed_emails: frozenset[str] = frozenset()
    school_address: str = ""
    forbidden_words: tuple[str, ...] = ()
    handle_exists: Callable[[str], bool] | None = field(default=None, compare=False)


class Check(Protocol):
    def __call__(self, text: str, context: CheckContext) -> Iterable[Hit]: ...
