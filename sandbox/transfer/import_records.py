"""Writing the records: moderation cases and reports, audit entries, findings, events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, ModerationCase, Report
from sandbox.transfer.references import CONTENT_TYPES

if TYPE_CHECKING:
    from sandbox.transfer.importer import ImportContext

# Events are many (a semester: tens of thousands); they are written in batches of this size.
EVENT_BATCH = 5000


def write_records(context: ImportContext) -> None:
    _write_cases(context)
    _write_audit_and_findings(context)
    _write_events(context)


def _write_cases(context: ImportContext) -> None:
    parts = context.document.moderation.cases
    cases = []
    for part in parts:
        content_id = context.ids.id(CONTENT_TYPES[part.content_kind.value], part.content)
        cases.append(ModerationCase(
            class_id=context.class_id, content_kind=part.content_kind, content_id=content_id,
            author_id=context.user(part.author), excerpt=part.excerpt,
            findings=list(part.findings), flagged=part.flagged,
            report_count=part.report_count, status=part.status, created_at=part.created_at,
            updated_at=part.updated_at, resolved_by_id=context.person(part.resolved_by),
            resolved_at=part.resolved_at,
        ))
    db.session.add_all(cases)
    db.session.flush()
    for part, case in zip(parts, cases, strict=True):
        context.ids.add("ModerationCase", part.key, case.id)
        db.session.add_all(Report(case_id=case.id, reporter_id=context.user(report.reporter),
                                  reason=report.reason, details=report.details,
                                  created_at=report.created_at)
                           for report in part.reports)
    context.counts["cases"] += len(cases)


def _write_audit_and_findings(context: ImportContext) -> None:
    ids = context.ids
    db.session.add_all(AuditEntry(
        class_id=context.class_id, actor_id=context.person(part.actor), action=part.action,
        content_kind=part.content_kind.value if part.content_kind is not None else None,
        content_id=ids.content(part.content_kind, part.content),
        author_id=context.person(part.author), reason=part.reason, data=ids.data(part.data),
        created_at=part.created_at,
    ) for part in context.document.moderation.audit)
    db.session.add_all(CharterFinding(
        user_id=context.person(part.user), class_id=context.class_id,
        content_kind=part.content_kind.value,
        content_id=ids.content(part.content_kind, part.content), field=part.field,
        category=part.category.value, rule=part.rule, severity=part.severity, outcome=part.outcome,
        excerpt=part.excerpt, context=part.context, context_start=part.context_start,
        context_end=part.context_end, created_at=part.created_at,
        resolved_at=part.resolved_at,
    ) for part in context.document.findings)
    context.counts["findings"] += len(context.document.findings)


def _write_events(context: ImportContext) -> None:
    ids, parts = context.ids, context.document.events
    for start in range(0, len(parts), EVENT_BATCH):
        db.session.add_all(ActivityEvent(
            user_id=context.person(part.user),
            class_id=context.class_id if part.in_class else None,
            kind=part.kind, subject_type=part.subject_type,
            subject_id=ids.optional(part.subject_type, part.subject),
            data=ids.data(part.data), created_at=part.created_at,
        ) for part in parts[start:start + EVENT_BATCH])
        db.session.flush()
    context.counts["events"] += len(parts)
