"""The class overview: one row per student, sorted and filtered, and its totals.

The figures come from `figures.class_figures`, so the table, its CSV, the charts and the grade
read the same numbers. Everything here works on plain arguments (no request): the views parse
the query string with `OverviewFilters.from_args` and `periods.period_from_args`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.text import fold
from sandbox.dashboard.figures import (
    StudentFigures,
    TableFigures,
    class_figures,
    class_students,
)
from sandbox.dashboard.periods import ChosenPeriod

INACTIVE_AFTER = timedelta(days=7)
QUERY_MAX_LENGTH = 100


# ---- rows and totals ------------------------------------------------------------------------


@dataclass(kw_only=True)
class Totals(TableFigures):
    """The sums of the rows shown (profile completeness: their average)."""

    students: int = 0


SUMMED = ("connections_students", "connections_professionals", "invitations_sent",
          "invitations_personal", "invitations_accepted", "posts", "comments", "shares",
          "groups", "applications")


def totals_of(figures: list[StudentFigures]) -> Totals:
    """The totals row: sums, the average completeness, the latest activity."""
    totals = Totals(students=len(figures))
    for entry in figures:
        for name in SUMMED:
            setattr(totals, name, getattr(totals, name) + getattr(entry, name))
        totals.outcomes.update(entry.outcomes)
        totals.findings.update(entry.findings)
        if entry.last_activity and (totals.last_activity is None
                                    or entry.last_activity > totals.last_activity):
            totals.last_activity = entry.last_activity
    if figures:
        totals.completeness = sum(entry.completeness for entry in figures) / len(figures)
    return totals


@dataclass(frozen=True)
class OverviewRow:
    figures: StudentFigures
    name: str  # as the viewer reads it (a teacher: the real name behind a pseudonym)
    inactive: bool  # nothing done for INACTIVE_AFTER or more (or ever)

    @property
    def student(self) -> User:
        return self.figures.student


# ---- sorting and filtering ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the table: its sort key, heading, and which way a first click sorts."""

    key: str
    label: Any
    numeric: bool = True

    @property
    def first_direction_descending(self) -> bool:
        return self.numeric  # the most first; names from A


COLUMNS = (
    Column("name", _l("Student"), numeric=False),
    Column("completeness", _l("Profile")),
    Column("connections", _l("Connections")),
    Column("invitations", _l("Invitations")),
    Column("posts", _l("Posts")),
    Column("comments", _l("Comments")),
    Column("shares", _l("Shares")),
    Column("groups", _l("Groups")),
    Column("applications", _l("Applications")),
    Column("outcomes", _l("Network outcomes")),
    Column("findings", _l("Charter findings")),
    Column("last_activity", _l("Last activity")),
)

_NEVER = datetime.min

SORT_KEYS: dict[str, Callable[[OverviewRow], Any]] = {
    # The roster's order (last name, first name), as a class list reads, whatever the pseudonym.
    "name": lambda row: (fold(row.student.last_name), fold(row.student.first_name),
                         row.student.id),
    "completeness": lambda row: row.figures.completeness,
    "connections": lambda row: (row.figures.connections, row.figures.connections_professionals),
    "invitations": lambda row: (row.figures.invitations_sent, row.figures.invitations_personal,
                                row.figures.invitations_accepted),
    "posts": lambda row: row.figures.posts,
    "comments": lambda row: row.figures.comments,
    "shares": lambda row: row.figures.shares,
    "groups": lambda row: row.figures.groups,
    "applications": lambda row: row.figures.applications,
    "outcomes": lambda row: row.figures.outcomes_total,
    "findings": lambda row: row.figures.findings_total,
    "last_activity": lambda row: row.figures.last_activity or _NEVER,
}
DEFAULT_SORT = "name"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "on", "true", "yes", "y"}


@dataclass(frozen=True)
class OverviewFilters:
    """What the teacher asked of the table: `?q=&findings=1&inactive=1&sort=&dir=`."""

    query: str = ""
    with_findings: bool = False
    inactive: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> OverviewFilters:
        """Unknown sort keys fall back to the roster order; nothing here is ever an error."""
        sort = args.get("sort") or DEFAULT_SORT
        if sort not in SORT_KEYS:
            sort = DEFAULT_SORT
        return cls(
            query=" ".join((args.get("q") or "").split())[:QUERY_MAX_LENGTH],
            with_findings=_flag(args.get("findings")),
            inactive=_flag(args.get("inactive")),
            sort=sort,
            descending=(args.get("dir") or "").lower() == "desc",
        )

    def as_args(self) -> dict[str, str]:
        """The query string that gives these filters back (defaults left out)."""
        args: dict[str, str] = {}
        if self.query:
            args["q"] = self.query
        if self.with_findings:
            args["findings"] = "1"
        if self.inactive:
            args["inactive"] = "1"
        if self.sort != DEFAULT_SORT or self.descending:
            args["sort"] = self.sort
            args["dir"] = "desc" if self.descending else "asc"
        return args

    def sorted_by(self, column: Column) -> OverviewFilters:
        """The filters of a heading's link: the other way round when it is already the sort."""
        if column.key == self.sort:
            return replace(self, descending=not self.descending)
        return replace(self, sort=column.key, descending=column.first_direction_descending)

    @property
    def active(self) -> bool:
        return bool(self.query or self.with_findings or self.inactive)


def _matches(student: User, name: str, folded_query: str) -> bool:
    return not folded_query or folded_query in fold(name) or folded_query in fold(
        student.username)


# ---- the overview ---------------------------------------------------------------------------


@dataclass
class Overview:
    klass: SchoolClass
    rows: list[OverviewRow]
    totals: Totals
    class_size: int  # students in the class, whatever the filters
    filters: OverviewFilters
    chosen: ChosenPeriod
    now: datetime

    def args(self, **changes: str) -> dict[str, str]:
        """The page's query string (period, filters, sort), with some keys changed."""
        return {**self.chosen.as_args(), **self.filters.as_args(), **changes}

    def args_sorted_by(self, column: Column) -> dict[str, str]:
        return {**self.chosen.as_args(), **self.filters.sorted_by(column).as_args()}

    def aria_sort(self, column: Column) -> str | None:
        if column.key != self.filters.sort:
            return None
        return "descending" if self.filters.descending else "ascending"


def class_overview(viewer: User, klass: SchoolClass, chosen: ChosenPeriod,
                   filters: OverviewFilters, now: datetime) -> Overview:
    """The rows `viewer` (a teacher of the class or an admin: the view checked) asked for.

    Runs the same number of queries whatever the class's size: the roster with what the
    completeness score reads, then `class_figures` on the students whose name matches.
    """
    roster = class_students(klass)
    names = {student.id: student.name_for(viewer) for student in roster}
    folded_query = fold(filters.query)
    matching = [student for student in roster
                if _matches(student, names[student.id], folded_query)]
    figures = class_figures(klass, chosen.period, students=matching) if matching else {}
    rows = [OverviewRow(entry, names[user_id], _inactive(entry, now))
            for user_id, entry in figures.items()]
    if filters.with_findings:
        rows = [row for row in rows if row.figures.findings_total]
    if filters.inactive:
        rows = [row for row in rows if row.inactive]
    # Python's sort is stable: equal rows keep the roster order, both ways.
    rows.sort(key=SORT_KEYS[filters.sort], reverse=filters.descending)
    return Overview(klass=klass, rows=rows, totals=totals_of([row.figures for row in rows]),
                    class_size=len(roster), filters=filters, chosen=chosen, now=now)


def _inactive(entry: StudentFigures, now: datetime) -> bool:
    return entry.last_activity is None or now - entry.last_activity >= INACTIVE_AFTER
