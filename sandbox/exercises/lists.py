"""Which exercises a page lists: a class's, a person's own, the one a student takes part in now.

Nothing here checks permissions: callers pass a class the viewer manages, or the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import classes_managed_by
from sandbox.exercises.access import LIVE
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseStatus
from sandbox.extensions import db

LISTED = 100  # the most recent ones


@dataclass(frozen=True)
class ListedExercise:
    exercise: Exercise
    members: int
    class_name: str


def _listed(query: sa.Select) -> list[ListedExercise]:
    members = (sa.select(sa.func.count()).where(ExerciseMember.exercise_id == Exercise.id)
               .correlate(Exercise).scalar_subquery())
    rows = db.session.execute(
        query.add_columns(members, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == Exercise.class_id)
        .order_by(Exercise.created_at.desc(), Exercise.id.desc()).limit(LISTED)
    ).all()
    return [ListedExercise(exercise, count, name) for exercise, count, name in rows]


def class_exercises(klass: SchoolClass) -> list[ListedExercise]:
    """The class's exercises, newest first, with their number of members (one query)."""
    return _listed(sa.select(Exercise).where(Exercise.class_id == klass.id))


def exercises_of(user: User) -> list[ListedExercise]:
    """A student's exercises (those started, where they are a member); for staff, the
    exercises of the classes they manage (one query)."""
    if user.is_student:
        return _listed(
            sa.select(Exercise).join(ExerciseMember, ExerciseMember.exercise_id == Exercise.id)
            .where(ExerciseMember.user_id == user.id, Exercise.class_id == user.class_id,
                   Exercise.status != ExerciseStatus.DRAFT))
    if user.is_teacher or user.is_admin:
        managed = classes_managed_by(user).with_only_columns(SchoolClass.id).order_by(None)
        return _listed(sa.select(Exercise).where(Exercise.class_id.in_(managed)))
    return []


def live_exercise_of(student: User) -> Exercise | None:
    """The running or paused exercise the student takes part in, if any (one query): the
    student's home links to it."""
    if not student.is_student:
        return None
    return db.session.scalar(
        sa.select(Exercise).join(ExerciseMember, ExerciseMember.exercise_id == Exercise.id)
        .where(ExerciseMember.user_id == student.id, Exercise.class_id == student.class_id,
               Exercise.status.in_(LIVE))
        .order_by(Exercise.started_at.desc()).limit(1)
    )
