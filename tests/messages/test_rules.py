"""Who may write to whom: one rule, tried for each pair of roles that matters."""

from __future__ import annotations

import pytest

from sandbox.extensions import db
from sandbox.messages.services import can_message
from sandbox.network.services import connect


@pytest.mark.parametrize(("sender", "recipient", "allowed"), [
    ("student", "classmate", True),  # connected
    ("classmate", "student", True),
    ("student", "persona", True),  # connected: the message waits for whoever plays Claire
    ("student", "teacher", True),  # her own teacher, without being connected
    ("teacher", "student", True),
    ("teacher", "persona", False),  # a persona the teacher is not connected to
    ("student", "other_student", False),  # another class: outside her network
    ("student", "other_teacher", False),
    ("other_teacher", "student", False),  # not her teacher
    ("teacher", "other_teacher", False),  # no class in common
    ("student", "admin", False),
    ("admin", "student", False),  # admins read, they do not chat
    ("student", "student", False),  # oneself
])
def test_who_may_write_to_whom(school, lea, sender, recipient, allowed):
    assert can_message(school[sender], school[recipient]) is allowed


def test_classmates_write_only_once_connected(school, factories):
    lea, hugo = school["student"], school["classmate"]
    assert not can_message(lea, hugo)
    assert not can_message(hugo, lea)
    connect(lea, hugo)
    db.session.commit()
    assert can_message(lea, hugo) and can_message(hugo, lea)


def test_an_unconnected_persona_cannot_be_written_to(school, factories):
    stranger = factories.make_persona(username="marc.rh")
    assert not can_message(school["student"], stranger)


def test_two_teachers_of_a_same_class_write_to_each_other(school, factories):
    colleague = factories.make_teacher(username="prof.colleague")
    school["class"].teachers.append(colleague)
    db.session.commit()
    assert can_message(school["teacher"], colleague)
    assert can_message(colleague, school["teacher"])
    assert not can_message(colleague, school["other_teacher"])


def test_a_connection_outside_the_network_scope_does_not_count(school):
    lea, nina = school["student"], school["other_student"]
    connect(lea, nina)  # e.g. the class was open to the school, and closed since
    db.session.commit()
    assert not can_message(lea, nina)


def test_nobody_writes_to_a_disabled_account(school, lea):
    hugo = school["classmate"]
    hugo.is_disabled = True
    db.session.commit()
    assert not can_message(lea, hugo)
    assert not can_message(school["teacher"], hugo)
