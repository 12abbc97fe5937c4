"""The recruiter's side of applications: who may act for a company, reading its applications,
and moving one along the pipeline (sent → seen → shortlisted → interview → offer, or declined).

A persona moves an application on its own (`jobs.processing`), or a person plays it: a teacher
(over their own students), or a student of a recruiter team during a live exercise (over their
classmates' applications to that company). `move_application` is the one writer both use.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.classes.models import class_teachers
from sandbox.classes.permissions import can_manage_student
from sandbox.companies.models import Company, JobOffer
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.exercises.access import recruiter_companies_of
from sandbox.extensions import db
from sandbox.jobs.labels import STATUS_LABELS
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.notifications.services import notify
from sandbox.profiles.models import Profile
from sandbox.profiles.visibility import fields_seen_of

Status = ApplicationStatus

# Where an application may go from each status. "Seen" may be skipped (shortlisting it means it
# was read); offer and declined are final.
NEXT: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    Status.SENT: frozenset({Status.SEEN, Status.SHORTLISTED, Status.DECLINED}),
    Status.SEEN: frozenset({Status.SHORTLISTED, Status.DECLINED}),
    Status.SHORTLISTED: frozenset({Status.INTERVIEW, Status.DECLINED}),
    Status.INTERVIEW: frozenset({Status.OFFER, Status.DECLINED}),
}
FINAL = frozenset({Status.OFFER, Status.DECLINED})
PIPELINE = (Status.SENT, Status.SEEN, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFER)


def next_statuses(status: ApplicationStatus) -> list[ApplicationStatus]:
    """The statuses an application may move to from `status`, in the pipeline's order."""
    allowed = NEXT.get(status, frozenset())
    return [s for s in (*PIPELINE, Status.DECLINED) if s in allowed]


def may_act_for_company(user: User, company_id: int, student: User | None = None) -> bool:
    """Whether `user` may act for the company (play its people), and over `student` if given.

    Admins always; a teacher for any company, over their own students only; a student only for
    the company their recruiter team plays in a live exercise, over their classmates (not
    themselves).
    """
    if user.is_admin:
        return True
    if user.is_teacher:
        return student is None or can_manage_student(user, student)
    if user.is_student and company_id in recruiter_companies_of(user):
        return student is None or (student.class_id == user.class_id and student.id != user.id)
    return False


def _candidates_of(viewer: User, company_id: int) -> sa.ColumnElement[bool]:
    """Whose applications `viewer` may read for this company (a WHERE clause on Application)."""
    if viewer.is_admin:
        return sa.true()
    if viewer.is_teacher:
        taught = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == viewer.id)
        return Application.student_id.in_(sa.select(User.id).where(User.class_id.in_(taught)))
    if viewer.is_student and company_id in recruiter_companies_of(viewer):
        classmates = sa.select(User.id).where(User.class_id == viewer.class_id)
        return sa.and_(Application.student_id.in_(classmates),
                       Application.student_id != viewer.id)
    raise PermissionDenied(_l("Only the people playing this company read its applications."))


def _with_candidates(query: sa.Select) -> sa.Select:
    """What a recruiter reads of an application: the offer and its company, the candidate and
    their whole profile (their CV), in a fixed number of queries."""
    return query.options(
        joinedload(Application.offer).joinedload(JobOffer.company),
        joinedload(Application.student).options(
            joinedload(User.school_class),
            joinedload(User.profile).options(
                selectinload(Profile.skills), selectinload(Profile.experiences),
                selectinload(Profile.education), selectinload(Profile.languages),
                selectinload(Profile.links), selectinload(Profile.hashtags),
            ),
        ),
    )


def applications_for_company(viewer: User, company_id: int, *,
                             status: ApplicationStatus | None = None) -> list[Application]:
    """The applications to the company's offers that `viewer` may read, oldest first.

    Staff read their own students' (admins everyone's); a recruiter student, their class's,
    only while their exercise is live. Anyone else: PermissionDenied; no company: NotFound.
    """
    if db.session.get(Company, company_id) is None:
        raise NotFound(_l("This company does not exist."))
    query = (
        sa.select(Application).join(Application.offer)
        .where(JobOffer.company_id == company_id, _candidates_of(viewer, company_id))
        .order_by(Application.created_at, Application.id)
    )
    if status is not None:
        query = query.where(Application.status == status)
    return list(db.session.scalars(_with_candidates(query)).unique())


def candidate_fields(persona: User, applications: list[Application]) -> dict[int, frozenset[str]]:
    """What the persona sees of each candidate's profile: the profile as that recruiter would see
    it on the network (their connections see more), whoever plays them. Keyed by student id."""
    return fields_seen_of(persona, [application.student for application in applications])


def letter_for_recruiter(application: Application) -> str | None:
    """The cover letter, or None when a teacher hid it (the recruiter is told it was hidden)."""
    return None if application.hidden_at is not None else application.cover_letter


def _application_for(persona: User, application_id: int) -> Application:
    application = db.session.scalar(_with_candidates(
        sa.select(Application).where(Application.id == application_id)))
    if (application is None or persona.persona is None
            or persona.persona.company_id != application.offer.company_id):
        raise NotFound(_l("This application does not exist."))
    return application


def move_application(application: Application, persona: User, status: ApplicationStatus, *,
                     played_by: User | None = None, **data: Any) -> None:
    """Move the application to `status` as `persona`: event, notification; no commit.

    Two recruiters deciding at once: the second is told it changed (a conditional update).
    `data` is added to the event (the automatic decision's reasons).
    """
    current = application.status
    if current in FINAL:
        raise ServiceError(_l("This application has already been decided."))
    if status not in NEXT[current]:
        raise ServiceError(_l("An application that is “%(current)s” cannot become "
                              "“%(new)s”.", current=STATUS_LABELS[current],
                              new=STATUS_LABELS[status]))
    values = {"status": status, "updated_at": utcnow(),
              "decided_by_id": played_by.id if played_by is not None else None}
    changed = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.status == current)
        .values(**values)
        # The object is updated below: no search of the session for it (a worker's batch
        # holds hundreds of objects).
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ServiceError(_l("This application has just changed: reload the page."))
    for name, value in values.items():
        set_committed_value(application, name, value)
    offer = application.offer
    record_event(persona, "application_processed", application, application_id=application.id,
                 offer_id=offer.id, student_id=application.student_id, status=status.value,
                 **data)
    notify(application.student_id, "application_status_changed", persona, application,
           status=status.value, offer_id=offer.id, offer_title=offer.title)


def set_application_status(persona: User, application_id: int, status: ApplicationStatus, *,
                           played_by: User | None = None) -> Application:
    """The persona (played by `played_by`) moves an application of its company; commits.

    The caller checks that `played_by` may play this persona; this checks again that they may
    act for the company over this student.
    """
    application = _application_for(persona, application_id)
    if played_by is not None and not may_act_for_company(
            played_by, application.offer.company_id, application.student):
        raise PermissionDenied(_l("You do not act for this company."))
    move_application(application, persona, status, played_by=played_by)
    db.session.commit()
    return application


def mark_seen(persona: User, application_id: int, *,
              played_by: User | None = None) -> Application:
    """A recruiter opens an application: "sent" becomes "seen" (once); otherwise nothing."""
    application = _application_for(persona, application_id)
    if played_by is not None and not may_act_for_company(
            played_by, application.offer.company_id, application.student):
        raise PermissionDenied(_l("You do not act for this company."))
    if application.status is Status.SENT:
        try:
            move_application(application, persona, Status.SEEN, played_by=played_by)
        except ServiceError:  # opened by two recruiters at once: seen all the same
            db.session.rollback()
            return _application_for(persona, application_id)
        db.session.commit()
    return application
