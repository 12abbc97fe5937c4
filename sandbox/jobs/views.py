"""Job offers: the search, one offer and its application form, saved offers, my applications."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.web import charter_ack, charter_error
from sandbox.companies.labels import JOB_KIND_LABELS, SECTOR_LABELS
from sandbox.companies.models import JobKind, Sector
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.core.limits import per_person
from sandbox.jobs import pages, search, services
from sandbox.jobs.forms import ApplicationForm
from sandbox.jobs.labels import REASON_LABELS, STATUS_LABELS, STEP_LABELS
from sandbox.jobs.models import COVER_LETTER_MAX_LENGTH
from sandbox.jobs.pipeline import PIPELINE

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")

OFFER_ID = "<int(min=1, max=2147483647):offer_id>"
APPLICATION_ID = "<int(min=1, max=2147483647):application_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.context_processor
def labels() -> dict:
    return {
        "job_kind_labels": JOB_KIND_LABELS, "sector_labels": SECTOR_LABELS,
        "status_labels": STATUS_LABELS, "step_labels": STEP_LABELS,
        "reason_labels": REASON_LABELS, "pipeline": PIPELINE, "format_number": format_number,
    }


def _back(offer_id: int):  # type: ignore[no-untyped-def]
    """Back where the button was (a safe local path), else to the offer."""
    return redirect(safe_next_url(request.form.get("next"))
                    or url_for("jobs.offer", offer_id=offer_id))


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    filters, errors = search.parse_filters(request.args)
    return render_template(
        "jobs/index.html", results=search.search_offers(current_user, filters), errors=errors,
        kinds=list(JobKind), sectors=list(Sector), query_max_length=search.QUERY_MAX_LENGTH,
    )


@blueprint.route("/saved")
def saved():  # type: ignore[no-untyped-def]
    return render_template("jobs/saved.html", rows=pages.saved_offers(current_user))


def _render_offer(offer_id: int, form: ApplicationForm):  # type: ignore[no-untyped-def]
    return render_template(
        "jobs/offer.html", page=pages.offer_page(current_user, offer_id), form=form,
        letter_min=services.COVER_LETTER_MIN_LENGTH,
        letter_max=COVER_LETTER_MAX_LENGTH,
    )


@blueprint.route(f"/{OFFER_ID}")
def offer(offer_id: int):  # type: ignore[no-untyped-def]
    return _render_offer(offer_id, ApplicationForm())


@blueprint.route(f"/{OFFER_ID}/apply", methods=["POST"])
@per_person("POST_RATE_LIMIT")
def apply(offer_id: int):  # type: ignore[no-untyped-def]
    form = ApplicationForm()
    if not form.validate_on_submit():
        return _render_offer(offer_id, form), 422
    try:
        application = services.apply_to_offer(
            current_user, offer_id, form.cover_letter.data, form.recruiter_email.data,
            charter_ack=charter_ack())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        if not error.field:  # applied already, offer closed: the offer page says how it stands
            flash(str(error.message), "error")
            return redirect(url_for("jobs.offer", offer_id=offer_id))
        form.charter_refusal = charter_error(error)  # the coach box shows its findings
        attach_service_error(form, error)
        return _render_offer(offer_id, form), 422
    flash(_("Your application is sent. Follow it here."), "success")
    return redirect(url_for("jobs.applications", _anchor=f"application-{application.id}"))


@blueprint.route(f"/{OFFER_ID}/save", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def save(offer_id: int):  # type: ignore[no-untyped-def]
    services.save_offer(current_user, offer_id)
    flash(_("Offer saved: find it in your saved offers."), "success")
    return _back(offer_id)


@blueprint.route(f"/{OFFER_ID}/unsave", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def unsave(offer_id: int):  # type: ignore[no-untyped-def]
    services.unsave_offer(current_user, offer_id)
    flash(_("Offer removed from your saved offers."), "success")
    return _back(offer_id)


@blueprint.route("/applications")
def applications():  # type: ignore[no-untyped-def]
    return render_template("jobs/applications.html",
                           views=pages.my_applications(current_user))


@blueprint.route(f"/applications/{APPLICATION_ID}")
def application(application_id: int):  # type: ignore[no-untyped-def]
    """One application, for its author and their teachers (the moderation queue links here)."""
    return render_template("jobs/application.html",
                           view=pages.application_view(current_user, application_id))


@blueprint.route(f"/applications/{APPLICATION_ID}/withdraw", methods=["POST"])
@per_person("REACTION_RATE_LIMIT")
def withdraw(application_id: int):  # type: ignore[no-untyped-def]
    try:
        services.withdraw_application(current_user, application_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("jobs.applications"))
