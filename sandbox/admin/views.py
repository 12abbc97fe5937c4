"""The administrator's pages: the school at a glance and the teachers' accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.accounts.models import Role, User
from sandbox.accounts.services import create_staff_account
from sandbox.admin.forms import TeacherForm
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.extensions import db

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def require_admin():  # type: ignore[no-untyped-def]
    if not current_user.is_admin:
        abort(403)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    counts = dict(
        db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role)).all()
    )
    classes = db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass))
    return render_template("admin/index.html", counts=counts, class_count=classes, Role=Role)


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
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Teacher account “%(username)s” created.", username=teacher.username), "success")
            return redirect(url_for("admin.teachers"))
    staff = db.session.scalars(
        sa.select(User).where(User.role == Role.TEACHER).order_by(User.last_name, User.first_name)
    ).all()
    return render_template("admin/teachers.html", form=form, teachers=staff)
