"""A trainee's review of a company: the page to write, edit or delete it.

The reviews themselves show on the company's page (`companies.show`, `reviews.summary`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.gate import CharterRefusal
from sandbox.charter.web import charter_ack, charter_error
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.core.validation import clean_text
from sandbox.reviews import services
from sandbox.reviews.forms import ReviewForm
from sandbox.reviews.labels import CRITERION_QUESTIONS
from sandbox.reviews.models import ANSWER_MAX_LENGTH
from sandbox.reviews.services import Eligibility, ReviewPage
from sandbox.reviews.summary import MIN_REVIEWS

blueprint = Blueprint("reviews", __name__, url_prefix="/companies")


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _company_page(slug: str) -> str:
    return url_for("companies.show", slug=slug, _anchor="reviews")


def _render(page: ReviewPage, form: ReviewForm, refusal: ServiceError | None = None):  # type: ignore[no-untyped-def]
    refused = charter_error(refusal)
    # Blocked words all come from one answer: they are highlighted in it. The coach's advice may
    # concern both answers, so its words are listed without the text around them.
    blocked_in = getattr(form, refused.field, None) \
        if isinstance(refused, CharterRefusal) and refused.field else None
    return render_template(
        "reviews/form.html", page=page, form=form, refusal=refused,
        # As the charter read it (line breaks and spaces tidied), so that the spans match.
        refused_text=clean_text(blocked_in.data, "text", max_length=ANSWER_MAX_LENGTH,
                                required=False) if blocked_in is not None else "",
        questions=CRITERION_QUESTIONS, Eligibility=Eligibility, min_reviews=MIN_REVIEWS,
        back=_company_page(page.company.slug),
    )


@blueprint.route("/<slug>/review", methods=["GET", "POST"])
def edit(slug: str):  # type: ignore[no-untyped-def]
    """Write one's review of a company, or edit it."""
    form = ReviewForm()
    refusal = None
    if form.validate_on_submit():
        try:
            _review, created = services.save_review(current_user, slug, form.answers(),
                                                    charter_ack=charter_ack())
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            refusal = error
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Thank you: your review is published.") if created
                  else _("Your review has been updated."), "success")
            return redirect(_company_page(slug))
    page = services.page_for(current_user, slug)
    if not form.is_submitted() and page.review is not None:
        form.fill_from(page.review)
    return _render(page, form, refusal)


@blueprint.route("/<slug>/review/delete", methods=["POST"])
def delete(slug: str):  # type: ignore[no-untyped-def]
    services.delete_review(current_user, slug)
    flash(_("Your review has been deleted."), "success")
    return redirect(_company_page(slug))
