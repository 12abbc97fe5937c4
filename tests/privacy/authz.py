"""The data-rights routes in the authorization matrix (tests/test_authorization.py).

A student reads their own data page and downloads their own archive (staff have no such page:
403). A student's archive and erasure belong to the teachers of the class and the admins. The
erase form is tried with a wrong confirmation (the page again, nothing erased), then for real
on a student made for it, so that nobody else's cases lose their objects.
"""

from __future__ import annotations

from sandbox.accounts.models import Role
from sandbox.accounts.services import build_user
from sandbox.extensions import db
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case, staff_of_the_class

ERASABLE = "zoe.erasable"


def add_entries(school: dict) -> dict:
    erasable = build_user(username=ERASABLE, role=Role.STUDENT, first_name="Zoé",
                          last_name="Erasable", password=None, class_id=school["class"].id)
    db.session.commit()
    return {"privacy_erasable": erasable}


def _students_only() -> dict[str, int | str]:
    return {"anonymous": LOGIN, "student": OK, "other_student": OK,
            "other_teacher": FORBIDDEN, "teacher": FORBIDDEN, "admin": FORBIDDEN}


def _student_url(school: dict, end: str, student_key: str = "student") -> str:
    return f"/classes/{school['class'].id}/students/{school[student_key].id}/{end}"


CASES: dict[str, list[Case]] = {
    "privacy.own_data": [Case("GET", lambda s: "/account/data", _students_only())],
    "privacy.own_archive": [Case("GET", lambda s: "/account/data.zip", _students_only())],
    "privacy.student_archive": [
        Case("GET", lambda s: _student_url(s, "data.zip"), staff_of_the_class()),
        # Nina is not in that class: no such student there.
        Case("GET", lambda s: _student_url(s, "data.zip", "other_student"),
             staff_of_the_class(NOT_FOUND)),
    ],
    "privacy.erase": [
        Case("GET", lambda s: _student_url(s, "erase"), staff_of_the_class()),
        Case("POST", lambda s: _student_url(s, "erase"), staff_of_the_class(OK),
             data={"username": "not-the-username"}),
        Case("POST", lambda s: _student_url(s, "erase", "privacy_erasable"),
             staff_of_the_class(REDIRECT), data={"username": ERASABLE}),
    ],
}
