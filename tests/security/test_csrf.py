"""CSRF: every state-changing route refuses a request without the form's token.

Each POST of the authorization matrix is sent as a role that may make it, with CSRF checking on
(the suite turns it off elsewhere) and no token: the answer is the "form expired" page (400),
before the view runs. The same request with the session's token gets past the check.
"""

from __future__ import annotations

import re

from sandbox.extensions import csrf
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND
from tests.test_authorization import MATRIX, school_with_entries  # noqa: F401 (fixture)

# Who is tried first: a student, then staff, then whoever the route is for.
PREFERENCE = ("student", "teacher", "admin", "other_student", "other_teacher", "anonymous")
REFUSED = {LOGIN, FORBIDDEN, NOT_FOUND}
EXPIRED = "Le formulaire a expiré ou a été envoyé depuis un autre site."
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def test_no_view_or_blueprint_is_exempt():
    assert not csrf._exempt_views
    assert not csrf._exempt_blueprints


def test_every_state_changing_request_without_a_token_is_refused(app, school_with_entries,
                                                                 client_as):
    school = school_with_entries
    # Logged in first (the login form is one of the routes checked); refused requests change
    # nothing, so each role's client serves all of its requests.
    clients = {role: client_as(None if role == "anonymous" else school[role])
               for role in PREFERENCE}
    app.config["WTF_CSRF_ENABLED"] = True
    tried: set[str] = set()
    for endpoint, cases in MATRIX.items():
        for case in cases:
            if case.method == "GET":
                continue
            role = next((r for r in PREFERENCE if case.expected[r] not in REFUSED), None)
            if role is None:  # nobody may (an id out of range is not even a route)
                continue
            url = case.url(school)
            response = clients[role].open(url, method=case.method, data=case.data)
            where = f"{case.method} {url} ({endpoint}) as {role}"
            assert response.status_code == 400, f"{where}: {response.status_code}"
            assert EXPIRED in response.get_data(as_text=True), where
            tried.add(endpoint)
    assert len(tried) > 100


def test_the_sessions_token_gets_past_the_check(app, school):
    from tests.conftest import login_client

    client = login_client(app, school["student"])
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/").get_data(as_text=True)
    token = TOKEN.search(page)
    assert token, "the page offers its CSRF token to scripts"
    followed = client.post(f"/follows/people/{school['classmate'].id}",
                           data={"csrf_token": token.group(1)})
    assert followed.status_code == 302
    by_header = client.post(f"/follows/people/{school['classmate'].id}/delete",
                            headers={"X-CSRFToken": token.group(1)})
    assert by_header.status_code == 302
