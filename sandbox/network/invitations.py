"""Invitations and connections: send, withdraw, answer, remove; the weekly cap; introductions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.activity.services import record_event
from sandbox.charter.gate import screen, screen_fields, settle
from sandbox.classes.permissions import can_manage_student
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.moderation.models import ContentKind
from sandbox.network.coaching import Hint, coach_invitation
from sandbox.network.follows import is_following_person
from sandbox.network.lists import forget_contact
from sandbox.network.models import (
    Connection,
    Introduction,
    Invitation,
    InvitationStatus,
)
from sandbox.network.scope import visible_people
from sandbox.network.services import are_connected, connect, connected_ids
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.personas.models import Persona
from sandbox.personas.triggers import cancel_invitation_reactions, schedule_invitation_answer
from sandbox.profiles.visibility import Standing, field_visible, standing

MAX_MESSAGE = 300
MAX_NOTE = 500


@dataclass(frozen=True)
class SendResult:
    invitation: Invitation | None  # None when hints stopped it before sending
    hints: list[Hint]


def visible_person(viewer: User, user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.id == viewer.id:
        raise NotFound(_l("This person does not exist."))
    if person.is_admin or standing(viewer, person) is Standing.STRANGER:
        raise NotFound(_l("This person does not exist."))
    return person


def _clean_message(message: str) -> str:
    message = (message or "").strip()
    if has_control_characters(message):
        raise ServiceError(_l("This text contains invisible characters: retype it."),
                           field="message")
    if len(message) > MAX_MESSAGE:
        raise ServiceError(_l("%(count)d characters at most.", count=MAX_MESSAGE), field="message")
    return message


def weekly_cap(user: User) -> int | None:
    """How many invitations `user` may send in seven days (None: no cap, for staff)."""
    if not user.is_student or user.school_class is None:
        return None
    return user.school_class.weekly_invitation_cap


def sent_this_week(user: User) -> int:
    since = utcnow() - timedelta(days=7)
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(
            Invitation.sender_id == user.id, Invitation.created_at >= since
        )
    ) or 0


def pending_between(sender_id: int, recipient_id: int) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.sender_id == sender_id,
            Invitation.recipient_id == recipient_id,
            Invitation.status == InvitationStatus.PENDING,
        )
    )


def send_invitation(
    sender: User, recipient_id: int, message: str, send_anyway: bool = False, *,
    charter_ack: bool = False,
) -> SendResult:
    """Send an invitation, or return the coaching hints first (unless the student insists).

    The class charter checks the message too; `charter_ack` is the student's "send anyway"
    after its advice, apart from `send_anyway` (after the invitation's own hints).
    """
    recipient = visible_person(sender, recipient_id)
    if recipient.is_teacher and sender.is_student:
        raise ServiceError(_l("Teachers are not part of the practice network."))
    message = _clean_message(message)
    if are_connected(sender, recipient):
        raise ServiceError(_l("You are already connected with %(name)s.",
                              name=recipient.name_for(sender)))
    if pending_between(sender.id, recipient.id) is not None:
        raise ServiceError(_l("Your invitation to %(name)s is already waiting for an answer.",
                              name=recipient.name_for(sender)))
    if pending_between(recipient.id, sender.id) is not None:
        raise ServiceError(_l("%(name)s has already invited you: accept their invitation instead.",
                              name=recipient.name_for(sender)))
    cap = weekly_cap(sender)
    if cap is not None and sent_this_week(sender) >= cap:
        raise ServiceError(_l(
            "You have sent %(count)d invitations in the last seven days, the most your class "
            "allows. Like on a real network, take time to follow up on those first.", count=cap))
    screening = screen(sender, message, kind=ContentKind.INVITATION,
                       target=f"user:{recipient.id}", field="message", acknowledged=charter_ack)
    hints = coach_invitation(sender, recipient, message)
    if hints and not send_anyway:
        return SendResult(invitation=None, hints=hints)

    invitation = Invitation(sender_id=sender.id, recipient_id=recipient.id, message=message)
    db.session.add(invitation)
    try:
        db.session.flush()
    except IntegrityError:  # the same invitation sent twice at once
        db.session.rollback()
        raise ServiceError(_l("Your invitation to %(name)s is already waiting for an answer.",
                              name=recipient.name_for(sender))) from None
    settle(screening, sender, ContentKind.INVITATION, invitation.id)
    record_event(sender, "invitation_sent", invitation, recipient_id=recipient.id,
                 personal=bool(message), hints=[hint.code for hint in hints])
    notify(recipient, "invitation_received", sender, invitation)
    if recipient.is_persona:
        # The persona answers on its own after a while (a person playing it answers first).
        schedule_invitation_answer(invitation.id, sender, recipient)
    db.session.commit()
    return SendResult(invitation=invitation, hints=hints)


def withdraw_invitation(sender: User, invitation_id: int) -> None:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.sender_id != sender.id:
        raise NotFound(_l("This invitation does not exist."))
    if invitation.status is not InvitationStatus.PENDING:
        raise ServiceError(_l("This invitation has already been answered."))
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.answered_at = utcnow()
    # The recipient no longer sees "X invited you" for an invitation that is gone.
    db.session.execute(sa.delete(Notification).where(
        Notification.subject_type == "Invitation", Notification.subject_id == invitation.id))
    cancel_invitation_reactions(invitation.id)
    record_event(sender, "invitation_withdrawn", invitation)
    db.session.commit()


def may_answer(actor: User, invitation: Invitation) -> bool:
    """The recipient answers; for a persona, an admin or a teacher of the sender's class does."""
    if invitation.recipient_id == actor.id:
        return True
    if not invitation.recipient.is_persona:
        return False
    return actor.is_admin or can_manage_student(actor, invitation.sender)


ANSWERS = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.IGNORED)


def answer_invitation(actor: User, invitation_id: int, status: InvitationStatus) -> Invitation:
    """Accept, decline or ignore. Two answers at once: one wins, the other is told it's done."""
    if status not in ANSWERS:
        raise ValueError(status)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not may_answer(actor, invitation):
        raise NotFound(_l("This invitation does not exist."))
    if not write_answer(actor, invitation, status):
        db.session.rollback()
        raise ServiceError(_l("This invitation has already been answered."))
    try:
        db.session.commit()
    except IntegrityError:  # connected meanwhile through the crossed invitation
        db.session.rollback()
        raise ServiceError(_l("You are already connected with %(name)s.",
                              name=invitation.sender.name_for(actor))) from None
    db.session.refresh(invitation)
    return invitation


def write_answer(actor: User, invitation: Invitation, status: InvitationStatus,
                 **event_data: object) -> bool:
    """The writes of an answer, without committing (a persona's answer runs in the worker's
    transaction); False when the invitation is no longer pending, and nothing is written.

    `actor` is the recipient, or the person answering for a persona; `event_data` adds to the
    recorded event (why a persona answered as it did).
    """
    # A conditional update: only one of two simultaneous answers finds the invitation pending.
    changed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.PENDING)
        .values(status=status, answered_at=utcnow(),
                answered_by_id=None if actor.id == invitation.recipient_id else actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    # Answered: the persona's own answer, if one was still to come, is no longer needed.
    cancel_invitation_reactions(invitation.id)
    recipient, sender = invitation.recipient, invitation.sender
    played_by = actor.id if actor.id != recipient.id else None
    if status is InvitationStatus.ACCEPTED:
        # A crossed invitation (sent the other way at the same time) is settled by this answer.
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.sender_id == recipient.id, Invitation.recipient_id == sender.id,
                   Invitation.status == InvitationStatus.PENDING)
            .values(status=InvitationStatus.ACCEPTED, answered_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        connect(recipient, sender)
        record_event(recipient, "invitation_accepted", invitation, sender_id=sender.id,
                     played_by=played_by, **event_data)
        notify(sender, "invitation_accepted", recipient, invitation)
    else:
        record_event(recipient, f"invitation_{status.value}", invitation, sender_id=sender.id,
                     played_by=played_by, **event_data)
    return True


def _with_people(query: sa.Select) -> sa.Select:
    options = []
    for side in (Invitation.sender, Invitation.recipient):
        options += [
            joinedload(side).joinedload(User.profile),
            joinedload(side).joinedload(User.school_class),
            joinedload(side).joinedload(User.persona).joinedload(Persona.company),
        ]
    return query.options(*options).order_by(Invitation.created_at.desc(), Invitation.id.desc())


def received_pending(user: User) -> list[Invitation]:
    return list(db.session.scalars(_with_people(sa.select(Invitation).where(
        Invitation.recipient_id == user.id, Invitation.status == InvitationStatus.PENDING))))


def sent_pending(user: User) -> list[Invitation]:
    return list(db.session.scalars(_with_people(sa.select(Invitation).where(
        Invitation.sender_id == user.id, Invitation.status == InvitationStatus.PENDING))))


def persona_invitations_for(staff: User) -> list[Invitation]:
    """Invitations waiting at personas, from people the teacher may see (their students)."""
    if not (staff.is_teacher or staff.is_admin):
        raise PermissionDenied(_l("Only teachers answer for the professionals."))
    senders = sa.select(User.id).where(visible_people(staff))
    recipients = sa.select(User.id).where(User.role == Role.PERSONA)
    return list(db.session.scalars(_with_people(sa.select(Invitation).where(
        Invitation.status == InvitationStatus.PENDING,
        Invitation.recipient_id.in_(recipients),
        Invitation.sender_id.in_(senders),
    ))))


# ---- connections ---------------------------------------------------------------------------


def connections_of(owner: User, viewer: User) -> list[User]:
    """The connections of `owner` that `viewer` may see, if owner's choice allows browsing them."""
    seen_at = standing(viewer, owner)
    if seen_at is Standing.STRANGER:
        raise NotFound(_l("This person does not exist."))
    if not field_visible(owner.profile, "connections", seen_at):
        raise PermissionDenied(_l("%(name)s keeps their connections private.",
                                  name=owner.name_for(viewer)))
    query = (
        sa.select(User)
        .join(Connection, Connection.contact_id == User.id)
        .where(Connection.user_id == owner.id, visible_people(viewer))
        .options(joinedload(User.profile), joinedload(User.school_class), joinedload(User.persona))
        .order_by(User.last_name, User.first_name)
    )
    people = list(db.session.scalars(query).unique())
    people.sort(key=lambda person: person.name_for(viewer).casefold())
    return people


def remove_connection(actor: User, contact_id: int) -> None:
    contact = db.session.get(User, contact_id)
    if contact is None or not are_connected(actor, contact):
        raise NotFound(_l("You are not connected with this person."))
    db.session.execute(sa.delete(Connection).where(
        sa.or_(
            sa.and_(Connection.user_id == actor.id, Connection.contact_id == contact.id),
            sa.and_(Connection.user_id == contact.id, Connection.contact_id == actor.id),
        )
    ))
    # Neither keeps the other in a contact list.
    forget_contact(actor.id, contact.id)
    forget_contact(contact.id, actor.id)
    record_event(actor, "connection_removed", contact)
    db.session.commit()


# ---- introductions -------------------------------------------------------------------------


def introduce(introducer: User, student_id: int, introduced_id: int, note: str) -> Introduction:
    """A connection passes on a name: both people hear who introduced whom."""
    if student_id == introduced_id:
        raise ServiceError(_l("Choose two different people."), field="introduced_id")
    contacts = connected_ids(introducer, [student_id, introduced_id])
    if contacts != {student_id, introduced_id}:
        raise ServiceError(_l("You can only introduce two of your own connections."),
                           field="student_id")
    student, introduced = db.session.get(User, student_id), db.session.get(User, introduced_id)
    assert student is not None and introduced is not None
    if not may_meet(student, introduced):
        raise ServiceError(_l("These two people are not in the same network: they cannot meet "
                              "here."), field="introduced_id")
    if are_connected(student, introduced):
        raise ServiceError(_l("These two people are already connected."), field="introduced_id")
    note = (note or "").strip()
    if has_control_characters(note) or len(note) > MAX_NOTE:
        raise ServiceError(_l("%(count)d characters at most.", count=MAX_NOTE), field="note")
    screening = screen_fields(introducer, {"note": note}, kind=ContentKind.INTRODUCTION,
                              target=f"user:{student.id}:{introduced.id}",
                              advice_on_save=False)
    introduction = write_introduction(introducer, student, introduced, note)
    settle(screening, introducer, ContentKind.INTRODUCTION, introduction.id)
    db.session.commit()
    return introduction


def write_introduction(introducer: User, student: User, introduced: User,
                       note: str) -> Introduction:
    """The writes of an introduction already checked, its event and both notifications; no
    commit (a persona's introduction runs in the worker's transaction)."""
    introduction = Introduction(introducer_id=introducer.id, student_id=student.id,
                                introduced_id=introduced.id, note=note)
    db.session.add(introduction)
    db.session.flush()
    record_event(introducer, "introduction_made", introduction, student_id=student.id,
                 introduced_id=introduced.id)
    notify(student, "introduced_to", introducer, introduction, person_id=introduced.id)
    notify(introduced, "introduced", introducer, introduction, person_id=student.id)
    return introduction


def may_meet(first: User, second: User) -> bool:
    """Both see each other, and neither is a student meeting a teacher as a contact."""
    if (first.is_teacher and second.is_student) or (second.is_teacher and first.is_student):
        return False
    ids = {first.id, second.id}
    return all(
        db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.id.in_(ids), visible_people(person))) == 2
        for person in (first, second)
    )


def introducible_contacts(introducer: User) -> list[User]:
    """The introducer's connections that they may see (the choices of the introduction form)."""
    query = (
        sa.select(User)
        .join(Connection, Connection.contact_id == User.id)
        .where(Connection.user_id == introducer.id, visible_people(introducer))
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
    )
    people = list(db.session.scalars(query).unique())
    people.sort(key=lambda person: person.name_for(introducer).casefold())
    return people


def introductions_for(user: User) -> list[Introduction]:
    query = (
        sa.select(Introduction)
        .where(sa.or_(Introduction.student_id == user.id, Introduction.introduced_id == user.id,
                      Introduction.introducer_id == user.id))
        .options(*(joinedload(side).joinedload(User.school_class).selectinload(SchoolClass.teachers)
                   for side in (Introduction.introducer, Introduction.student,
                                Introduction.introduced)))
        .order_by(Introduction.created_at.desc())
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Relationship:
    """Where the viewer stands with someone, for the buttons of a profile page."""

    connected: bool
    sent: Invitation | None  # the viewer's invitation, waiting
    received: Invitation | None  # their invitation to the viewer, waiting
    can_invite: bool
    following: bool


def relationship_with(viewer: User, owner: User) -> Relationship:
    connected = are_connected(viewer, owner)
    sent = None if connected else pending_between(viewer.id, owner.id)
    received = None if connected else pending_between(owner.id, viewer.id)
    can_invite = not (connected or sent or received or owner.is_admin or owner.id == viewer.id
                      or (owner.is_teacher and viewer.is_student))
    return Relationship(connected=connected, sent=sent, received=received,
                        can_invite=can_invite, following=is_following_person(viewer, owner.id))
