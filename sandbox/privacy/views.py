"""Data rights: a student's data page and archive, and erasing a student (their teachers)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.core.limits import person_key
from sandbox.dashboard.blueprint import ID
from sandbox.extensions import limiter
from sandbox.privacy import archive, erasure
from sandbox.privacy.forms import ErasureForm

blueprint = Blueprint("privacy", __name__)

STUDENT = f"/classes/<{ID}:class_id>/students/<{ID}:student_id>"
# Building an archive reads every table and copies the pictures: a burst is refused.


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _export_rate_limit() -> str:
    return str(current_app.config["DATA_EXPORT_RATE_LIMIT"])


def _limited(view):  # type: ignore[no-untyped-def]
    """Both archive downloads share one allowance per person."""
    return limiter.shared_limit(_export_rate_limit, scope="data_export",
                                key_func=person_key)(view)


def _download(built: archive.Archive) -> Response:
    response = send_file(built.file, mimetype="application/zip", as_attachment=True,
                         download_name=built.filename, conditional=False, etag=False,
                         max_age=0)
    # A minor's data: never kept by the browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/account/data")
def own_data():  # type: ignore[no-untyped-def]
    if not current_user.is_student:
        raise PermissionDenied(archive.STUDENTS_ONLY)
    klass = current_user.school_class
    return render_template("privacy/data.html", sections=archive.SECTIONS,
                           teachers=klass.teachers if klass is not None else [])


@blueprint.route("/account/data.zip")
@_limited
def own_archive():  # type: ignore[no-untyped-def]
    return _download(archive.own_archive(current_user))


@blueprint.route(f"{STUDENT}/data.zip")
@_limited
def student_archive(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    return _download(archive.student_archive(current_user, class_id, student_id))


@blueprint.route(f"{STUDENT}/erase", methods=["GET", "POST"])
def erase(class_id: int, student_id: int):  # type: ignore[no-untyped-def]
    preview = erasure.erasure_preview(current_user, class_id, student_id)
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erasure.erase_student(current_user, class_id, student_id, form.username.data)
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            # No name here: the message travels in the session cookie.
            flash(_("The student's account and data were erased."), "success")
            return redirect(url_for("classes.show", class_id=class_id))
    return render_template("privacy/erase.html", preview=preview, form=form)
