"""Moderation rules: the charter flags content, students report it, teachers settle each case.

One case per piece of content (`ModerationCase`). Who does what:

- the charter engine flags a text when it is saved (`flag_content`, called by the gate);
- anyone who can see a post, a comment, or a message sent to them may report it once
  (`sandbox.moderation.reports`); the teachers of the author's class are told, the author
  never learns who;
- a teacher of the author's class approves, hides, restores, deletes, or warns the author.
  Each decision is an audit entry and an activity event, committed together.

Decisions taken here:

- a new report, or a new flag of edited content, reopens an *approved* case (new information
  for the teacher); a hidden or deleted case keeps the teacher's decision;
- a case is read by the teachers of the author's class. Content by someone without a class (a
  persona, a teacher) has a case without a class: each report on it belongs to its reporter's
  class, whose teachers are told, read that case and only their own students' reports (one
  class's reporters stay unknown to another class's teachers). They may only approve it: a
  teacher hides, restores or deletes nothing but the texts of their own students;
- school admins do not moderate: they run the server, teachers judge their students' texts;
- hiding or deleting also drops the notifications that point to that post or comment, since
  they would lead to a page that no longer exists.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.charter.engine import Finding
from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.core.errors import NotFound, PermissionDenied
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.moderation import content
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import (
    CaseStatus,
    ContentKind,
    ModerationCase,
    Report,
)

REASON_MAX_LENGTH = 1000
ACTIONS = ("approve", "hide", "restore", "delete", "warn")

# ---- who moderates what ---------------------------------------------------------------------


def taught_class_ids(teacher: User) -> sa.Select:
    """The classes `teacher` teaches, as a subquery."""
    return sa.select(class_teachers.c.class_id).where(class_teachers.c.teacher_id == teacher.id)


def require_moderator(user: User) -> None:
    """Only teachers moderate (admins run the server; students report)."""
    if not user.is_teacher:
        raise PermissionDenied(_l("Only the teachers of a class moderate its content."))


def can_moderate_author(teacher: User, author: User) -> bool:
    """For a card's "Hide" button: does `teacher` teach this student? Uses what names load."""
    klass = author.school_class
    return (teacher.is_teacher and author.is_student and klass is not None
            and teacher in klass.teachers)


def _reported_by_students_of(class_ids: Any) -> sa.Select:
    """The cases that students of `class_ids` (a list or a subquery) reported."""
    return (sa.select(Report.case_id).join(User, User.id == Report.reporter_id)
            .where(User.class_id.in_(class_ids)))


def cases_of_classes(class_ids: Any) -> sa.ColumnElement[bool]:
    """WHERE clause: the cases the teachers of `class_ids` read, their students' texts and the
    texts by someone without a class (case without a class) that one of their students reported.
    """
    return sa.or_(
        ModerationCase.class_id.in_(class_ids),
        sa.and_(ModerationCase.class_id.is_(None),
                ModerationCase.id.in_(_reported_by_students_of(class_ids))),
    )


def reports_seen_by(teacher: User) -> sa.ColumnElement[bool]:
    """WHERE clause on the reports of cases the teacher reads: on a case without a class, only
    the reports of the teacher's own students."""
    return sa.or_(
        Report.case_id.in_(sa.select(ModerationCase.id)
                           .where(ModerationCase.class_id.is_not(None))),
        Report.reporter_id.in_(sa.select(User.id)
                               .where(User.class_id.in_(taught_class_ids(teacher)))),
    )


def case_for(teacher: User, case_id: int) -> ModerationCase:
    """A case the teacher reads; any other case does not exist for them."""
    require_moderator(teacher)
    found = db.session.scalar(sa.select(ModerationCase).where(
        ModerationCase.id == case_id, cases_of_classes(taught_class_ids(teacher))
    )) if 0 < case_id <= content.MAX_ID else None
    if found is None:
        raise NotFound(_l("This case does not exist."))
    return found


def report_class_id(case: ModerationCase, reporter: User) -> int | None:
    """The class whose teachers read a report: the case's, else (no class) the reporter's."""
    return case.class_id if case.class_id is not None else reporter.class_id


def audit_class_ids(teacher: User, case: ModerationCase) -> list[int | None]:
    """The classes a teacher's decision on a case is logged for (whose teachers read it)."""
    if case.class_id is not None:
        return [case.class_id]
    query = (sa.select(User.class_id).distinct().join(Report, Report.reporter_id == User.id)
             .where(Report.case_id == case.id, User.class_id.in_(taught_class_ids(teacher)))
             .order_by(User.class_id))
    return list(db.session.scalars(query)) or [None]


def allowed_actions(teacher: User, case: ModerationCase, row: Any | None,
                    author: User | None) -> set[str]:
    """What a teacher may do with a case now (the forms shown and the rules enforced agree).

    Hiding, restoring and deleting are for the texts of the teacher's own students; a persona's
    or a teacher's text is only approved.
    """
    actions: set[str] = set()
    if case.status is CaseStatus.OPEN:
        actions.add("approve")
    exists = row is not None and getattr(row, "deleted_at", None) is None
    mine = author is not None and can_moderate_author(teacher, author)
    if case.content_kind in content.REMOVABLE and exists and mine:
        if case.status in (CaseStatus.OPEN, CaseStatus.APPROVED):
            actions.update({"hide", "delete"})
        elif case.status is CaseStatus.HIDDEN:
            actions.update({"restore", "delete"})
    if author is not None and author.is_student:
        actions.add("warn")
    return actions


# ---- flags and reports ----------------------------------------------------------------------


def case_of(kind: ContentKind, content_id: int) -> ModerationCase | None:
    return db.session.scalar(sa.select(ModerationCase).where(
        ModerationCase.content_kind == kind, ModerationCase.content_id == content_id
    ))


def reopen_if_approved(case: ModerationCase) -> None:
    if case.status is CaseStatus.APPROVED:
        case.status = CaseStatus.OPEN
        case.resolved_by_id = None
        case.resolved_at = None


def flag_content(author: User, kind: ContentKind, content_id: int, text: str,
                 findings: list[Finding]) -> ModerationCase:
    """Queue a text the charter flags for the author's teachers; no commit (the caller's save).

    The same content flagged again (edited) updates its case; an approved case reopens.
    """
    data = [finding.as_json() for finding in findings]
    case = case_of(kind, content_id)
    if case is None:
        case = ModerationCase(class_id=author.class_id, content_kind=kind, content_id=content_id,
                              author_id=author.id, excerpt=text, findings=data, flagged=True)
        db.session.add(case)
    else:
        case.excerpt, case.findings, case.flagged = text, data, True
        case.updated_at = utcnow()
        reopen_if_approved(case)
    record_audit(author, "flag", kind=kind, content_id=content_id, author=author,
                 class_id=case.class_id,
                 categories=sorted({finding["category"] for finding in data}))
    return case


def open_count(teacher: User) -> int:
    """Open cases the teacher reads (the menu's badge; one query)."""
    if not teacher.is_teacher:
        return 0
    query = sa.select(sa.func.count()).select_from(ModerationCase).where(
        cases_of_classes(taught_class_ids(teacher)),
        ModerationCase.status == CaseStatus.OPEN,
    )
    return db.session.scalar(query) or 0


def classes_taught(teacher: User) -> list[SchoolClass]:
    """The teacher's classes, by name (the queue's and the audit log's class filter)."""
    query = (sa.select(SchoolClass).where(SchoolClass.id.in_(taught_class_ids(teacher)))
             .order_by(SchoolClass.name, SchoolClass.id))
    return list(db.session.scalars(query))
