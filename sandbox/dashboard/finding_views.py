"""A student's charter findings as their teacher reviews them: what the charter found, where,
in which words (highlighted in their context), and what became of it.

A flagged finding's fate is its moderation case (approved, hidden, deleted, still to review);
the others say what the student did after the advice or the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.charter.display import Segment, category_label, highlight
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.dashboard.figures import Period, StudentFigures
from sandbox.dashboard.timeline import STATE_LABELS
from sandbox.extensions import db
from sandbox.moderation.content import KIND_LABELS, parse_kind
from sandbox.moderation.models import ModerationCase
from sandbox.moderation.queue import STATUS_LABELS

if TYPE_CHECKING:
    from sandbox.dashboard.student_subjects import Subjects

FINDINGS_SHOWN = 100  # the latest ones; the summary table counts them all

# In the order a teacher reads them: what went well, then what needs a word.
OUTCOMES = (
    FindingOutcome.FIXED, FindingOutcome.OVERRIDDEN, FindingOutcome.COACHED,
    FindingOutcome.BLOCKED, FindingOutcome.FLAGGED,
)
OUTCOME_LABELS = {
    FindingOutcome.FIXED: _l("Fixed"),
    FindingOutcome.OVERRIDDEN: _l("Published anyway"),
    FindingOutcome.COACHED: _l("Advice not followed yet"),
    FindingOutcome.BLOCKED: _l("Blocked"),
    FindingOutcome.FLAGGED: _l("Flagged"),
}
# The severity of the rule, told to the teacher (`charter.display` words it for the student).
SEVERITY_LABELS = {
    Severity.COACH: _l("advice before publishing"),
    Severity.FLAG: _l("published and flagged"),
    Severity.BLOCK: _l("blocked"),
}
WHERE_UNSENT = _l("not sent")


@dataclass(frozen=True)
class FindingLine:
    finding: CharterFinding
    category: str
    severity: str
    where: str
    link: str | None
    state: str | None  # "deleted" or "hidden" since
    segments: list[Segment]
    outcome: str
    case_status: str | None  # for a flagged finding: what the teacher decided
    case_link: str | None

    @property
    def state_label(self) -> str | None:
        return str(STATE_LABELS[self.state]) if self.state else None


@dataclass(frozen=True)
class SummaryRow:
    category: str
    counts: list[int]  # in the order of OUTCOMES
    total: int


@dataclass(frozen=True)
class FindingsView:
    lines: list[FindingLine]
    total: int  # in the period (the lines show the latest FINDINGS_SHOWN)
    rows: list[SummaryRow]
    totals: list[int]  # per outcome, in the order of OUTCOMES

    @property
    def outcome_labels(self) -> list[str]:
        return [str(OUTCOME_LABELS[outcome]) for outcome in OUTCOMES]


def load_findings(student: User, period: Period) -> tuple[
        list[CharterFinding], dict[tuple[str, int], ModerationCase]]:
    """The latest findings of the period, newest first, and the cases of the flagged ones
    (two queries)."""
    findings = list(db.session.scalars(
        sa.select(CharterFinding)
        .where(CharterFinding.user_id == student.id, *period.bound(CharterFinding.created_at))
        .order_by(CharterFinding.created_at.desc(), CharterFinding.id.desc())
        .limit(FINDINGS_SHOWN)
    ))
    flagged = {f.content_id for f in findings
               if f.outcome is FindingOutcome.FLAGGED and f.content_id is not None}
    cases = db.session.scalars(sa.select(ModerationCase).where(
        ModerationCase.author_id == student.id, ModerationCase.content_id.in_(flagged)))
    return findings, {(case.content_kind.value, case.content_id): case for case in cases}


def findings_view(viewer: User, findings: list[CharterFinding],
                  cases: dict[tuple[str, int], ModerationCase], figures: StudentFigures,
                  subjects: Subjects) -> FindingsView:
    """The lines of the latest findings, and the summary table of the whole period."""
    lines = [_line(viewer, finding, cases, subjects) for finding in findings]
    categories = sorted({category for category, _ in figures.findings},
                        key=lambda code: category_label(code).casefold())
    rows = []
    for category in categories:
        counts = [figures.findings[(category, outcome.value)] for outcome in OUTCOMES]
        rows.append(SummaryRow(category_label(category), counts, sum(counts)))
    totals = [sum(row.counts[index] for row in rows) for index in range(len(OUTCOMES))]
    return FindingsView(lines=lines, total=figures.findings_total, rows=rows, totals=totals)


def _line(viewer: User, finding: CharterFinding, cases: dict[tuple[str, int], ModerationCase],
          subjects: Subjects) -> FindingLine:
    kind = parse_kind(finding.content_kind)
    where = str(KIND_LABELS[kind]) if kind else finding.content_kind
    if finding.content_id is None:  # refused before it was ever saved
        link, state = None, None
        where = f"{where} ({WHERE_UNSENT})"
    else:
        link, state = subjects.content_link(finding.content_kind, finding.content_id)
    case = cases.get((finding.content_kind, finding.content_id or 0)) \
        if finding.outcome is FindingOutcome.FLAGGED else None
    return FindingLine(
        finding=finding,
        category=category_label(finding.category),
        severity=str(SEVERITY_LABELS.get(finding.severity, finding.severity)),
        where=where,
        link=link,
        state=state,
        segments=_segments(finding),
        outcome=str(OUTCOME_LABELS[finding.outcome]),
        case_status=str(STATUS_LABELS[case.status]) if case is not None else None,
        # Only teachers moderate: an admin reads the status without the case's page.
        case_link=url_for("moderation.case", case_id=case.id)
        if case is not None and viewer.is_teacher else None,
    )


def _segments(finding: CharterFinding) -> list[Segment]:
    """The context cut at the finding's words (kept only while they are still there)."""
    span: dict[str, Any] = {"start": finding.context_start, "end": finding.context_end,
                            "category": finding.category}
    if len(finding.excerpt) < 300:  # longer ones were cut when stored: not comparable
        span["excerpt"] = finding.excerpt
    segments, _ = highlight(finding.context or finding.excerpt, [span])
    return segments
