"""A teacher lets the students of a class create groups, from the class settings."""

from __future__ import annotations

import re

from sandbox.extensions import db
from sandbox.groups.services import can_create_groups


def _ticked(page: str) -> bool:
    box = re.search(r'<input[^>]*name="students_create_groups"[^>]*>', page)
    assert box is not None
    return "checked" in box.group(0)


def _settings(klass, **changes):  # type: ignore[no-untyped-def]
    data = {"name": klass.name, "network_scope": klass.network_scope.value,
            "allow_pseudonyms": "y", "weekly_invitation_cap": "25"}
    data.update(changes)
    return data


def test_the_teacher_allows_then_forbids_student_groups(client_as, school):
    klass, lea = school["class"], school["student"]
    teacher = client_as(school["teacher"])
    url = f"/classes/{klass.id}/settings"
    page = teacher.get(url).get_data(as_text=True)
    assert not _ticked(page) and not klass.students_create_groups

    response = teacher.post(url, data=_settings(klass, students_create_groups="y"))
    assert response.status_code == 302
    db.session.refresh(klass)
    assert klass.students_create_groups and can_create_groups(lea)
    assert _ticked(teacher.get(url).get_data(as_text=True))
    assert client_as(lea).get("/groups/new").status_code == 200

    teacher.post(url, data=_settings(klass))  # the box unticked
    db.session.refresh(klass)
    assert not klass.students_create_groups
    assert client_as(lea).get("/groups/new").status_code == 403


def test_another_teacher_cannot_change_the_setting(client_as, school):
    klass = school["class"]
    response = client_as(school["other_teacher"]).post(
        f"/classes/{klass.id}/settings", data=_settings(klass, students_create_groups="y"))
    assert response.status_code == 403
    db.session.refresh(klass)
    assert not klass.students_create_groups


def test_creating_a_class_leaves_student_groups_off(client_as, school):
    assert 'name="students_create_groups"' not in client_as(school["teacher"]).get(
        "/classes/new").get_data(as_text=True)
