"""Every jobs route, tried as every role with the cases of tests/jobs/authz.py.

The whole-app matrix (tests/test_authorization.py) runs the same cases once it lists
`tests.jobs.authz`; this keeps the jobs routes checked on their own as well.
"""

from __future__ import annotations

import pytest

from tests.authz import LOGIN, ROLES
from tests.jobs import authz


def test_every_jobs_route_and_method_has_a_case(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("jobs.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(endpoint, case.method) for endpoint, cases in authz.CASES.items()
               for case in cases}
    assert routes == covered


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_what_it_may(role, school, client_as):
    school = {**school, **authz.add_entries(school)}
    user = None if role == "anonymous" else school[role]
    for endpoint, cases in authz.CASES.items():
        for case in cases:
            url = case.url(school)
            response = client_as(user).open(url, method=case.method, data=case.data)
            where = f"{case.method} {url} ({endpoint}) as {role}"
            expected = case.expected[role]
            if expected == LOGIN:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code == expected, f"{where}: {response.status_code}"
