"""The class charter's routes in the authorization matrix (tests/test_authorization.py).

The editor and the signatures are for the class's teachers and the admins (who manage every
class); a student or another class's teacher is refused, a class that does not exist is 404.
The students' pages are theirs: staff are sent to their classes. Every student of the matrix
has signed (the factories sign for them), so the sign page sends them on.

Nothing here changes the charter: the POST to the editor is invalid (the page comes back), the
reset finds the rules already as in the default charter.
"""

from __future__ import annotations

from tests.authz import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Case,
    logged_in,
    staff_of_the_class,
)


def add_entries(school: dict) -> dict:
    return {}


def _students(student: int, staff: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "student": student, "other_student": student,
            "other_teacher": staff, "teacher": staff, "admin": staff}


CASES: dict[str, list[Case]] = {
    "charter.edit": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/charter", staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/charter",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/charter", logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"/classes/{s['class'].id}/charter", staff_of_the_class(),
             data={"school_domains": "pas un domaine"}),
    ],
    "charter.reset": [
        Case("POST", lambda s: f"/classes/{s['class'].id}/charter/reset",
             staff_of_the_class(REDIRECT)),
        Case("POST", lambda s: "/classes/99999999/charter/reset", logged_in(NOT_FOUND)),
    ],
    "charter.signatures": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/charter/signatures",
             staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/charter/signatures",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/charter/signatures", logged_in(NOT_FOUND)),
    ],
    # The lead's API (sandbox/charter/api.py): logged in only; a form instead of JSON is a 400.
    "charter_api.check": [
        Case("POST", lambda s: "/api/charter/check", logged_in(400), data={"text": "Bonjour"}),
    ],
    "charter.show": [Case("GET", lambda s: "/charter", _students(OK, REDIRECT))],
    "charter.sign": [
        Case("GET", lambda s: "/charter/sign", logged_in(REDIRECT)),
        Case("POST", lambda s: "/charter/sign", _students(REDIRECT, FORBIDDEN),
             data={"agree": "y", "version": "1"}),
    ],
}
