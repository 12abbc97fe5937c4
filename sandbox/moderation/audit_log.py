"""The audit log as the teachers read it: newest first, filtered, paged, and exported as CSV.

A teacher reads the entries of the classes they teach: moderation decisions, reports, the
charter's flags, and every time a student published despite the coach. The CSV opens in a
French spreadsheet as it is: UTF-8 with a byte order mark, ";" between cells, and no cell that
a spreadsheet would run as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime, to_user_timezone
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.spreadsheet import CsvDialect, csv_text
from sandbox.extensions import db
from sandbox.moderation import content, services
from sandbox.moderation.models import AuditEntry
from sandbox.moderation.queue import chosen_classes, with_names
from sandbox.personas import audit_text as played

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 50_000

ACTION_LABELS = {
    "flag": _l("Flagged by the charter"),
    "report": _l("Reported"),
    "override": _l("Published despite the coach"),
    "approve": _l("Approved"),
    "hide": _l("Hidden"),
    "restore": _l("Restored"),
    "delete": _l("Deleted"),
    "warn": _l("Warning"),
    "charter_edit": _l("Charter edited"),
    "rubric_edit": _l("Rubric edited"),
    "student_erased": _l("Student account erased"),
    **played.ACTION_LABELS,
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def kind_label(kind: str | None) -> str:
    parsed = content.parse_kind(kind)
    return str(content.KIND_LABELS[parsed]) if parsed is not None else ""


def subject_of(entry: AuditEntry) -> tuple[str, str]:
    """What an entry is about, and its number: a content and its id, or the charter's version."""
    if entry.action == "charter_edit":
        version = (entry.data or {}).get("version")
        return str(_l("Class charter (version)")), str(version) if version is not None else ""
    offer_id = (entry.data or {}).get("offer_id")
    if entry.content_kind is None and isinstance(offer_id, int):
        return str(_l("Job offer")), str(offer_id)
    number = str(entry.content_id) if entry.content_id is not None else ""
    return kind_label(entry.content_kind), number


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    classes: list[SchoolClass]
    class_names: dict[int, str]
    action: str | None
    class_id: int | None
    page: int
    has_next: bool
    # What was done while playing a persona, as a sentence, by entry id.
    sentences: dict[int, str]

    def message_of(self, entry: AuditEntry) -> str:
        """The "reason or message" cell: the reason given, else the played action's sentence."""
        return entry.reason or self.sentences.get(entry.id, "")


def _entries(teacher: User, action: str | None, class_id: int | None
             ) -> tuple[sa.Select, list[SchoolClass]]:
    services.require_moderator(teacher)
    classes = services.classes_taught(teacher)
    query = sa.select(AuditEntry).where(
        AuditEntry.class_id.in_(chosen_classes(classes, class_id))
    )
    if action:
        query = query.where(AuditEntry.action == action)
    query = with_names(query, AuditEntry.actor, AuditEntry.author)
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()), classes


def audit_page(teacher: User, action: str | None, class_id: int | None,
               page: int = 1) -> AuditPage:
    """One page of the log of the teacher's classes (or of one of them), newest first."""
    page = max(1, min(page, 10_000))
    query, classes = _entries(teacher, action, class_id)
    entries = list(db.session.scalars(
        query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).unique())
    entries, has_next = entries[:PAGE_SIZE], len(entries) > PAGE_SIZE
    return AuditPage(
        entries=entries, classes=classes,
        class_names={klass.id: klass.name for klass in classes}, action=action,
        class_id=class_id, page=page, has_next=has_next,
        sentences=played.played_sentences(entries, teacher),
    )


# ---- CSV ------------------------------------------------------------------------------------

def _local_time(moment: datetime) -> str:
    return format_datetime(to_user_timezone(moment), "yyyy-MM-dd HH:mm")


def audit_csv(teacher: User, action: str | None, class_id: int | None,
              dialect: CsvDialect = CsvDialect.FR) -> str:
    """The filtered log as CSV text (with its byte order mark), newest first."""
    query, classes = _entries(teacher, action, class_id)
    names = {klass.id: klass.name for klass in classes}
    header = [_l("Date"), _l("Class"), _l("Who"), _l("Action"), _l("Content"),
              _l("Content number"), _l("Author"), _l("Reason or message")]
    entries = list(db.session.scalars(query.limit(EXPORT_MAX_ROWS)).unique())
    sentences = played.played_sentences(entries, teacher)
    rows = (
        (
            _local_time(entry.created_at),
            names.get(entry.class_id or 0, ""),
            entry.actor.name_for(teacher) if entry.actor else "",
            action_label(entry.action),
            *subject_of(entry),
            entry.author.name_for(teacher) if entry.author else "",
            entry.reason or sentences.get(entry.id, ""),
        )
        for entry in entries
    )
    return csv_text(header, rows, dialect)


def export_filename(class_id: int | None, today: datetime) -> str:
    suffix = f"-class-{class_id}" if class_id is not None else ""
    return f"moderation-log{suffix}-{today:%Y-%m-%d}.csv"

