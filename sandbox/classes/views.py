"""The teacher's class pages: list, creation, settings, join code, roster and passwords."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.classes import services
from sandbox.classes.forms import ClassForm, RosterForm
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.classes.roster import RosterError, import_roster
from sandbox.core.errors import ServiceError
from sandbox.core.forms import attach_service_error

blueprint = Blueprint("classes", __name__, url_prefix="/classes")


@blueprint.before_request
@login_required
def require_staff():  # type: ignore[no-untyped-def]
    if not (current_user.is_teacher or current_user.is_admin):
        abort(403)


def _login_cards_page(klass: SchoolClass, cards: list[services.LoginCard]):  # type: ignore[no-untyped-def]
    """One-time passwords are shown once: never kept by the browser's cache."""
    response = make_response(render_template("classes/login_cards.html", klass=klass, cards=cards))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    classes = services.classes_of(current_user)
    return render_template("classes/index.html", classes=classes)


@blueprint.route("/new", methods=["GET", "POST"])
def create():  # type: ignore[no-untyped-def]
    form = ClassForm()
    if form.validate_on_submit():
        try:
            klass = services.create_class(
                current_user,
                form.name.data,
                NetworkScope(form.network_scope.data),
                form.allow_pseudonyms.data,
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Class created. Give your students its code: %(code)s", code=klass.join_code), "success")
            return redirect(url_for("classes.show", class_id=klass.id))
    return render_template("classes/form.html", form=form, klass=None)


@blueprint.route("/<int:class_id>")
def show(class_id: int):  # type: ignore[no-untyped-def]
    klass = services.get_managed_class(current_user, class_id)
    return render_template(
        "classes/show.html",
        klass=klass,
        students=services.class_students(klass),
    )


@blueprint.route("/<int:class_id>/settings", methods=["GET", "POST"])
def settings(class_id: int):  # type: ignore[no-untyped-def]
    klass = services.get_managed_class(current_user, class_id)
    form = ClassForm(obj=klass)
    if form.validate_on_submit():
        try:
            services.update_class_settings(
                current_user,
                klass,
                name=form.name.data,
                network_scope=NetworkScope(form.network_scope.data),
                allow_pseudonyms=form.allow_pseudonyms.data,
                weekly_invitation_cap=form.weekly_invitation_cap.data,
                students_create_groups=form.students_create_groups.data,
                persona_time_compression=form.persona_time_compression.data,
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("classes.show", class_id=klass.id))
    elif not form.is_submitted():
        form.network_scope.data = klass.network_scope.value
    return render_template("classes/form.html", form=form, klass=klass)


@blueprint.route("/<int:class_id>/join-code", methods=["POST"])
def rotate_join_code(class_id: int):  # type: ignore[no-untyped-def]
    klass = services.get_managed_class(current_user, class_id)
    code = services.rotate_join_code(current_user, klass)
    flash(_("New class code: %(code)s. The old code no longer works.", code=code), "success")
    return redirect(url_for("classes.show", class_id=klass.id))


@blueprint.route("/<int:class_id>/join-poster")
def join_poster(class_id: int):  # type: ignore[no-untyped-def]
    """A page to print or project: how to join the class, with its code."""
    klass = services.get_managed_class(current_user, class_id)
    return render_template("classes/join_poster.html", klass=klass)


@blueprint.route("/<int:class_id>/roster", methods=["GET", "POST"])
def roster(class_id: int):  # type: ignore[no-untyped-def]
    klass = services.get_managed_class(current_user, class_id)
    form = RosterForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            cards = import_roster(current_user, klass, form.roster.data.read())
        except RosterError as error:
            problems = error.problems
            flash(str(error.message), "error")
        else:
            return _login_cards_page(klass, cards)
    return render_template("classes/roster.html", klass=klass, form=form, problems=problems)


@blueprint.route("/<int:class_id>/students/<int:student_id>/password", methods=["POST"])
def reset_password(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    klass = services.get_managed_class(current_user, class_id)
    student = services.get_student_of_class(current_user, klass, student_id)
    card = services.reset_student_password(current_user, student)
    return _login_cards_page(klass, [card])
