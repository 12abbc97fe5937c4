"""The teacher's queue and one case's page: each case with its author, where it is, the excerpt
with the findings highlighted, the rules broken, the reports, the history, and what may be done.

A page runs a fixed number of queries whatever its size: the cases, then in one query each the
reports, the class rules, the history, and the contents (one per kind of content on the page).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.charter.display import Segment, category_label, highlight
from sandbox.charter.models import CharterRule
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound
from sandbox.extensions import db
from sandbox.moderation import content, services
from sandbox.moderation.reports import reason_label
from sandbox.moderation.models import (
    AuditEntry,
    CaseStatus,
    ContentKind,
    ModerationCase,
    Report,
)

PAGE_SIZE = 20
STATUS_FILTERS = ("open", "approved", "hidden", "deleted", "all")

STATUS_LABELS = {
    CaseStatus.OPEN: _l("To review"),
    CaseStatus.APPROVED: _l("Approved"),
    CaseStatus.HIDDEN: _l("Hidden"),
    CaseStatus.DELETED: _l("Deleted"),
}


def locale() -> str:
    return str(get_locale() or "fr")


# ---- one case as the teacher reads it -------------------------------------------------------


@dataclass(frozen=True)
class FindingView:
    label: str
    rule_title: str | None
    message: str
    fix: str | None
    words: str
    placed: bool  # highlighted in the excerpt (else: no longer in the text)


@dataclass
class CaseView:
    case: ModerationCase
    kind_label: str
    link: str | None
    segments: list[Segment]
    findings: list[FindingView]
    reports: list[Report]
    reasons: list[tuple[str, int]]
    history: list[AuditEntry]
    actions: set[str]
    rules: list[CharterRule]
    first_rule: str | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.case.status])


@dataclass
class QueuePage:
    cases: list[CaseView]
    status: str
    class_id: int | None
    classes: list[SchoolClass]
    page: int
    has_next: bool
    counts: dict[str, int] = field(default_factory=dict)


def with_names(query: Any, *paths: Any) -> Any:
    """Eager-load what `name_for` reads (the class and its teachers) for each path to a user."""
    for path in paths:
        query = query.options(
            joinedload(path).joinedload(User.school_class).selectinload(SchoolClass.teachers)
        )
    return query


def queue_page(teacher: User, status: str | None, class_id: int | None,
               page: int = 1) -> QueuePage:
    """The cases the teacher's classes read (`services.cases_of_classes`), open ones first,
    newest activity first."""
    services.require_moderator(teacher)
    classes = services.classes_taught(teacher)
    class_ids = chosen_classes(classes, class_id)
    status = status if status in STATUS_FILTERS else "open"
    page = max(1, min(page, 10_000))
    query = sa.select(ModerationCase).where(services.cases_of_classes(class_ids))
    if status != "all":
        query = query.where(ModerationCase.status == CaseStatus(status))
    query = with_names(query, ModerationCase.author).order_by(
        sa.case((ModerationCase.status == CaseStatus.OPEN, 0), else_=1),
        ModerationCase.updated_at.desc(), ModerationCase.id.desc(),
    ).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    cases = list(db.session.scalars(query).unique())
    counts = dict(db.session.execute(
        sa.select(ModerationCase.status, sa.func.count())
        .where(services.cases_of_classes(class_ids)).group_by(ModerationCase.status)
    ).all())
    return QueuePage(
        cases=case_views(teacher, cases[:PAGE_SIZE]), status=status, class_id=class_id,
        classes=classes, page=page, has_next=len(cases) > PAGE_SIZE,
        counts={str(CaseStatus(key).value): value for key, value in counts.items()},
    )


def chosen_classes(classes: list[SchoolClass], class_id: int | None) -> list[int]:
    """Every class taught, or the one asked for; a class not taught does not exist here."""
    ids = [klass.id for klass in classes]
    if class_id is None:
        return ids
    if class_id not in ids:
        raise NotFound(_l("This class does not exist."))
    return [class_id]


def case_page(teacher: User, case_id: int) -> CaseView:
    case = services.case_for(teacher, case_id)
    return case_views(teacher, [case])[0]


def case_views(teacher: User, cases: list[ModerationCase]) -> list[CaseView]:
    """Everything the template shows about these cases, in a fixed number of queries."""
    if not cases:
        return []
    ids = [case.id for case in cases]
    reports = db.session.scalars(with_names(
        sa.select(Report).where(Report.case_id.in_(ids), services.reports_seen_by(teacher)),
        Report.reporter,
    ).order_by(Report.created_at, Report.id)).unique().all()
    class_ids = {case.class_id for case in cases if case.class_id is not None}
    rules = db.session.scalars(
        sa.select(CharterRule).where(CharterRule.class_id.in_(class_ids))
        .order_by(CharterRule.position)
    ).all()
    history = db.session.scalars(with_names(
        sa.select(AuditEntry).where(
            AuditEntry.content_id.in_({case.content_id for case in cases}),
            AuditEntry.content_kind.in_({case.content_kind.value for case in cases}),
            # What the teacher's classes may read (a case without a class: their own part).
            AuditEntry.class_id.in_(services.taught_class_ids(teacher)),
        ), AuditEntry.actor
    ).order_by(AuditEntry.created_at, AuditEntry.id)).unique().all()
    rows = content.load_many((case.content_kind, case.content_id) for case in cases)
    return [_view(teacher, case, reports, rules, history, rows) for case in cases]


def _view(teacher: User, case: ModerationCase, reports: Any, rules: Any, history: Any,
          rows: dict[tuple[ContentKind, int], Any]) -> CaseView:
    row = rows.get((case.content_kind, case.content_id))
    findings = list(case.findings or [])
    segments, placed = highlight(case.excerpt or "", findings)
    class_rules = [rule for rule in rules if rule.class_id == case.class_id]
    titles = {rule.code: rule.title(locale()) for rule in class_rules}
    own_reports = [report for report in reports if report.case_id == case.id]
    reasons = Counter(reason_label(report.reason) for report in own_reports)
    return CaseView(
        case=case,
        kind_label=str(content.KIND_LABELS[case.content_kind]),
        link=content.teacher_link(case.content_kind, row),
        segments=segments,
        findings=[
            FindingView(label=category_label(str(f.get("category", ""))),
                        rule_title=titles.get(str(f.get("rule", ""))),
                        message=str(f.get("message") or ""), fix=f.get("fix") or None,
                        words=str(f.get("excerpt") or ""), placed=index in placed)
            for index, f in enumerate(findings)
        ],
        reports=own_reports,
        reasons=reasons.most_common(),
        history=[entry for entry in history if entry.content_kind == case.content_kind.value
                 and entry.content_id == case.content_id],
        actions=services.allowed_actions(teacher, case, row, case.author),
        rules=class_rules,
        first_rule=next((str(f.get("rule")) for f in findings if f.get("rule") in titles), None),
    )
