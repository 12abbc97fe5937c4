"""Exporting a whole class as one document (see `schema` for its shape).

The class's members are its teachers and its students. What links them to the outside (a persona,
another class's student, a company, a group of the whole school) is left out, exactly as if those
people and things had been deleted from the database: a row that cannot exist without them
(a connection, a like, a conversation) is not exported; a link that can be empty (the contact of
a journal line, the subject of an activity event) is emptied. `omitted` counts both, for the
person running the export, and an import followed by an export gives the same document.

The school's fictional world (companies, their seeded offers, the personas) is the same on every
server, loaded from the seed: the class's offers, applications, reviews and exercise teams refer
to it by slug or username, and the document lists what it refers to (`world`). The personas'
scheduled actions are not exported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.transfer import (
    export_content,
    export_jobs,
    export_network,
    export_people,
    export_records,
)
from sandbox.transfer.document import FORMAT, VERSION, Row, sort_rows
from sandbox.transfer.references import CLASS_KEY, ExportKeys, TransferError

# What `omitted` counts (the command prints one line for each that is not zero).
OMISSIONS = (
    "connections", "invitations", "follows", "conversations", "posts", "comments",
    "reactions", "memberships", "list_members", "recommendations", "endorsements",
    "introductions", "cases", "reports", "signatures", "grades", "offers_elsewhere",
    "team_members", "links", "pictures",
)


@dataclass
class ExportContext:
    klass: SchoolClass
    members: dict[int, User]
    teacher_ids: set[int]
    uploads: Path
    keys: ExportKeys = field(default_factory=ExportKeys)
    omitted: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)

    @property
    def member_ids(self) -> list[int]:
        return sorted(self.members)

    def keyed(self, rows: Iterable[Row], type_name: str, prefix: str,
              *fields: str) -> list[Row]:
        """Records sorted by `fields` then content, each given the key "<prefix>-<n>" (numbered
        across every call with the same prefix) and registered under `type_name`."""
        ordered = sort_rows(rows, *fields)
        for record, row_id in ordered:
            self.numbers[prefix] += 1
            record["key"] = self.keys.add(type_name, row_id, f"{prefix}-{self.numbers[prefix]}")
        return ordered

    def is_member(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.members

    def all_members(self, *user_ids: int | None) -> bool:
        return all(self.is_member(user_id) for user_id in user_ids)

    def username(self, user_id: int) -> str:
        return self.members[user_id].username

    def person(self, user_id: int | None) -> str | None:
        """A member's username; None for nobody, or for someone outside (counted)."""
        if user_id is None:
            return None
        if user_id not in self.members:
            self.omitted["links"] += 1
            return None
        return self.members[user_id].username

    def link(self, type_name: str | None, row_id: int | None) -> str | None:
        """The key of a row the document holds; None (counted when there was a row) otherwise."""
        key = self.keys.key(type_name, row_id)
        if key is None and type_name is not None and row_id is not None:
            self.omitted["links"] += 1
        return key

    def data(self, data: dict[str, Any] | None) -> dict[str, Any]:
        translated, lost = self.keys.data(data or {})
        self.omitted["links"] += lost
        return translated

    def picture(self, relative_path: str | None) -> bytes | None:
        """The stored bytes of a picture; None (counted) when the file is missing."""
        if not relative_path:
            return None
        file = self.uploads / relative_path
        try:
            return file.read_bytes()
        except OSError:
            self.omitted["pictures"] += 1
            return None


@dataclass(frozen=True)
class Export:
    document: dict[str, Any]
    omitted: Counter[str]
    klass: SchoolClass


def find_class(code: str) -> SchoolClass:
    """The class with this join code (as typed, in any case)."""
    klass = db.session.scalar(
        sa.select(SchoolClass).where(sa.func.upper(SchoolClass.join_code) == code.strip().upper())
    )
    if klass is None:
        raise TransferError(_("No class has the join code %(code)s.", code=code))
    return klass


def _context(klass: SchoolClass) -> ExportContext:
    teachers = [teacher for teacher in klass.teachers if teacher.role is Role.TEACHER]
    students = db.session.scalars(
        sa.select(User).where(User.class_id == klass.id, User.role == Role.STUDENT)
    ).all()
    members = {user.id: user for user in [*teachers, *students]}
    context = ExportContext(
        klass=klass, members=members, teacher_ids={teacher.id for teacher in teachers},
        uploads=uploads_dir(Path(current_app.instance_path)),
    )
    context.keys.add("SchoolClass", klass.id, CLASS_KEY)
    for user in members.values():
        context.keys.add("User", user.id, user.username)
    export_jobs.load_world(context)
    return context


def export_class(klass: SchoolClass) -> Export:
    """Everything of the class as one document, and what was left out of it.

    Read-only. Sections come in the order their keys are needed: the records (findings,
    moderation, events) refer to everything else.
    """
    context = _context(klass)
    people = export_people.people_part(context)
    groups = export_content.groups_part(context)
    contact_lists = export_network.contact_lists_part(context)
    posts = export_content.posts_part(context)
    comments = export_content.comments_part(context)
    network = export_network.network_part(context, contact_lists)
    conversations = export_network.conversations_part(context)
    offers = export_jobs.offers_part(context)
    applications = export_jobs.applications_part(context)
    saved_offers = export_jobs.saved_offers_part(context)
    reviews = export_jobs.reviews_part(context)
    exercises = export_jobs.exercises_part(context)
    moderation = export_records.moderation_part(context)
    findings = export_records.findings_part(context)
    events = export_records.events_part(context)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "class": export_people.class_part(context),
        "charter": export_people.charter_part(context),
        "rubric": export_people.rubric_part(context),
        "people": people,
        "groups": groups,
        "posts": posts,
        "comments": comments,
        "network": network,
        "conversations": conversations,
        "findings": findings,
        "moderation": moderation,
        "events": events,
        "offers": offers,
        "applications": applications,
        "saved_offers": saved_offers,
        "reviews": reviews,
        "exercises": exercises,
        # Last: every other part has noted what it refers to.
        "world": export_jobs.world_part(context),
    }
    return Export(document=document, omitted=context.omitted, klass=klass)
