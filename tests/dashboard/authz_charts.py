"""The charts' JSON endpoints in the authorization matrix (tests/test_authorization.py).

Only the class's teachers and the admins read them: a student (even the one the chart is about)
and another class's teacher are refused; a class or a student that does not exist, or a student
of another class, is not found.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, NOT_FOUND, OK, Case, logged_in, staff_of_the_class


def add_entries(school: dict) -> dict:
    return {}


def _class(school: dict) -> str:
    return f"/classes/{school['class'].id}/dashboard"


CASES: dict[str, list[Case]] = {
    "dashboard.class_charts": [
        Case("GET", lambda s: f"{_class(s)}/charts.json", staff_of_the_class()),
        Case("GET", lambda s: f"{_class(s)}/charts.json?start=2026-01-05&end=2026-03-01",
             staff_of_the_class()),
        # the HTML the page swaps in during a lesson
        Case("GET", lambda s: f"{_class(s)}/charts.json?fragment=section", staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/dashboard/charts.json",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/dashboard/charts.json", logged_in(NOT_FOUND)),
    ],
    "dashboard.student_charts": [
        Case("GET", lambda s: f"{_class(s)}/students/{s['student'].id}/charts.json",
             staff_of_the_class()),
        Case("GET",
             lambda s: f"{_class(s)}/students/{s['student'].id}/charts.json?fragment=section",
             staff_of_the_class()),
        Case("GET", lambda s: f"{_class(s)}/students/{s['other_student'].id}/charts.json",
             {**logged_in(FORBIDDEN), "teacher": NOT_FOUND, "admin": NOT_FOUND}),
        Case("GET", lambda s: f"{_class(s)}/students/99999999/charts.json",
             {**logged_in(FORBIDDEN), "teacher": NOT_FOUND, "admin": NOT_FOUND}),
    ],
}
