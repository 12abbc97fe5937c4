"""Offers written in class: a persona posts one, played by a teacher or by a recruiter student
during an exercise. Only that class sees it (`JobOffer.class_id`)."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import CharterRefusal, screen_fields
from sandbox.classes.models import SchoolClass
from sandbox.classes.permissions import can_manage_class
from sandbox.companies.models import JobKind, JobOffer
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.core.text import fold
from sandbox.core.validation import clean_line, clean_text
from sandbox.extensions import db
from sandbox.jobs.pipeline import may_act_for_company
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import ContentKind

TITLE_MAX_LENGTH = 160
CITY_MAX_LENGTH = 80
DURATION_MAX_LENGTH = 60
DESCRIPTION_MIN_LENGTH = 80
DESCRIPTION_MAX_LENGTH = 4000
SLUG_MAX_LENGTH = 100


def _unique_slug(company_slug: str, title: str) -> str:
    """"company-title", or the same with the first free number ("-2", "-3"…)."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-") or "offre"
    base = f"{company_slug}-{words}"[:SLUG_MAX_LENGTH].rstrip("-")
    taken = set(db.session.scalars(sa.select(JobOffer.slug).where(
        sa.or_(JobOffer.slug == base, JobOffer.slug.like(f"{base}-%")))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _check_class(played_by: User | None, class_id: int | None) -> None:
    """An offer written by a person is for one class: theirs (a student), one they teach."""
    if played_by is None:
        return
    klass = db.session.get(SchoolClass, class_id) if class_id is not None else None
    if klass is None:
        raise ServiceError(_l("Choose the class that will see this offer."), field="class_id")
    if played_by.is_student and played_by.class_id != klass.id:
        raise PermissionDenied(_l("You post offers for your own class only."))
    if not played_by.is_student and not can_manage_class(played_by, klass):
        raise PermissionDenied(_l("You post offers for your own classes only."))


def _screen(played_by: User, company_id: int, texts: dict[str, str], charter_ack: bool) -> list:
    """The charter on a student's offer. There is no moderation case for an offer yet, so a
    finding the class flags must be changed before posting (as if blocked)."""
    screening = screen_fields(played_by, texts, kind=ContentKind.POST,
                              target=f"company:{company_id}", acknowledged=charter_ack)
    if screening.flagged:
        raise CharterRefusal([finding for _, finding in screening.flagged],
                             field=screening.flagged[0][0])
    return [finding.as_json() for _, finding in screening.overridden]


def post_offer(persona: User, *, title: str, kind: JobKind | str, city: str,
               start_date: date | None, duration: str, description: str, class_id: int | None,
               played_by: User | None, charter_ack: bool = False) -> JobOffer:
    """Post an offer as `persona` for `class_id`; commits. The caller checks that `played_by`
    may play this persona; this checks that they act for the company and for that class."""
    company = persona.persona.company if persona.persona is not None else None
    if company is None:
        raise PermissionDenied(_l("Only the people of a company post its offers."))
    if played_by is not None and not may_act_for_company(played_by, company.id):
        raise PermissionDenied(_l("You do not act for this company."))
    _check_class(played_by, class_id)
    title = clean_line(title, "title", max_length=TITLE_MAX_LENGTH)
    try:
        kind = JobKind(kind)
    except ValueError:
        raise ServiceError(_l("Choose the type of contract."), field="kind") from None
    city = clean_line(city, "city", max_length=CITY_MAX_LENGTH)
    duration = clean_line(duration, "duration", max_length=DURATION_MAX_LENGTH, required=False)
    description = clean_text(description, "description", max_length=DESCRIPTION_MAX_LENGTH)
    if len(description) < DESCRIPTION_MIN_LENGTH:
        raise ServiceError(_l("Describe the job in %(count)d characters at least: the tasks, "
                              "the profile you look for.", count=DESCRIPTION_MIN_LENGTH),
                           field="description")
    overridden = []
    if played_by is not None and played_by.is_student:
        overridden = _screen(played_by, company.id,
                             {"title": title, "description": description}, charter_ack)
    offer = JobOffer(slug=_unique_slug(company.slug, title), company_id=company.id, title=title,
                     kind=kind, city=city, start_date=start_date, duration=duration,
                     description=description, class_id=class_id, posted_by_id=persona.id)
    db.session.add(offer)
    try:
        db.session.flush()
    except IntegrityError:  # the same title posted twice at the same moment
        db.session.rollback()
        raise ServiceError(_l("This offer could not be posted: send it again.")) from None
    if overridden:  # the student posted despite the charter's advice: the audit log says so
        record_audit(played_by, "override", author=played_by, findings=overridden,
                     offer_id=offer.id)
    record_event(persona, "offer_posted", offer, offer_id=offer.id, company_id=company.id)
    db.session.commit()
    return offer
