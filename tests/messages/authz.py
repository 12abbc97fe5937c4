"""The messages routes in the authorization matrix (tests/test_authorization.py).

In `school_with_entries`, Léa (student) and Hugo (classmate) are connected; Hugo wrote to Léa.
Nobody is connected with the persona Claire.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case, logged_in

# Hugo's thread: his classmate Léa and his teacher see him; the other class does not.
SEES_HUGO = {**logged_in(OK), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}
STAFF_OF_LEA = {**logged_in(NOT_FOUND), "teacher": OK, "admin": OK}

CASES: dict[str, list[Case]] = {
    "messages.index": [Case("GET", lambda s: "/messages/", logged_in(OK))],
    "messages.thread": [
        Case("GET", lambda s: f"/messages/{s['classmate'].id}", SEES_HUGO),
        Case("GET", lambda s: f"/messages/{s['persona'].id}", logged_in(OK)),
        Case("GET", lambda s: "/messages/99999999", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/messages/99999999999999999999", logged_in(NOT_FOUND, NOT_FOUND)),
    ],
    "messages.send": [
        # Léa (connected) and Hugo's teacher may write; the admin sees him but does not chat.
        Case("POST", lambda s: f"/messages/{s['classmate'].id}",
             {**SEES_HUGO, "student": REDIRECT, "teacher": REDIRECT, "admin": FORBIDDEN},
             data={"body": "Bonjour Hugo"}),
        Case("POST", lambda s: f"/messages/{s['persona'].id}", logged_in(FORBIDDEN),
             data={"body": "Bonjour Madame"}),
        Case("POST", lambda s: f"/messages/{s['student'].id}",
             {**logged_in(NOT_FOUND), "student": NOT_FOUND, "teacher": REDIRECT,
              "other_student": NOT_FOUND, "admin": FORBIDDEN}, data={"body": "Bonjour Léa"}),
    ],
    "messages.since": [
        Case("GET", lambda s: f"/messages/{s['classmate'].id}/since/0", SEES_HUGO),
        Case("GET", lambda s: "/messages/99999999/since/0", logged_in(NOT_FOUND)),
    ],
    "messages.student_threads": [
        Case("GET", lambda s: f"/messages/students/{s['student'].id}",
             {**STAFF_OF_LEA, "student": REDIRECT}),
        Case("GET", lambda s: f"/messages/students/{s['classmate'].id}", STAFF_OF_LEA),
        Case("GET", lambda s: f"/messages/students/{s['teacher'].id}",
             {**logged_in(NOT_FOUND), "teacher": REDIRECT}),
        Case("GET", lambda s: "/messages/students/99999999", logged_in(NOT_FOUND)),
    ],
    "messages.student_thread": [
        Case("GET", lambda s: f"/messages/students/{s['student'].id}/{s['classmate'].id}",
             {**STAFF_OF_LEA, "student": REDIRECT}),
        Case("GET", lambda s: f"/messages/students/{s['classmate'].id}/{s['persona'].id}",
             logged_in(NOT_FOUND)),  # no such conversation
    ],
}


def add_entries(school: dict) -> dict:
    """Hugo writes to Léa, so that there is a thread to read and to review."""
    from sandbox.messages.services import send_message

    message = send_message(school["classmate"], school["student"].id, "Salut Léa, ça va ?")
    return {"hugo_to_lea": message}
