"""The class overview: its rows, sorting, filters, date range, totals, CSV and query budget."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.models import Invitation, InvitationStatus, NetworkOutcome, OutcomeKind
from sandbox.network.services import connect
from tests.authz import LOGIN
from tests.dashboard import authz


# Name, username, profile, connections (students, professionals), invitations (sent, with a
# message, accepted), then posts.
CSV_POSTS = 8


def _activity(student, *, days_ago: float = 0, posts: int = 0, comments: int = 0,
              shares: int = 0, findings=(), outcomes=(), invitations=()) -> None:
    """Rows as the features write them, `days_ago` in the past (bulk, not through services)."""
    when = utcnow() - timedelta(days=days_ago)
    for kind, count in (("post_created", posts), ("commented", comments),
                        ("post_shared", shares)):
        db.session.add_all(ActivityEvent(user_id=student.id, class_id=student.class_id,
                                         kind=kind, data={}, created_at=when)
                           for _ in range(count))
    db.session.add_all(
        CharterFinding(user_id=student.id, class_id=student.class_id, content_kind="post",
                       category=category, severity=Severity.COACH, outcome=outcome,
                       created_at=when)
        for category, outcome in findings)
    db.session.add_all(NetworkOutcome(student_id=student.id, kind=kind, created_at=when)
                       for kind in outcomes)
    db.session.add_all(Invitation(sender_id=student.id, recipient_id=recipient.id,
                                  message=message, status=status, created_at=when)
                       for recipient, message, status in invitations)
    db.session.commit()


def _names_in_order(html: str, names: list[str]) -> list[str]:
    """The given names, in the order the table's rows show them."""
    body = html.split('id="overview-rows"', 1)[-1].split("</tbody>", 1)[0]
    found = {name: body.find(f">{name}</a>") for name in names}
    return sorted((name for name in names if found[name] >= 0), key=found.__getitem__)


def _rows(html: str) -> list[str]:
    """Each row of the table body, the totals row last."""
    body = html.split('id="overview-rows"', 1)[-1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


def _numbers(row: str) -> list[str]:
    """The first word of each figure cell: profile, connections, invitations, posts, comments,
    shares, groups, applications, outcomes, findings (then the last activity)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] for cell in cells]


def _csv_rows(response, delimiter: str) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


@pytest.fixture
def teacher_client(school, client_as):
    return client_as(school["teacher"])


def _url(school, suffix: str = "") -> str:
    return f"/classes/{school['class'].id}/dashboard{suffix}"


def test_the_overview_shows_each_student_and_the_class_totals(school, teacher_client):
    lea, hugo, claire = school["student"], school["classmate"], school["persona"]
    connect(lea, claire)
    connect(lea, hugo)
    _activity(lea, posts=3, comments=2, shares=1,
              findings=[("phone", FindingOutcome.FIXED), ("phone", FindingOutcome.BLOCKED),
                        ("sms", FindingOutcome.OVERRIDDEN)],
              outcomes=[OutcomeKind.ADVICE, OutcomeKind.APPOINTMENT],
              invitations=[(claire, "Bonjour, votre parcours m'intéresse.",
                            InvitationStatus.ACCEPTED)])
    _activity(hugo, posts=1, days_ago=10)

    response = teacher_client.get(_url(school))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-live-class="%d"' % school["class"].id in html
    # The roster's order: by last name.
    assert _names_in_order(html, ["Hugo Petit", "Lea Martin"]) == ["Lea Martin", "Hugo Petit"]
    assert f"/classes/{school['class'].id}/dashboard/students/{lea.id}" in html
    # Lea's breakdowns: findings by category and what became of them, outcomes by kind.
    assert "Numéro de téléphone" in html or "Phone number" in html
    rows = _rows(html)
    assert len(rows) == 3 and 'class="overview-totals"' in rows[-1]
    lea_row, hugo_row, totals = rows
    assert "overview-row--inactive" in hugo_row and "overview-row--inactive" not in lea_row
    # connections (students + professionals), invitations, posts, comments, shares, groups,
    # applications, outcomes, findings
    assert _numbers(lea_row)[1:10] == ["2", "1", "3", "2", "1", "0", "0", "2", "3"]
    assert _numbers(hugo_row)[1:10] == ["1", "0", "1", "0", "0", "0", "0", "0", "0"]
    assert "Total (2" in totals
    assert _numbers(totals)[1:10] == ["3", "1", "4", "2", "1", "0", "0", "2", "3"]


def test_the_teacher_reads_the_real_name_behind_a_pseudonym(school, teacher_client):
    school["classmate"].pseudonym = "Hugo P."
    db.session.commit()
    html = teacher_client.get(_url(school, "?q=petit")).get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 2 and ">Hugo P. (Hugo Petit)</a>" in rows[0]


def test_the_sort_survives_the_filter_form(school, teacher_client):
    html = teacher_client.get(_url(school, "?sort=posts&dir=desc")).get_data(as_text=True)
    form = html.split('id="dashboard-filters-heading"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<option value="posts" selected>', form)
    assert re.search(r'<option value="desc" selected>', form)
    # Phones hide the headings: the form sorts too, and the headings' links sort the other way.
    assert 'aria-sort="descending"' in html


def test_sorting_by_findings_puts_the_most_first_and_asc_the_reverse(school, teacher_client,
                                                                    factories):
    lea, hugo = school["student"], school["classmate"]
    zoe = factories.make_student(school["class"], username="zoe.blanc")
    _activity(lea, findings=[("phone", FindingOutcome.FIXED)] * 3)
    _activity(zoe, findings=[("sms", FindingOutcome.COACHED)])
    names = ["Lea Martin", "Zoe Blanc", "Hugo Petit"]

    html = teacher_client.get(_url(school, "?sort=findings&dir=desc")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Lea Martin", "Zoe Blanc", "Hugo Petit"]
    assert re.search(r'aria-sort="descending"[^>]*>\s*<a[^>]*sort=findings&amp;dir=asc', html)

    html = teacher_client.get(_url(school, "?sort=findings&dir=asc")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Hugo Petit", "Zoe Blanc", "Lea Martin"]

    # An unknown column falls back to the roster order (last name, first name).
    html = teacher_client.get(_url(school, "?sort=nonsense")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Zoe Blanc", "Lea Martin", "Hugo Petit"]


def test_filters_by_name_with_findings_and_inactivity(school, teacher_client):
    lea, hugo = school["student"], school["classmate"]
    _activity(lea, posts=1, findings=[("sms", FindingOutcome.FIXED)])
    _activity(hugo, posts=1, days_ago=8)
    names = ["Lea Martin", "Hugo Petit"]

    html = teacher_client.get(_url(school, "?q=LÉA")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Lea Martin"]
    html = teacher_client.get(_url(school, "?q=hugo.petit")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Hugo Petit"]
    html = teacher_client.get(_url(school, "?findings=1")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Lea Martin"]
    html = teacher_client.get(_url(school, "?inactive=1")).get_data(as_text=True)
    assert _names_in_order(html, names) == ["Hugo Petit"]
    html = teacher_client.get(_url(school, "?q=nobody")).get_data(as_text=True)
    assert _names_in_order(html, names) == []
    assert "overview-totals" not in html


def test_the_date_range_leaves_out_older_activity_and_survives_in_links(school, teacher_client):
    lea = school["student"]
    _activity(lea, posts=5, findings=[("sms", FindingOutcome.FIXED)], days_ago=40)
    _activity(lea, posts=2)
    start = (utcnow() - timedelta(days=7)).date().isoformat()

    response = teacher_client.get(_url(school, f"?start={start}&q=lea&sort=posts&dir=desc"))
    html = response.get_data(as_text=True)

    assert _numbers(_rows(html)[0])[3] == "2"  # posts: not the 5 of 40 days ago
    # Every link keeps the range, the filters and the sort.
    assert f"students/{lea.id}?start={start}" in html
    for link in re.findall(r'href="([^"]*activity\.csv[^"]*)"', html):
        assert f"start={start}" in link and "q=lea" in link and "sort=posts" in link
    sort_links = re.findall(r'class="sort-link" href="([^"]+)"', html)
    assert sort_links and all(f"start={start}" in link and "q=lea" in link
                              for link in sort_links)
    rows = _csv_rows(teacher_client.get(_url(school, f"/activity.csv?start={start}&format=en")),
                     ",")
    assert rows[1][:2] == ["Lea Martin", "lea.martin"] and rows[1][CSV_POSTS] == "2"


def test_an_unreadable_date_is_said_and_the_range_left_open(school, teacher_client):
    _activity(school["student"], posts=1, days_ago=100)
    response = teacher_client.get(_url(school, "?start=22/11/2026"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "AAAA-MM-JJ" in html  # the school's language


def test_the_rows_fragment_answers_the_table_body_with_the_same_arguments(school,
                                                                          teacher_client):
    _activity(school["student"], findings=[("sms", FindingOutcome.FIXED)])
    response = teacher_client.get(_url(school, "?fragment=rows&findings=1"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<tr") and "<html" not in html and "<tbody" not in html
    assert _names_in_order(html.join(['id="overview-rows"', ""]),
                           ["Lea Martin", "Hugo Petit"]) == ["Lea Martin"]


def test_an_empty_class_says_so(school, client_as, factories):
    teacher = school["teacher"]
    empty = factories.make_class(teacher, name="Classe vide")
    html = client_as(teacher).get(f"/classes/{empty.id}/dashboard").get_data(as_text=True)
    assert 'class="empty"' in html and "overview-rows" not in html


def _set_completeness(school) -> None:
    # Lea 15 (headline), Hugo 0: the class average is 7.5.
    school["student"].profile.headline = "Étudiante en BTS commerce international"
    db.session.commit()


def test_the_french_csv_opens_in_a_french_spreadsheet(school, teacher_client):
    _set_completeness(school)
    _activity(school["student"], posts=2, findings=[("phone", FindingOutcome.FIXED)],
              outcomes=[OutcomeKind.ADVICE])

    response = teacher_client.get(_url(school, "/activity.csv?format=fr"))

    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    header, *rows = _csv_rows(response, ";")
    # Total and each category of findings, total and each kind of outcome.
    assert len(header) == 2 + 1 + 2 + 3 + 5 + 1 + 8 + 1 + 11 + 1
    assert all(len(row) == len(header) for row in rows)
    assert text.splitlines()[0].count(";") == len(header) - 1
    assert re.search(r'filename="activite-bts-ci-1-\d{4}-\d{2}-\d{2}\.csv"',
                     response.headers["Content-Disposition"])
    lea, hugo, totals = rows
    assert lea[:3] == ["Lea Martin", "lea.martin", "15"] and lea[CSV_POSTS] == "2"
    assert hugo[:3] == ["Hugo Petit", "hugo.petit", "0"]
    assert totals[0].startswith("Total") and totals[2] == "7,5"  # the average, decimal comma
    assert totals[CSV_POSTS] == "2"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", lea[-1]) and hugo[-1] == ""
    # Outcomes: total then the eight kinds (advice is the 4th); findings: total then each
    # category (phone first).
    assert (lea[13], lea[17], lea[22], lea[23]) == ("1", "1", "1", "1")
    assert (totals[13], totals[17], totals[22], totals[23]) == ("1", "1", "1", "1")


def test_the_english_csv_uses_commas_and_decimal_points(school, teacher_client):
    _set_completeness(school)
    response = teacher_client.get(_url(school, "/activity.csv?format=en&sort=completeness"
                                               "&dir=desc"))
    header, *rows = _csv_rows(response, ",")
    assert ";" not in response.get_data(as_text=True).splitlines()[0]
    assert [row[1] for row in rows[:-1]] == ["lea.martin", "hugo.petit"]  # sorted as asked
    assert rows[-1][2] == "7.5"
    assert 'filename="activity-bts-ci-1-' in response.headers["Content-Disposition"]


def test_a_formula_like_pseudonym_is_neutralised_in_the_csv(school, teacher_client):
    school["student"].pseudonym = '=HYPERLINK("http://evil.example","clic")'
    db.session.commit()
    text = teacher_client.get(_url(school, "/activity.csv?format=en")).get_data(as_text=True)
    assert "\n=" not in text and ",=" not in text
    assert "'=HYPERLINK" in text


def _class_with_students(factories, teacher, persona, count: int):
    klass = factories.make_class(teacher, name=f"Classe de {count}")
    for n in range(count):
        student = factories.make_student(klass, username=f"eleve{count}.n{n}",
                                         pseudonym=f"Pseudo {n}")
        connect(student, persona)
        _activity(student, posts=n + 1, comments=n, shares=1,
                  findings=[("phone", FindingOutcome.FIXED), ("sms", FindingOutcome.FLAGGED)],
                  outcomes=[OutcomeKind.ADVICE, OutcomeKind.DOCUMENT],
                  invitations=[(persona, "Bonjour, je vous contacte pour un stage.",
                                InvitationStatus.PENDING)])
    return klass


@pytest.mark.parametrize("suffix", ["", "?fragment=rows",
                                    "?sort=findings&dir=desc&findings=1&start=2020-01-01",
                                    "/activity.csv?format=fr"])
def test_the_query_count_does_not_grow_with_the_class(school, factories, client_as,
                                                      count_queries, suffix):
    teacher = school["teacher"]
    small = _class_with_students(factories, teacher, school["persona"], 2)
    large = _class_with_students(factories, teacher, school["persona"], 6)
    client = client_as(teacher)
    client.get(f"/classes/{small.id}/dashboard")  # warm what the first request loads once
    counts = []
    for klass in (small, large):
        db.session.expire_all()
        url = f"/classes/{klass.id}/dashboard{suffix}"
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[0] < 40, counts


@pytest.mark.parametrize("endpoint", sorted(authz.CASES))
@pytest.mark.parametrize("role", ["anonymous", "student", "other_student", "other_teacher",
                                  "teacher", "admin"])
def test_only_the_class_staff_reach_the_overview(school, client_as, endpoint, role):
    """The matrix cases of tests/dashboard/authz.py, run here too (the lead adds the module to
    tests/test_authorization.py)."""
    user = None if role == "anonymous" else school[role]
    for case in authz.CASES[endpoint]:
        url = case.url(school)
        response = client_as(user).open(url, method=case.method, data=case.data)
        expected = case.expected[role]
        if expected == LOGIN:
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code == expected, f"{url} as {role}: {response.status_code}"
