"""A persona answers a student's invitation by its quality, after its delay; while played, it
leaves the answer to people, and answers what they left once the play is over."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.classes.forms import ClassForm
from sandbox.classes.services import update_class_settings
from sandbox.core.errors import ServiceError
from sandbox.core.time import utcnow
from sandbox.exercises.models import (
    Exercise,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.network import invitations
from sandbox.network.models import Introduction, Invitation, InvitationStatus, NetworkOutcome
from sandbox.network.services import are_connected
from sandbox.notifications.models import Notification
from sandbox.personas.models import ActionStatus
from sandbox.personas.triggers import ANSWER_INVITATION, FOLLOW_UP
from sandbox.profiles.services import PHOTO_MISTAKES
from tests.personas.reaction_helpers import actions, behave, messages_from, run_later

PERSONAL = "Bonjour Claire, votre métier de recruteuse m'intéresse : puis-je vous suivre ?"
# A real message that names nobody: no personal bonus for a persona who does not ask for one.
PLAIN = "Je cherche un stage en logistique, pouvez-vous m'aider ?"


def invite(student, persona, message: str = PERSONAL) -> Invitation:  # type: ignore[no-untyped-def]
    sent = invitations.send_invitation(student, persona.id, message, send_anyway=True)
    assert sent.invitation is not None
    return sent.invitation


def status_of(invitation: Invitation) -> InvitationStatus:
    db.session.expire_all()
    return db.session.get(Invitation, invitation.id).status


def answer_event(persona) -> ActivityEvent:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == persona.id, ActivityEvent.kind.like("invitation_%")))


def test_a_personal_invitation_is_accepted_after_the_persona_s_delay(school):
    lea, claire = school["student"], school["persona"]
    behave(claire)
    invitation = invite(lea, claire)

    [action] = actions(ANSWER_INVITATION)
    assert action.payload == {"invitation_id": invitation.id}
    assert action.dedupe_key == f"invitation:{invitation.id}"
    assert (action.persona_id, action.student_id) == (claire.id, lea.id)
    assert run_later(hours=0) == 0  # not yet: a professional takes their time
    assert status_of(invitation) is InvitationStatus.PENDING

    assert run_later() == 1
    assert status_of(invitation) is InvitationStatus.ACCEPTED
    assert are_connected(lea, claire)
    event = answer_event(claire)
    assert event.kind == "invitation_accepted"
    assert event.data["automatic"] is True and event.data["reasons"] == []
    assert db.session.scalar(sa.select(Notification.kind).where(
        Notification.user_id == lea.id)) == "invitation_accepted"
    assert run_later() == 0  # answered once


@pytest.mark.parametrize(("message", "reason"), [("", "no_message"),
                                                  ("Je souhaite vous ajouter à mon réseau",
                                                   "generic")])
def test_no_message_or_a_generic_one_is_ignored_or_declined(school, message, reason):
    lea, claire = school["student"], school["persona"]
    behave(claire, leniency=100, ignore_rather_than_decline=True)
    ignored = invite(lea, claire, message)
    run_later()
    assert status_of(ignored) is InvitationStatus.IGNORED
    assert answer_event(claire).data["reasons"] == [reason]
    assert not are_connected(lea, claire)

    hugo = school["classmate"]
    behave(claire, leniency=100, ignore_rather_than_decline=False)
    declined = invite(hugo, claire, message)
    run_later()
    assert status_of(declined) is InvitationStatus.DECLINED


def test_a_message_that_names_the_company_counts_as_personal(school):
    lea, claire = school["student"], school["persona"]
    behave(claire)
    company = claire.persona.company.name.upper()  # case and accents do not matter
    invitation = invite(lea, claire, f"Bonjour, je voudrais faire mon stage chez {company}.")
    run_later()
    assert status_of(invitation) is InvitationStatus.ACCEPTED


def test_one_shortfall_is_forgiven_by_a_lenient_persona_only(school):
    lea, hugo, claire = school["student"], school["classmate"], school["persona"]
    behave(claire, min_completeness=90, leniency=100)  # nobody's profile is that complete
    forgiven = invite(lea, claire)
    run_later()
    assert status_of(forgiven) is InvitationStatus.ACCEPTED
    assert answer_event(claire).data["reasons"] == ["incomplete_profile"]

    # Not lenient at all, and a message that does not name her (no bonus): refused.
    behave(claire, min_completeness=90, leniency=0, wants_personal_message=False,
           ignore_rather_than_decline=False)
    refused = invite(hugo, claire, PLAIN)
    run_later()
    assert status_of(refused) is InvitationStatus.DECLINED


def test_two_shortfalls_are_refused_whatever_the_leniency(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, min_completeness=90, wants_professional_photo=True, leniency=100)
    invitation = invite(lea, claire)
    run_later()
    assert status_of(invitation) is InvitationStatus.IGNORED
    assert answer_event(claire).data["reasons"] == ["incomplete_profile", "photo"]


def test_a_professional_photo_is_one_with_its_checklist_ticked(school):
    lea, hugo, claire = school["student"], school["classmate"], school["persona"]
    behave(claire, wants_professional_photo=True, leniency=0, wants_personal_message=False)
    lea.profile.photo_path = "photos/lea.jpg"
    lea.profile.photo_checklist = {key: True for key in PHOTO_MISTAKES}
    hugo.profile.photo_path = "photos/hugo.jpg"  # a photo, but the checklist not ticked
    db.session.commit()
    accepted, refused = invite(lea, claire, PLAIN), invite(hugo, claire, PLAIN)
    run_later()
    assert status_of(accepted) is InvitationStatus.ACCEPTED
    assert status_of(refused) is InvitationStatus.IGNORED


def test_charter_trouble_counts_against_the_sender(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, leniency=100)
    for _ in range(3):
        db.session.add(CharterFinding(
            user_id=lea.id, class_id=lea.class_id, content_kind="post", category="insult",
            severity=Severity.BLOCK, outcome=FindingOutcome.BLOCKED))
    db.session.commit()
    invitation = invite(lea, claire)
    run_later()
    assert status_of(invitation) is InvitationStatus.IGNORED
    assert answer_event(claire).data["reasons"] == ["charter"]


def test_the_same_invitation_gets_the_same_answer(school):
    """Drawn from the seeded generator: a teacher replaying a lesson sees the same thing."""
    from sandbox.personas.behaviour import BehaviourProfile, persona_random
    from sandbox.personas.invitation_reactions import assess, decide

    lea, claire = school["student"], school["persona"]
    behave(claire, min_completeness=90, leniency=50)
    invitation = invite(lea, claire)
    profile = BehaviourProfile.of(claire.persona)
    decisions = {decide(profile, assess(invitation), persona_random("invitation", invitation.id))
                 for _ in range(5)}
    assert len(decisions) == 1


def test_a_withdrawn_invitation_cancels_the_answer(school):
    lea, claire = school["student"], school["persona"]
    behave(claire)
    invitation = invite(lea, claire)
    invitations.withdraw_invitation(lea, invitation.id)
    [action] = actions(ANSWER_INVITATION)
    assert action.status is ActionStatus.CANCELLED
    assert run_later() == 0
    assert status_of(invitation) is InvitationStatus.WITHDRAWN
    assert not are_connected(lea, claire)


def test_a_teacher_still_answers_by_hand_and_the_persona_then_keeps_quiet(school):
    lea, claire, teacher = school["student"], school["persona"], school["teacher"]
    behave(claire)
    invitation = invite(lea, claire)
    assert [i.id for i in invitations.persona_invitations_for(teacher)] == [invitation.id]
    invitations.answer_invitation(teacher, invitation.id, InvitationStatus.DECLINED)
    assert actions(ANSWER_INVITATION)[0].status is ActionStatus.CANCELLED
    run_later()
    assert status_of(invitation) is InvitationStatus.DECLINED


def test_a_played_persona_leaves_answers_to_people_then_answers_what_they_left(school):
    lea, hugo, claire, teacher = (school["student"], school["classmate"], school["persona"],
                                  school["teacher"])
    behave(claire)
    claire.persona.autopilot = False
    db.session.commit()
    left = invite(lea, claire)  # came while played

    claire.persona.autopilot = True
    db.session.commit()
    answered = invite(hugo, claire)
    claire.persona.autopilot = False  # taken over after the invitation came
    db.session.commit()
    assert run_later() == 0
    # Both wait for the play to end, their attempts not counted; the player answers meanwhile.
    waiting = actions(ANSWER_INVITATION)
    assert [(a.status, a.attempts) for a in waiting] == [(ActionStatus.PENDING, 0)] * 2
    assert all(a.run_at > utcnow() + timedelta(hours=48) for a in waiting)
    assert status_of(left) is status_of(answered) is InvitationStatus.PENDING
    invitations.answer_invitation(teacher, answered.id, InvitationStatus.DECLINED)

    claire.persona.autopilot = True  # handed back
    db.session.commit()
    run_later(hours=200)
    assert status_of(left) is InvitationStatus.ACCEPTED  # what nobody answered
    assert status_of(answered) is InvitationStatus.DECLINED  # the teacher's answer stands
    assert [a.status for a in actions(ANSWER_INVITATION)] == [ActionStatus.DONE,
                                                              ActionStatus.CANCELLED]


def test_a_welcome_waits_while_the_persona_is_played(school):
    from sandbox.personas.triggers import schedule_follow_up

    lea, claire, teacher = school["student"], school["persona"], school["teacher"]
    behave(claire, generosity=100)
    invitation = invite(lea, claire)
    invitations.answer_invitation(teacher, invitation.id, InvitationStatus.ACCEPTED)
    schedule_follow_up(invitation.id, lea, claire)
    claire.persona.autopilot = False
    db.session.commit()
    run_later()
    assert messages_from(claire) == []
    assert actions(FOLLOW_UP)[0].status is ActionStatus.PENDING

    claire.persona.autopilot = True
    db.session.commit()
    run_later(hours=200)
    [welcome] = messages_from(claire)
    assert welcome.recipient_id == lea.id


def test_a_company_played_in_a_live_exercise_leaves_answers_to_the_students(school):
    from sandbox.exercises.running import finish_exercise

    lea, claire, klass = school["student"], school["persona"], school["class"]
    behave(claire)
    exercise = Exercise(class_id=klass.id, title="Recrutement simulé",
                        template=list(ExerciseTemplate)[0], status=ExerciseStatus.RUNNING)
    exercise.teams.append(ExerciseTeam(name="Recruteurs", role=TeamRole.RECRUITER,
                                       company_id=claire.persona.company_id))
    db.session.add(exercise)
    db.session.commit()
    mine = invite(lea, claire)
    # Another class, not in the exercise: the persona answers its students itself.
    nina = school["other_student"]
    theirs = invite(nina, claire)
    run_later()
    assert status_of(theirs) is InvitationStatus.ACCEPTED
    assert status_of(mine) is InvitationStatus.PENDING  # the recruiter team's to answer
    assert actions(ANSWER_INVITATION)[0].status is ActionStatus.PENDING
    # Over, the exercise leaves what the team did not answer to the persona again.
    finish_exercise(school["teacher"], exercise.id)
    run_later(hours=200)
    assert status_of(mine) is InvitationStatus.ACCEPTED


def test_delays_follow_the_class_s_time_compression(school):
    lea, nina, claire = school["student"], school["other_student"], school["persona"]
    behave(claire, reply_delay=[60, 120])  # one to two hours of real life
    school["class"].persona_time_compression = 1
    school["other_class"].persona_time_compression = 600
    db.session.commit()
    start = utcnow()
    invite(lea, claire)
    invite(nina, claire)
    slow, fast = (action.run_at - start for action in actions(ANSWER_INVITATION))
    assert timedelta(hours=1) <= slow <= timedelta(hours=2, seconds=5)
    assert timedelta(seconds=5) <= fast <= timedelta(seconds=13)  # 6 to 12 seconds
    assert run_later(hours=0.01) == 1  # the compressed one only


def test_accepting_a_contact_a_generous_persona_offers_a_coffee_and_a_friend(school, factories):
    """Mathieu's journey: accepted after a delay, a coffee proposed, a friend introduced."""
    lea, claire = school["student"], school["persona"]
    friend = factories.make_persona(username="marc.ami", first_name="Marc", last_name="Ami")
    behave(claire, generosity=100, gifts=["appointment", "introduction"],
           friends=["marc.ami"])
    invitation = invite(lea, claire)
    run_later()  # the answer, then (its time come too) the first message
    assert status_of(invitation) is InvitationStatus.ACCEPTED
    [follow_up] = actions(FOLLOW_UP)
    assert follow_up.status is ActionStatus.DONE
    assert follow_up.run_at > actions(ANSWER_INVITATION)[0].done_at  # written after accepting
    [welcome] = messages_from(claire)
    assert welcome.recipient_id == lea.id
    assert welcome.body.startswith("Bonjour Lea")
    assert "Marc Ami" in welcome.body and "Claire" in welcome.body
    kinds = {o.kind.value for o in db.session.scalars(sa.select(NetworkOutcome))}
    assert kinds == {"appointment", "name_and_number"}
    introduction = db.session.scalar(sa.select(Introduction))
    assert (introduction.introducer_id, introduction.student_id, introduction.introduced_id) \
        == (claire.id, lea.id, friend.id)
    notified = set(db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == lea.id)))
    assert {"gift_received", "introduced_to", "message_received"} <= notified
    assert run_later(hours=200) == 0


def test_a_stingy_persona_accepts_without_writing(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=0)
    invite(lea, claire)
    run_later(hours=200)
    assert actions(FOLLOW_UP) == [] and messages_from(claire) == []


# ---- the class setting ----------------------------------------------------------------------


def test_teachers_set_the_pace_with_a_french_message_when_out_of_range(school, app):
    teacher, klass = school["teacher"], school["class"]
    with app.test_request_context(method="POST", data={
            "name": klass.name, "network_scope": "class", "weekly_invitation_cap": "25",
            "persona_time_compression": "601"}):
        with force_locale("en"):
            form = ClassForm()
            assert not form.validate()
            assert [str(e) for e in form.persona_time_compression.errors] == [
                "Choose a number between 1 (real time) and 600."]
    with pytest.raises(ServiceError) as error:
        update_class_settings(teacher, klass, name=klass.name, network_scope=klass.network_scope,
                              allow_pseudonyms=True, persona_time_compression=0)
    assert error.value.field == "persona_time_compression"
    with force_locale("en"):
        assert str(error.value.message) == "Choose a number between 1 (real time) and 600."
    update_class_settings(teacher, klass, name=klass.name, network_scope=klass.network_scope,
                          allow_pseudonyms=True, persona_time_compression=600)
    db.session.refresh(klass)
    assert klass.persona_time_compression == 600


def test_the_settings_page_explains_the_pace(school, client_as):
    page = client_as(school["teacher"]).get(f"/classes/{school['class'].id}/settings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="persona_time_compression"' in html and 'value="60"' in html
