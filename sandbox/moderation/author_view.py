"""What authors learn about their own texts: their teachers' warnings and removals.

A warning shows the rule explained (its title and text in the reader's language) and the
teacher's message. A removal says which text was hidden or deleted, never why in the teacher's
own words (the reason field is for the audit log, and may name who reported it). Nobody ever
reads here anything about another person's texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.charter.models import CharterRule
from sandbox.extensions import db
from sandbox.moderation import content
from sandbox.moderation.models import AuditEntry, ModerationCase
from sandbox.charter.display import Segment, highlight
from sandbox.moderation.queue import locale

SHOWN = 100
ACTIONS = ("warn", "hide", "delete")


@dataclass
class Notice:
    entry: AuditEntry
    kind_label: str
    rule: CharterRule | None
    segments: list[Segment]

    @property
    def message(self) -> str:
        """The teacher's words: for a warning only (a removal's reason stays in the log)."""
        return self.entry.reason if self.entry.action == "warn" else ""


def notices_for(author: User) -> list[Notice]:
    """The author's warnings and removals, newest first (three queries)."""
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.author_id == author.id, AuditEntry.action.in_(ACTIONS))
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(SHOWN)
    ).all()
    case_ids = {entry.data.get("case_id") for entry in entries if entry.data}
    cases = {case.id: case for case in db.session.scalars(
        sa.select(ModerationCase).where(ModerationCase.id.in_(case_ids - {None}),
                                        ModerationCase.author_id == author.id)
    )} if case_ids - {None} else {}
    codes = {(entry.class_id, (entry.data or {}).get("rule")) for entry in entries}
    wanted = {code for _, code in codes if code}
    rules = {(rule.class_id, rule.code): rule for rule in db.session.scalars(
        sa.select(CharterRule).where(
            CharterRule.class_id.in_({class_id for class_id, _ in codes if class_id}),
            CharterRule.code.in_(wanted),
        )
    )} if wanted else {}
    notices = []
    for entry in entries:
        case = cases.get((entry.data or {}).get("case_id"))
        segments = highlight(case.excerpt, case.findings or [])[0] if case else []
        kind = content.parse_kind(entry.content_kind)
        notices.append(Notice(
            entry=entry,
            kind_label=str(content.KIND_LABELS[kind]) if kind else "",
            rule=rules.get((entry.class_id, (entry.data or {}).get("rule"))),
            segments=segments,
        ))
    return notices


def rule_title(rule: CharterRule) -> str:
    return rule.title(locale())


def rule_text(rule: CharterRule) -> str:
    return rule.text(locale())
