"""The dashboard's charts: their data as JSON, and the template globals the chart partials call.

The partials (templates/dashboard/_class_charts.html, _student_charts.html) are included by the
overview and the student page with `klass` and `chosen`; they fetch their data through the
globals below, which check again that the viewer is staff of the class, so a partial included
anywhere else shows nothing it should not. The JSON endpoints answer the same data (with the
same `?start=&end=` range); with `?fragment=section` they answer the partial's HTML instead,
which static/js/charts.js swaps in when the class's activity changes during a lesson.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, make_response, render_template, request
from flask_babel import format_number
from flask_login import current_user, login_required

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.dashboard import charts
from sandbox.dashboard.access import class_for_staff, student_for_staff
from sandbox.dashboard.blueprint import CLASS_ID, STUDENT_ID, blueprint
from sandbox.dashboard.periods import ChosenPeriod, period_from_args



def _fresh(response: Any):  # type: ignore[no-untyped-def]
    response = make_response(response)
    # A student's figures: never kept by a shared computer's cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _json(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return _fresh(jsonify(data))


@blueprint.route(f"/classes/{CLASS_ID}/dashboard/charts.json")
@login_required
def class_charts(class_id: int):  # type: ignore[no-untyped-def]
    klass = class_for_staff(current_user, class_id)
    chosen = period_from_args(request.args)
    if request.args.get("fragment") == "section":
        return _fresh(render_template("dashboard/_class_charts.html", klass=klass, chosen=chosen))
    return _json(charts.class_charts(klass, chosen, current_user).as_json())


@blueprint.route(f"/classes/{CLASS_ID}/dashboard/students/{STUDENT_ID}/charts.json")
@login_required
def student_charts(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    klass, student = student_for_staff(current_user, class_id, student_id)
    chosen = period_from_args(request.args)
    if request.args.get("fragment") == "section":
        return _fresh(render_template("dashboard/_student_charts.html", klass=klass,
                                      student=student, chosen=chosen))
    return _json(charts.student_charts(klass, student, chosen).as_json())


@blueprint.app_template_global("dashboard_class_charts")
def class_charts_for_template(klass: SchoolClass, chosen: ChosenPeriod) -> charts.Charts:
    """The class's charts, for the viewer (staff of the class only)."""
    klass = class_for_staff(current_user, klass.id)
    return charts.class_charts(klass, chosen, current_user)


@blueprint.app_template_global("dashboard_student_charts")
def student_charts_for_template(klass: SchoolClass, student: User,
                                chosen: ChosenPeriod) -> charts.Charts:
    """One student's charts, for the staff of their class."""
    klass, student = student_for_staff(current_user, klass.id, student.id)
    return charts.student_charts(klass, student, chosen)


@blueprint.app_template_filter("chart_number")
def chart_number(value: int) -> str:
    """A count as the reader's language writes it ("1 234" in French)."""
    return format_number(value)
