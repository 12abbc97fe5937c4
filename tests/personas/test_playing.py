"""Playing a persona: who may, taking over and handing back, and that everything done while
playing carries the real person (events' `played_by`, one audit entry in the same commit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.activity.services import current_player, record_event
from sandbox.charter.gate import CharterCoaching, CharterRefusal
from sandbox.companies.models import JobOffer
from sandbox.core.time import utcnow
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.exercises.models import ExerciseStatus
from sandbox.extensions import db
from sandbox.jobs.models import ApplicationStatus
from sandbox.messages.models import Message
from sandbox.messages.services import send_message
from sandbox.moderation.models import AuditEntry
from sandbox.network.invitations import send_invitation
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.personas import console_actions as acts
from sandbox.personas import replies  # noqa: F401  (registers the automatic reply)
from sandbox.personas.models import ActionStatus, ScheduledAction
from sandbox.personas.playing import acting_for, hand_back, may_play, seat_for, take_over
from sandbox.personas.scheduler import run_due
from sandbox.posts.models import Post
from tests.personas.playing_helpers import (
    application_of,
    offer_of,
    start_exercise,
    write_to,
)

INVITE = "Bonjour Madame Recruteuse, votre entreprise m'intéresse pour mon stage de BTS."
SMS = "slt, jsp si tu viens demain."
PHONE = "Appelle-moi au 06 12 34 56 78 pour le stage."


def audit_entries(action: str = "played_as") -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


def events(kind: str) -> list[ActivityEvent]:
    return list(db.session.scalars(sa.select(ActivityEvent).where(ActivityEvent.kind == kind)
                                   .order_by(ActivityEvent.id)))


@pytest.fixture
def recruiting(school):  # type: ignore[no-untyped-def]
    """Léa recruits for the persona's company in a running exercise of her class."""
    company = school["persona"].persona.company
    exercise = start_exercise(school["class"], company, [school["student"]],
                              candidates=[school["classmate"]])
    return {**school, "exercise": exercise, "company": company}


# ---- who may play whom ------------------------------------------------------------------------


def test_staff_play_any_persona_students_only_their_recruiting_company(school, factories):
    persona = school["persona"]
    assert may_play(school["admin"], persona)
    assert may_play(school["teacher"], persona) and may_play(school["other_teacher"], persona)
    assert not may_play(school["student"], persona)  # no exercise
    assert not may_play(school["teacher"], school["student"])  # not a persona
    assert not may_play(school["admin"], None)


@pytest.mark.parametrize(("status", "plays"), [
    (ExerciseStatus.DRAFT, False),
    (ExerciseStatus.RUNNING, True),
    (ExerciseStatus.PAUSED, True),
    (ExerciseStatus.FINISHED, False),
])
def test_a_recruiter_student_plays_only_while_the_exercise_is_live(school, status, plays):
    persona = school["persona"]
    start_exercise(school["class"], persona.persona.company, [school["student"]], status=status)
    assert may_play(school["student"], persona) is plays
    assert not may_play(school["classmate"], persona)  # not in the recruiter team


def test_a_recruiter_student_plays_only_their_company(recruiting, factories):
    other_company_persona = factories.make_persona(username="marc.autre")
    colleague = factories.make_persona(username="ines.collegue",
                                       company=recruiting["company"])
    assert may_play(recruiting["student"], colleague)
    assert not may_play(recruiting["student"], other_company_persona)
    # Another class's student in the same team of this class's exercise plays nothing.
    start_exercise(recruiting["class"], other_company_persona.persona.company,
                   [recruiting["other_student"]])
    assert not may_play(recruiting["other_student"], other_company_persona)


def test_the_seat_is_the_students_own_class_and_a_teachers_chosen_one(recruiting, factories):
    persona = recruiting["persona"]
    second = factories.make_class(recruiting["teacher"], name="BTS CI 2")
    assert seat_for(recruiting["student"], persona.id, second.id).klass.id == recruiting["class"].id
    assert seat_for(recruiting["teacher"], persona.id, second.id).klass.id == second.id
    with pytest.raises(NotFound):  # a class they do not teach
        seat_for(recruiting["teacher"], persona.id, recruiting["other_class"].id)
    with pytest.raises(PermissionDenied):
        seat_for(recruiting["classmate"], persona.id)
    with pytest.raises(NotFound):
        seat_for(recruiting["teacher"], recruiting["student"].id)


# ---- taking over ------------------------------------------------------------------------------


def test_taking_over_stops_the_persona_and_handing_back_restores_it(school):
    teacher, persona = school["teacher"], school["persona"]
    take_over(teacher, persona.id)
    db.session.refresh(persona.persona)
    assert persona.persona.autopilot is False and persona.persona.taken_over_by_id == teacher.id
    [entry] = audit_entries("persona_taken_over")
    assert (entry.actor_id, entry.class_id, entry.data) == (
        teacher.id, school["class"].id, {"persona_id": persona.id})

    with pytest.raises(ServiceError) as taken:  # someone else plays it: told who
        take_over(school["other_teacher"], persona.id)
    with force_locale("en"):
        assert "Durand" in str(taken.value.message)

    hand_back(school["other_teacher"], persona.id)  # the one who took it over may be away
    db.session.refresh(persona.persona)
    assert persona.persona.autopilot is True and persona.persona.taken_over_by_id is None
    [back] = audit_entries("persona_handed_back")
    assert back.actor_id == school["other_teacher"].id
    assert back.class_id == school["other_class"].id
    with pytest.raises(ServiceError):
        hand_back(teacher, persona.id)


def test_a_recruiter_student_never_takes_a_persona_over(recruiting):
    with pytest.raises(PermissionDenied):
        take_over(recruiting["student"], recruiting["persona"].id)
    db.session.refresh(recruiting["persona"].persona)
    assert recruiting["persona"].persona.autopilot is True
    assert audit_entries("persona_taken_over") == []


# ---- messages ---------------------------------------------------------------------------------


def test_a_teachers_reply_is_the_personas_message_with_the_teacher_behind_it(school):
    teacher, persona, lea = school["teacher"], school["persona"], school["student"]
    write_to(lea, persona)
    message = acts.reply_as(teacher, persona.id, lea.id, "Bonjour Léa, avec plaisir.")

    assert (message.sender_id, message.recipient_id) == (persona.id, lea.id)
    [event] = [e for e in events("message_sent") if e.user_id == persona.id]
    assert event.data["played_by"] == teacher.id
    [entry] = audit_entries()
    assert (entry.actor_id, entry.class_id, entry.content_kind, entry.content_id) == (
        teacher.id, school["class"].id, "message", message.id)
    assert entry.data == {"persona_id": persona.id, "action": "message_sent",
                          "person_id": lea.id}
    # The student's own message carries nobody else's name.
    [own] = [e for e in events("message_sent") if e.user_id == lea.id]
    assert "played_by" not in own.data
    assert current_player() is None  # the context ends with the action


def test_a_recruiter_student_replies_to_classmates_only(recruiting):
    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    write_to(hugo, persona)
    message = acts.reply_as(lea, persona.id, hugo.id, "Bonjour Hugo, merci pour votre message.")
    [entry] = audit_entries()
    assert (entry.actor_id, entry.class_id, entry.content_id) == (
        lea.id, recruiting["class"].id, message.id)
    [event] = [e for e in events("message_sent") if e.user_id == persona.id]
    assert event.data["played_by"] == lea.id

    write_to(recruiting["other_student"], persona)
    for someone in (recruiting["other_student"], lea, recruiting["teacher"]):
        with pytest.raises(NotFound):
            acts.reply_as(lea, persona.id, someone.id, "Bonjour")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 3


def test_a_recruiter_student_writes_under_their_own_class_charter(recruiting):
    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    write_to(hugo, persona)
    with pytest.raises(CharterRefusal):
        acts.reply_as(lea, persona.id, hugo.id, PHONE)
    with pytest.raises(CharterCoaching):
        acts.reply_as(lea, persona.id, hugo.id, SMS)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 1

    message = acts.reply_as(lea, persona.id, hugo.id, SMS, charter_ack=True)
    override = audit_entries("override")
    assert [(e.actor_id, e.content_id) for e in override] == [(lea.id, message.id)]
    assert len(audit_entries()) == 1


def test_after_the_exercise_the_student_acts_for_nobody(recruiting):
    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    write_to(hugo, persona)
    recruiting["exercise"].status = ExerciseStatus.FINISHED
    db.session.commit()
    with pytest.raises(PermissionDenied):
        acts.reply_as(lea, persona.id, hugo.id, "Bonjour Hugo")
    assert audit_entries() == []


# ---- invitations ------------------------------------------------------------------------------


def test_a_recruiter_student_answers_a_classmates_invitation(recruiting):
    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    invitation = send_invitation(hugo, persona.id, INVITE, send_anyway=True).invitation
    answered = acts.answer_as(lea, persona.id, invitation.id, InvitationStatus.ACCEPTED)

    assert answered.status is InvitationStatus.ACCEPTED and answered.answered_by_id == lea.id
    [event] = events("invitation_accepted")
    assert (event.user_id, event.data["played_by"]) == (persona.id, lea.id)
    [entry] = audit_entries()
    assert (entry.actor_id, entry.content_kind, entry.content_id, entry.data["person_id"]) == (
        lea.id, "invitation", invitation.id, hugo.id)
    with pytest.raises(ServiceError):  # answered once
        acts.answer_as(lea, persona.id, invitation.id, InvitationStatus.DECLINED)


def test_invitations_from_outside_the_seat_do_not_exist(recruiting):
    persona = recruiting["persona"]
    invitation = send_invitation(recruiting["other_student"], persona.id, INVITE,
                                 send_anyway=True).invitation
    with pytest.raises(NotFound):
        acts.answer_as(recruiting["student"], persona.id, invitation.id,
                       InvitationStatus.ACCEPTED)
    with pytest.raises(NotFound):  # not their student
        acts.answer_as(recruiting["teacher"], persona.id, invitation.id,
                       InvitationStatus.ACCEPTED)
    acts.answer_as(recruiting["other_teacher"], persona.id, invitation.id,
                   InvitationStatus.IGNORED)
    assert db.session.get(Invitation, invitation.id).answered_by_id == (
        recruiting["other_teacher"].id)
    [entry] = audit_entries()
    assert entry.class_id == recruiting["other_class"].id


# ---- applications -----------------------------------------------------------------------------


def test_a_recruiter_student_moves_classmates_applications_along(recruiting):
    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    application = application_of(hugo, offer_of(recruiting["company"]))
    seat, opened = acts.open_application(lea, persona.id, application.id)
    assert opened.status is ApplicationStatus.SEEN

    moved = acts.move_application_as(lea, persona.id, application.id,
                                     ApplicationStatus.SHORTLISTED)
    assert moved.status is ApplicationStatus.SHORTLISTED and moved.decided_by_id == lea.id
    processed = events("application_processed")
    assert [(e.user_id, e.data["status"], e.data["played_by"]) for e in processed] == [
        (persona.id, "seen", lea.id), (persona.id, "shortlisted", lea.id)]
    entries = audit_entries()
    assert [(e.data["action"], e.data["status"], e.content_kind) for e in entries] == [
        ("application_processed", "seen", "application"),
        ("application_processed", "shortlisted", "application")]
    assert {e.data["person_id"] for e in entries} == {hugo.id}


def test_applications_outside_the_seat_do_not_exist(recruiting, factories):
    lea, persona = recruiting["student"], recruiting["persona"]
    offer = offer_of(recruiting["company"])
    own = application_of(lea, offer)
    elsewhere = application_of(recruiting["other_student"], offer)
    other_company = application_of(recruiting["classmate"],
                                   offer_of(factories.make_company(), title="Autre"))
    for application in (own, elsewhere, other_company):
        with pytest.raises(NotFound):
            acts.move_application_as(lea, persona.id, application.id,
                                     ApplicationStatus.DECLINED)
    with pytest.raises(NotFound):  # a teacher sees their own students' applications only
        acts.open_application(recruiting["teacher"], persona.id, elsewhere.id)
    assert audit_entries() == []


# ---- publishing -------------------------------------------------------------------------------


def test_a_post_as_the_persona_names_the_real_author_in_the_log(recruiting):
    lea, persona = recruiting["student"], recruiting["persona"]
    post = acts.post_as(lea, persona.id, "Nous recrutons des stagiaires en logistique à Lyon.")
    assert post.author_id == persona.id
    [event] = events("post_created")
    assert event.data["played_by"] == lea.id
    [entry] = audit_entries()
    assert (entry.content_kind, entry.content_id, entry.class_id) == (
        "post", post.id, recruiting["class"].id)
    with pytest.raises(CharterRefusal):
        acts.post_as(lea, persona.id, PHONE)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 1


def test_an_offer_posted_in_an_exercise_is_for_the_students_class(recruiting):
    lea, persona = recruiting["student"], recruiting["persona"]
    offer = acts.offer_as(
        lea, persona.id, title="Stage préparateur de commandes", kind="internship",
        city="Lyon", start_date=None, duration="8 semaines",
        description="Vous préparerez les commandes, suivrez les stocks et participerez aux "
                    "inventaires avec l'équipe de l'entrepôt.",
        class_id=recruiting["other_class"].id)  # ignored: a student plays for their class
    assert (offer.class_id, offer.posted_by_id) == (recruiting["class"].id, persona.id)
    [event] = events("offer_posted")
    assert (event.user_id, event.data["played_by"]) == (persona.id, lea.id)
    [entry] = audit_entries()
    assert (entry.content_kind, entry.data["offer_id"], entry.class_id) == (
        None, offer.id, recruiting["class"].id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobOffer)) == 1


# ---- the acting-for context -------------------------------------------------------------------


def test_one_audit_entry_per_action_and_only_the_personas_events_are_marked(school):
    teacher, persona, lea = school["teacher"], school["persona"], school["student"]
    seat = seat_for(teacher, persona.id)
    with acting_for(seat):
        first = record_event(persona, "post_created", None)
        second = record_event(persona, "liked_post", None)
        someone_else = record_event(lea, "post_created", None)
    outside = record_event(persona, "post_created", None)
    db.session.commit()
    assert first.data == second.data == {"played_by": teacher.id}
    assert someone_else.data == {} and outside.data == {}
    assert len(audit_entries()) == 1


# ---- the persona stops acting on its own while played, and takes up what was left after -------


def _persona_messages(persona) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
        Message.sender_id == persona.id)) or 0


def _action(action_id: int) -> ScheduledAction:
    db.session.expire_all()
    action = db.session.get(ScheduledAction, action_id)
    assert action is not None
    return action


def test_a_taken_over_persona_does_not_reply_on_its_own(school):
    persona, lea = school["persona"], school["student"]
    write_to(lea, persona, "Bonjour Madame, pourriez-vous me conseiller pour mon CV ?")
    [pending] = db.session.scalars(sa.select(ScheduledAction))
    assert pending.kind == "persona_reply"
    take_over(school["teacher"], persona.id)

    run_due(now=utcnow() + timedelta(days=30))
    waiting = _action(pending.id)
    assert (waiting.status, waiting.attempts) == (ActionStatus.PENDING, 0)  # it waits
    assert waiting.run_at > utcnow() + timedelta(days=30)
    assert _persona_messages(persona) == 0

    # Handed back, the persona answers what the teacher left unanswered, then the next message.
    hand_back(school["teacher"], persona.id)
    run_due(now=utcnow() + timedelta(days=60))
    assert _action(pending.id).status is ActionStatus.DONE
    assert _persona_messages(persona) == 1
    send_message(lea, persona.id, "Bonjour Madame, je me permets de vous relancer pour mon CV.")
    run_due(now=utcnow() + timedelta(days=90))
    assert _persona_messages(persona) == 2


def test_what_the_teacher_answered_while_playing_gets_no_second_reply(school):
    persona, lea, teacher = school["persona"], school["student"], school["teacher"]
    write_to(lea, persona, "Bonjour Madame, pourriez-vous me conseiller pour mon CV ?")
    [pending] = db.session.scalars(sa.select(ScheduledAction))
    take_over(teacher, persona.id)
    acts.reply_as(teacher, persona.id, lea.id, "Bonjour Léa, envoyez-moi votre CV.")
    hand_back(teacher, persona.id)
    run_due(now=utcnow() + timedelta(days=30))
    assert _action(pending.id).status is ActionStatus.CANCELLED
    assert _persona_messages(persona) == 1  # the teacher's


def test_during_the_exercise_the_persona_leaves_the_class_to_the_recruiters(recruiting):
    from sandbox.exercises.running import finish_exercise

    hugo, persona = recruiting["classmate"], recruiting["persona"]
    write_to(hugo, persona, "Bonjour Madame, une question ?")
    [pending] = db.session.scalars(sa.select(ScheduledAction))
    run_due(now=utcnow() + timedelta(days=30))
    assert _persona_messages(persona) == 0  # the recruiter team's to answer
    assert _action(pending.id).status is ActionStatus.PENDING
    # The persona is not taken over for the rest of the school.
    assert persona.persona.autopilot is True

    # Left unanswered, the question gets the persona's reply once the exercise is over.
    finish_exercise(recruiting["teacher"], recruiting["exercise"].id)
    run_due(now=utcnow() + timedelta(days=60))
    assert _action(pending.id).status is ActionStatus.DONE
    assert _persona_messages(persona) == 1


def test_what_the_recruiters_answered_gets_no_reply_after_the_exercise(recruiting):
    from sandbox.exercises.running import finish_exercise

    lea, hugo, persona = recruiting["student"], recruiting["classmate"], recruiting["persona"]
    write_to(hugo, persona, "Bonjour Madame, une question ?")
    [pending] = db.session.scalars(sa.select(ScheduledAction))
    acts.reply_as(lea, persona.id, hugo.id, "Bonjour Hugo, je vous écoute.")
    finish_exercise(recruiting["teacher"], recruiting["exercise"].id)
    run_due(now=utcnow() + timedelta(days=30))
    assert _action(pending.id).status is ActionStatus.CANCELLED
    assert _persona_messages(persona) == 1  # Léa's, as the persona
