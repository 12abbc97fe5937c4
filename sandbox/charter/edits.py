"""What a teacher sends to edit a class's charter, and its validation.

The editor's form runs the same functions (sandbox/charter/forms.py), so that every error shows
at once; `sandbox.charter.services` runs them again before writing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from sandbox.charter.models import Severity
from sandbox.charter.windows import parse_windows
from sandbox.core.errors import ServiceError
from sandbox.core.validation import clean_line, clean_text, has_control_characters

TITLE_MAX_LENGTH = 160
TEXT_MAX_LENGTH = 2000
WORD_MAX_LENGTH = 60
MAX_LIST_ENTRIES = 200
ADDRESS_MAX_LENGTH = 300
# The settings a teacher edits besides the rules, in the order of the form and the audit log.
SETTINGS = ("sms_allowlist", "school_domains", "allowed_emails", "school_address",
            "forbidden_words", "posting_windows")
_SEPARATORS = re.compile(r"[\n,;]+")


# ---- what a teacher sends ------------------------------------------------------------------


@dataclass
class RuleEdit:
    code: str
    title_fr: str = ""
    title_en: str = ""
    text_fr: str = ""
    text_en: str = ""
    severity: str | None = None  # None: unchanged (rules without automatic checks)
    enabled: bool = True


@dataclass
class CharterEdit:
    """The editor's form as typed: lists as text (one entry per line or comma-separated)."""

    rules: list[RuleEdit] = field(default_factory=list)
    sms_allowlist: str = ""
    school_domains: str = ""
    allowed_emails: str = ""
    school_address: str = ""
    forbidden_words: str = ""
    # Rows of {"day", "start", "end"} as typed; empty rows are ignored.
    posting_windows: list[dict[str, Any]] = field(default_factory=list)
    version: int | None = None  # the version the form was made from, to catch a lost update


@dataclass(frozen=True)
class CharterChange:
    """What a save changed: the rule codes and the settings names (empty: nothing changed)."""

    version: int
    rules: list[str]
    settings: list[str]

    def __bool__(self) -> bool:
        return bool(self.rules or self.settings)


# ---- validation (the form runs the same functions, to show every error at once) ------------


def split_entries(raw: str | None) -> list[str]:
    """One entry per line, or separated by commas or semicolons; spaces tidied, no duplicates."""
    entries: list[str] = []
    for piece in _SEPARATORS.split(raw or ""):
        entry = " ".join(piece.split())
        if entry and entry not in entries:
            entries.append(entry)
    return entries


def _check_list(raw: str | None, field_name: str) -> list[str]:
    if has_control_characters(raw or ""):
        raise ServiceError(_l("This text contains invisible characters: retype it."),
                           field=field_name)
    entries = split_entries(raw)
    if len(entries) > MAX_LIST_ENTRIES:
        raise ServiceError(_l("%(count)d entries at most.", count=MAX_LIST_ENTRIES),
                           field=field_name)
    return entries


def parse_words(raw: str | None, field_name: str) -> list[str]:
    """Words or short expressions, lower-cased (SMS abbreviations, forbidden words)."""
    words = []
    for entry in _check_list(raw, field_name):
        if len(entry) > WORD_MAX_LENGTH:
            raise ServiceError(_l("“%(entry)s” is too long (%(count)d characters at most).",
                                  entry=entry[:WORD_MAX_LENGTH] + "…", count=WORD_MAX_LENGTH),
                               field=field_name)
        word = entry.lower()
        if word not in words:
            words.append(word)
    return words


def parse_domains(raw: str | None, field_name: str = "school_domains") -> list[str]:
    """The school's e-mail domains ("lycee-exemple.fr"; a leading "@" is accepted)."""
    domains = []
    for entry in _check_list(raw, field_name):
        candidate = entry.lstrip("@").lower()
        try:
            domain = validate_email(f"x@{candidate}", check_deliverability=False).domain
        except EmailNotValidError:
            raise ServiceError(_l("“%(entry)s” is not an e-mail domain (for example: "
                                  "lycee-exemple.fr).", entry=entry), field=field_name) from None
        if domain not in domains:
            domains.append(domain)
    return domains


def parse_emails(raw: str | None, field_name: str = "allowed_emails") -> list[str]:
    """E-mail addresses students may write (the school office's…), lower-cased."""
    emails = []
    for entry in _check_list(raw, field_name):
        try:
            email = validate_email(entry, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise ServiceError(_l("“%(entry)s” is not a valid e-mail address.", entry=entry),
                               field=field_name) from None
        if email not in emails:
            emails.append(email)
    return emails


def clean_rule(edit: RuleEdit, prefix: str) -> dict[str, Any]:
    """A rule's new values; `prefix` names its form fields ("rules-3")."""
    values: dict[str, Any] = {
        "title_fr": clean_line(edit.title_fr, f"{prefix}-title_fr", max_length=TITLE_MAX_LENGTH),
        "title_en": clean_line(edit.title_en, f"{prefix}-title_en", max_length=TITLE_MAX_LENGTH),
        "text_fr": clean_text(edit.text_fr, f"{prefix}-text_fr", max_length=TEXT_MAX_LENGTH),
        "text_en": clean_text(edit.text_en, f"{prefix}-text_en", max_length=TEXT_MAX_LENGTH),
        "enabled": bool(edit.enabled),
    }
    if edit.severity is not None:
        try:
            values["severity"] = Severity(edit.severity)
        except ValueError:
            raise ServiceError(_l("Choose coach, flag or block."),
                               field=f"{prefix}-severity") from None
    return values


def clean_settings(edit: CharterEdit) -> dict[str, Any]:
    return {
        "sms_allowlist": parse_words(edit.sms_allowlist, "sms_allowlist"),
        "school_domains": parse_domains(edit.school_domains),
        "allowed_emails": parse_emails(edit.allowed_emails),
        "school_address": clean_text(edit.school_address, "school_address",
                                     max_length=ADDRESS_MAX_LENGTH, required=False),
        "forbidden_words": parse_words(edit.forbidden_words, "forbidden_words"),
        "posting_windows": parse_windows(edit.posting_windows, "windows"),
    }
