"""Authorization matrix cases for the group routes (see tests/test_authorization).

The teacher created three groups and is the admin of each:
- the class group of lea's class (lea and hugo members): outside that class (nina, the other
  teacher) it does not exist, 404, never 403;
- a school-wide open group (lea a member);
- a school-wide group on request, where hugo is waiting for an answer.
The school's admin finds every group and, like the teachers of a class group's class, may do
what its admins do (moderation, taking over a group whose admins left).
"""

from __future__ import annotations

from sandbox.groups.models import Group, JoinPolicy, MembershipStatus
from sandbox.groups.services import create_group
from tests.authz import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case, logged_in
from tests.groups.helpers import DESCRIPTION, add_member

CLASS_GROUP = "groups_class_slug"
WIDE_GROUP = "groups_wide_slug"
REQUEST_GROUP = "groups_request_slug"

# Lea's class group: found by her class, its teacher and the admin only.
IN_LEAS_CLASS = {"other_student": NOT_FOUND, "other_teacher": NOT_FOUND}
ONLY_ITS_ADMIN = {**logged_in(FORBIDDEN), "teacher": REDIRECT, "admin": REDIRECT}
CREATORS = {**logged_in(OK), "student": FORBIDDEN, "other_student": FORBIDDEN}
EDITORS = {**logged_in(FORBIDDEN), **IN_LEAS_CLASS, "teacher": OK, "admin": OK}
EMPTY_FORM = {"name": "", "description": "", "join_policy": "open"}


def _url(key: str, tail: str = "") -> object:
    return lambda s: f"/groups/{s[key]}{tail}"


def _member_url(key: str, person: str, tail: str) -> object:
    return lambda s: f"/groups/{s[key]}/members/{s[person].id}{tail}"


def _request_url(person: str, answer: str) -> object:
    return lambda s: f"/groups/{s[REQUEST_GROUP]}/requests/{s[person].id}/{answer}"


CASES: dict[str, list[Case]] = {
    "groups.index": [
        Case("GET", lambda s: "/groups/", logged_in(OK)),
        Case("GET", lambda s: "/groups/?q=%23export", logged_in(OK)),
    ],
    "groups.create": [
        Case("GET", lambda s: "/groups/new", CREATORS),
        # An empty form: the page again with its errors, nothing created.
        Case("POST", lambda s: "/groups/new", CREATORS, data=EMPTY_FORM),
    ],
    "groups.show": [
        Case("GET", _url(CLASS_GROUP), {**logged_in(OK), **IN_LEAS_CLASS}),
        Case("GET", _url(WIDE_GROUP), logged_in(OK)),
        Case("GET", lambda s: "/groups/no-such-group", logged_in(NOT_FOUND)),
    ],
    "groups.edit": [
        Case("GET", _url(CLASS_GROUP, "/edit"), EDITORS),
        Case("POST", _url(CLASS_GROUP, "/edit"), EDITORS, data=EMPTY_FORM),
        Case("GET", _url(WIDE_GROUP, "/edit"), {**logged_in(FORBIDDEN), "teacher": OK,
                                                "admin": OK}),
    ],
    "groups.members": [
        Case("GET", _url(CLASS_GROUP, "/members"), {**logged_in(OK), **IN_LEAS_CLASS}),
        Case("GET", _url(REQUEST_GROUP, "/members"), logged_in(OK)),
    ],
    "groups.join": [
        Case("POST", _url(CLASS_GROUP, "/join"), {**logged_in(REDIRECT), **IN_LEAS_CLASS}),
        Case("POST", _url(WIDE_GROUP, "/join"), logged_in(REDIRECT)),
    ],
    "groups.cancel_request": [
        Case("POST", _url(CLASS_GROUP, "/request/cancel"),
             {**logged_in(REDIRECT), **IN_LEAS_CLASS}),
    ],
    "groups.leave": [
        Case("POST", _url(CLASS_GROUP, "/leave"), {**logged_in(REDIRECT), **IN_LEAS_CLASS}),
    ],
    "groups.accept": [
        Case("POST", _request_url("classmate", "accept"), ONLY_ITS_ADMIN),
    ],
    "groups.decline": [
        Case("POST", _request_url("classmate", "decline"), ONLY_ITS_ADMIN),
    ],
    "groups.make_admin": [
        Case("POST", _member_url(CLASS_GROUP, "student", "/admin"),
             {**ONLY_ITS_ADMIN, **IN_LEAS_CLASS}),
    ],
    "groups.remove_admin": [
        Case("POST", _member_url(CLASS_GROUP, "student", "/admin/remove"),
             {**ONLY_ITS_ADMIN, **IN_LEAS_CLASS}),
    ],
    "groups.remove_member": [
        Case("POST", _member_url(CLASS_GROUP, "classmate", "/remove"),
             {**ONLY_ITS_ADMIN, **IN_LEAS_CLASS}),
    ],
}


def add_entries(school: dict) -> dict:
    """The three groups of the cases above; their slugs, by name."""
    teacher = school["teacher"]

    def group(name: str, policy: JoinPolicy, class_id: int | None = None) -> Group:
        return create_group(teacher, name, DESCRIPTION, "#export", policy, class_id)

    in_class = group("Atelier réseau pro", JoinPolicy.OPEN, school["class"].id)
    wide = group("Commerce international", JoinPolicy.OPEN)
    on_request = group("Stages et alternances", JoinPolicy.REQUEST)
    add_member(in_class, school["student"])
    add_member(in_class, school["classmate"])
    add_member(wide, school["student"])
    add_member(on_request, school["classmate"], status=MembershipStatus.PENDING)
    return {CLASS_GROUP: in_class.slug, WIDE_GROUP: wide.slug, REQUEST_GROUP: on_request.slug}
