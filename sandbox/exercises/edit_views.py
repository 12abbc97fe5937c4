"""Preparing an exercise: one page (the editor) with a small form per thing to change.

Each form posts to its own route, which calls one service. On success the editor comes back at
the section changed; on a mistake the editor is shown again with that form as it was sent and
the message beside the field (nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from sandbox.companies.models import Company
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.exercises import labels, services, teams
from sandbox.exercises.access import exercise_for_staff
from sandbox.exercises.blueprint import ID, blueprint
from sandbox.exercises.forms import (
    MemberForm,
    ObjectiveForm,
    PhaseForm,
    TargetForm,
    TeamForm,
    TitleForm,
)
from sandbox.exercises.models import Exercise, ExerciseStatus, TeamRole
from sandbox.exercises.progress import load_exercise
from sandbox.extensions import db

EXERCISE = f"/exercises/<{ID}:exercise_id>"


def _company_choices() -> list[tuple[str, str]]:
    return [(str(company.id), company.name)
            for company in db.session.scalars(sa.select(Company).order_by(Company.name))]


def _editor(exercise_id: int,
            failed: dict[str, FlaskForm] | None = None):  # type: ignore[no-untyped-def]
    """The editor; `failed` holds the form that was sent with a mistake, by its key."""
    loaded = load_exercise(exercise_for_staff(current_user, exercise_id).id)
    assert loaded is not None
    exercise: Exercise = loaded
    failed = failed or {}
    known = {"title", "new-phase", "new-team", "member", "new-objective",
             *(f"phase-{phase.id}" for phase in exercise.phases),
             *(f"team-{team.id}" for team in exercise.teams),
             *(f"objective-{objective.id}" for objective in exercise.objectives)}
    if set(failed) - known:  # a phase, team or objective of another exercise, or none
        raise NotFound(_("This is not part of the exercise."))
    companies = _company_choices()

    def made(key: str, form_class: type[FlaskForm], **data: Any) -> Any:
        return failed.get(key) or form_class(formdata=None, prefix=key, data=data)

    students = teams.students_of_class(exercise)
    team_of = {member.user_id: team for team in exercise.teams for member in team.members}
    member_form = made("member", MemberForm)
    member_form.student_id.choices = [
        (str(s.id), s.name_for(current_user) + (f" — {team_of[s.id].name}" if s.id in team_of
                                                  else "")) for s in students]
    member_form.team_id.choices = [(str(team.id), team.name) for team in exercise.teams]
    return render_template(
        "exercises/edit.html", exercise=exercise, draft=exercise.status is ExerciseStatus.DRAFT,
        title_form=made("title", TitleForm, title=exercise.title),
        phase_forms={phase.id: made(f"phase-{phase.id}", PhaseForm, name=phase.name,
                                    minutes=str(phase.minutes)) for phase in exercise.phases},
        new_phase=made("new-phase", PhaseForm),
        team_forms={team.id: made(f"team-{team.id}", TeamForm, name=team.name,
                                  role=team.role.value,
                                  company_id=str(team.company_id or "")).with_choices(companies)
                    for team in exercise.teams},
        new_team=made("new-team", TeamForm, role=TeamRole.CANDIDATE.value).with_choices(companies),
        member_form=member_form,
        unassigned=[student for student in students if student.id not in team_of],
        objective_forms={objective.id: made(f"objective-{objective.id}", TargetForm,
                                            target=str(objective.target))
                         for objective in exercise.objectives},
        new_objective=made("new-objective", ObjectiveForm).with_choices(),
        objective_sentence=labels.objective_sentence, role_labels=labels.ROLE_LABELS,
        status_labels=labels.STATUS_LABELS, template_title=labels.template_title,
    )


def _submit(exercise_id: int, key: str, form: FlaskForm, call: Callable[[], Any],
            anchor: str):  # type: ignore[no-untyped-def]
    """Validate `form`, run the service; back to the editor's section, or the form again."""
    if form.validate_on_submit():
        try:
            call()
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("exercises.edit", exercise_id=exercise_id, _anchor=anchor))
    return _editor(exercise_id, {key: form})


def _act(exercise_id: int, call: Callable[[], Any], anchor: str):  # type: ignore[no-untyped-def]
    """A button (remove, move): the editor again, with what went wrong if anything did."""
    try:
        call()
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("exercises.edit", exercise_id=exercise_id, _anchor=anchor))


@blueprint.route(f"{EXERCISE}/edit")
def edit(exercise_id: int):  # type: ignore[no-untyped-def]
    return _editor(exercise_id)


@blueprint.route(f"{EXERCISE}/title", methods=["POST"])
def rename(exercise_id: int):  # type: ignore[no-untyped-def]
    form = TitleForm(prefix="title")
    return _submit(exercise_id, "title", form, lambda: services.rename_exercise(
        current_user, exercise_id, form.title.data), "title")


@blueprint.route(f"{EXERCISE}/delete", methods=["POST"])
def delete(exercise_id: int):  # type: ignore[no-untyped-def]
    try:
        class_id = services.delete_exercise(current_user, exercise_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("exercises.show", exercise_id=exercise_id))
    flash(_("The exercise is deleted."), "success")
    return redirect(url_for("exercises.index", class_id=class_id))


# ---- phases ---------------------------------------------------------------------------------


@blueprint.route(f"{EXERCISE}/phases", methods=["POST"])
def add_phase(exercise_id: int):  # type: ignore[no-untyped-def]
    form = PhaseForm(prefix="new-phase")
    return _submit(exercise_id, "new-phase", form, lambda: services.add_phase(
        current_user, exercise_id, form.name.data, form.minutes.data), "phases")


@blueprint.route(f"{EXERCISE}/phases/<{ID}:phase_id>", methods=["POST"])
def update_phase(exercise_id: int, phase_id: int):  # type: ignore[no-untyped-def]
    key = f"phase-{phase_id}"
    form = PhaseForm(prefix=key)
    return _submit(exercise_id, key, form, lambda: services.update_phase(
        current_user, exercise_id, phase_id, form.name.data, form.minutes.data), "phases")


@blueprint.route(f"{EXERCISE}/phases/<{ID}:phase_id>/move", methods=["POST"])
def move_phase(exercise_id: int, phase_id: int):  # type: ignore[no-untyped-def]
    direction = str(request.form.get("direction") or "")
    return _act(exercise_id, lambda: services.move_phase(current_user, exercise_id, phase_id,
                                                         direction), "phases")


@blueprint.route(f"{EXERCISE}/phases/<{ID}:phase_id>/delete", methods=["POST"])
def remove_phase(exercise_id: int, phase_id: int):  # type: ignore[no-untyped-def]
    return _act(exercise_id, lambda: services.remove_phase(current_user, exercise_id, phase_id),
                "phases")


# ---- teams and members ----------------------------------------------------------------------


@blueprint.route(f"{EXERCISE}/teams", methods=["POST"])
def add_team(exercise_id: int):  # type: ignore[no-untyped-def]
    form = TeamForm(prefix="new-team").with_choices([])
    return _submit(exercise_id, "new-team", form, lambda: teams.add_team(
        current_user, exercise_id, form.name.data, form.role.data, form.company_id.data),
        "teams")


@blueprint.route(f"{EXERCISE}/teams/<{ID}:team_id>", methods=["POST"])
def update_team(exercise_id: int, team_id: int):  # type: ignore[no-untyped-def]
    key = f"team-{team_id}"
    form = TeamForm(prefix=key).with_choices([])
    return _submit(exercise_id, key, form, lambda: teams.update_team(
        current_user, exercise_id, team_id, form.name.data, form.role.data,
        form.company_id.data), f"team-{team_id}")


@blueprint.route(f"{EXERCISE}/teams/<{ID}:team_id>/delete", methods=["POST"])
def remove_team(exercise_id: int, team_id: int):  # type: ignore[no-untyped-def]
    return _act(exercise_id, lambda: teams.remove_team(current_user, exercise_id, team_id),
                "teams")


@blueprint.route(f"{EXERCISE}/members", methods=["POST"])
def assign_member(exercise_id: int):  # type: ignore[no-untyped-def]
    form = MemberForm(prefix="member")
    return _submit(exercise_id, "member", form, lambda: teams.assign_member(
        current_user, exercise_id, form.student_id.data, form.team_id.data), "members")


@blueprint.route(f"{EXERCISE}/members/<{ID}:student_id>/delete", methods=["POST"])
def remove_member(exercise_id: int, student_id: int):  # type: ignore[no-untyped-def]
    return _act(exercise_id, lambda: teams.remove_member(current_user, exercise_id, student_id),
                "members")


# ---- objectives -----------------------------------------------------------------------------


@blueprint.route(f"{EXERCISE}/objectives", methods=["POST"])
def add_objective(exercise_id: int):  # type: ignore[no-untyped-def]
    form = ObjectiveForm(prefix="new-objective").with_choices()
    return _submit(exercise_id, "new-objective", form, lambda: services.add_objective(
        current_user, exercise_id, form.role.data, form.kind.data, form.target.data),
        "objectives")


@blueprint.route(f"{EXERCISE}/objectives/<{ID}:objective_id>", methods=["POST"])
def update_objective(exercise_id: int, objective_id: int):  # type: ignore[no-untyped-def]
    key = f"objective-{objective_id}"
    form = TargetForm(prefix=key)
    return _submit(exercise_id, key, form, lambda: services.update_objective(
        current_user, exercise_id, objective_id, form.target.data), "objectives")


@blueprint.route(f"{EXERCISE}/objectives/<{ID}:objective_id>/delete", methods=["POST"])
def remove_objective(exercise_id: int, objective_id: int):  # type: ignore[no-untyped-def]
    return _act(exercise_id, lambda: services.remove_objective(current_user, exercise_id,
                                                               objective_id), "objectives")
