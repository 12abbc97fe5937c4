"""The class's records: moderation cases and reports, the audit log, the charter's findings and
the activity events. They refer to everything else, so they are exported last."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, ModerationCase, Report
from sandbox.transfer.document import Row, in_order, stamp
from sandbox.transfer.references import CONTENT_TYPES, gone_key

if TYPE_CHECKING:
    from sandbox.transfer.exporter import ExportContext


def moderation_part(context: ExportContext) -> dict[str, Any]:
    cases = _cases(context)
    return {"cases": cases, "audit": _audit(context)}


def _cases(context: ExportContext) -> list[dict[str, Any]]:
    """The cases of the class; a case about a text the document does not hold keeps a "gone-N"
    key for it, which the findings and audit entries about that text then share."""
    cases = []
    for case in db.session.scalars(sa.select(ModerationCase).where(
            ModerationCase.class_id == context.klass.id)):
        if context.is_member(case.author_id):
            cases.append(case)
        else:
            context.omitted["cases"] += 1
    reports: dict[int, list[Row]] = defaultdict(list)
    for report in db.session.scalars(sa.select(Report).where(
            Report.case_id.in_([case.id for case in cases]))):
        if not context.is_member(report.reporter_id):
            context.omitted["reports"] += 1
            continue
        reports[report.case_id].append(({
            "reporter": context.username(report.reporter_id), "reason": report.reason.value,
            "details": report.details, "created_at": stamp(report.created_at),
        }, report.id))
    rows = [({
        "content_kind": case.content_kind.value,
        "author": context.username(case.author_id),
        "excerpt": case.excerpt,
        "findings": list(case.findings or []),
        "flagged": case.flagged,
        "report_count": case.report_count,
        "status": case.status.value,
        "created_at": stamp(case.created_at),
        "updated_at": stamp(case.updated_at),
        "resolved_by": context.person(case.resolved_by_id),
        "resolved_at": stamp(case.resolved_at),
        "reports": in_order(reports[case.id], "created_at", "reporter"),
    }, case.id) for case in cases]
    by_id = {case.id: case for case in cases}
    ordered = context.keyed(rows, "ModerationCase", "case", "created_at", "author")
    gone = 0
    for record, case_id in ordered:
        case = by_id[case_id]
        content = context.keys.content(case.content_kind.value, case.content_id)
        if content is None:
            gone += 1
            content = context.keys.add(CONTENT_TYPES[case.content_kind.value], case.content_id,
                                       gone_key(gone))
        record["content"] = content
    return [record for record, _id in ordered]


def _content(context: ExportContext, kind: str | None, content_id: int | None) -> str | None:
    return context.link(CONTENT_TYPES.get(kind or ""), content_id)


def _audit(context: ExportContext) -> list[dict[str, Any]]:
    rows = [({
        "actor": context.person(entry.actor_id),
        "action": entry.action,
        "content_kind": entry.content_kind,
        "content": _content(context, entry.content_kind, entry.content_id),
        "author": context.person(entry.author_id),
        "reason": entry.reason,
        "data": context.data(entry.data),
        "created_at": stamp(entry.created_at),
    }, entry.id) for entry in db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.class_id == context.klass.id))]
    return in_order(rows, "created_at", "action")


def findings_part(context: ExportContext) -> list[dict[str, Any]]:
    rows = [({
        "user": context.person(finding.user_id),
        "content_kind": finding.content_kind,
        "content": _content(context, finding.content_kind, finding.content_id),
        "field": finding.field,
        "category": finding.category,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "outcome": finding.outcome.value,
        "excerpt": finding.excerpt,
        "context": finding.context,
        "context_start": finding.context_start,
        "context_end": finding.context_end,
        "created_at": stamp(finding.created_at),
        "resolved_at": stamp(finding.resolved_at),
    }, finding.id) for finding in db.session.scalars(sa.select(CharterFinding).where(
        CharterFinding.class_id == context.klass.id))]
    return in_order(rows, "created_at", "user")


def events_part(context: ExportContext) -> list[dict[str, Any]]:
    """The class's events, and its teachers' events about something the document holds
    (teachers belong to no class: their events carry none)."""
    teacher_ids = sorted(context.teacher_ids)
    query = sa.select(ActivityEvent).where(sa.or_(
        ActivityEvent.class_id == context.klass.id,
        sa.and_(ActivityEvent.class_id.is_(None), ActivityEvent.user_id.in_(teacher_ids)),
    ))
    rows = []
    for event in db.session.scalars(query.execution_options(yield_per=2000)):
        in_class = event.class_id is not None
        # A teacher's event about the world (following a company) is not about the class.
        subject = context.keys.key(event.subject_type, event.subject_id, world=in_class)
        if not in_class and subject is None:
            continue  # a teacher's event about something else (another class, a login)
        if subject is None and event.subject_id is not None:
            context.omitted["links"] += 1
        rows.append(({
            "user": context.person(event.user_id),
            "in_class": in_class,
            "kind": event.kind,
            "subject_type": event.subject_type,
            "subject": subject,
            "data": context.data(event.data),
            "created_at": stamp(event.created_at),
        }, event.id))
    return in_order(rows, "created_at", "user", "kind")
