"""The class's grades as a CSV file for a French or an English spreadsheet.

One row per student: last and first name, username, then for each criterion its score (the
teacher's, else the suggestion), whether the teacher gave it, and the comment; then the final
grade (left empty while a criterion scored by hand has no score), how many criteria are still
to grade, and the scale.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from sandbox.core.spreadsheet import CsvDialect, Number, csv_text, dated_filename
from sandbox.grading.services import ClassGrades
from sandbox.grading.sheet import criterion_label


def grades_csv(grades: ClassGrades, dialect: CsvDialect, language: str) -> str:
    """The whole file, headers in `language`, numbers as `dialect` writes them."""
    scale = grades.rubric.scale
    header: list[object] = [_("Last name"), _("First name"), _("Username")]
    for criterion in grades.rubric.criteria:
        label = criterion_label(criterion, language)
        if criterion.weight == 0:
            label = _("%(criterion)s (not counted)", criterion=label)
        header += [
            _("%(criterion)s (out of %(scale)d)", criterion=label, scale=scale),
            _("%(criterion)s: given by the teacher", criterion=label),
            _("%(criterion)s: comment", criterion=label),
        ]
    header += [_("Final grade"), _("Criteria still to grade"), _("Out of")]
    yes, no = _("yes"), _("no")
    rows = []
    for sheet in grades.sheets:
        student = sheet.student
        row: list[object] = [student.last_name, student.first_name, student.username]
        for entry in sheet.scores:
            row += [Number(entry.score, dialect), yes if entry.by_teacher else no,
                    entry.comment]
        final = sheet.final.value if sheet.final.complete else None
        row += [Number(final, dialect), Number(sheet.final.to_grade, dialect),
                Number(scale, dialect)]
        rows.append(row)
    return csv_text(header, rows, dialect)


def export_filename(grades: ClassGrades, dialect: CsvDialect, today: date) -> str:
    """`notes-bts-ci-1-2026-11-22.csv` (French) or `grades-…` (English), the school's date."""
    return dated_filename("notes" if dialect is CsvDialect.FR else "grades", grades.klass.name,
                          today)
