"""Blank an erased student's name and @handle where other people wrote them.

What others wrote stays theirs, but a classmate's "Bravo @lea.k !" or a teacher's reason naming
the student would keep the person after the erasure. Their @handles and their full name (and
pseudonym) are replaced by as many "•" as they had characters: the length of each text stays the
same, so the spans that charter findings and moderation cases keep on those texts stay right.
A name or handle that someone else who stays also bears is left alone (it may be theirs).

Names are matched whatever their case and accents' encoding (composed or not), with any spaces
between words and either apostrophe. The database only finds candidates, by a part of each name
that every engine compares without case ("tienne" for "Élodie Étienne": SQLite's lower() knows
ASCII only, and JSON columns store "É" as "\\u00c9"); Python then matches exactly.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from sandbox.accounts.models import User, handle_from_name
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.companies.models import JobOffer
from sandbox.exercises.models import Exercise, ExercisePhase, ExerciseTeam
from sandbox.extensions import db
from sandbox.grading.models import Grade
from sandbox.groups.models import Group
from sandbox.jobs.models import Application
from sandbox.messages.models import Message
from sandbox.moderation.models import AuditEntry, ModerationCase, Report
from sandbox.network.models import (
    ContactList,
    Introduction,
    Invitation,
    NetworkOutcome,
    Recommendation,
)
from sandbox.notifications.models import Notification
from sandbox.personas.models import ScheduledAction
from sandbox.posts.models import Comment, Post
from sandbox.posts.text import tokens
from sandbox.privacy import derived
from sandbox.profiles.models import Education, Experience, Profile, ProfileLink, ProfileSkill
from sandbox.reviews.models import CompanyReview

BLANK = "•"
MIN_HANDLE = 3  # shorter handles are never links (see posts.text.tokens)
MIN_NAME = 4  # shorter names would blank common words
MIN_FRAGMENT = 3  # a shorter ASCII part of a name would find too many candidates

# The texts people write, where a student may be named (JSON columns: in their string values,
# such as the excerpts of the findings an override or a flag recorded).
TEXTS: dict[type, tuple[str, ...]] = {
    Post: ("body",),
    Comment: ("body",),
    Message: ("body",),
    Invitation: ("message",),
    Recommendation: ("text",),
    Introduction: ("note",),
    NetworkOutcome: ("note",),
    ContactList: ("name",),
    Group: ("name", "description"),
    Profile: ("headline", "about"),
    Experience: ("role", "organisation", "description"),
    Education: ("school", "diploma"),
    ProfileSkill: ("name",),
    ProfileLink: ("label",),
    CharterFinding: ("excerpt", "context"),
    ModerationCase: ("excerpt", "findings"),
    Report: ("details",),
    AuditEntry: ("reason", "data"),
    Grade: ("comment",),
    # A classmate's cover letter or review may name them; so may an offer written in class (by
    # a teacher or a recruiter student), an exercise, a team, or what a persona plans to say.
    Application: ("cover_letter",),
    CompanyReview: ("liked", "advice"),
    JobOffer: ("title", "description"),
    Exercise: ("title",),
    ExercisePhase: ("name",),
    ExerciseTeam: ("name",),
    ScheduledAction: ("payload", "last_error"),
    # Other people's events and notifications may quote a list's, a group's or a skill's name.
    ActivityEvent: ("data",),
    Notification: ("data",),
}

_APOSTROPHES = "'’ʼ"
_FRAGMENT = re.compile(r"[A-Za-z0-9@._-]+")  # never escaped in JSON, folded by every LIKE


def _tidy(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).lower()


def _char_pattern(char: str) -> str:
    if char in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    decomposed = unicodedata.normalize("NFD", char)
    if decomposed == char:
        return re.escape(char)
    return f"(?:{re.escape(char)}|{re.escape(decomposed)})"


def name_pattern(name: str) -> re.Pattern[str]:
    """`name` as a whole word in a text, whatever its case, accents' encoding and spaces."""
    words = r"\s+".join("".join(map(_char_pattern, word)) for word in name.split())
    # A combining accent after the last letter belongs to the word: "Lea" is not "Leá".
    return re.compile(rf"(?<!\w){words}(?![\w\u0300-\u036f])", re.IGNORECASE)


def search_terms(pattern: str) -> set[str]:
    """Strings one of which any stored text naming `pattern` holds (compared without case).

    The longest ASCII part of the name when there is one long enough; otherwise the name in its
    usual cases, composed and decomposed, and as JSON writes each.
    """
    fragment = max(_FRAGMENT.findall(pattern), key=len, default="")
    if len(fragment) >= MIN_FRAGMENT:
        return {fragment}
    forms = {pattern, pattern.lower(), pattern.upper(), pattern.title(), pattern.capitalize()}
    forms |= {unicodedata.normalize("NFD", form) for form in forms}
    return forms | {json.dumps(form)[1:-1] for form in forms}


@dataclass(frozen=True)
class Traces:
    """What names the student in a text: lowercased @handles (without "@") and names."""

    handles: frozenset[str]
    names: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.handles or self.names)

    def patterns(self) -> list[str]:
        return sorted({f"@{handle}" for handle in self.handles} | set(self.names))

    @cached_property
    def name_patterns(self) -> list[re.Pattern[str]]:
        return [name_pattern(name) for name in sorted(self.names)]


def _handles(first: str, last: str, pseudonym: str | None) -> set[str]:
    names = [f"{first} {last}"] + ([pseudonym] if pseudonym else [])
    return {handle for handle in map(handle_from_name, names) if len(handle) >= MIN_HANDLE}


def _names(first: str, last: str, pseudonym: str | None) -> set[str]:
    names = {_tidy(f"{first} {last}")} | ({_tidy(pseudonym)} if pseudonym else set())
    return {name for name in names if len(name) >= MIN_NAME}


def traces_of(student: User) -> Traces:
    """The student's handles and names, minus those someone else also bears (one query)."""
    handles = _handles(student.first_name, student.last_name, student.pseudonym)
    handles.add(student.mention_handle)
    names = _names(student.first_name, student.last_name, student.pseudonym)
    others = db.session.execute(
        sa.select(User.first_name, User.last_name, User.pseudonym).where(User.id != student.id)
    )
    for first, last, pseudonym in others:
        handles -= _handles(first, last, pseudonym)
        names -= _names(first, last, pseudonym)
    return Traces(frozenset(h for h in handles if len(h) >= MIN_HANDLE), frozenset(names))


def blank(text: str, traces: Traces) -> str:
    """`text` with the student's @handles and names blanked, as long as it was."""
    if not text:
        return text
    chars = list(text)
    for token in tokens(text):
        if token.kind == "user" and token.value in traces.handles:
            chars[token.start + 1:token.end] = BLANK * (token.end - token.start - 1)
    for pattern in traces.name_patterns:
        for match in pattern.finditer(text):
            chars[match.start():match.end()] = BLANK * (match.end() - match.start())
    return "".join(chars)


def blank_json(value: Any, traces: Traces) -> Any:
    """A JSON value with the traces blanked in every string it holds (keys stay)."""
    if isinstance(value, str):
        return blank(value, traces)
    if isinstance(value, list):
        return [blank_json(item, traces) for item in value]
    if isinstance(value, dict):
        return {key: blank_json(item, traces) for key, item in value.items()}
    return value


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _is_json(model: type, column: str) -> bool:
    return isinstance(model.__table__.c[column].type, sa.JSON)  # type: ignore[attr-defined]


def _candidates(model: type, columns: tuple[str, ...], likes: list[str]) -> sa.Select:
    conditions = []
    for name in columns:
        column: Any = getattr(model, name)
        if _is_json(model, name):
            column = sa.cast(column, sa.Text)
        conditions += [column.ilike(like, escape="\\") for like in likes]
    query = sa.select(model).where(sa.or_(*conditions))
    return query.execution_options(populate_existing=True)


def _blank_row(row: Any, columns: tuple[str, ...], traces: Traces) -> bool:
    """Blank the row's columns; whether any changed (an unchanged one is not even set)."""
    changed = False
    for column in columns:
        before = getattr(row, column)
        after = blank_json(before, traces) if _is_json(type(row), column) \
            else blank(before, traces)
        if after != before:
            setattr(row, column, after)
            changed = True
    return changed


def blank_everywhere(traces: Traces) -> int:
    """Blank the traces in every free text that holds one; the number of rows changed.

    Each table is searched once (see the module's docstring), then the candidates are rewritten,
    and what was computed from those texts follows (`derived`).
    """
    if not traces:
        return 0
    likes = sorted({_like(term) for pattern in traces.patterns()
                    for term in search_terms(pattern)})
    changed: dict[type, list[Any]] = defaultdict(list)
    # Nothing is written before the contact lists' names are unique again.
    with db.session.no_autoflush:
        for model, columns in TEXTS.items():
            for row in db.session.scalars(_candidates(model, columns, likes)):
                if _blank_row(row, columns, traces):
                    changed[model].append(row)
        derived.unique_list_names(changed[ContactList])
        derived.unique_team_names(changed[ExerciseTeam])
    db.session.flush()
    derived.new_group_slugs(traces.names)
    derived.new_offer_slugs(traces.names)
    derived.refresh_search_texts({profile.user_id for profile in changed[Profile]}
                                 | {skill.profile_id for skill in changed[ProfileSkill]})
    db.session.flush()
    return sum(len(rows) for rows in changed.values())
