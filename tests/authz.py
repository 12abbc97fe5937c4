"""What the authorization matrix is made of: the roles, the expected answers and a case.

`tests/test_authorization.py` tries every route as every role. Each feature adds its routes in
`tests/<feature>/authz.py`: a `CASES` dict (endpoint -> cases) and `add_entries(school)`, which
creates the objects those cases need and returns them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROLES = ("anonymous", "student", "other_student", "other_teacher", "teacher", "admin")
LOGIN = "login"  # an anonymous visitor is sent to the login page

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
RECOMMENDATION = "Une recommandation assez longue pour être acceptée."


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[dict], str]
    expected: dict[str, int | str]
    data: dict | None = None


def staff_of_the_class(ok: int = OK) -> dict[str, int | str]:
    return {
        "anonymous": LOGIN,
        "student": FORBIDDEN,
        "other_student": FORBIDDEN,
        "other_teacher": FORBIDDEN,
        "teacher": ok,
        "admin": ok,
    }


def any_staff(ok: int = OK) -> dict[str, int | str]:
    return {**staff_of_the_class(ok), "other_teacher": ok}


def admin_only() -> dict[str, int | str]:
    return {**staff_of_the_class(), "teacher": FORBIDDEN}


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def logged_in(status: int, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    return {**everyone(status), "anonymous": anonymous}
