"""The class overview's routes in the authorization matrix (tests/test_authorization.py).

Only the class's teachers and the admins read a class's dashboard, its table body (the live
updater's `?fragment=rows`) and its CSV; students and another class's teacher are refused, a
class that does not exist is 404 for everyone logged in. Nothing here writes.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, NOT_FOUND, OK, Case, everyone, logged_in, staff_of_the_class


def add_entries(school: dict) -> dict:
    return {}


def _overview(school: dict, suffix: str = "") -> str:
    return f"/classes/{school['class'].id}/dashboard{suffix}"


CASES: dict[str, list[Case]] = {
    "dashboard.overview": [
        Case("GET", lambda s: _overview(s), staff_of_the_class()),
        Case("GET", lambda s: _overview(s, "?fragment=rows"), staff_of_the_class()),
        Case("GET", lambda s: _overview(s, "?sort=findings&dir=desc&findings=1&start=2026-01-01"),
             staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/dashboard",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/dashboard", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/classes/99999999/dashboard?fragment=rows",
             logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/classes/99999999999999999999/dashboard", everyone(NOT_FOUND)),
    ],
    "dashboard.activity_csv": [
        Case("GET", lambda s: _overview(s, "/activity.csv"), staff_of_the_class()),
        Case("GET", lambda s: _overview(s, "/activity.csv?format=en&q=lea"),
             staff_of_the_class()),
        Case("GET", lambda s: "/classes/99999999/dashboard/activity.csv", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/classes/99999999999999999999/dashboard/activity.csv",
             everyone(NOT_FOUND)),
    ],
}
