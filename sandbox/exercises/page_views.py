"""The exercise pages: a class's exercises (and a new one), the exercise itself (timer, board or
the member's team), the timer's buttons, and the debrief.

The exercise page is also fetched in parts by `static/js/exercise.js` when the socket says
something changed (`?fragment=live`: the timer and its buttons; `?fragment=board`): the same
permission checks apply, and without JavaScript a reload shows the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.core.time import utcnow
from sandbox.dashboard.access import class_for_staff
from sandbox.exercises import labels, lists, running, services
from sandbox.exercises.access import exercise_for_viewer
from sandbox.exercises.blueprint import ID, blueprint
from sandbox.exercises.debrief import build_debrief
from sandbox.exercises.forms import NewExerciseForm
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseStatus, ExerciseTemplate
from sandbox.exercises.progress import build_board, load_exercise
from sandbox.exercises.templates_data import exercise_templates
from sandbox.exercises.timer import timer_of

EXERCISE = f"/exercises/<{ID}:exercise_id>"
# The persona console (the play-as feature): linked for recruiter members when it exists.
CONSOLE_ENDPOINT = "personas.console"


def _helpers() -> dict[str, Any]:
    return {"status_labels": labels.STATUS_LABELS, "role_labels": labels.ROLE_LABELS,
            "template_title": labels.template_title,
            "template_summary": labels.template_summary}


def _template_choices() -> list[tuple[str, str]]:
    return [(key.value, labels.template_title(key)) for key in exercise_templates()]


# ---- a class's exercises --------------------------------------------------------------------


@blueprint.route(f"/classes/<{ID}:class_id>/exercises", methods=["GET", "POST"])
def index(class_id: int):  # type: ignore[no-untyped-def]
    klass = class_for_staff(current_user, class_id)
    form = NewExerciseForm()
    form.template.choices = _template_choices()
    if request.method == "GET":
        form.template.data = ExerciseTemplate.RECRUITMENT.value
    elif form.validate_on_submit():
        try:
            exercise = services.create_exercise(current_user, class_id, form.template.data,
                                                form.title.data)
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("The exercise is ready: check its teams, members and objectives, then "
                    "start it."), "success")
            return redirect(url_for("exercises.edit", exercise_id=exercise.id))
    return render_template("exercises/index.html", klass=klass, form=form,
                           exercises=lists.class_exercises(klass),
                           summaries={key.value: labels.template_summary(key)
                                      for key in exercise_templates()},
                           **_helpers())


@blueprint.route("/exercises/")
def mine():  # type: ignore[no-untyped-def]
    """A student's exercises; the exercises of a teacher's classes."""
    return render_template("exercises/mine.html", exercises=lists.exercises_of(current_user),
                           **_helpers())


# ---- the exercise page ----------------------------------------------------------------------


def _viewed(exercise_id: int) -> tuple[Exercise, ExerciseMember | None]:
    """The exercise (loaded for the board and the timer) and the viewer's membership."""
    exercise, membership = exercise_for_viewer(current_user, exercise_id)
    loaded = load_exercise(exercise.id)
    assert loaded is not None
    return loaded, membership


def console_url(persona_user_id: int) -> str | None:
    """Where a recruiter student plays a persona of their company (None until the play-as
    feature's blueprint is registered)."""
    if CONSOLE_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(CONSOLE_ENDPOINT, user_id=persona_user_id)


@blueprint.route(EXERCISE)
def show(exercise_id: int):  # type: ignore[no-untyped-def]
    exercise, membership = _viewed(exercise_id)
    staff = membership is None
    context: dict[str, Any] = {
        "exercise": exercise, "membership": membership, "staff": staff,
        "timer": timer_of(exercise, utcnow()), "console_url": console_url, **_helpers(),
    }
    fragment = request.args.get("fragment")
    if fragment == "live":
        return render_template("exercises/_live.html", **context)
    teams = exercise.teams if staff else [
        team for team in exercise.teams if membership and team.id == membership.team_id]
    context["board"] = build_board(exercise, teams)
    if fragment == "board":
        return render_template("exercises/_board.html", **context)
    return render_template("exercises/show.html", **context)


def _step(step: Callable[[Any, int], Exercise], exercise_id: int):  # type: ignore[no-untyped-def]
    """Run one of the timer's steps; a refused step says why on the exercise page."""
    try:
        step(current_user, exercise_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    return redirect(url_for("exercises.show", exercise_id=exercise_id))


@blueprint.route(f"{EXERCISE}/start", methods=["POST"])
def start(exercise_id: int):  # type: ignore[no-untyped-def]
    return _step(running.start_exercise, exercise_id)


@blueprint.route(f"{EXERCISE}/pause", methods=["POST"])
def pause(exercise_id: int):  # type: ignore[no-untyped-def]
    return _step(running.pause_exercise, exercise_id)


@blueprint.route(f"{EXERCISE}/resume", methods=["POST"])
def resume(exercise_id: int):  # type: ignore[no-untyped-def]
    return _step(running.resume_exercise, exercise_id)


@blueprint.route(f"{EXERCISE}/next", methods=["POST"])
def next_phase(exercise_id: int):  # type: ignore[no-untyped-def]
    return _step(running.next_phase, exercise_id)


@blueprint.route(f"{EXERCISE}/finish", methods=["POST"])
def finish(exercise_id: int):  # type: ignore[no-untyped-def]
    return _step(running.finish_exercise, exercise_id)


# ---- the debrief ----------------------------------------------------------------------------


@blueprint.route(f"{EXERCISE}/debrief")
def debrief(exercise_id: int):  # type: ignore[no-untyped-def]
    """Any time for the staff; for a member, their own team's, once the exercise is finished."""
    exercise, membership = _viewed(exercise_id)
    if membership is not None and exercise.status is not ExerciseStatus.FINISHED:
        flash(_("The debrief opens when your teacher finishes the exercise."), "info")
        return redirect(url_for("exercises.show", exercise_id=exercise.id))
    teams = exercise.teams if membership is None else [
        team for team in exercise.teams if team.id == membership.team_id]
    page = build_debrief(current_user, exercise, teams, viewer_is_staff=membership is None)
    return render_template("exercises/debrief.html", exercise=exercise, debrief=page,
                           staff=membership is None, **_helpers())
