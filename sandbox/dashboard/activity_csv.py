"""The overview as a CSV for a French or an English spreadsheet: the table's columns, with the
findings and the network outcomes spread one column per kind, then the totals row."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_datetime, to_user_timezone
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from sandbox.charter.display import category_label
from sandbox.charter.engine import Category
from sandbox.classes.models import SchoolClass
from sandbox.core.spreadsheet import CsvDialect, Number, csv_text, dated_filename
from sandbox.dashboard.figures import TableFigures
from sandbox.dashboard.overview import Overview, Totals
from sandbox.network.journal import OUTCOME_LABELS
from sandbox.network.models import OutcomeKind


def _local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return format_datetime(to_user_timezone(moment), "yyyy-MM-dd HH:mm")


def activity_header() -> list[object]:
    """The columns of the table, the findings and outcomes spread one column per kind."""
    return [
        _l("Student"), _l("Username"), _l("Profile completeness (%)"),
        _l("Connections with students"), _l("Connections with professionals"),
        _l("Invitations sent"), _l("Invitations with a personal message"),
        _l("Invitations accepted"), _l("Posts"), _l("Comments"), _l("Shares"), _l("Groups"),
        _l("Applications"), _l("Network outcomes"),
        *(_l("Outcome: %(kind)s", kind=OUTCOME_LABELS[kind]) for kind in OutcomeKind),
        _l("Charter findings"),
        *(_l("Findings: %(category)s", category=category_label(category.value))
          for category in Category),
        _l("Last activity"),
    ]


def _cells(figures: TableFigures, dialect: CsvDialect) -> list[object]:
    completeness_places = 1 if isinstance(figures, Totals) else 0
    counts = [figures.connections_students, figures.connections_professionals,
              figures.invitations_sent, figures.invitations_personal,
              figures.invitations_accepted, figures.posts, figures.comments, figures.shares,
              figures.groups, figures.applications, figures.outcomes_total,
              *(figures.outcomes[kind.value] for kind in OutcomeKind),
              figures.findings_total,
              *(figures.findings_in(category.value) for category in Category)]
    return [Number(figures.completeness, dialect, completeness_places),
            *(Number(count, dialect, 0) for count in counts),
            _local_time(figures.last_activity)]


def activity_rows(overview: Overview, dialect: CsvDialect) -> list[list[object]]:
    """The table's rows as CSV cells, in its order, then the totals row."""
    rows: list[list[object]] = [[row.name, row.student.username, *_cells(row.figures, dialect)]
                                for row in overview.rows]
    if overview.rows:
        label = lazy_ngettext("Total (%(num)d student)", "Total (%(num)d students)",
                              overview.totals.students)
        rows.append([label, "", *_cells(overview.totals, dialect)])
    return rows


def activity_csv(overview: Overview, dialect: CsvDialect) -> str:
    """The whole file (byte order mark, header, rows, totals)."""
    return csv_text(activity_header(), activity_rows(overview, dialect), dialect)


def activity_filename(klass: SchoolClass, dialect: CsvDialect, today: date) -> str:
    """`activite-bts-ci-1-2026-11-22.csv` (French) or `activity-…` (English)."""
    return dated_filename("activite" if dialect is CsvDialect.FR else "activity", klass.name,
                          today)
