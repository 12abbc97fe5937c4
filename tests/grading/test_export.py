"""The grades CSV: French and English spreadsheets, and nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from sandbox.extensions import db
from sandbox.grading.rubric_edits import CriterionEdit, add_criterion
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.services import GradeEntry, save_grades
from tests.grading.activity import lea_and_hugo


def _yes_no() -> tuple[str, str]:
    from flask_babel import force_locale, gettext

    with force_locale("fr"):
        return gettext("yes"), gettext("no")


def _csv(school, client_as, format: str):  # type: ignore[no-untyped-def]
    """The file's bytes and its rows, read with the separator of `format`."""
    response = client_as(school["teacher"]).get(
        f"/classes/{school['class'].id}/grades.csv?format={format}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    stem = "notes" if format == "fr" else "grades"  # named in the spreadsheet's language
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="{stem}-{school["class"].name.lower().replace(" ", "-")}-')
    text = response.data.decode("utf-8")
    delimiter = ";" if format == "fr" else ","
    return response.data, list(csv.reader(io.StringIO(text.lstrip("\ufeff")),
                                           delimiter=delimiter))


def test_french_csv_semicolons_bom_and_decimal_comma(school, factories, client_as):
    lea_and_hugo(school, factories)
    klass, lea = school["class"], school["student"]
    criteria = rubric_for(klass).criteria
    save_grades(school["teacher"], klass.id, lea.id,
                [GradeEntry(criteria[0].id, "12,5", "Très bon profil; photo à refaire")])

    raw, rows = _csv(school, client_as, "fr")
    YES, NO = _yes_no()

    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    assert raw.decode("utf-8").splitlines()[0].count(";") == len(rows[0]) - 1
    header, martin, petit = rows
    assert len(header) == 3 + 3 * 5 + 3
    assert header[3].startswith("Identité professionnelle")  # the class's own label, in French
    # (yes and no are in the reader's language: "oui" once the lead has translated them)
    assert martin[:6] == ["Martin", "Lea", "lea.martin", "12,5", YES,
                          "Très bon profil; photo à refaire"]
    assert martin[6:8] == ["7", NO]
    # (12.5 + 14 + 13 + 8 + 16) / 6 = 10.58 -> 10.5; nothing left to grade; out of 20
    assert martin[-3:] == ["10,5", "0", "20"]
    assert petit[4:6] == [NO, ""] and petit[-3:] == ["4", "0", "20"]


def test_english_csv_commas_and_decimal_point(school, factories, client_as):
    lea_and_hugo(school, factories)
    school["teacher"].locale = "en"
    db.session.commit()

    raw, rows = _csv(school, client_as, "en")

    assert raw.startswith("\ufeff".encode())
    header, martin, _ = rows
    assert header[:4] == ["Last name", "First name", "Username", "Professional identity "
                          "(out of 20)"]
    assert martin[3] == "5.25" and martin[-3:] == ["9.5", "0", "20"]


def test_no_cell_starts_a_formula_and_an_incomplete_grade_stays_empty(school, client_as):
    klass, lea, teacher = school["class"], school["student"], school["teacher"]
    lea.last_name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    add_criterion(teacher, klass.id, "manual", CriterionEdit(None, "+Oral", "+Oral"))
    criteria = rubric_for(klass).criteria
    save_grades(teacher, klass.id, lea.id, [GradeEntry(criteria[0].id, "", "-1 pour la photo"),
                                            GradeEntry(criteria[5].id, "", "@prof")])

    _, rows = _csv(school, client_as, "fr")
    NO = _yes_no()[1]

    header, *students = rows
    assert header[-6].startswith("'+Oral")
    martin = next(row for row in students if row[2] == "lea.martin")
    assert martin[0] == "'=HYPERLINK(\"http://x\")"
    assert martin[5] == "'-1 pour la photo" and martin[-4] == "'@prof"
    assert martin[-6:-4] == ["", NO]  # the criterion scored by hand: no score yet
    assert martin[-3:] == ["", "1", "20"]  # incomplete: no final grade, one to grade
