"""What the jobs pages show, each loaded in a fixed number of queries: one offer, the saved
offers, a student's applications with the history of each, one application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.companies.models import JobOffer
from sandbox.classes.permissions import can_manage_student
from sandbox.core.errors import NotFound, PermissionDenied
from sandbox.exercises.access import recruiter_companies_of
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus, SavedOffer
from sandbox.jobs.pipeline import FINAL, PIPELINE
from sandbox.jobs.search import OfferRow, marks_for, offer_visible_to, visible_offer
from sandbox.personas.models import Persona
from sandbox.profiles.completeness import Completeness, completeness
from sandbox.profiles.models import Profile

MAX_SAVED = 200


@dataclass(frozen=True)
class OfferPage:
    offer: JobOffer
    saved: bool
    application: Application | None
    # The student's own profile completeness, to improve before applying (None for staff).
    completeness: Completeness | None
    # The student plays a recruiter of this company in a live exercise: they do not apply.
    plays_recruiter: bool = False


def offer_page(viewer: User, offer_id: int) -> OfferPage:
    """One offer with its company, the viewer's marks on it, and (for a student who has not
    applied yet) how complete their profile, their CV, is."""
    offer = visible_offer(viewer, offer_id)
    saved, applications = marks_for(viewer, [offer.id])
    application = applications.get(offer.id)
    score, plays_recruiter = None, False
    if viewer.is_student and application is None:
        plays_recruiter = offer.company_id in recruiter_companies_of(viewer)
        profile = db.session.scalar(sa.select(Profile).where(Profile.user_id == viewer.id).options(
            selectinload(Profile.skills), selectinload(Profile.experiences),
            selectinload(Profile.education), selectinload(Profile.languages),
            selectinload(Profile.hashtags)))
        score = completeness(profile) if profile is not None else None
    return OfferPage(offer=offer, saved=offer.id in saved, application=application,
                     completeness=score, plays_recruiter=plays_recruiter)


def saved_offers(viewer: User) -> list[OfferRow]:
    """The offers `viewer` saved and may still see, last saved first (three queries)."""
    offers = list(db.session.scalars(
        sa.select(JobOffer).join(SavedOffer, SavedOffer.offer_id == JobOffer.id)
        .join(JobOffer.company)
        .where(SavedOffer.user_id == viewer.id, offer_visible_to(viewer))
        .options(contains_eager(JobOffer.company))
        .order_by(SavedOffer.created_at.desc(), JobOffer.id.desc())
        .limit(MAX_SAVED)
    ))
    _, applications = marks_for(viewer, [offer.id for offer in offers])
    return [OfferRow(offer, True, applications.get(offer.id)) for offer in offers]


@dataclass(frozen=True)
class Step:
    """One step of an application's history: what became of it, when, and who did it."""

    status: ApplicationStatus
    at: datetime
    by: User | None  # the persona (whoever played them); None for the student's sending


@dataclass(frozen=True)
class ApplicationView:
    application: Application
    steps: list[Step]
    reasons: list[str]  # why a persona declined it on its own (codes, see jobs.labels)

    @property
    def can_withdraw(self) -> bool:
        return self.application.status not in FINAL

    @property
    def declined(self) -> bool:
        return self.application.status is ApplicationStatus.DECLINED

    def reached(self, status: ApplicationStatus) -> bool:
        """Whether the application got that far (shortlisted implies seen, even unrecorded)."""
        furthest = max(PIPELINE.index(step.status) for step in self.steps
                       if step.status in PIPELINE)
        return PIPELINE.index(status) <= furthest


def _history(applications: list[Application]) -> dict[int, list[ActivityEvent]]:
    """The recruiters' events on these applications, oldest first (one query, on the index of
    the company's people's events)."""
    if not applications:
        return {}
    people = sa.select(Persona.user_id).where(
        Persona.company_id.in_({a.offer.company_id for a in applications}))
    events = db.session.scalars(
        sa.select(ActivityEvent).where(
            ActivityEvent.user_id.in_(people), ActivityEvent.kind == "application_processed",
            ActivityEvent.subject_type == "Application",
            ActivityEvent.subject_id.in_([a.id for a in applications]))
        .order_by(ActivityEvent.created_at, ActivityEvent.id))
    history: dict[int, list[ActivityEvent]] = {}
    for event in events:
        history.setdefault(event.subject_id or 0, []).append(event)
    return history


def _views(applications: list[Application]) -> list[ApplicationView]:
    """Each application with its history (two queries)."""
    history = _history(applications)
    actor_ids = {event.user_id for events in history.values() for event in events}
    actors = {user.id: user for user in db.session.scalars(
        sa.select(User).where(User.id.in_(actor_ids)).options(joinedload(User.school_class))
    )} if actor_ids else {}
    views = []
    for application in applications:
        steps = [Step(ApplicationStatus.SENT, application.created_at, None)]
        reasons: list[str] = []
        for event in history.get(application.id, []):
            try:
                status = ApplicationStatus(event.data.get("status"))
            except ValueError:
                continue
            steps.append(Step(status, event.created_at, actors.get(event.user_id or 0)))
            if status is ApplicationStatus.DECLINED:
                reasons = [str(code) for code in event.data.get("reasons") or []]
        views.append(ApplicationView(application, steps, reasons))
    return views


def _with_offer(query: sa.Select) -> sa.Select:
    return query.options(joinedload(Application.offer).joinedload(JobOffer.company),
                         joinedload(Application.student).joinedload(User.school_class))


def my_applications(student: User) -> list[ApplicationView]:
    """The student's applications, newest first, each with its history (three queries)."""
    if not student.is_student:
        raise PermissionDenied(_l("Only students apply to job offers."))
    return _views(list(db.session.scalars(_with_offer(
        sa.select(Application).where(Application.student_id == student.id)
        .order_by(Application.created_at.desc(), Application.id.desc())))))


def application_view(viewer: User, application_id: int) -> ApplicationView:
    """One application, for its author and for the staff who manage them (a teacher reads it
    from the moderation queue or the dashboard); anyone else: NotFound."""
    application = db.session.scalar(_with_offer(
        sa.select(Application).where(Application.id == application_id)))
    if application is None or not (application.student_id == viewer.id
                                   or can_manage_student(viewer, application.student)):
        raise NotFound(_l("This application does not exist."))
    return _views([application])[0]
