"""The data behind the dashboard's charts: activity and charter findings per week, and the class's
network of connections, each in a fixed number of queries.

Weeks are the school's (its time zone, ISO weeks starting on Monday). Their limits are computed
here as UTC instants (a summer-time change moves them by an hour) and the database only sorts each
row into its week with one CASE expression, the same SQL on SQLite and PostgreSQL: the answer is
one small row per week and kind, whatever the number of events.

The figures are the overview's: the same event kinds (sandbox.dashboard.figures) and, inside a
chosen period, the same limits, so the bars add up to the overview's columns. The first and last
weeks of a chosen period are cut at its limits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, format_number
from flask_babel import gettext as _

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.display import category_label
from sandbox.charter.engine import Category
from sandbox.charter.models import CharterFinding
from sandbox.classes.models import SchoolClass
from sandbox.core.time import utcnow
from sandbox.dashboard.class_network import ClassNetwork, class_network
from sandbox.dashboard.figures import COMMENT_EVENTS, POST_EVENTS, Period
from sandbox.dashboard.periods import ChosenPeriod
from sandbox.extensions import db

DEFAULT_WEEKS = 16
# A chosen range longer than this shows its last weeks: a bar a fortnight wide helps nobody.
MAX_WEEKS = 104
INVITATION_EVENTS = ("invitation_sent",)
# Account housekeeping, not something a student did on the network.
NOT_ACTIONS = ("logged_in", "password_changed")
# Series of the activity chart: key -> event kinds (None: every other action).
ACTIVITY_SERIES: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("posts", POST_EVENTS), ("comments", COMMENT_EVENTS),
    ("invitations", INVITATION_EVENTS), ("other", None),
)
CATEGORY_ORDER = [category.value for category in Category]


def school_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(zone).date()


def plan_weeks(first_day: date | None, last_day: date | None, *, first_seen: date | None,
               last_seen: date | None, class_start: date, today: date) -> tuple[list[date], bool]:
    """The Mondays to show, and whether a long range was cut to its last MAX_WEEKS weeks.

    Without an end, the chart ends at the last week with activity (today's when there is none);
    without a start, it shows DEFAULT_WEEKS weeks. Never before the class (or its first
    activity), never after today.
    """
    floor = monday(min(class_start, first_seen or class_start))
    last_week = monday(min(last_day or last_seen or today, today))
    if first_day is not None:
        first_week = max(monday(first_day), floor)
    else:
        first_week = max(last_week - timedelta(weeks=DEFAULT_WEEKS - 1), floor)
    if first_week > last_week:
        return [], False
    count = (last_week - first_week).days // 7 + 1
    truncated = count > MAX_WEEKS
    if truncated:
        first_week, count = last_week - timedelta(weeks=MAX_WEEKS - 1), MAX_WEEKS
    return [first_week + timedelta(weeks=index) for index in range(count)], truncated


@dataclass(frozen=True)
class WeekGrid:
    """The weeks of a chart and their limits: `bounds[i]` to `bounds[i + 1]`, naive UTC."""

    weeks: list[date]
    bounds: list[datetime]
    truncated: bool = False

    def within(self, column: Any) -> list[sa.ColumnElement[bool]]:
        return [column >= self.bounds[0], column < self.bounds[-1]]

    def week_of(self, column: Any) -> sa.ColumnElement[int]:
        """The index of the row's week (the rows are already `within` the grid)."""
        limits = self.bounds[1:-1]
        if not limits:
            return sa.literal(0)
        return sa.case(*((column < limit, index) for index, limit in enumerate(limits)),
                       else_=len(limits))


def week_grid(chosen: ChosenPeriod, first_seen: datetime | None, last_seen: datetime | None,
              class_start: datetime) -> WeekGrid:
    """The grid for a chosen period, given when the activity in scope started and ended."""
    zone = school_zone()
    today = utcnow().replace(tzinfo=UTC).astimezone(zone).date()
    weeks, truncated = plan_weeks(
        chosen.first_day, chosen.last_day, first_seen=_local_day(first_seen, zone),
        last_seen=_local_day(last_seen, zone),
        class_start=_local_day(class_start, zone) or today, today=today)
    if not weeks:
        return WeekGrid([], [])
    bounds = [_utc(week, zone) for week in weeks] + [_utc(weeks[-1] + timedelta(weeks=1), zone)]
    period: Period = chosen.period
    if period.start is not None:
        bounds[0] = max(bounds[0], period.start)
    if period.end is not None:
        bounds[-1] = min(bounds[-1], period.end)
    return WeekGrid(weeks, bounds, truncated)


@dataclass
class Series:
    key: str
    label: str
    values: list[int]
    # Categories keep their colour from chart to chart.
    colour: int = 0

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class WeeklyChart:
    """One chart's weeks and series, with what its table and summary read."""

    weeks: list[date]
    series: list[Series] = field(default_factory=list)
    truncated: bool = False

    @property
    def total(self) -> int:
        return sum(series.total for series in self.series)

    def week_total(self, index: int) -> int:
        return sum(series.values[index] for series in self.series)

    @property
    def busiest(self) -> tuple[date, int] | None:
        """The week with the most, the earliest on a tie; None when nothing happened."""
        if not self.total:
            return None
        index = max(range(len(self.weeks)), key=lambda i: (self.week_total(i), -i))
        return self.weeks[index], self.week_total(index)

    @property
    def top_series(self) -> Series | None:
        ranked = sorted(self.series, key=lambda series: -series.total)
        return ranked[0] if ranked and ranked[0].total else None

    def rows(self) -> list[tuple[date, list[str], str]]:
        """The table: each week, its formatted values, its formatted total."""
        return [(week, [format_number(series.values[index]) for series in self.series],
                 format_number(self.week_total(index))) for index, week in enumerate(self.weeks)]

    def as_json(self) -> dict[str, Any]:
        return {
            "weeks": [format_date(week, "d MMM") for week in self.weeks],
            "week_titles": [_("Week of %(day)s", day=format_date(week, "medium"))
                            for week in self.weeks],
            "series": [{"key": series.key, "label": series.label, "values": series.values,
                        "colour": series.colour} for series in self.series],
            "total": self.total,
        }


class Scope:
    """Whose rows a chart counts: a class's (its students', even erased ones), or one student's."""

    def __init__(self, klass: SchoolClass, student_id: int | None = None) -> None:
        self.klass, self.student_id = klass, student_id

    def events(self) -> sa.ColumnElement[bool]:
        owner = (ActivityEvent.class_id == self.klass.id if self.student_id is None
                 else ActivityEvent.user_id == self.student_id)
        return sa.and_(owner, ActivityEvent.kind.not_in(NOT_ACTIONS))

    def findings(self) -> sa.ColumnElement[bool]:
        if self.student_id is None:
            return CharterFinding.class_id == self.klass.id
        return CharterFinding.user_id == self.student_id


def scope_grid(scope: Scope, chosen: ChosenPeriod) -> WeekGrid:
    """The weeks to show for this scope: one query for when its activity started and ended
    (first and last row of each table, read from the end of their (owner, created_at) index)."""
    def edge(column: Any, where: sa.ColumnElement[bool], order: Any) -> Any:
        return sa.select(column).where(where).order_by(order).limit(1).scalar_subquery()

    moments = db.session.execute(sa.select(
        edge(ActivityEvent.created_at, scope.events(), ActivityEvent.created_at.asc()),
        edge(ActivityEvent.created_at, scope.events(), ActivityEvent.created_at.desc()),
        edge(CharterFinding.created_at, scope.findings(), CharterFinding.created_at.asc()),
        edge(CharterFinding.created_at, scope.findings(), CharterFinding.created_at.desc()),
    )).one()
    known = [moment for moment in moments if moment is not None]
    return week_grid(chosen, min(known, default=None), max(known, default=None),
                     scope.klass.created_at)


def _counts(grid: WeekGrid, column: Any, key: Any, where: sa.ColumnElement[bool]
            ) -> dict[str, list[int]]:
    """key -> count per week, in one query (grouped through a subquery so that PostgreSQL sees
    the same week expression in the select and the group by)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(grid.weeks))
    if not grid.weeks:
        return counts
    rows = sa.select(grid.week_of(column).label("week"), key.label("key")).where(
        where, *grid.within(column)).subquery()
    for week, value, count in db.session.execute(
        sa.select(rows.c.week, rows.c.key, sa.func.count()).group_by(rows.c.week, rows.c.key)
    ):
        counts[value][week] += count
    return counts


def activity_chart(scope: Scope, grid: WeekGrid) -> WeeklyChart:
    """Posts, comments, invitations and every other action, per week."""
    counts = _counts(grid, ActivityEvent.created_at, ActivityEvent.kind, scope.events())
    labels = {"posts": _("Posts"), "comments": _("Comments"), "invitations": _("Invitations"),
              "other": _("Other actions")}
    named = {kind for _series, kinds in ACTIVITY_SERIES if kinds for kind in kinds}
    chart = WeeklyChart(grid.weeks, truncated=grid.truncated)
    for colour, (key, kinds) in enumerate(ACTIVITY_SERIES):
        wanted = kinds if kinds is not None else [kind for kind in counts if kind not in named]
        values = [sum(counts[kind][week] for kind in wanted if kind in counts)
                  for week in range(len(grid.weeks))]
        chart.series.append(Series(key, labels[key], values, colour))
    return chart


def _category_rank(code: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(code) if code in CATEGORY_ORDER else len(CATEGORY_ORDER), code)


def findings_chart(scope: Scope, grid: WeekGrid) -> WeeklyChart:
    """Charter findings per week, one series per category found in the period."""
    counts = _counts(grid, CharterFinding.created_at, CharterFinding.category, scope.findings())
    chart = WeeklyChart(grid.weeks, truncated=grid.truncated)
    for code in sorted(counts, key=_category_rank):
        chart.series.append(Series(code, category_label(code), counts[code],
                                   _category_rank(code)[0]))
    return chart


@dataclass
class Charts:
    """What a dashboard page draws: activity and findings per week (and, for a class, its
    network), with the period's reading error if a date could not be read."""

    activity: WeeklyChart
    findings: WeeklyChart
    network: ClassNetwork | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = {"activity": self.activity.as_json(), "findings": self.findings.as_json(),
                "truncated": self.activity.truncated, "error": self.error}
        if self.network is not None:
            data["network"] = self.network.as_json()
        return data


def class_charts(klass: SchoolClass, chosen: ChosenPeriod, viewer: User) -> Charts:
    """The class's charts (the caller checked that `viewer` is staff of the class): 6 queries."""
    scope = Scope(klass)
    grid = scope_grid(scope, chosen)
    return Charts(activity_chart(scope, grid), findings_chart(scope, grid),
                  class_network(klass, viewer), chosen.error)


def student_charts(klass: SchoolClass, student: User, chosen: ChosenPeriod) -> Charts:
    """One student's activity and findings per week: 3 queries."""
    scope = Scope(klass, student.id)
    grid = scope_grid(scope, chosen)
    return Charts(activity_chart(scope, grid), findings_chart(scope, grid), error=chosen.error)
