"""Exercises made for the tests through the services, as a teacher would make them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.exercises import running, services, teams
from sandbox.exercises.models import Exercise, ExerciseTeam, ObjectiveKind, TeamRole
from sandbox.extensions import db


def make_exercise(teacher: User, klass: Any, *, phases: tuple[tuple[str, int], ...] = (
        ("Définir le projet", 15), ("Construire", 45)), title: str = "Atelier") -> Exercise:
    """A blank exercise with the given phases."""
    exercise = services.create_exercise(teacher, klass.id, "blank", title)
    for name, minutes in phases:
        services.add_phase(teacher, exercise.id, name, minutes)
    return exercise


def add_team(teacher: User, exercise: Exercise, name: str, members: list[User],
             company: Company | None = None) -> ExerciseTeam:
    role = TeamRole.RECRUITER if company is not None else TeamRole.CANDIDATE
    team = teams.add_team(teacher, exercise.id, name, role.value,
                          company.id if company is not None else None)
    for member in members:
        teams.assign_member(teacher, exercise.id, member.id, team.id)
    return team


def add_objective(teacher: User, exercise: Exercise, role: TeamRole, kind: ObjectiveKind,
                  target: int) -> None:
    services.add_objective(teacher, exercise.id, role.value, kind.value, target)


def start(teacher: User, exercise: Exercise, *, ago: timedelta | None = None) -> Exercise:
    """Start it; `ago`: as if it had started that long ago (the timer and the board read it)."""
    running.start_exercise(teacher, exercise.id)
    if ago is not None:
        earlier: datetime = exercise.started_at - ago  # type: ignore[operator]
        exercise.started_at = exercise.phase_started_at = earlier
        db.session.commit()
    return exercise
