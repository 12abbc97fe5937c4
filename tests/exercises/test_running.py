"""Running an exercise: the shared timer on the server (start, pause, resume, next phase,
finish), what each step records, and every open page told (content-free) once committed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.activity.services import record_event
from sandbox.core.errors import ServiceError
from sandbox.core.time import utcnow
from sandbox.exercises import running
from sandbox.exercises.access import companies_played_in_class, recruiter_companies_of
from sandbox.exercises.models import ExerciseStatus
from sandbox.exercises.timer import timer_of
from sandbox.extensions import db
from sandbox.notifications.models import Notification
from tests.exercises.helpers import add_team, make_exercise, start

EXERCISE_EVENTS = ("exercise_state", "exercise_board")


def received(socket: Any) -> list[tuple[str, Any]]:
    return [(m["name"], m["args"]) for m in socket.get_received() if m["name"] in EXERCISE_EVENTS]


def _message(error: pytest.ExceptionInfo) -> str:
    with force_locale("en"):
        return str(error.value.message)


def test_the_timer_runs_pauses_resumes_and_moves_on(school):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])  # 15 then 45 minutes
    add_team(teacher, exercise, "Équipe 1", [school["student"]])
    start(teacher, exercise, ago=timedelta(minutes=5))
    timer = timer_of(exercise, utcnow())
    assert (timer.number, timer.count, timer.phase.name) == (1, 2, "Définir le projet")
    assert 599 <= timer.remaining_seconds <= 600 and timer.clock in ("10:00", "09:59")
    assert timer.ends_at == exercise.started_at + timedelta(minutes=15)

    running.pause_exercise(teacher, exercise.id)
    assert 599 <= exercise.paused_remaining_seconds <= 600
    later = utcnow() + timedelta(minutes=30)  # a paused timer does not move
    assert timer_of(exercise, later).remaining_seconds == exercise.paused_remaining_seconds
    assert timer_of(exercise, later).ends_at is None

    running.resume_exercise(teacher, exercise.id)
    assert 598 <= timer_of(exercise, utcnow()).remaining_seconds <= 600
    assert timer_of(exercise, utcnow() + timedelta(hours=1)).time_is_up

    running.next_phase(teacher, exercise.id)
    timer = timer_of(exercise, utcnow())
    assert (timer.number, timer.phase.name, timer.next_phase) == (2, "Construire", None)
    assert 2699 <= timer.remaining_seconds <= 2700
    with pytest.raises(ServiceError) as error:
        running.next_phase(teacher, exercise.id)
    assert "last phase" in _message(error)

    running.finish_exercise(teacher, exercise.id)
    assert exercise.status is ExerciseStatus.FINISHED and exercise.finished_at is not None
    assert timer_of(exercise, utcnow()).phase is None
    kinds = db.session.scalars(sa.select(ActivityEvent.kind).where(
        ActivityEvent.user_id == teacher.id, ActivityEvent.kind.like("exercise_%"))
        .order_by(ActivityEvent.id)).all()
    assert kinds == ["exercise_created", "exercise_started", "exercise_paused",
                     "exercise_phase_started", "exercise_finished"]
    phase_event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "exercise_phase_started"))
    assert phase_event.data == {"exercise_id": exercise.id, "phase": 2}
    assert phase_event.subject_type == "Exercise" and phase_event.subject_id == exercise.id


def test_a_start_needs_a_phase_members_and_a_company_for_each_recruiter_team(school, factories):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"], phases=())
    with pytest.raises(ServiceError) as error:
        running.start_exercise(teacher, exercise.id)
    assert "at least one phase" in _message(error)
    exercise = make_exercise(teacher, school["class"])
    with pytest.raises(ServiceError) as error:
        running.start_exercise(teacher, exercise.id)
    assert "at least one student" in _message(error)
    assert exercise.status is ExerciseStatus.DRAFT and exercise.started_at is None


def test_a_student_and_a_company_take_part_in_one_live_exercise_at_a_time(school, factories):
    teacher, lea = school["teacher"], school["student"]
    company = factories.make_company()
    first = make_exercise(teacher, school["class"], title="Premier")
    add_team(teacher, first, "Recruteurs", [lea], company=company)
    start(teacher, first)
    assert recruiter_companies_of(lea) == {company.id}
    assert companies_played_in_class(school["class"].id) == {company.id}

    second = make_exercise(teacher, school["class"], title="Second")
    add_team(teacher, second, "Candidats", [lea])
    with pytest.raises(ServiceError) as error:
        running.start_exercise(teacher, second.id)
    assert lea.full_name in _message(error)
    third = make_exercise(teacher, school["class"], title="Troisième")
    add_team(teacher, third, "Autres recruteurs", [school["classmate"]], company=company)
    with pytest.raises(ServiceError) as error:
        running.start_exercise(teacher, third.id)
    assert company.name in _message(error)

    running.finish_exercise(teacher, first.id)
    assert recruiter_companies_of(lea) == set()
    start(teacher, second)


def test_members_are_told_the_exercise_started(school):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [lea])
    start(teacher, exercise)
    notification = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == lea.id))
    assert notification.kind == "exercise_started"
    assert notification.data == {"exercise_id": exercise.id}


ROLES = ("student", "classmate", "other_student", "teacher", "other_teacher", "admin")


@pytest.fixture
def live_setup(school: dict[str, Any], socket_as: Any) -> tuple[Any, dict[str, Any]]:
    """An exercise with Léa as its only member, and a socket for each person."""
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [school["student"]])
    sockets = {role: socket_as(school[role]) for role in ROLES}
    for socket in sockets.values():
        socket.get_received()
    return exercise, sockets


def test_each_step_tells_the_members_and_the_staff_only(school, live_setup):
    exercise, sockets = live_setup
    start(school["teacher"], exercise)
    signal = [("exercise_state", [{"exercise_id": exercise.id}])]
    heard = {role: received(socket) for role, socket in sockets.items()}
    assert heard == {"student": signal, "classmate": [], "other_student": [],
                     "teacher": signal, "other_teacher": [], "admin": signal}
    running.pause_exercise(school["teacher"], exercise.id)
    assert received(sockets["student"]) == signal


def test_what_a_member_does_tells_the_board_once_per_transaction(school, live_setup, factories):
    exercise, sockets = live_setup
    lea, hugo = school["student"], school["classmate"]
    start(school["teacher"], exercise)
    for socket in sockets.values():
        socket.get_received()
    record_event(lea, "followed_hashtag", tag="export")
    record_event(lea, "followed_hashtag", tag="douane")
    db.session.commit()
    board = [("exercise_board", [{"exercise_id": exercise.id}])]
    assert received(sockets["student"]) == board
    assert received(sockets["teacher"]) == board
    assert received(sockets["classmate"]) == []
    # A classmate out of the exercise: nothing; a persona's answer to Léa's invitation: yes.
    record_event(hugo, "followed_hashtag", tag="export")
    db.session.commit()
    assert received(sockets["teacher"]) == []
    record_event(school["persona"], "invitation_accepted", sender_id=lea.id)
    db.session.commit()
    assert received(sockets["teacher"]) == board
    # Nothing leaves for a rolled-back action.
    record_event(lea, "followed_hashtag", tag="transport")
    db.session.rollback()
    assert received(sockets["teacher"]) == []
    running.finish_exercise(school["teacher"], exercise.id)
    received(sockets["teacher"])
    record_event(lea, "followed_hashtag", tag="fret")
    db.session.commit()
    assert received(sockets["teacher"]) == []
