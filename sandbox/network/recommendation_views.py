"""Recommendations, skill endorsements and the journal of what contacts brought."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.web import charter_ack, charter_error
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.network import journal as journals
from sandbox.network import recommendations
from sandbox.network.journal import OUTCOME_LABELS, contacts_of
from sandbox.network.models import RecommendationStatus
from sandbox.network.recommendation_forms import OutcomeForm, RecipientForm, RecommendationForm

blueprint = Blueprint("recommendations", __name__)

_ID = "int(min=1, max=2147483647)"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _refused(error: ServiceError) -> bool:
    """A broken rule to explain on the page (404 and 403 have their own pages)."""
    return not isinstance(error, NotFound | PermissionDenied)


# ---- recommendations ------------------------------------------------------------------------


def _render_index(form: RecommendationForm, recipient_id: int | None,
                  refusal: ServiceError | None = None) -> str:
    contacts = contacts_of(current_user)
    recipient = next((c for c in contacts if c.id == recipient_id), None)
    chooser = RecipientForm()
    chooser.to.choices = [(c.id, c.name_for(current_user)) for c in contacts]
    chooser.to.data = recipient.id if recipient else None
    return render_template(
        "recommendations/index.html",
        overview=recommendations.overview(current_user),
        contacts=contacts,
        recipient=recipient,
        recipient_name=recipient.name_for(current_user) if recipient else None,
        chooser=chooser,
        form=form,
        refusal=charter_error(refusal),
        Status=RecommendationStatus,
    )


@blueprint.route("/recommendations/")
def index():  # type: ignore[no-untyped-def]
    return _render_index(RecommendationForm(), request.args.get("to", type=int))


@blueprint.route(f"/people/<{_ID}:user_id>/recommendations", methods=["POST"])
def write(user_id: int):  # type: ignore[no-untyped-def]
    form = RecommendationForm()
    refusal = None
    if form.validate_on_submit():
        try:
            recommendations.write_recommendation(current_user, user_id, form.text.data or "",
                                                 charter_ack=charter_ack())
        except ServiceError as error:
            if not _refused(error):
                raise
            refusal = error
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Your recommendation has been sent. It will appear on their profile once "
                    "they accept it."), "success")
            return redirect(url_for(".index"))
    return _render_index(form, user_id, refusal)


def _answer(action, recommendation_id: int, done: str):  # type: ignore[no-untyped-def]
    try:
        action(current_user, recommendation_id)
    except ServiceError as error:
        if not _refused(error):
            raise
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".index"))


@blueprint.route(f"/recommendations/<{_ID}:recommendation_id>/accept", methods=["POST"])
def accept(recommendation_id: int):  # type: ignore[no-untyped-def]
    return _answer(recommendations.accept_recommendation, recommendation_id,
                   _("The recommendation now appears on your profile."))


@blueprint.route(f"/recommendations/<{_ID}:recommendation_id>/decline", methods=["POST"])
def decline(recommendation_id: int):  # type: ignore[no-untyped-def]
    return _answer(recommendations.decline_recommendation, recommendation_id,
                   _("The recommendation will not appear on your profile."))


# ---- skill endorsements ---------------------------------------------------------------------


def _back_to_profile(user_id: int):  # type: ignore[no-untyped-def]
    target = safe_next_url(request.form.get("next"))
    return redirect(target or url_for("profiles.show", user_id=user_id, _anchor="endorsements"))


@blueprint.route(f"/people/<{_ID}:user_id>/skills/<{_ID}:skill_id>/endorse", methods=["POST"])
def endorse(user_id: int, skill_id: int):  # type: ignore[no-untyped-def]
    try:
        skill = recommendations.endorse_skill(current_user, user_id, skill_id)
    except ServiceError as error:
        if not _refused(error):
            raise
        flash(str(error.message), "error")
    else:
        flash(_("You endorsed “%(skill)s”.", skill=skill.name), "success")
    return _back_to_profile(user_id)


@blueprint.route(f"/people/<{_ID}:user_id>/skills/<{_ID}:skill_id>/unendorse", methods=["POST"])
def unendorse(user_id: int, skill_id: int):  # type: ignore[no-untyped-def]
    skill = recommendations.withdraw_endorsement(current_user, user_id, skill_id)
    flash(_("You no longer endorse “%(skill)s”.", skill=skill.name), "success")
    return _back_to_profile(user_id)


# ---- journal of network outcomes ------------------------------------------------------------


def _outcome_form() -> OutcomeForm:
    form = OutcomeForm()
    form.contact.choices = [("", _("Someone outside my connections"))] + [
        (contact.id, contact.name_for(current_user)) for contact in contacts_of(current_user)
    ]
    return form


def _render_journal(form: OutcomeForm):  # type: ignore[no-untyped-def]
    return render_template(
        "recommendations/journal.html",
        journal=journals.own_journal(current_user),
        form=form,
        labels=OUTCOME_LABELS,
    )


@blueprint.route("/journal")
def journal():  # type: ignore[no-untyped-def]
    return _render_journal(_outcome_form())


@blueprint.route("/journal", methods=["POST"])
def add_outcome():  # type: ignore[no-untyped-def]
    form = _outcome_form()
    if form.validate_on_submit():
        try:
            journals.add_outcome(
                current_user,
                kind=form.kind.data or "",
                contact_id=form.contact.data,
                occurred_on=form.occurred_on.data,
                note=form.note.data or "",
            )
        except ServiceError as error:
            if not _refused(error):
                raise
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Added to your journal."), "success")
            return redirect(url_for(".journal"))
    return _render_journal(form)


@blueprint.route(f"/journal/<{_ID}:outcome_id>/delete", methods=["POST"])
def delete_outcome(outcome_id: int):  # type: ignore[no-untyped-def]
    journals.delete_outcome(current_user, outcome_id)
    flash(_("Removed from your journal."), "success")
    return redirect(url_for(".journal"))


@blueprint.route(f"/students/<{_ID}:student_id>/journal")
def student_journal(student_id: int):  # type: ignore[no-untyped-def]
    """A student's journal, read by their teacher; the student reads theirs at /journal."""
    if student_id == current_user.id and current_user.is_student:
        return redirect(url_for(".journal"))
    return render_template(
        "recommendations/journal.html",
        journal=journals.student_journal(current_user, student_id),
        form=None,
        labels=OUTCOME_LABELS,
    )
