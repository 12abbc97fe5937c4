"""The dashboard's page of one student in the authorization matrix (tests/test_authorization.py).

Only the class's teachers and the admins read it: the student themself, a student or a teacher
of another class are refused; a student of another class, or no student at all, is not found
under this class's address (for those who may read the class at all); so is a huge id.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, NOT_FOUND, OK, Case, everyone, logged_in, staff_of_the_class


def add_entries(school: dict) -> dict:
    return {}


def _page(school: dict, student_id: int, class_key: str = "class") -> str:
    return f"/classes/{school[class_key].id}/dashboard/students/{student_id}"


CASES: dict[str, list[Case]] = {
    "dashboard.student": [
        Case("GET", lambda s: _page(s, s["student"].id), staff_of_the_class()),
        Case("GET", lambda s: _page(s, s["student"].id) + "?start=2026-01-05&end=2026-03-01",
             staff_of_the_class()),
        Case("GET", lambda s: _page(s, s["student"].id) + "?before=99999999&start=nope",
             staff_of_the_class()),
        Case("GET", lambda s: _page(s, s["other_student"].id, "other_class"),
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: _page(s, s["other_student"].id),
             {**logged_in(FORBIDDEN), "teacher": NOT_FOUND, "admin": NOT_FOUND}),
        Case("GET", lambda s: _page(s, s["teacher"].id),
             {**logged_in(FORBIDDEN), "teacher": NOT_FOUND, "admin": NOT_FOUND}),
        Case("GET", lambda s: _page(s, 99999999),
             {**logged_in(FORBIDDEN), "teacher": NOT_FOUND, "admin": NOT_FOUND}),
        Case("GET", lambda s: f"/classes/{s['class'].id}/dashboard/students/"
                              "99999999999999999999", everyone(NOT_FOUND)),
    ],
}
