"""The dashboard's charts: weekly series from known activity, the class's network, the table
alternative in the page, who may read them, and a query count that does not grow with the class."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import flask
import pytest
from flask_login import login_user

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.dashboard.charts import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    Scope,
    activity_chart,
    class_charts,
    findings_chart,
    plan_weeks,
    scope_grid,
    student_charts,
)
from sandbox.dashboard.class_network import class_network
from sandbox.dashboard.periods import period_from_args
from sandbox.extensions import db
from sandbox.network.services import connect

# Six weeks of 2025 (Monday 1 September to Sunday 12 October), well after the class began.
PERIOD = {"start": "2025-09-01", "end": "2025-10-12"}
WEEK_A = datetime(2025, 9, 2, 9, 0)  # a Tuesday of the first week (UTC)
WEEK_B = datetime(2025, 9, 17, 14, 0)  # a Wednesday of the third week


@pytest.fixture
def klass(school):  # type: ignore[no-untyped-def]
    klass = school["class"]
    klass.created_at = datetime(2025, 8, 20)
    db.session.commit()
    return klass


def event(user, kind: str, when: datetime,  # type: ignore[no-untyped-def]
          class_id: int | None = None) -> None:
    db.session.add(ActivityEvent(user_id=user.id if user else None,
                                 class_id=class_id if class_id else user.class_id,
                                 kind=kind, created_at=when, data={}))


def finding(user, category: str, when: datetime) -> None:  # type: ignore[no-untyped-def]
    db.session.add(CharterFinding(
        user_id=user.id, class_id=user.class_id, content_kind="post", category=category,
        severity=Severity.COACH, outcome=FindingOutcome.FIXED, created_at=when))


def chosen(args: dict[str, str] = PERIOD):  # type: ignore[no-untyped-def]
    return period_from_args(args)


def series(chart) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    return {entry.key: entry.values for entry in chart.series}


# ---- which weeks -------------------------------------------------------------------------


def test_by_default_the_last_sixteen_weeks_up_to_the_last_activity():
    weeks, cut = plan_weeks(None, None, first_seen=date(2025, 1, 6), last_seen=date(2025, 6, 4),
                            class_start=date(2024, 9, 2), today=date(2026, 1, 1))
    assert len(weeks) == DEFAULT_WEEKS and not cut
    assert weeks[-1] == date(2025, 6, 2) and all(week.weekday() == 0 for week in weeks)


def test_a_young_class_starts_at_its_first_week_and_an_idle_one_ends_today():
    weeks, _ = plan_weeks(None, None, first_seen=None, last_seen=None,
                          class_start=date(2026, 11, 4), today=date(2026, 11, 22))
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


def test_a_chosen_range_is_kept_within_the_class_life_and_a_long_one_is_cut():
    kept, _ = plan_weeks(date(2020, 1, 1), date(2030, 1, 1), first_seen=None, last_seen=None,
                         class_start=date(2026, 9, 1), today=date(2026, 11, 22))
    assert (kept[0], kept[-1]) == (date(2026, 8, 31), date(2026, 11, 16))
    before, _ = plan_weeks(date(2019, 1, 1), date(2019, 2, 1), first_seen=None, last_seen=None,
                           class_start=date(2026, 9, 1), today=date(2026, 11, 22))
    assert before == []
    long, cut = plan_weeks(date(2020, 1, 6), None, first_seen=None, last_seen=None,
                           class_start=date(2020, 1, 6), today=date(2026, 11, 22))
    assert cut and len(long) == MAX_WEEKS and long[-1] == date(2026, 11, 16)


# ---- the weekly series ---------------------------------------------------------------------


def test_activity_per_week_counts_what_the_students_did(school, klass):
    lea, hugo, nina = school["student"], school["classmate"], school["other_student"]
    for _ in range(3):
        event(lea, "post_created", WEEK_A)
    event(hugo, "post_created", WEEK_B)
    event(hugo, "commented", WEEK_B)
    event(lea, "invitation_sent", WEEK_A)
    event(lea, "followed_company", WEEK_B)
    event(lea, "logged_in", WEEK_A)  # not an action on the network
    event(nina, "post_created", WEEK_A)  # another class
    event(None, "commented", WEEK_A, class_id=klass.id)  # an erased student's, still counted
    event(lea, "post_created", datetime(2025, 10, 20))  # after the period
    db.session.commit()

    scope = Scope(klass)
    chart = activity_chart(scope, scope_grid(scope, chosen()))

    assert chart.weeks == [date(2025, 9, 1) + timedelta(weeks=i) for i in range(6)]
    assert series(chart) == {
        "posts": [3, 0, 1, 0, 0, 0], "comments": [1, 0, 1, 0, 0, 0],
        "invitations": [1, 0, 0, 0, 0, 0], "other": [0, 0, 1, 0, 0, 0],
    }
    assert chart.total == 8 and chart.busiest == (date(2025, 9, 1), 5)


def test_weeks_follow_the_school_clock_across_summer_time(school, klass):
    lea = school["student"]
    event(lea, "post_created", datetime(2025, 9, 7, 22, 30))  # Monday 8 Sept 00:30 in Paris
    event(lea, "post_created", datetime(2025, 10, 26, 22, 30))  # Sunday 26 Oct 23:30 (winter)
    event(lea, "post_created", datetime(2025, 10, 26, 23, 30))  # Monday 27 Oct 00:30
    db.session.commit()
    scope = Scope(klass, lea.id)
    chart = activity_chart(scope, scope_grid(scope, chosen({"start": "2025-09-01",
                                                            "end": "2025-11-02"})))
    posts = dict(zip(chart.weeks, series(chart)["posts"], strict=True))
    assert posts[date(2025, 9, 8)] == 1 and posts[date(2025, 9, 1)] == 0
    assert posts[date(2025, 10, 20)] == 1 and posts[date(2025, 10, 27)] == 1


def test_findings_per_category_per_week(school, klass):
    lea, hugo, nina = school["student"], school["classmate"], school["other_student"]
    finding(lea, "phone", WEEK_A)
    finding(hugo, "phone", WEEK_A)
    finding(lea, "sms", WEEK_B)
    finding(nina, "insult", WEEK_A)  # another class
    db.session.commit()

    scope = Scope(klass)
    chart = findings_chart(scope, scope_grid(scope, chosen()))
    assert series(chart) == {"phone": [2, 0, 0, 0, 0, 0], "sms": [0, 0, 1, 0, 0, 0]}
    assert [entry.label for entry in chart.series] == ["Numéro de téléphone", "Langage SMS"]
    assert chart.top_series.key == "phone"

    mine = student_charts(klass, hugo, chosen())
    assert series(mine.findings) == {"phone": [1, 0, 0, 0, 0, 0]}


def test_a_student_chart_counts_only_that_student(school, klass):
    lea, hugo = school["student"], school["classmate"]
    event(lea, "post_created", WEEK_A)
    event(hugo, "commented", WEEK_A)
    db.session.commit()
    charts = student_charts(klass, lea, chosen())
    assert series(charts.activity)["posts"][0] == 1 and charts.activity.total == 1
    assert charts.network is None


# ---- the network -------------------------------------------------------------------------


def test_the_network_holds_the_class_and_its_professionals_only(school, factories):
    lea, hugo, nina = school["student"], school["classmate"], school["other_student"]
    claire, teacher = school["persona"], school["teacher"]
    stranger = factories.make_persona(username="marc.inconnu")
    connect(lea, hugo)
    connect(lea, claire)
    connect(hugo, claire)
    connect(lea, nina)  # a student of another class never appears
    connect(nina, stranger)  # nor the professionals only she knows
    connect(lea, teacher)  # nor teachers
    db.session.commit()

    network = class_network(school["class"], teacher)

    assert [node.id for node in network.students] == [lea.id, hugo.id]
    assert [node.id for node in network.personas] == [claire.id]
    assert sorted(network.edges) == sorted([(min(lea.id, hugo.id), max(lea.id, hugo.id)),
                                            (lea.id, claire.id), (hugo.id, claire.id)])
    persona = network.personas[0]
    assert persona.company == claire.persona.company.name and persona.kind == "persona"
    by_id = {node.id: node for node in network.students}
    assert [node.id for node in by_id[lea.id].classmates] == [hugo.id]
    assert by_id[hugo.id].degree == 2 and network.isolated == []
    data = network.as_json()
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 3
    assert {node["name"] for node in data["nodes"]} >= {lea.name_for(teacher)}
    # Students on the inner ring, professionals outside it.
    radius = [round((node["x"] ** 2 + node["y"] ** 2) ** .5, 2) for node in data["nodes"]]
    assert radius == [1.0, 1.0, 1.6]


def test_a_teacher_sees_the_real_name_behind_a_pseudonym(school):
    lea = school["student"]
    lea.pseudonym = "Léa K."
    db.session.commit()
    network = class_network(school["class"], school["teacher"])
    assert network.students[0].name == "Léa K. (Lea Martin)"
    assert [node.id for node in network.isolated] == [lea.id, school["classmate"].id]


# ---- the page and the JSON -----------------------------------------------------------------


def test_the_partial_shows_summaries_tables_and_the_data(app, school, klass):
    lea = school["student"]
    for when in (WEEK_A, WEEK_A, WEEK_A, WEEK_B):
        event(lea, "post_created", when)
    finding(lea, "phone", WEEK_A)
    connect(lea, school["persona"])
    db.session.commit()

    with app.test_request_context("/?start=2025-09-01&end=2025-10-12"):
        login_user(school["teacher"])
        html = flask.render_template("dashboard/_class_charts.html", klass=klass,
                                     chosen=period_from_args(flask.request.args))

    assert "Afficher les chiffres sous forme de tableau" in html
    assert html.count('<table class="table chart-table') == 3
    assert 'data-chart="activity"' in html and 'data-chart="network"' in html
    assert "1 sept. 2025" in html  # the week, in French
    assert school["persona"].name_for(school["teacher"]) in html
    payload = html.split('data-charts-data>', 1)[1].split("</script>", 1)[0]
    data = json.loads(payload)
    assert data["activity"]["series"][0]["values"] == [3, 0, 1, 0, 0, 0]
    assert data["findings"]["series"][0]["key"] == "phone"
    assert len(data["network"]["nodes"]) == 3


def test_empty_charts_say_so_and_draw_nothing(app, school, klass):
    with app.test_request_context("/"):
        login_user(school["teacher"])
        html = flask.render_template("dashboard/_student_charts.html", klass=klass,
                                     student=school["student"], chosen=period_from_args({}))
    assert 'data-chart="activity"' not in html and "<table" not in html
    assert html.count('class="chart__summary"') == 3


def test_the_partial_refuses_a_teacher_of_another_class(app, school, klass):
    from sandbox.core.errors import PermissionDenied

    with app.test_request_context("/"):
        login_user(school["other_teacher"])
        with pytest.raises(PermissionDenied):
            flask.render_template("dashboard/_class_charts.html", klass=klass,
                                  chosen=period_from_args({}))


def test_the_json_endpoints(school, klass, client_as):
    lea = school["student"]
    event(lea, "post_created", WEEK_A)
    db.session.commit()
    teacher = client_as(school["teacher"])

    response = teacher.get(f"/classes/{klass.id}/dashboard/charts.json", query_string=PERIOD)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert response.json["activity"]["series"][0]["values"][0] == 1
    assert response.json["activity"]["weeks"][0] == "1 sept."
    own = teacher.get(f"/classes/{klass.id}/dashboard/students/{lea.id}/charts.json",
                      query_string=PERIOD)
    assert own.json["activity"]["total"] == 1 and "network" not in own.json
    unreadable = teacher.get(f"/classes/{klass.id}/dashboard/charts.json?start=demain")
    assert unreadable.status_code == 200 and unreadable.json["error"]

    section = teacher.get(f"/classes/{klass.id}/dashboard/charts.json",
                          query_string={**PERIOD, "fragment": "section"})
    assert section.status_code == 200 and section.mimetype == "text/html"
    html = section.get_data(as_text=True)
    assert "data-charts-data" in html and "fragment" not in html.split("data-charts-src=")[1][:200]

    for who in ("other_teacher", "student"):
        refused = client_as(school[who]).get(f"/classes/{klass.id}/dashboard/charts.json")
        assert refused.status_code == 403
    other = school["other_student"]
    assert teacher.get(f"/classes/{klass.id}/dashboard/students/{other.id}/charts.json"
                       ).status_code == 404


def test_the_query_count_does_not_grow_with_the_class(school, klass, factories,
                                                      count_queries):
    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            charts = class_charts(klass, chosen(), school["teacher"])
            charts.as_json()
        return counter.count

    claire = school["persona"]
    connect(school["student"], claire)
    event(school["student"], "post_created", WEEK_A)
    db.session.commit()
    small = measure()
    for number in range(4):
        student = factories.make_student(klass, username=f"eleve.numero{number}")
        connect(student, claire)
        connect(student, factories.make_persona(username=f"pro.numero{number}"))
        event(student, "commented", WEEK_B)
        finding(student, "sms", WEEK_B)
    db.session.commit()
    assert measure() == small
