"""Grading pages: the class's grades, one student's grading, the CSV, and the rubric editor.

For the class's teachers and the admins only: every service called here starts with
`sandbox.dashboard.access`, which answers 404 or 403 to anyone else.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user, login_required

from sandbox.charter.forms import find_field
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.spreadsheet import CsvDialect, csv_download
from sandbox.core.time import utcnow
from sandbox.dashboard.blueprint import ID
from sandbox.dashboard.periods import period_from_args
from sandbox.grading.display import figure_text, score_formatter
from sandbox.grading import export, rubric_edits, services, suggestions
from sandbox.grading.forms import (
    MEASURE_LABELS,
    GradesForm,
    NewCriterionForm,
    RubricForm,
)
from sandbox.grading.sheet import (
    SORT_KEYS,
    criterion_description,
    criterion_label,
    sorted_sheets,
)
from sandbox.i18n import current_language

blueprint = Blueprint("grading", __name__)

CLASS = f"/classes/<{ID}:class_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _helpers() -> dict[str, object]:
    """What every grading template uses to show criteria and scores."""
    language = current_language()
    return {
        "label": lambda criterion: criterion_label(criterion, language),
        "description": lambda criterion: criterion_description(criterion, language),
        "score_text": score_formatter(),
        "figure_text": figure_text,
        "measure_labels": MEASURE_LABELS,
    }


# ---- the class's grades --------------------------------------------------------------------


@blueprint.route(f"{CLASS}/grades")
def index(class_id: int):  # type: ignore[no-untyped-def]
    chosen = period_from_args(request.args)
    grades = services.class_grades(current_user, class_id, chosen.period)
    sort = request.args.get("sort") if request.args.get("sort") in SORT_KEYS else "name"
    descending = request.args.get("dir") == "desc"
    return render_template(
        "grading/index.html", grades=grades, chosen=chosen, sort=sort, descending=descending,
        sheets=sorted_sheets(grades.sheets, sort, descending), **_helpers(),
    )


@blueprint.route(f"{CLASS}/grades.csv", endpoint="export")
def export_csv(class_id: int):  # type: ignore[no-untyped-def]
    chosen = period_from_args(request.args)
    grades = services.class_grades(current_user, class_id, chosen.period)
    language = current_language()
    dialect = CsvDialect.chosen(request.args.get("format"), language)
    return csv_download(export.grades_csv(grades, dialect, language),
                        export.export_filename(grades, dialect,
                                               to_user_timezone(utcnow()).date()))


# ---- one student ---------------------------------------------------------------------------


def _student_url(class_id: int, student_id: int, chosen_args: dict[str, str]) -> str:
    return url_for("grading.student", class_id=class_id, student_id=student_id, **chosen_args)


@blueprint.route(f"{CLASS}/grades/students/<{ID}:student_id>", methods=["GET", "POST"])
def student(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    chosen = period_from_args(request.args)
    page = services.student_grades(current_user, class_id, student_id, chosen.period)
    here = _student_url(class_id, student_id, chosen.as_args())
    posted = request.method == "POST"
    form = GradesForm() if posted else GradesForm.for_sheet(page.sheet)
    shown_ids = [str(entry.criterion.id) for entry in page.sheet.scores]
    if posted and [e.form.criterion_id.data for e in form.entries] != shown_ids:
        flash(str(services.STALE), "error")
        return redirect(here)
    if posted:
        valid = form.validate_on_submit()
        if form.check_scores(page.rubric.scale) and valid:
            try:
                changed = services.save_grades(current_user, class_id, student_id,
                                               form.to_entries())
            except (NotFound, PermissionDenied):
                raise
            except services.StaleGrades as error:
                flash(str(error.message), "error")
                return redirect(here)
            except ServiceError as error:
                field = find_field(form, error.field)
                if field is not None:
                    field.errors = [*field.errors, str(error.message)]
                else:
                    flash(str(error.message), "error")
            else:
                name = page.sheet.student.name_for(current_user)
                if changed:
                    flash(_("Grades of %(name)s saved.", name=name), "success")
                else:
                    flash(_("Nothing has changed for %(name)s.", name=name), "info")
                if request.form.get("then") == "next" and page.next is not None:
                    return redirect(_student_url(class_id, page.next.id, chosen.as_args()))
                return redirect(here)
        else:
            flash(_("The grades were not saved: correct the fields marked below."), "error")
    return render_template(
        "grading/student.html", page=page, form=form, chosen=chosen,
        entries=list(zip(page.sheet.scores, form.entries, strict=True)),
        targets=suggestions.TARGETS, charter=_charter_method(), **_helpers(),
    )


def _charter_method() -> dict[str, object]:
    """The charter's figures for "How the suggestion is computed"."""
    return {
        "out_of": suggestions.CHARTER_OUT_OF,
        "points": suggestions.SEVERITY_POINTS,
        "fixed_share": float(suggestions.FIXED_SHARE),
    }


# ---- the rubric editor ---------------------------------------------------------------------


def _editor(class_id: int, form: RubricForm | None = None,
            new_form: NewCriterionForm | None = None):  # type: ignore[no-untyped-def]
    klass, rubric = rubric_edits.class_rubric(current_user, class_id)
    form = form or RubricForm.for_rubric(rubric)
    new_form = (new_form or NewCriterionForm(formdata=None)).offer(
        rubric_edits.measures_to_add(rubric))
    criteria = {str(criterion.id): criterion for criterion in rubric.criteria}
    return render_template("grading/rubric.html", klass=klass, rubric=rubric, form=form,
                           new_form=new_form, criteria=criteria, **_helpers())


@blueprint.route(f"{CLASS}/rubric", methods=["GET", "POST"])
def rubric(class_id: int):  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return _editor(class_id)
    rubric_edits.class_rubric(current_user, class_id)  # 404/403 before reading anything
    form = RubricForm()
    back = url_for("grading.rubric", class_id=class_id)
    if not form.validate_on_submit():
        flash(_("The rubric was not saved: correct the fields marked below."), "error")
        return _editor(class_id, form=form)
    try:
        changed = rubric_edits.update_rubric(current_user, class_id, form.to_edit())
    except (NotFound, PermissionDenied):
        raise
    except rubric_edits.StaleRubric as error:
        flash(str(error.message), "error")
        return redirect(back)
    except ServiceError as error:
        field = find_field(form, error.field)
        if field is not None:
            field.errors = [*field.errors, str(error.message)]
        flash(str(error.message) if field is None else
              _("The rubric was not saved: correct the fields marked below."), "error")
        return _editor(class_id, form=form)
    if changed:
        flash(_("Rubric saved. The grades follow it at once."), "success")
    else:
        flash(_("Nothing has changed in the rubric."), "info")
    return redirect(back)


@blueprint.route(f"{CLASS}/rubric/criteria", methods=["POST"])
def add_criterion(class_id: int):  # type: ignore[no-untyped-def]
    rubric_now = rubric_edits.class_rubric(current_user, class_id)[1]
    form = NewCriterionForm().offer(rubric_edits.measures_to_add(rubric_now))
    if not form.validate_on_submit():
        flash(_("The criterion was not added: correct the fields marked below."), "error")
        return _editor(class_id, new_form=form)
    try:
        criterion = rubric_edits.add_criterion(current_user, class_id, form.measure.data,
                                               form.to_edit())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, str(error.message)]
        flash(str(error.message), "error")
        return _editor(class_id, new_form=form)
    name = criterion_label(criterion, current_language())
    flash(_("Criterion “%(name)s” added.", name=name), "success")
    return redirect(url_for("grading.rubric", class_id=class_id,
                            _anchor=f"criterion-{criterion.id}"))


@blueprint.route(f"{CLASS}/rubric/criteria/<{ID}:criterion_id>/delete", methods=["GET", "POST"])
def remove_criterion(class_id: int, criterion_id: int):  # type: ignore[no-untyped-def]
    back = url_for("grading.rubric", class_id=class_id)
    if request.method == "GET":
        rubric_now, criterion, graded = rubric_edits.criterion_of(current_user, class_id,
                                                                  criterion_id)
        return render_template("grading/remove_criterion.html", rubric=rubric_now,
                               criterion=criterion, graded=graded, back=back, **_helpers())
    try:
        removed = rubric_edits.remove_criterion(current_user, class_id, criterion_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(back)
    name = removed.label_fr if current_language().startswith("fr") else removed.label_en
    flash(_("Criterion “%(name)s” removed.", name=name), "success")
    return redirect(back)

