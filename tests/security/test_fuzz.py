"""Fuzzing the forms and JSON endpoints: whatever is sent, the answer is never a server error.

Hypothesis draws a request from the authorization matrix (every route), as a role allowed to
make it, and replaces its fields with arbitrary text (any Unicode, control characters, NUL,
very long), adds unknown fields, or sends arbitrary JSON; GET routes get arbitrary query
parameters. The app must answer with a page or a refusal (2xx, 3xx, 4xx), never a 500.
Derandomized, so that a failure shows again on the next run.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.accounts.models import User
from sandbox.extensions import db
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND
from tests.test_authorization import MATRIX, school_with_entries  # noqa: F401 (fixture)

PREFERENCE = ("student", "teacher", "admin", "other_student", "other_teacher", "anonymous")
REFUSED = {LOGIN, FORBIDDEN, NOT_FOUND}
CASES = [(endpoint, case) for endpoint, cases in sorted(MATRIX.items()) for case in cases]
WRITES = [(endpoint, case) for endpoint, case in CASES if case.method != "GET"]
READS = [(endpoint, case) for endpoint, case in CASES if case.method == "GET"]

# Text a browser could send: any character but lone surrogates (not encodable in UTF-8).
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999999999999", "1e309", "NaN",
                     "true", "null", "[]", "{}", "../../etc/passwd", "%00", "é" * 5000,
                     "<script>alert(1)</script>", "' OR 1=1 --", "\u202e", "😀" * 100]),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=8,
)


def _role(case) -> str:  # type: ignore[no-untyped-def]
    return next((r for r in PREFERENCE if case.expected[r] not in REFUSED), "student")


def _client(school, app, case):  # type: ignore[no-untyped-def]
    """A client with the role's session, made without the login form: an earlier example may
    have changed the password, logged everyone out or erased the account (then: anonymous)."""
    client = app.test_client()
    role = _role(case)
    if role != "anonymous":
        user = db.session.get(User, school[role].id)
        if user is not None:
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
    return client


@pytest.fixture
def world(app, school_with_entries):  # type: ignore[no-untyped-def]
    return school_with_entries, app


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=st.sampled_from(WRITES), fields=st.data())
def test_forms_never_answer_a_server_error(world, chosen, fields):
    school, app = world
    endpoint, case = chosen
    names = list(case.data or {}) + ["body", "text", "name", "message", "q"]
    data = fields.draw(st.dictionaries(st.sampled_from(names) | TEXT, TEXT, max_size=6))
    url = case.url(school)
    response = _client(school, app, case).open(url, method=case.method, data=data)
    response.close()
    assert response.status_code < 500, f"{case.method} {url} ({endpoint}) with {data!r}"


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=st.sampled_from(WRITES), body=JSON)
def test_json_bodies_never_answer_a_server_error(world, chosen, body):
    school, app = world
    endpoint, case = chosen
    url = case.url(school)
    response = _client(school, app, case).open(url, method=case.method, json=body)
    response.close()
    assert response.status_code < 500, f"{case.method} {url} ({endpoint}) with {body!r}"


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=st.sampled_from(READS),
       query=st.dictionaries(st.sampled_from(["page", "before", "sort", "dir", "q", "start",
                                              "end", "format", "fragment", "kind", "next",
                                              "findings", "lang", "tab"]) | TEXT, TEXT,
                             max_size=4))
def test_query_strings_never_answer_a_server_error(world, chosen, query):
    school, app = world
    endpoint, case = chosen
    path, _, given_query = case.url(school).partition("?")
    url = path + "?" + urlencode([*parse_qsl(given_query), *query.items()])
    response = _client(school, app, case).get(url)
    response.close()
    assert response.status_code < 500, f"GET {url} ({endpoint}) with {query!r}"
