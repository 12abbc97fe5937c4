"""The audit log: the teacher's classes only, newest first, filtered; and its CSV export, which
opens in a French spreadsheet and never runs a cell as a formula."""

from __future__ import annotations

import csv
import io
import re

import pytest

from sandbox.extensions import db
from sandbox.moderation.actions import decide
from sandbox.moderation.audit import record_audit
from sandbox.core.spreadsheet import safe_cell
from sandbox.moderation.models import ContentKind
from sandbox.moderation.reports import report_content


def a_decision(people, content, reason="Insulte"):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, "Texte")
    case_id = report_content(hugo, "post", post.id, "insult").case_id
    decide(people["teacher"], case_id, "hide", reason)
    return post


def test_the_log_lists_the_classes_entries_newest_first(people, content, client_as):
    a_decision(people, content, "Propos blessant")
    record_audit(people["other_student"], "override", kind=ContentKind.POST, content_id=1,
                 author=people["other_student"], reason="Autre classe")
    db.session.commit()
    page = client_as(people["teacher"]).get("/moderation/audit").get_data(as_text=True)
    rows = page.split("<tbody>")[1]
    assert rows.index("Propos blessant") < rows.index("Reported")
    assert "Hidden" in page and "Autre classe" not in page
    other = client_as(people["other_teacher"]).get("/moderation/audit").get_data(as_text=True)
    assert "Autre classe" in other and "Propos blessant" not in other


def test_the_log_filters_by_action_and_class(people, content, factories, client_as):
    a_decision(people, content, "Propos blessant")
    client = client_as(people["teacher"])
    hides = client.get("/moderation/audit?action=hide").get_data(as_text=True)
    assert "Propos blessant" in hides and "Reported" not in hides.split("<tbody>")[1]
    reports = client.get("/moderation/audit?action=report").get_data(as_text=True)
    assert "Propos blessant" not in reports
    other_class = people["other_class"].id
    assert client.get(f"/moderation/audit?class_id={other_class}").status_code == 404
    assert client.get(f"/moderation/audit.csv?class_id={other_class}").status_code == 404


def rows_of(answer):
    return list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig")), delimiter=";"))


def test_the_csv_opens_in_a_french_spreadsheet(people, content, client_as):
    post = a_decision(people, content, "=HYPERLINK(\"http://evil\")")
    answer = client_as(people["teacher"]).get("/moderation/audit.csv?format=fr")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="moderation-log-')
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows_of(answer)[1][0])
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Date", "Class", "Who", "Action", "Content", "Content number", "Author",
                       "Reason or message"]
    hidden = rows[1]
    post_id = str(post.id)
    assert hidden[1:7] == ["BTS CI 1", people["teacher"].full_name, "Hidden", "Post", post_id,
                           "Lea Martin"]
    assert hidden[7] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2][3] == "Reported" and rows[2][2] == "Hugo Petit"
    assert len(rows) == 3


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+33 6 12", "'+33 6 12"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("Bonjour", "Bonjour"), (12, "12"), (None, ""),
])
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, expected):
    assert safe_cell(value) == expected


def test_students_and_admins_read_no_log(people, client_as):
    for role in ("student", "admin"):
        client = client_as(people[role])
        assert client.get("/moderation/audit").status_code == 403
        assert client.get("/moderation/audit.csv").status_code == 403


def test_charter_edits_show_in_the_log_with_their_version(people, client_as):
    record_audit(people["teacher"], "charter_edit", class_id=people["class"].id, version=3,
                 rules=["respect"], settings=[])
    db.session.commit()
    client = client_as(people["teacher"])
    page = client.get("/moderation/audit?action=charter_edit").get_data(as_text=True)
    assert "Charter edited" in page and "Class charter (version) #3" in page
    rows = rows_of(client.get("/moderation/audit.csv?format=fr"))
    assert rows[1][3:6] == ["Charter edited", "Class charter (version)", "3"]
