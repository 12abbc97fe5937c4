"""The administrator's pages: the school at a glance and the teachers' accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.accounts.models import Role
from sandbox.accounts.services import create_staff_account
from sandbox.admin import services
from sandbox.admin.forms import TeacherForm
from sandbox.core.errors import ServiceError
from sandbox.core.forms import attach_service_error

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def require_admin():  # type: ignore[no-untyped-def]
    if not current_user.is_admin:
        abort(403)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "admin/index.html",
        counts=services.people_by_role(),
        class_count=services.class_count(),
        Role=Role,
    )


@blueprint.route("/teachers", methods=["GET", "POST"])
def teachers():  # type: ignore[no-untyped-def]
    form = TeacherForm()
    if form.validate_on_submit():
        try:
            teacher = create_staff_account(
                current_user,
                role=Role.TEACHER,
                username=form.username.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                password=form.password.data,
                must_change_password=True,
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(
                _("Teacher account “%(username)s” created. They choose their own password at "
                  "their first login.", username=teacher.username),
                "success",
            )
            return redirect(url_for("admin.teachers"))
    return render_template("admin/teachers.html", form=form, teachers=services.teachers())
