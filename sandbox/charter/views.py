"""The class charter: the teachers' editor, the signatures, the students' sign and read pages.

Who edits: the class's teachers, and the admins, who manage every class as on the class's other
pages (the IT person may set the school's e-mail domains and address for every class).

A logged-in student whose class has a charter version they have not signed is sent to the sign
page before any other page; anything else they ask (a form, JSON, the API) is refused with 403
until they sign.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter import services, signing
from sandbox.charter.forms import DAY_NAMES, CharterForm, SignForm, check_labels, find_field
from sandbox.core.errors import ServiceError
from sandbox.core.forms import safe_next_url

blueprint = Blueprint("charter", __name__)

CLASS_ID = "<int(min=1, max=2147483647):class_id>"

# What an unsigned student may still open: the sign page and what it needs, leaving, the
# language, the password change that comes first, and pictures (served to <img> tags).
EXEMPT_ENDPOINTS = frozenset({
    "static", "charter.sign", "accounts.logout", "accounts.login", "accounts.set_language",
    "accounts.change_password", "home.health", "profiles.picture", "companies.logo",
})


@blueprint.before_app_request
def require_signed_charter():  # type: ignore[no-untyped-def]
    """Send a student to the sign page until they sign their class's current charter."""
    if not current_user.is_authenticated or not current_user.is_student:
        return None
    if current_user.must_change_password:  # their own password first (sandbox.security)
        return None
    if request.endpoint is None or request.endpoint in EXEMPT_ENDPOINTS:
        return None  # no route: the error page; an exempt page
    if request.path.startswith("/socket.io"):
        return None
    if signing.pending_version(current_user) is None:
        return None
    if _is_page_request():
        return redirect(url_for("charter.sign", next=request.full_path.rstrip("?")))
    if signing.has_signed_before(current_user):
        # The charter changed while they were writing: what they send is checked against the
        # new one anyway; the next page asks them to sign it, and nothing typed is lost.
        return None
    message = _("Sign your class's charter before you go on.")
    if _wants_json():
        return jsonify(error=_("Access denied"), message=message,
                       sign_url=url_for("charter.sign")), 403
    return render_template("errors/error.html", code=403, title=_("Access denied"),
                           message=message), 403


def _wants_json() -> bool:
    return (request.is_json or request.path.startswith("/api/")
            or request.accept_mimetypes.best == "application/json")


def _is_page_request() -> bool:
    """A page the browser navigates to, as opposed to a form, a fetch or an API call."""
    return (request.method in ("GET", "HEAD") and not _wants_json()
            and not request.headers.get("X-Requested-With"))


# ---- the teachers' pages -------------------------------------------------------------------


@blueprint.route(f"/classes/{CLASS_ID}/charter", methods=["GET", "POST"])
@login_required
def edit(class_id: int):  # type: ignore[no-untyped-def]
    klass = services.managed_class(current_user, class_id)
    charter = services.charter_of(klass)
    rules = services.rules_of(klass.id)
    checked_codes = {rule.code for rule in rules if rule.checks}
    form = CharterForm() if request.method == "POST" else CharterForm(
        data=CharterForm.initial_data(charter, rules)
    )
    if form.validate_on_submit():
        try:
            change = services.update_charter(current_user, klass.id,
                                             form.to_edit(checked_codes))
        except ServiceError as error:
            field = find_field(form, error.field)
            if field is not None:
                field.errors = [*field.errors, str(error.message)]
            else:
                flash(str(error.message), "error")
        else:
            if change:
                flash(_("Charter saved: this is now version %(version)d. Your students will "
                        "sign it when they next open a page.", version=change.version),
                      "success")
            else:
                flash(_("Nothing has changed: the charter stays at version %(version)d.",
                        version=change.version), "info")
            return redirect(url_for("charter.edit", class_id=klass.id))
    elif form.is_submitted():
        flash(_("The charter was not saved: correct the fields marked below."), "error")
    return render_template(
        "charter/edit.html", klass=klass, charter=charter, form=form,
        rules_by_code={rule.code: rule for rule in rules}, check_labels=check_labels,
    )


@blueprint.route(f"/classes/{CLASS_ID}/charter/reset", methods=["POST"])
@login_required
def reset(class_id: int):  # type: ignore[no-untyped-def]
    change = services.reset_to_default(current_user, class_id)
    if change:
        flash(_("The rules are back to the default charter: this is now version %(version)d.",
                version=change.version), "success")
    else:
        flash(_("The rules already were those of the default charter."), "info")
    return redirect(url_for("charter.edit", class_id=class_id))


@blueprint.route(f"/classes/{CLASS_ID}/charter/signatures")
@login_required
def signatures(class_id: int):  # type: ignore[no-untyped-def]
    page = signing.signatures_page(current_user, class_id)
    return render_template("charter/signatures.html", page=page)


# ---- the students' pages -------------------------------------------------------------------


@blueprint.route("/charter")
@login_required
def show():  # type: ignore[no-untyped-def]
    if not current_user.is_student:  # staff read and edit each class's charter
        return redirect(url_for("classes.index"))
    return render_template("charter/show.html", page=signing.student_charter(current_user),
                           day_names=DAY_NAMES)


@blueprint.route("/charter/sign", methods=["GET", "POST"])
@login_required
def sign():  # type: ignore[no-untyped-def]
    if not current_user.is_student:
        if request.method == "POST":
            abort(403)
        return redirect(url_for("classes.index"))
    next_url = safe_next_url(request.values.get("next"))
    page = signing.student_charter(current_user)
    if page.signed_current:  # signed meanwhile, or the same form sent twice
        return redirect(next_url or url_for("charter.show"))
    form = SignForm(version=str(page.charter.version) if page.charter else "",
                    next=next_url or "")
    if form.validate_on_submit():
        version = (form.version.data or "").strip()
        try:
            signing.sign(current_user, int(version) if version.isdigit() else None)
        except ServiceError as error:
            flash(str(error.message), "error")
            page = signing.student_charter(current_user)
            form.version.data = str(page.charter.version) if page.charter else ""
            form.agree.data = False
        else:
            flash(_("Thank you! You have signed your class's charter."), "success")
            return redirect(next_url or url_for("home.index"))
    return render_template("charter/sign.html", page=page, form=form, day_names=DAY_NAMES)
