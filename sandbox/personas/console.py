"""What the persona console shows: the persona's invitations, conversations and applications,
limited to the people the real person deals with in that role (`Seat.people`), and for a
recruiter student to what happened since their exercise started (`Seat.since`): a classmate's
earlier messages to the persona, their letters and invitations stay private.

Reading only; each page runs a fixed number of queries whatever its size. The writing side is
`sandbox.personas.console_actions`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.jobs.pipeline import applications_for_company
from sandbox.messages.queries import (
    ThreadSummary,
    commit_keeping_loaded,
    conversation_between,
    load_people,
    mark_thread_read,
    messages_page,
    summaries,
)
from sandbox.messages.services import Thread, can_message
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.personas.playing import Seat
from sandbox.profiles.services import ProfilePage, profile_page
from sandbox.profiles.visibility import fields_seen_of

def _people_options(path):  # type: ignore[no-untyped-def]
    """What the console reads of a person: name (class, teachers), profile, company."""
    return [
        joinedload(path).joinedload(User.school_class).selectinload(SchoolClass.teachers),
        joinedload(path).joinedload(User.profile),
        joinedload(path).joinedload(User.persona),
    ]


def waiting_invitations(seat: Seat) -> list[Invitation]:
    """Invitations waiting at the persona from the people of the seat, oldest first."""
    senders = sa.select(User.id).where(seat.people())
    since = sa.true() if seat.since is None else Invitation.created_at >= seat.since
    return list(db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.recipient_id == seat.persona.id,
               Invitation.status == InvitationStatus.PENDING,
               Invitation.sender_id.in_(senders), since)
        .options(*_people_options(Invitation.sender))
        .order_by(Invitation.created_at, Invitation.id)
    ).unique())


def persona_threads(seat: Seat) -> list[ThreadSummary]:
    """The persona's conversations with the people of the seat, newest first; names and photos
    as the real person may see them."""
    return summaries(seat.persona, seat.people(), seat.real, since=seat.since)


def persona_thread(seat: Seat, other_id: int, before_id: int | None = None) -> Thread:
    """The messages between the persona and one person of the seat, oldest first (for a
    recruiter student, those since their exercise started only).

    Those addressed to the persona are marked read: whoever plays it has read them.
    """
    people = load_people([other_id], seat.people())
    if not people:
        raise NotFound(_l("This conversation does not exist."))
    other = people[0]
    conversation = conversation_between(seat.persona.id, other.id)
    messages, has_older = [], False
    if conversation is not None:
        messages, has_older = messages_page(conversation.id, None, before_id, since=seat.since)
        if mark_thread_read(seat.persona, conversation.id, messages):
            commit_keeping_loaded()
    return Thread(other=other, conversation=conversation, messages=messages,
                  has_older=has_older, can_write=can_message(seat.persona, other),
                  show_photo="photo" in fields_seen_of(seat.real, [other])[other.id])


# ---- applications ----------------------------------------------------------------------------


def company_applications(seat: Seat, status: ApplicationStatus | None = None
                         ) -> list[Application]:
    """Applications to the persona's company's offers from the seat's class, oldest first.

    `applications_for_company` decides whose the real person may read; the seat narrows that to
    the class played for (and, for a recruiter student, to those sent since the exercise began).
    """
    if seat.klass is None:
        return []
    return [application for application in
            applications_for_company(seat.real, seat.company_id, status=status)
            if seat.concerns(application.student) and seat.covers(application.created_at)]


def company_application(seat: Seat, application_id: int) -> Application:
    """One application the seat deals with; any other is NotFound."""
    application = db.session.scalar(
        sa.select(Application).where(Application.id == application_id)
        .options(joinedload(Application.offer), *_people_options(Application.student)))
    if (application is None or application.offer.company_id != seat.company_id
            or not seat.concerns(application.student) or not seat.covers(application.created_at)):
        raise NotFound(_l("This application does not exist."))
    return application


def candidate_profile(seat: Seat, student: User) -> ProfilePage:
    """The candidate's profile as the persona sees it, but never more than the real person may
    see themself: a classmate playing a recruiter learns nothing the candidate kept from them."""
    page = profile_page(seat.persona, student.id)
    own_view = fields_seen_of(seat.real, [page.owner])[page.owner.id]
    return dataclasses.replace(page, fields=page.fields & own_view, completeness=None,
                               display_name=page.owner.name_for(seat.real))


# ---- the console's first page ----------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    seat: Seat
    invitations: list[Invitation]
    threads: list[ThreadSummary]
    applications: list[Application]
    seen: dict[int, frozenset[str]]  # profile fields the real person sees of each person listed
    taken_over_by: User | None

    @property
    def unread(self) -> int:
        return sum(summary.unread for summary in self.threads)

    @property
    def new_applications(self) -> int:
        return sum(1 for item in self.applications if item.status is ApplicationStatus.SENT)


def overview(seat: Seat) -> Overview:
    """Everything waiting for the persona from the seat's people, in a fixed number of queries."""
    invitations = waiting_invitations(seat)
    threads = persona_threads(seat)
    applications = company_applications(seat)
    people = [invitation.sender for invitation in invitations]
    people += [application.student for application in applications]
    persona = seat.persona.persona
    holder = None
    if persona is not None and persona.taken_over_by_id is not None:
        holder = db.session.scalar(
            sa.select(User).where(User.id == persona.taken_over_by_id)
            .options(selectinload(User.school_class)))
    return Overview(seat=seat, invitations=invitations, threads=threads,
                    applications=applications, seen=fields_seen_of(seat.real, people),
                    taken_over_by=holder)
