"""An exercise's teams (name, role, the company a recruiter team plays) and their members.

Teams change while the exercise is a draft; members also while it runs (a student who arrives
late joins a team), never once it is finished. A member is a student of the exercise's class, in
one team at most; a student takes part in one live exercise at a time, so that what they do
counts for one board and they play one company at most.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import Role, User
from sandbox.companies.models import Company
from sandbox.core.errors import NotFound, ServiceError
from sandbox.exercises import live
from sandbox.exercises.access import LIVE, exercise_for_staff
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseTeam, TeamRole
from sandbox.exercises.services import require_draft, require_not_finished
from sandbox.exercises.validation import MAX_TEAMS, parse_role, parse_team_name
from sandbox.extensions import db

TEAMS_FROZEN = _l("The exercise has started: its teams can no longer change (members can).")


def _team(exercise: Exercise, team_id: Any) -> ExerciseTeam:
    team = next((team for team in exercise.teams if str(team.id) == str(team_id)), None)
    if team is None:
        raise ServiceError(_l("Choose one of the exercise’s teams."), field="team_id")
    return team


def _existing_team(exercise: Exercise, team_id: int) -> ExerciseTeam:
    team = next((team for team in exercise.teams if team.id == team_id), None)
    if team is None:
        raise NotFound(_l("This team is not part of the exercise."))
    return team


def _company(role: TeamRole, company_id: Any) -> Company | None:
    if role is TeamRole.CANDIDATE:
        return None
    text = str(company_id or "").strip()
    is_id = text.isascii() and text.isdigit() and len(text) < 10  # "²".isdigit() is True
    company = db.session.get(Company, int(text)) if is_id else None
    if company is None:
        raise ServiceError(_l("Choose the company this recruiter team plays."),
                           field="company_id")
    return company


def _check_team(exercise: Exercise, name: str, company: Company | None,
                team: ExerciseTeam | None = None) -> None:
    others = [other for other in exercise.teams if other is not team]
    if any(other.name.casefold() == name.casefold() for other in others):
        raise ServiceError(_l("Another team already has this name."), field="name")
    if company is not None and any(other.company_id == company.id for other in others):
        raise ServiceError(_l("Another team already plays %(company)s.", company=company.name),
                           field="company_id")


def add_team(user: User, exercise_id: int, name: Any, role: Any,
             company_id: Any = None) -> ExerciseTeam:
    exercise = exercise_for_staff(user, exercise_id)
    require_draft(exercise, TEAMS_FROZEN)
    if len(exercise.teams) >= MAX_TEAMS:
        raise ServiceError(_l("An exercise has %(max)d teams at most.", max=MAX_TEAMS))
    chosen_name, chosen_role = parse_team_name(name), parse_role(role)
    company = _company(chosen_role, company_id)
    _check_team(exercise, chosen_name, company)
    team = ExerciseTeam(name=chosen_name, role=chosen_role, company=company)
    exercise.teams.append(team)
    db.session.commit()
    return team


def update_team(user: User, exercise_id: int, team_id: int, name: Any, role: Any,
                company_id: Any = None) -> ExerciseTeam:
    exercise = exercise_for_staff(user, exercise_id)
    team = _existing_team(exercise, team_id)
    require_draft(exercise, TEAMS_FROZEN)
    chosen_name, chosen_role = parse_team_name(name), parse_role(role)
    company = _company(chosen_role, company_id)
    _check_team(exercise, chosen_name, company, team)
    team.name, team.role, team.company = chosen_name, chosen_role, company
    db.session.commit()
    return team


def remove_team(user: User, exercise_id: int, team_id: int) -> None:
    """The team and its members' places (the students stay in the class, free to join
    another team)."""
    exercise = exercise_for_staff(user, exercise_id)
    team = _existing_team(exercise, team_id)
    require_draft(exercise, TEAMS_FROZEN)
    exercise.teams.remove(team)
    db.session.commit()


# ---- members --------------------------------------------------------------------------------


def _student(exercise: Exercise, student_id: Any) -> User:
    text = str(student_id or "").strip()
    is_id = text.isascii() and text.isdigit() and len(text) < 10  # "²".isdigit() is True
    student = db.session.get(User, int(text)) if is_id else None
    if (student is None or student.role is not Role.STUDENT
            or student.class_id != exercise.class_id):
        raise ServiceError(_l("Choose a student of the class."), field="student_id")
    return student


def busy_elsewhere(exercise: Exercise, student_ids: set[int]) -> list[User]:
    """Those of the students who are members of another live exercise (one query)."""
    if not student_ids:
        return []
    return list(db.session.scalars(
        sa.select(User).join(ExerciseMember, ExerciseMember.user_id == User.id)
        .join(Exercise, Exercise.id == ExerciseMember.exercise_id)
        .where(User.id.in_(student_ids), Exercise.id != exercise.id, Exercise.status.in_(LIVE))
        .order_by(User.last_name, User.first_name)
    ))


def assign_member(user: User, exercise_id: int, student_id: Any, team_id: Any) -> ExerciseMember:
    """Put a student of the class in a team, or move them there from another team."""
    exercise = exercise_for_staff(user, exercise_id)
    require_not_finished(exercise)
    student, team = _student(exercise, student_id), _team(exercise, team_id)
    if exercise.is_live and busy_elsewhere(exercise, {student.id}):
        raise ServiceError(_l("%(name)s takes part in another exercise that is running: "
                              "finish it first.", name=student.name_for(user)),
                           field="student_id")
    member = db.session.get(ExerciseMember, (exercise.id, student.id))
    if member is None:
        member = ExerciseMember(exercise_id=exercise.id, user_id=student.id)
        db.session.add(member)
    member.team_id = team.id
    if exercise.is_live:
        live.state_changed(db.session(), exercise)
    db.session.commit()
    return member


def remove_member(user: User, exercise_id: int, student_id: int) -> None:
    exercise = exercise_for_staff(user, exercise_id)
    require_not_finished(exercise)
    member = db.session.get(ExerciseMember, (exercise.id, student_id))
    if member is None:
        raise NotFound(_l("This student is not in any team of the exercise."))
    db.session.delete(member)
    if exercise.is_live:
        live.state_changed(db.session(), exercise)
    db.session.commit()


def students_of_class(exercise: Exercise) -> list[User]:
    """The class's students, by name, for the member menus (one query)."""
    return list(db.session.scalars(
        sa.select(User).where(User.class_id == exercise.class_id, User.role == Role.STUDENT)
        .order_by(User.last_name, User.first_name, User.id)
    ))
