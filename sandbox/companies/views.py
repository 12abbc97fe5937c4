"""The companies: their directory, each employer-brand page and its generated logo."""

from __future__ import annotations

from types import SimpleNamespace

from babel.numbers import format_compact_currency
from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import format_number, format_percent, get_locale
from flask_login import current_user, login_required

from sandbox.accounts.models import User
from sandbox.companies import services
from sandbox.companies.labels import JOB_KIND_LABELS, PERSONA_KIND_LABELS, SECTOR_LABELS
from sandbox.companies.models import Sector
from sandbox.network import follows
from sandbox.profiles.visibility import fields_seen_of
from sandbox.reviews.labels import ADVICE_QUESTION, CRITERION_LABELS, LIKED_QUESTION
from sandbox.reviews.summary import MIN_REVIEWS, company_reviews

blueprint = Blueprint("companies", __name__, url_prefix="/companies")

# The words of the reviews part of a company's page (templates/reviews/_company_section.html).
REVIEW_LABELS = SimpleNamespace(criteria=CRITERION_LABELS, liked=LIKED_QUESTION,
                                advice=ADVICE_QUESTION, minimum=MIN_REVIEWS)

LOGO_MAX_AGE = 86400  # a day: logos change only when a company is renamed


@blueprint.before_request
@login_required
def require_login() -> None:
    """Every logged-in person (admin, teacher, student) may see every company."""
    return None


def profile_url(user: User) -> str:
    return url_for("profiles.show", user_id=user.id)


def format_turnover(amount: int) -> str:
    """A readable amount in the reader's language: "12,5 M €", "€12.5M"."""
    return format_compact_currency(amount, "EUR", locale=get_locale(), fraction_digits=1)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    cities = services.cities()
    sector = services.parse_sector(request.args.get("sector"))
    city = request.args.get("city")
    if city not in cities:  # an unknown city filters nothing, like an unknown sector
        city = None
    found = services.sector_counts(city)
    # The active sector stays listed even with no company in the chosen city, so it can be seen.
    counts = {s: found.get(s, 0) for s in Sector if s in found or s == sector}
    return render_template(
        "companies/index.html",
        entries=services.directory(sector, city, viewer=current_user),
        sector_counts=counts,
        total=sum(found.values()),
        cities=cities,
        active_sector=sector,
        active_city=city,
        sector_labels=SECTOR_LABELS,
        format_number=format_number,
    )


@blueprint.route("/<slug>")
def show(slug: str):  # type: ignore[no-untyped-def]
    page = services.company_page(slug, current_user)
    if page is None:
        abort(404)
    return render_template(
        "companies/show.html",
        company=page.company,
        people=page.people,
        # The one visibility check: what this viewer may see of each person.
        people_fields=fields_seen_of(current_user, [persona.user for persona in page.people]),
        offers=page.open_offers,
        following=follows.is_following_company(current_user, page.company.id),
        reviews=company_reviews(current_user, page.company),
        review_labels=REVIEW_LABELS,
        sector_labels=SECTOR_LABELS,
        job_kind_labels=JOB_KIND_LABELS,
        persona_kind_labels=PERSONA_KIND_LABELS,
        profile_url=profile_url,
        format_number=format_number,
        format_percent=format_percent,
        format_turnover=format_turnover,
    )


@blueprint.route("/<slug>/logo.svg")
def logo(slug: str):  # type: ignore[no-untyped-def]
    company = services.company_by_slug(slug)
    if company is None:
        abort(404)
    response = make_response(services.logo_svg(company))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE}"
    return response
