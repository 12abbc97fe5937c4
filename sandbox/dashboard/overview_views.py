"""The class overview page, its table body alone (for the live updater), and its CSV.

The rules (rows, sorting, filters, totals, CSV rows) are in `overview`; here, the request is
read, and the numbers and breakdowns are made ready for the template.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from babel import Locale, numbers
from flask import render_template, request
from flask_babel import get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from sandbox.charter.display import category_label
from sandbox.charter.engine import Category
from sandbox.charter.models import FindingOutcome
from sandbox.core.spreadsheet import CsvDialect, csv_download
from sandbox.core.time import utcnow
from sandbox.dashboard import activity_csv as spreadsheet
from sandbox.dashboard.access import class_for_staff
from sandbox.dashboard.blueprint import CLASS_ID, blueprint
from sandbox.dashboard.overview import COLUMNS, Overview, OverviewFilters, class_overview
from sandbox.dashboard.periods import period_from_args
from sandbox.i18n import current_language
from sandbox.network.journal import OUTCOME_LABELS
from sandbox.network.models import OutcomeKind
from sandbox.pagecache import class_scopes, kept_page, page_depends_on



# ---- what the template shows ----------------------------------------------------------------

# What became of a finding, as the teacher reads it (flagged ones: the moderation case says
# what followed).
FINDING_OUTCOME_LABELS = {
    FindingOutcome.BLOCKED: _l("refused"),
    FindingOutcome.COACHED: _l("advised, not sent"),
    FindingOutcome.FIXED: _l("fixed"),
    FindingOutcome.OVERRIDDEN: _l("published anyway"),
    FindingOutcome.FLAGGED: _l("sent to the teacher"),
}


def finding_outcome_label(code: str) -> str:
    try:
        return str(FINDING_OUTCOME_LABELS[FindingOutcome(code)])
    except ValueError:
        return code


@dataclass(frozen=True)
class CategoryLine:
    """A line of a student's findings: a category, how many, and what became of them."""

    label: str
    count: int
    outcomes: list[tuple[str, int]]


_CATEGORY_ORDER = {category.value: index for index, category in enumerate(Category)}
_OUTCOME_ORDER = {outcome.value: index for index, outcome in enumerate(FindingOutcome)}
_KIND_ORDER = {kind.value: index for index, kind in enumerate(OUTCOME_LABELS)}


class Breakdowns:
    """What a count of findings or of network outcomes is made of, for the table's details.

    Labels are translated once per page (one object per request), not once per student.
    """

    def __init__(self) -> None:
        self._labels: dict[tuple[str, str], str] = {}

    def _label(self, what: str, code: str) -> str:
        key = (what, code)
        if key not in self._labels:
            if what == "category":
                self._labels[key] = category_label(code)
            elif what == "finding":
                self._labels[key] = finding_outcome_label(code)
            else:
                label = OUTCOME_LABELS.get(OutcomeKind(code)) if code in _KIND_ORDER else None
                self._labels[key] = str(label) if label is not None else code
        return self._labels[key]

    def findings(self, findings: Counter[tuple[str, str]]) -> list[CategoryLine]:
        """By category (in the charter engine's order), each with what became of them."""
        by_category: dict[str, list[tuple[str, int]]] = {}
        for (category, outcome), count in findings.items():
            if count:
                by_category.setdefault(category, []).append((outcome, count))
        lines = []
        for category in sorted(by_category,
                               key=lambda code: (_CATEGORY_ORDER.get(code, 99), code)):
            outcomes = sorted(by_category[category],
                              key=lambda item: (_OUTCOME_ORDER.get(item[0], 99), item[0]))
            lines.append(CategoryLine(
                label=self._label("category", category),
                count=sum(count for _, count in outcomes),
                outcomes=[(self._label("finding", code), count) for code, count in outcomes],
            ))
        return lines

    def outcomes(self, outcomes: Counter[str]) -> list[tuple[str, int]]:
        """Each kind of network outcome obtained, in the workshop's order."""
        kinds = sorted((code for code, count in outcomes.items() if count),
                       key=lambda code: (_KIND_ORDER.get(code, 99), code))
        return [(self._label("kind", code), outcomes[code]) for code in kinds]




class Numbers:
    """Counts and percentages as the reader's language writes them ("1 234", "62 %").

    A table of 35 students shows about 500 numbers: formatting each through Flask-Babel (which
    looks the locale up every time) cost more than the rest of the template.
    """

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self._group = numbers.get_group_symbol(locale)

    def count(self, value: int) -> str:
        return f"{value:,}".replace(",", self._group)

    def percent(self, value: float) -> str:
        """`value` out of 100."""
        return numbers.format_percent(value / 100, locale=self.locale)


# ---- the routes -----------------------------------------------------------------------------


def _overview(class_id: int) -> Overview:
    klass = class_for_staff(current_user, class_id)
    return class_overview(current_user, klass, period_from_args(request.args),
                          OverviewFilters.from_args(request.args), utcnow())


@blueprint.route(f"/classes/{CLASS_ID}/dashboard")
@login_required
@kept_page("dashboard.overview")
def overview(class_id: int):  # type: ignore[no-untyped-def]
    """The table; `?fragment=rows` answers its body only, with the same arguments."""
    page_depends_on(*class_scopes(class_id))
    data = _overview(class_id)
    context = {
        "klass": data.klass, "chosen": data.chosen, "overview": data, "columns": COLUMNS,
        # Translated once, not once per cell.
        "labels": {column.key: str(column.label) for column in COLUMNS},
        "numbers": Numbers(get_locale()),
        "breakdowns": Breakdowns(),
    }
    if request.args.get("fragment") == "rows":
        body = render_template("dashboard/_overview_rows.html", **context)
        return body, 200, {"Cache-Control": "no-store"}
    return render_template("dashboard/overview.html", **context)


@blueprint.route(f"/classes/{CLASS_ID}/dashboard/activity.csv")
@login_required
def activity_csv(class_id: int):  # type: ignore[no-untyped-def]
    """The same rows (period, filters, sort) as a spreadsheet, `?format=fr|en`."""
    data = _overview(class_id)
    dialect = CsvDialect.chosen(request.args.get("format"), current_language())
    today = to_user_timezone(data.now).date()
    return csv_download(spreadsheet.activity_csv(data, dialect),
                        spreadsheet.activity_filename(data.klass, dialect, today))
