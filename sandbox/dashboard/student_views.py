"""The dashboard's page of one student: timeline, profile, findings, journal, conversations."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from sandbox.dashboard.access import student_for_staff
from sandbox.dashboard.blueprint import CLASS_ID, STUDENT_ID, blueprint
from sandbox.dashboard.periods import period_from_args
from sandbox.dashboard.student_page import student_page

ID_MAX = 2**31 - 1


def _before() -> int | None:
    value = request.args.get("before", type=int)
    return value if value is not None and 0 < value <= ID_MAX else None


@blueprint.route(f"/classes/{CLASS_ID}/dashboard/students/{STUDENT_ID}")
@login_required
def student(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    klass, pupil = student_for_staff(current_user, class_id, student_id)
    chosen = period_from_args(request.args)
    page = student_page(current_user, klass, pupil, chosen.period, _before())
    return render_template("dashboard/student.html", page=page, klass=klass,
                           student=page.student, chosen=chosen, before=_before())
