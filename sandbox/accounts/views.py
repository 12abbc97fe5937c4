"""Logging in and out, joining a class, changing one's password, choosing a language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from sandbox.accounts import services
from sandbox.accounts.forms import ChangePasswordForm, JoinClassForm, LanguageForm, LoginForm
from sandbox.classes.services import join_class
from sandbox.core.errors import ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.extensions import limiter

blueprint = Blueprint("accounts", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_address_rate_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _join_rate_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


def _address_and_username() -> str:
    username = services.normalise_username(request.form.get("username", ""))
    return f"{get_remote_address()}|{username}"


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, key_func=_address_and_username, methods=["POST"])
@limiter.limit(_login_address_rate_limit, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(
            form.username.data, form.password.data, locale=session.get("locale")
        )
        if user is None:
            flash(_("Wrong username or password."), "error")
        else:
            session.clear()  # a fresh session at login: no fixation
            login_user(user)
            return redirect(safe_next_url(form.next.data) or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are logged out. See you soon!"), "info")
    return redirect(url_for("accounts.login"))


@blueprint.route("/join", methods=["GET", "POST"])
@limiter.limit(_join_rate_limit, methods=["POST"])
def join():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = JoinClassForm(join_code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            student = join_class(
                form.join_code.data,
                username=form.username.data,
                password=form.password.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                pseudonym=form.pseudonym.data or "",
                locale=session.get("locale"),
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            session.clear()
            login_user(student)
            flash(_("Welcome to Tremplin! Your account is ready."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/join.html", form=form)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            login_user(current_user._get_current_object())  # this browser stays logged in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form)


@blueprint.route("/language", methods=["POST"])
def set_language():  # type: ignore[no-untyped-def]
    form = LanguageForm()
    if not form.validate_on_submit():
        flash(_("This language is not available."), "error")
        return redirect(url_for("home.index"))
    session["locale"] = form.language.data
    if current_user.is_authenticated:
        services.set_locale(current_user, form.language.data)
    return redirect(safe_next_url(form.next.data) or url_for("home.index"))
