"""The teachers' review: read-only, for the student's staff only, and every reading recorded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound
from sandbox.extensions import db
from sandbox.messages import services
from sandbox.messages.models import Message


@pytest.fixture
def exchange(school, lea):  # type: ignore[no-untyped-def]
    hugo = school["classmate"]
    services.send_message(hugo, lea.id, "Tu as fini le CV ?")
    services.send_message(lea, hugo.id, "Presque !")
    services.send_message(lea, school["persona"].id, "Bonjour, je cherche un stage.")
    return lea, hugo


def _unread() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).where(Message.read_at.is_(None)))


def _events(kind: str) -> list[ActivityEvent]:
    return list(db.session.scalars(sa.select(ActivityEvent).where(ActivityEvent.kind == kind)))


@pytest.mark.parametrize("reviewer", ["teacher", "admin"])
def test_the_student_s_staff_reads_without_marking_anything(school, exchange, reviewer):
    lea, hugo = exchange
    staff = school[reviewer]
    unread_before = _unread()

    student, threads = services.student_threads(staff, lea.id)
    assert student.id == lea.id
    assert [t.other.id for t in threads] == [school["persona"].id, hugo.id]
    student, page = services.student_thread(staff, lea.id, hugo.id)
    assert [m.body for m in page.messages] == ["Tu as fini le CV ?", "Presque !"]
    assert not page.can_write

    assert _unread() == unread_before == 3
    [listed] = _events("student_messages_reviewed")
    assert (listed.user_id, listed.subject_type, listed.subject_id) == (staff.id, "User", lea.id)
    [read] = _events("student_thread_reviewed")
    assert read.user_id == staff.id
    assert read.data == {"student_id": lea.id, "other_id": hugo.id, "class_id": lea.class_id}


@pytest.mark.parametrize("reviewer", ["other_teacher", "classmate", "other_student", "persona"])
def test_nobody_else_reviews_a_student_s_messages(school, exchange, reviewer):
    lea, hugo = exchange
    with pytest.raises(NotFound):
        services.student_threads(school[reviewer], lea.id)
    with pytest.raises(NotFound):
        services.student_thread(school[reviewer], lea.id, hugo.id)
    assert _events("student_messages_reviewed") == []


def test_only_students_have_their_messages_reviewed(school, exchange):
    with pytest.raises(NotFound):
        services.student_threads(school["admin"], school["teacher"].id)
    with pytest.raises(NotFound):  # no conversation between them
        services.student_thread(school["teacher"], exchange[0].id, school["teacher"].id)
