"""The student's side of job offers: save one, apply with a cover letter, withdraw.

The profile serves as the CV: a recruiter reads it as they would on the network. A letter goes
through the class charter like every text a student sends. One application per offer, even with
two clicks at once (a unique constraint, and a clear message).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import screen, settle
from sandbox.companies.models import JobOffer
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.validation import clean_text
from sandbox.exercises.access import recruiter_companies_of
from sandbox.extensions import db
from sandbox.jobs import processing
from sandbox.jobs.models import COVER_LETTER_MAX_LENGTH, Application, SavedOffer
from sandbox.jobs.pipeline import FINAL
from sandbox.jobs.search import visible_offer
from sandbox.moderation.models import ContentKind
from sandbox.notifications.models import Notification
from sandbox.personas.models import Persona
from sandbox.profiles.models import Profile

COVER_LETTER_MIN_LENGTH = 150
EMAIL_MAX_LENGTH = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


# ---- saved offers --------------------------------------------------------------------------


def save_offer(user: User, offer_id: int) -> bool:
    """Keep an offer to read again; saving it twice changes nothing. True when newly saved."""
    offer = visible_offer(user, offer_id)
    if db.session.get(SavedOffer, (user.id, offer.id)) is not None:
        return False
    # No savepoint: on SQLite's driver one opened first would commit the row on its own.
    db.session.add(SavedOffer(user_id=user.id, offer_id=offer.id))
    try:
        db.session.flush()
    except IntegrityError:  # saved in another tab at the same moment
        db.session.rollback()
        return False
    record_event(user, "offer_saved", offer, offer_id=offer.id)
    db.session.commit()
    return True


def unsave_offer(user: User, offer_id: int) -> bool:
    """Forget a saved offer; forgetting it twice changes nothing. True when it was saved.

    No visibility check: one may always forget an offer one saved, even one gone from sight.
    """
    deleted = db.session.execute(
        sa.delete(SavedOffer).where(SavedOffer.user_id == user.id, SavedOffer.offer_id == offer_id)
    ).rowcount
    if deleted:
        offer = db.session.get(JobOffer, offer_id)
        record_event(user, "offer_unsaved", offer, offer_id=offer_id)
    db.session.commit()
    return bool(deleted)


# ---- applying ------------------------------------------------------------------------------


def clean_letter(letter: str | None) -> str:
    letter = clean_text(letter, "cover_letter", max_length=COVER_LETTER_MAX_LENGTH,
                        missing=_l("Write your cover letter."))
    if len(letter) < COVER_LETTER_MIN_LENGTH:
        raise ServiceError(_l("Your letter is very short (%(count)d characters at least): say "
                              "who you are, why this offer and why this company.",
                              count=COVER_LETTER_MIN_LENGTH), field="cover_letter")
    return letter


def addressed_persona(offer: JobOffer, email: str | None) -> tuple[str, User | None]:
    """The recruiter e-mail typed (tidied), and the person of the offer's company it belongs to.

    Like in real life, the address must be the right one: found on the profile of someone of
    that company (often shown to their connections only).
    """
    email = (email or "").strip().lower()
    if not email:
        return "", None
    if len(email) > EMAIL_MAX_LENGTH or not _EMAIL.match(email):
        raise ServiceError(_l("This is not an e-mail address (for example: "
                              "prenom.nom@entreprise.example)."), field="recruiter_email")
    person = db.session.scalar(
        sa.select(User).join(Persona, Persona.user_id == User.id)
        .join(Profile, Profile.user_id == User.id)
        .where(Persona.company_id == offer.company_id, User.is_disabled.is_(False),
               sa.func.lower(Profile.contact_email) == email)
    )
    if person is None:
        raise ServiceError(_l("Nobody at %(company)s has this address. Look for the "
                              "recruiter’s e-mail on the profiles of the company’s people: it is "
                              "often shown to their connections only.",
                              company=offer.company.name), field="recruiter_email")
    return email, person


def _already_applied() -> ServiceError:
    return ServiceError(_l("You have already applied to this offer: follow it in your "
                           "applications."))


def apply_to_offer(student: User, offer_id: int, cover_letter: str | None,
                   recruiter_email: str | None = None, *, charter_ack: bool = False
                   ) -> Application:
    """Send an application: the letter through the charter, one per offer; commits.

    The company's recruiter (or the person it is addressed to) will process it on their own;
    while a person plays them, that person decides, and the recruiter takes up afterwards what
    was left undecided (see `jobs.processing`).
    """
    if not student.is_student:
        raise PermissionDenied(_l("Only students apply to job offers."))
    offer = visible_offer(student, offer_id)
    if not offer.is_open:
        raise ServiceError(_l("This offer is closed: it no longer takes applications."))
    if offer.company_id in recruiter_companies_of(student):
        raise ServiceError(_l("You play a recruiter of this company in the exercise: you read "
                              "its applications, you do not send one."))
    if db.session.scalar(sa.select(Application.id).where(
            Application.offer_id == offer.id, Application.student_id == student.id)):
        raise _already_applied()
    letter = clean_letter(cover_letter)
    email, addressed = addressed_persona(offer, recruiter_email)
    screening = screen(student, letter, kind=ContentKind.APPLICATION, target=f"offer:{offer.id}",
                       field="cover_letter", acknowledged=charter_ack)
    application = Application(offer_id=offer.id, student_id=student.id, cover_letter=letter,
                              recruiter_email=email)
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError:  # two clicks at once: the first one applied
        db.session.rollback()
        raise _already_applied() from None
    settle(screening, student, ContentKind.APPLICATION, application.id)
    record_event(student, "applied", application, offer_id=offer.id,
                 application_id=application.id)
    reviewer = processing.reviewer_for(offer, addressed)
    if reviewer is not None:
        processing.plan_step(application, reviewer, "review")
    db.session.commit()
    return application


def withdraw_application(student: User, application_id: int) -> None:
    """Take an application back while it is not decided: it is gone for the recruiter."""
    application = db.session.get(Application, application_id)
    if application is None or application.student_id != student.id:
        raise NotFound(_l("This application does not exist."))
    if application.status in FINAL:
        raise ServiceError(_l("This application has been decided: it can no longer be "
                              "withdrawn."))
    offer_id = application.offer_id
    deleted = db.session.execute(
        sa.delete(Application).where(Application.id == application.id,
                                     Application.status == application.status)
    ).rowcount
    if deleted != 1:  # the recruiter decided at that very moment
        db.session.rollback()
        raise ServiceError(_l("This application has just changed: reload the page."))
    # The recruiter's pending steps and the student's notices about it go with it.
    processing.cancel_steps(application_id)
    db.session.execute(sa.delete(Notification).where(
        Notification.user_id == student.id, Notification.subject_type == "Application",
        Notification.subject_id == application_id))
    record_event(student, "application_withdrawn", application, offer_id=offer_id)
    db.session.commit()
