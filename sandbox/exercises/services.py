"""Preparing an exercise: made from a template, then its title, phases and objectives edited.

Every function takes the acting user, checks they teach the class (or are an admin), validates,
writes and commits once; a mistake raises `ServiceError` with a message for the teacher and
leaves nothing half-written. Phases and objectives change only while the exercise is a draft
(the timer and the board read them once it runs). Teams and members: `sandbox.exercises.teams`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.companies.models import Company
from sandbox.core.errors import NotFound, ServiceError
from sandbox.dashboard.access import class_for_staff
from sandbox.exercises.access import exercise_for_staff
from sandbox.exercises.models import (
    Exercise,
    ExerciseObjective,
    ExercisePhase,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
)
from sandbox.exercises.templates_data import exercise_templates
from sandbox.exercises.validation import (
    MAX_PHASES,
    parse_kind,
    parse_minutes,
    parse_phase_name,
    parse_role,
    parse_target,
    parse_title,
)
from sandbox.extensions import db
from sandbox.i18n import current_language

NOT_A_DRAFT = _l("The exercise has started: its phases and objectives can no longer change.")
FINISHED = _l("The exercise is finished: it can no longer change.")


def require_draft(exercise: Exercise, message: Any = NOT_A_DRAFT) -> None:
    if exercise.status is not ExerciseStatus.DRAFT:
        raise ServiceError(message)


def require_not_finished(exercise: Exercise) -> None:
    if exercise.status is ExerciseStatus.FINISHED:
        raise ServiceError(FINISHED)


def parse_template(value: Any) -> ExerciseTemplate:
    try:
        return ExerciseTemplate(str(value or ""))
    except ValueError:
        raise ServiceError(_l("Choose a template, or a blank exercise."),
                           field="template") from None


# ---- the exercise itself -----------------------------------------------------------------


def create_exercise(teacher: User, class_id: int, template: Any, title: Any = None) -> Exercise:
    """A new draft exercise for the class, with the template's phases, teams and objectives
    (named in the teacher's language; a team's company when the school has it)."""
    klass = class_for_staff(teacher, class_id)
    chosen = exercise_templates()[parse_template(template)]
    language = current_language()
    exercise = Exercise(
        class_id=klass.id, template=chosen.key, created_by_id=teacher.id,
        title=parse_title(title) if str(title or "").strip() else chosen.title(language),
    )
    exercise.phases = [
        ExercisePhase(position=position, minutes=chosen.phase_minutes(phase),
                      name=phase.name_en if language == "en" else phase.name_fr)
        for position, phase in enumerate(chosen.phases, start=1)
    ]
    slugs = {team.company for team in chosen.teams if team.company}
    companies = {company.slug: company for company in db.session.scalars(
        sa.select(Company).where(Company.slug.in_(slugs)))} if slugs else {}
    exercise.teams = [
        ExerciseTeam(name=team.name_en if language == "en" else team.name_fr, role=team.role,
                     company=companies.get(team.company or ""))
        for team in chosen.teams
    ]
    exercise.objectives = [
        ExerciseObjective(role=objective.role, kind=objective.kind, target=objective.target,
                          position=position)
        for position, objective in enumerate(chosen.objectives, start=1)
    ]
    db.session.add(exercise)
    db.session.flush()
    record_event(teacher, "exercise_created", exercise, exercise_id=exercise.id,
                 template=chosen.key.value)
    db.session.commit()
    return exercise


def rename_exercise(user: User, exercise_id: int, title: Any) -> Exercise:
    exercise = exercise_for_staff(user, exercise_id)
    require_not_finished(exercise)
    exercise.title = parse_title(title)
    db.session.commit()
    return exercise


def delete_exercise(user: User, exercise_id: int) -> int:
    """Delete a draft, or a finished exercise (its debrief goes with it); the class's id."""
    exercise = exercise_for_staff(user, exercise_id)
    if exercise.is_live:
        raise ServiceError(_l("Finish the exercise before deleting it."))
    class_id = exercise.class_id
    db.session.delete(exercise)
    db.session.commit()
    return class_id


# ---- phases ---------------------------------------------------------------------------------


def _phase(exercise: Exercise, phase_id: int) -> ExercisePhase:
    phase = next((phase for phase in exercise.phases if phase.id == phase_id), None)
    if phase is None:
        raise NotFound(_l("This phase is not part of the exercise."))
    return phase


def _renumber(exercise: Exercise, ordered: list[ExercisePhase]) -> None:
    """Positions 1..n in the given order. Through negative positions first: the database checks
    that two phases never share a position, even between two updates."""
    for index, phase in enumerate(ordered, start=1):
        phase.position = -index
    db.session.flush()
    for index, phase in enumerate(ordered, start=1):
        phase.position = index
    exercise.phases.sort(key=lambda phase: phase.position)


def add_phase(user: User, exercise_id: int, name: Any, minutes: Any) -> ExercisePhase:
    exercise = exercise_for_staff(user, exercise_id)
    require_draft(exercise)
    if len(exercise.phases) >= MAX_PHASES:
        raise ServiceError(_l("An exercise has %(max)d phases at most.", max=MAX_PHASES))
    phase = ExercisePhase(name=parse_phase_name(name), minutes=parse_minutes(minutes),
                          position=max((p.position for p in exercise.phases), default=0) + 1)
    exercise.phases.append(phase)
    db.session.commit()
    return phase


def update_phase(user: User, exercise_id: int, phase_id: int, name: Any,
                 minutes: Any) -> ExercisePhase:
    exercise = exercise_for_staff(user, exercise_id)
    phase = _phase(exercise, phase_id)
    require_draft(exercise)
    phase.name, phase.minutes = parse_phase_name(name), parse_minutes(minutes)
    db.session.commit()
    return phase


def move_phase(user: User, exercise_id: int, phase_id: int, direction: str) -> ExercisePhase:
    """One place earlier ("up") or later ("down"); at either end nothing moves."""
    exercise = exercise_for_staff(user, exercise_id)
    phase = _phase(exercise, phase_id)
    require_draft(exercise)
    ordered = sorted(exercise.phases, key=lambda p: p.position)
    index = ordered.index(phase)
    other = index - 1 if direction == "up" else index + 1
    if direction in ("up", "down") and 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(exercise, ordered)
        db.session.commit()
    return phase


def remove_phase(user: User, exercise_id: int, phase_id: int) -> None:
    exercise = exercise_for_staff(user, exercise_id)
    phase = _phase(exercise, phase_id)
    require_draft(exercise)
    exercise.phases.remove(phase)
    db.session.flush()
    _renumber(exercise, sorted(exercise.phases, key=lambda p: p.position))
    db.session.commit()


# ---- objectives -----------------------------------------------------------------------------


def _objective(exercise: Exercise, objective_id: int) -> ExerciseObjective:
    objective = next((o for o in exercise.objectives if o.id == objective_id), None)
    if objective is None:
        raise NotFound(_l("This objective is not part of the exercise."))
    return objective


def add_objective(user: User, exercise_id: int, role: Any, kind: Any,
                  target: Any) -> ExerciseObjective:
    """An objective for every team of `role`; one per kind and role (change its target
    instead)."""
    exercise = exercise_for_staff(user, exercise_id)
    require_draft(exercise)
    chosen_role = parse_role(role)
    chosen_kind = parse_kind(kind, chosen_role)
    if any(o.role is chosen_role and o.kind is chosen_kind for o in exercise.objectives):
        raise ServiceError(_l("This role already has this objective: change its target "
                              "instead."), field="kind")
    objective = ExerciseObjective(
        role=chosen_role, kind=chosen_kind, target=parse_target(target, chosen_kind),
        position=max((o.position for o in exercise.objectives), default=0) + 1,
    )
    exercise.objectives.append(objective)
    db.session.commit()
    return objective


def update_objective(user: User, exercise_id: int, objective_id: int,
                     target: Any) -> ExerciseObjective:
    exercise = exercise_for_staff(user, exercise_id)
    objective = _objective(exercise, objective_id)
    require_draft(exercise)
    objective.target = parse_target(target, objective.kind)
    db.session.commit()
    return objective


def remove_objective(user: User, exercise_id: int, objective_id: int) -> None:
    exercise = exercise_for_staff(user, exercise_id)
    objective = _objective(exercise, objective_id)
    require_draft(exercise)
    exercise.objectives.remove(objective)
    db.session.commit()
