"""The exercises' part of the authorization matrix, tried as every role (the whole matrix runs
them too once `tests.exercises.authz` is listed there), and no exercise route left out."""

from __future__ import annotations

import pytest

from tests.authz import LOGIN, ROLES
from tests.exercises import authz


def test_every_exercise_route_has_a_case(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("exercises.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(endpoint, case.method) for endpoint, cases in authz.CASES.items()
               for case in cases}
    assert routes == covered


@pytest.mark.parametrize("role", ROLES)
def test_the_exercise_routes_as_each_role(role, school, client_as):
    entries = {**school, **authz.add_entries(school)}
    user = None if role == "anonymous" else school[role]
    for endpoint, cases in authz.CASES.items():
        for case in cases:
            url = case.url(entries)
            response = client_as(user).open(url, method=case.method, data=case.data)
            expected = case.expected[role]
            where = f"{case.method} {url} ({endpoint}) as {role}"
            if expected == LOGIN:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code == expected, f"{where}: {response.status_code}"
