"""Reports: a student tells their teacher about a post, a comment or a message they received.

Anyone who can see a post, a comment, or a message sent to them may report it once; the report
goes to the teachers of the author's class (or of the reporter's class, for a persona's or a
teacher's text), and the author never learns who reported it. The case it opens or reopens is
settled in `sandbox.moderation.actions`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.classes.models import class_teachers
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import clean_text
from sandbox.core.writes import commit_unless_duplicate
from sandbox.extensions import db
from sandbox.moderation import content
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import ContentKind, ModerationCase, Report, ReportReason
from sandbox.moderation.services import (
    can_moderate_author,
    case_of,
    reopen_if_approved,
    report_class_id,
)
from sandbox.notifications.services import notify

DETAILS_MAX_LENGTH = 500

REASON_LABELS = {
    ReportReason.PERSONAL_INFORMATION: _l("Personal information (phone, address, e-mail)"),
    ReportReason.INSULT: _l("Insult or mockery"),
    ReportReason.DISCRIMINATION: _l("Discriminating remark"),
    ReportReason.HARASSMENT: _l("Harassment or threat"),
    ReportReason.FALSE_INFORMATION: _l("False information about someone"),
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OTHER: _l("Something else"),
}

ALREADY_REPORTED = _l("You have already reported this.")


def reason_label(reason: str) -> str:
    try:
        return str(REASON_LABELS[ReportReason(reason)])
    except ValueError:
        return reason


def reportable(reporter: User, kind_value: str | None, content_id: int) -> tuple[ContentKind, Any]:
    """The content `reporter` may report: what they can see and did not write.

    Anything else they cannot see does not exist for them (404). A teacher of the author's class
    moderates it directly instead.
    """
    kind = content.parse_kind(kind_value)
    if kind is None or kind not in content.REPORTABLE:
        raise NotFound(_l("This content does not exist."))
    row = content.load(kind, content_id)
    if row is None or not content.can_report(reporter, kind, row):
        raise NotFound(_l("This content does not exist."))
    if content.author_id_of(kind, row) == reporter.id:
        raise PermissionDenied(_l("You cannot report your own text: edit or delete it."))
    author = db.session.get(User, content.author_id_of(kind, row))
    if author is not None and can_moderate_author(reporter, author):
        raise PermissionDenied(_l("You moderate your students' texts directly: hide it, or "
                                  "open the moderation queue."))
    return kind, row


def has_reported(reporter: User, kind: ContentKind, content_id: int) -> bool:
    query = (sa.select(Report.id).join(ModerationCase, ModerationCase.id == Report.case_id)
             .where(ModerationCase.content_kind == kind, ModerationCase.content_id == content_id,
                    Report.reporter_id == reporter.id))
    return db.session.scalar(query) is not None


def _checked_reason(value: str | None) -> ReportReason:
    try:
        return ReportReason(value or "")
    except ValueError:
        raise ServiceError(_l("Choose why you report this."), field="reason") from None


def report_content(reporter: User, kind_value: str | None, content_id: int,
                   reason: str | None, details: str | None = None) -> Report:
    """Report a post, a comment or a received message to the author's teachers (once)."""
    kind, row = reportable(reporter, kind_value, content_id)
    chosen = _checked_reason(reason)
    details = clean_text(details, "details", max_length=DETAILS_MAX_LENGTH, required=False)
    # Two tries: a classmate may open the same case at the same instant (the unique pair lets
    # one in); a double click of the reporter's ends as "already reported".
    for _attempt in range(2):
        if has_reported(reporter, kind, content_id):
            raise ServiceError(ALREADY_REPORTED, field="reason")
        try:
            report = _write_report(reporter, kind, row, chosen, details)
        except IntegrityError:  # when a query flushed the rows before the commit
            db.session.rollback()
        else:
            if commit_unless_duplicate():
                return report
        row = content.load(kind, content_id)
        if row is None or not content.can_report(reporter, kind, row):
            raise NotFound(_l("This content does not exist."))
    raise ServiceError(ALREADY_REPORTED, field="reason")


def _write_report(reporter: User, kind: ContentKind, row: Any, reason: ReportReason,
                  details: str) -> Report:
    author = db.session.get(User, content.author_id_of(kind, row))
    if author is None:  # an account deleted meanwhile takes its content with it
        raise NotFound(_l("This content does not exist."))
    case = case_of(kind, row.id)
    text = content.text_of(kind, row)
    if case is None:
        # The author's class, or none (a persona, a teacher): see `report_class_id`.
        case = ModerationCase(class_id=author.class_id, content_kind=kind, content_id=row.id,
                              author_id=author.id, excerpt=text, findings=[], report_count=1)
        db.session.add(case)
    else:
        case.report_count = ModerationCase.report_count + 1
        case.excerpt = text
        reopen_if_approved(case)
    case.updated_at = utcnow()
    db.session.flush()
    report = Report(case_id=case.id, reporter_id=reporter.id, reason=reason, details=details)
    db.session.add(report)
    told_class = report_class_id(case, reporter)
    record_audit(reporter, "report", kind=kind, content_id=row.id, author=author,
                 class_id=told_class, report_reason=reason.value)
    record_event(reporter, "content_reported", case, content_kind=kind.value,
                 content_id=row.id, reason=reason.value)
    for teacher_id in _teacher_ids(told_class):
        if teacher_id != reporter.id:
            notify(teacher_id, "content_reported", actor=reporter, subject=case,
                   case_id=case.id, content_kind=kind.value, reason=reason.value)
    return report


def _teacher_ids(class_id: int | None) -> list[int]:
    if class_id is None:
        return []
    query = sa.select(class_teachers.c.teacher_id).where(class_teachers.c.class_id == class_id)
    return sorted(db.session.scalars(query))
