"""Who acts for a company during an exercise (the students of a recruiter team, while it is
live), and who sees or runs an exercise (its class's staff; its members once it has started)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import can_manage_class
from sandbox.core.errors import NotFound, PermissionDenied
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseStatus,
    ExerciseTeam,
    TeamRole,
)
from sandbox.extensions import db

LIVE = (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)


def recruiter_companies_of(user: User) -> set[int]:
    """The companies `user` plays a recruiter for right now (in a running or paused exercise).

    Empty for anyone but a student in a recruiter team of a live exercise of their own class.
    """
    if not user.is_student or user.class_id is None:
        return set()
    rows = db.session.scalars(
        sa.select(ExerciseTeam.company_id)
        .join(ExerciseMember, ExerciseMember.team_id == ExerciseTeam.id)
        .join(Exercise, Exercise.id == ExerciseTeam.exercise_id)
        .where(ExerciseMember.user_id == user.id, ExerciseTeam.role == TeamRole.RECRUITER,
               ExerciseTeam.company_id.is_not(None), Exercise.status.in_(LIVE),
               Exercise.class_id == user.class_id)
    )
    return {company_id for company_id in rows if company_id is not None}


def recruiter_starts_of(user: User) -> dict[int, datetime | None]:
    """When `user` started recruiting for each company of `recruiter_companies_of`: the start of
    the live exercise that has them in its recruiter team (the earliest, should two be live).

    What the company's personas received before it (a classmate's private messages, letters,
    invitations) is not theirs to read. None when a live exercise has no recorded start (it
    should not happen): the caller then shows nothing from the past.
    """
    if not user.is_student or user.class_id is None:
        return {}
    rows = db.session.execute(
        sa.select(ExerciseTeam.company_id, sa.func.min(Exercise.started_at))
        .join(ExerciseMember, ExerciseMember.team_id == ExerciseTeam.id)
        .join(Exercise, Exercise.id == ExerciseTeam.exercise_id)
        .where(ExerciseMember.user_id == user.id, ExerciseTeam.role == TeamRole.RECRUITER,
               ExerciseTeam.company_id.is_not(None), Exercise.status.in_(LIVE),
               Exercise.class_id == user.class_id)
        .group_by(ExerciseTeam.company_id)
    ).all()
    return {company_id: started for company_id, started in rows if company_id is not None}


def companies_played_in_class(class_id: int) -> set[int]:
    """The companies a recruiter team of a live exercise of this class plays: their personas
    leave applications to people (they do not process them on their own)."""
    rows = db.session.scalars(
        sa.select(ExerciseTeam.company_id)
        .join(Exercise, Exercise.id == ExerciseTeam.exercise_id)
        .where(Exercise.class_id == class_id, Exercise.status.in_(LIVE),
               ExerciseTeam.role == TeamRole.RECRUITER, ExerciseTeam.company_id.is_not(None))
    )
    return {company_id for company_id in rows if company_id is not None}


# ---- who sees and who runs an exercise ------------------------------------------------------


def can_manage_exercise(user: User, exercise: Exercise) -> bool:
    """The class's teachers and the admins prepare, run and debrief it."""
    klass = db.session.get(SchoolClass, exercise.class_id)
    return klass is not None and can_manage_class(user, klass)


def membership_of(user: User, exercise: Exercise) -> ExerciseMember | None:
    """The student's place in the exercise, once it has started (a draft is the teacher's own
    work in progress: its members do not see it yet)."""
    if (not user.is_student or user.class_id != exercise.class_id
            or exercise.status is ExerciseStatus.DRAFT):
        return None
    return db.session.scalar(
        sa.select(ExerciseMember)
        .where(ExerciseMember.exercise_id == exercise.id, ExerciseMember.user_id == user.id)
        .options(joinedload(ExerciseMember.team))
    )


def exercise_for_staff(user: User, exercise_id: int) -> Exercise:
    """The exercise, for its class's teachers and the admins; a member is refused (403), anyone
    else is told it does not exist (404)."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None:
        raise NotFound(_l("This exercise does not exist."))
    if can_manage_exercise(user, exercise):
        return exercise
    if membership_of(user, exercise) is not None:
        raise PermissionDenied(_l("Only the class’s teachers can change the exercise."))
    raise NotFound(_l("This exercise does not exist."))


def exercise_for_viewer(user: User, exercise_id: int) -> tuple[Exercise, ExerciseMember | None]:
    """The exercise and, for a student, their membership: staff see it all (membership None),
    a member sees it once started, anyone else gets a 404."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None:
        raise NotFound(_l("This exercise does not exist."))
    if can_manage_exercise(user, exercise):
        return exercise, None
    membership = membership_of(user, exercise)
    if membership is None:
        raise NotFound(_l("This exercise does not exist."))
    return exercise, membership
