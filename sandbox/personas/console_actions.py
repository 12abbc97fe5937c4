"""What a person does in a persona's place: reply, answer an invitation, move an application
along, publish a post or a job offer.

Each action checks the seat (`playing.seat_for`: may they play it, for which class), that what
it touches concerns the seat's people, then calls the feature's own service as the persona
inside `acting_for`: its activity events carry `played_by`, and the audit entry "played_as" is
written in the same commit. A student's text is checked against their own class's charter
first: playing a recruiter does not put a student outside the charter.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.charter.gate import require_posting_window, screen
from sandbox.companies.models import JobOffer
from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.jobs import pipeline
from sandbox.jobs.offers import post_offer
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.messages.models import Message
from sandbox.messages.services import clean_body, send_message
from sandbox.moderation.models import ContentKind
from sandbox.network.invitations import write_answer
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.personas.console import company_application
from sandbox.personas.playing import Seat, acting_for, playable_persona, seat_about, seat_for
from sandbox.posts.models import Audience, Post
from sandbox.posts.services import create_post


def reply_as(real: User, persona_id: int, other_id: int, body: str | None, *,
             class_id: int | None = None, charter_ack: bool = False) -> Message:
    """Send a message as the persona to one of the seat's people."""
    seat = seat_about(real, persona_id, other_id, class_id)
    other = db.session.get(User, other_id)
    if not seat.concerns(other):
        raise NotFound(_l("This conversation does not exist."))
    body = clean_body(body)
    screening = screen(real, body, kind=ContentKind.MESSAGE, target=f"user:{other_id}",
                       acknowledged=charter_ack)
    with acting_for(seat, screening):
        return send_message(seat.persona, other_id, body)


def answer_as(real: User, persona_id: int, invitation_id: int,
              status: InvitationStatus) -> Invitation:
    """Accept, decline or ignore an invitation sent to the persona by one of the seat's people.

    The invitation keeps who really answered (`answered_by_id`), as when a teacher answers from
    the professionals' page. Two answers at once: one wins, the other is told it is done.
    """
    playable_persona(real, persona_id)  # 403 before saying whether the invitation exists
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.recipient_id != persona_id:
        raise NotFound(_l("This invitation does not exist."))
    seat = seat_about(real, persona_id, invitation.sender_id)
    if not seat.concerns(invitation.sender) or not seat.covers(invitation.created_at):
        raise NotFound(_l("This invitation does not exist."))
    with acting_for(seat):
        if not write_answer(real, invitation, status):
            db.session.rollback()
            raise ServiceError(_l("This invitation has already been answered."))
    try:
        db.session.commit()
    except IntegrityError:  # connected meanwhile through a crossed invitation
        db.session.rollback()
        raise ServiceError(_l("%(name)s is already connected with this person.",
                              name=seat.persona.full_name)) from None
    db.session.refresh(invitation)
    return invitation


def seat_for_application(real: User, persona_id: int, application_id: int) -> Seat:
    """The seat of the class of the application's candidate (a teacher may teach several)."""
    playable_persona(real, persona_id)  # 403 before saying whether the application exists
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_l("This application does not exist."))
    return seat_about(real, persona_id, application.student_id)


def open_application(real: User, persona_id: int, application_id: int) -> tuple[Seat, Application]:
    """The application as its recruiter opens it: a new one becomes "seen" (the candidate is
    told, as on a real job board)."""
    seat = seat_for_application(real, persona_id, application_id)
    application = company_application(seat, application_id)
    if application.status is ApplicationStatus.SENT:
        with acting_for(seat):
            pipeline.mark_seen(seat.persona, application.id, played_by=real)
        application = company_application(seat, application_id)
    return seat, application


def move_application_as(real: User, persona_id: int, application_id: int,
                        status: ApplicationStatus) -> Application:
    """Move an application along the pipeline (shortlist, interview, offer, decline)."""
    seat = seat_for_application(real, persona_id, application_id)
    application = company_application(seat, application_id)
    with acting_for(seat):
        return pipeline.set_application_status(seat.persona, application.id, status,
                                               played_by=real)


def post_as(real: User, persona_id: int, body: str | None, *, class_id: int | None = None,
            charter_ack: bool = False) -> Post:
    """Publish a post to the network as the persona."""
    seat = seat_for(real, persona_id, class_id)
    require_posting_window(real)  # a student's class may keep posting to set hours
    screening = screen(real, (body or "").strip(), kind=ContentKind.POST,
                       acknowledged=charter_ack)
    with acting_for(seat, screening):
        return create_post(seat.persona, body=body, audience=Audience.NETWORK)


def offer_as(real: User, persona_id: int, *, title: str, kind: str, city: str,
             start_date: date | None, duration: str, description: str,
             class_id: int | None = None, charter_ack: bool = False) -> JobOffer:
    """Post a job offer of the persona's company, seen by the seat's class only (a student's
    is checked against their class's charter by `post_offer`)."""
    seat = seat_for(real, persona_id, class_id)
    if seat.klass is None:
        raise NotFound(_l("This class does not exist."))
    with acting_for(seat):
        return post_offer(seat.persona, title=title, kind=kind, city=city,
                          start_date=start_date, duration=duration, description=description,
                          class_id=seat.klass.id, played_by=real, charter_ack=charter_ack)
