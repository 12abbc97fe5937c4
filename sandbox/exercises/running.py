"""Running an exercise: start, pause, resume, next phase, finish.

Each step changes the shared timer on the server (`sandbox.exercises.timer` reads it), records
what the teacher did, and tells every open page of the exercise (`exercise_state`, no content)
once committed. Nothing moves on by itself: when a phase's time is up, the pages say so and the
teacher decides when the next one starts.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.core.errors import ServiceError
from sandbox.core.time import utcnow
from sandbox.exercises import live
from sandbox.exercises.access import LIVE, exercise_for_staff
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseStatus,
    ExerciseTeam,
    TeamRole,
)
from sandbox.exercises.teams import busy_elsewhere
from sandbox.exercises.timer import phase_after, phase_at, remaining_seconds
from sandbox.extensions import db
from sandbox.notifications.services import notify


def _changed(exercise: Exercise) -> None:
    live.state_changed(db.session(), exercise)


def _check_ready(exercise: Exercise, teacher: User) -> list[ExerciseMember]:
    """What a start needs: a phase, members, a company for each recruiter team, and nobody
    (student or company) already taken by another live exercise."""
    if not exercise.phases:
        raise ServiceError(_l("Add at least one phase before starting: the timer needs it."))
    members = [member for team in exercise.teams for member in team.members]
    if not members:
        raise ServiceError(_l("Put at least one student in a team before starting."))
    unplayed = [team.name for team in exercise.teams
                if team.role is TeamRole.RECRUITER and team.company_id is None]
    if unplayed:
        raise ServiceError(_l("Choose the company of each recruiter team (%(teams)s).",
                              teams=", ".join(unplayed)))
    busy = busy_elsewhere(exercise, {member.user_id for member in members})
    if busy:
        raise ServiceError(_l("These students take part in another exercise that is running: "
                              "%(names)s. Finish it, or take them out of a team.",
                              names=", ".join(student.name_for(teacher) for student in busy)))
    companies = {team.company_id for team in exercise.teams if team.company_id is not None}
    taken = db.session.scalars(
        sa.select(ExerciseTeam).join(Exercise, Exercise.id == ExerciseTeam.exercise_id)
        .where(Exercise.class_id == exercise.class_id, Exercise.status.in_(LIVE),
               Exercise.id != exercise.id, ExerciseTeam.company_id.in_(companies))
    ).first() if companies else None
    if taken is not None and taken.company is not None:
        raise ServiceError(_l("%(company)s is already played in another exercise of the class "
                              "that is running.", company=taken.company.name))
    return members


def start_exercise(teacher: User, exercise_id: int) -> Exercise:
    """The first phase starts now; members are told, recruiter teams act for their company."""
    exercise = exercise_for_staff(teacher, exercise_id)
    if exercise.status is not ExerciseStatus.DRAFT:
        raise ServiceError(_l("The exercise has already started."))
    members = _check_ready(exercise, teacher)
    now = utcnow()
    first = phase_after(exercise, None)
    assert first is not None  # _check_ready: there is a phase
    exercise.status = ExerciseStatus.RUNNING
    exercise.started_at = exercise.phase_started_at = now
    exercise.current_phase = first.position
    exercise.paused_remaining_seconds = None
    record_event(teacher, "exercise_started", exercise, exercise_id=exercise.id)
    for member in members:
        notify(member.user_id, "exercise_started", teacher, exercise, exercise_id=exercise.id)
    _changed(exercise)
    db.session.commit()
    return exercise


def pause_exercise(teacher: User, exercise_id: int) -> Exercise:
    """Stop the timer; what is left of the phase is kept for the resume."""
    exercise = exercise_for_staff(teacher, exercise_id)
    if exercise.status is not ExerciseStatus.RUNNING:
        raise ServiceError(_l("The timer is not running."))
    phase = phase_at(exercise, exercise.current_phase)
    exercise.paused_remaining_seconds = (
        remaining_seconds(exercise, phase, utcnow()) if phase is not None else 0)
    exercise.status = ExerciseStatus.PAUSED
    record_event(teacher, "exercise_paused", exercise, exercise_id=exercise.id)
    _changed(exercise)
    db.session.commit()
    return exercise


def resume_exercise(teacher: User, exercise_id: int) -> Exercise:
    """The timer goes on from where it stopped."""
    exercise = exercise_for_staff(teacher, exercise_id)
    if exercise.status is not ExerciseStatus.PAUSED:
        raise ServiceError(_l("The timer is not paused."))
    phase = phase_at(exercise, exercise.current_phase)
    left = exercise.paused_remaining_seconds or 0
    minutes = phase.minutes if phase is not None else 0
    # As if the phase had started long enough ago for `left` seconds to remain.
    exercise.phase_started_at = utcnow() - timedelta(seconds=max(0, minutes * 60 - left))
    exercise.paused_remaining_seconds = None
    exercise.status = ExerciseStatus.RUNNING
    _changed(exercise)
    db.session.commit()
    return exercise


def next_phase(teacher: User, exercise_id: int) -> Exercise:
    """The next phase starts now, with its full time (the timer runs, even after a pause)."""
    exercise = exercise_for_staff(teacher, exercise_id)
    if not exercise.is_live:
        raise ServiceError(_l("The exercise is not running."))
    upcoming = phase_after(exercise, exercise.current_phase)
    if upcoming is None:
        raise ServiceError(_l("This is the last phase: finish the exercise when you are ready."))
    exercise.current_phase = upcoming.position
    exercise.phase_started_at = utcnow()
    exercise.paused_remaining_seconds = None
    exercise.status = ExerciseStatus.RUNNING
    record_event(teacher, "exercise_phase_started", exercise, exercise_id=exercise.id,
                 phase=upcoming.position)
    _changed(exercise)
    db.session.commit()
    return exercise


def finish_exercise(teacher: User, exercise_id: int) -> Exercise:
    """The end: the board stops counting, recruiter students stop acting for their company,
    the debrief is ready."""
    exercise = exercise_for_staff(teacher, exercise_id)
    if not exercise.is_live:
        raise ServiceError(_l("The exercise is not running."))
    exercise.status = ExerciseStatus.FINISHED
    exercise.finished_at = utcnow()
    exercise.phase_started_at = None
    exercise.paused_remaining_seconds = None
    record_event(teacher, "exercise_finished", exercise, exercise_id=exercise.id)
    _changed(exercise)
    db.session.commit()
    return exercise
