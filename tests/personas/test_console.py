"""The persona console as people use it: what each player sees, the forms, the audit log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.core.time import utcnow
from sandbox.exercises.models import ExerciseStatus
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.messages.models import Message
from sandbox.messages.services import send_message
from sandbox.moderation.models import AuditEntry
from sandbox.network.invitations import send_invitation
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.personas.console_actions import reply_as
from sandbox.personas.playing import take_over
from sandbox.posts.models import Post
from tests.personas.playing_helpers import (
    LETTER,
    application_of,
    offer_of,
    start_exercise,
    write_to,
)

INVITE = "Bonjour Madame Recruteuse, votre entreprise m'intéresse pour mon stage de BTS."


@pytest.fixture
def busy(school):  # type: ignore[no-untyped-def]
    """The persona hears from two classes: a message, an invitation, an application each."""
    persona = school["persona"]
    company = persona.persona.company
    offer = offer_of(company)
    write_to(school["classmate"], persona, "Bonjour, message de Hugo de la classe CI.")
    write_to(school["other_student"], persona, "Bonjour, message de Nina de la classe MCO.")
    mine = application_of(school["classmate"], offer)
    theirs = application_of(school["other_student"], offer)
    return {**school, "offer": offer, "mine": mine, "theirs": theirs, "company": company}


def test_a_teacher_sees_only_their_own_students(busy, factories, client_as):
    invited = factories.make_student(busy["class"], username="ines.invite")
    send_invitation(invited, busy["persona"].id, INVITE, send_anyway=True)
    page = client_as(busy["teacher"]).get(f"/personas/{busy['persona'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hugo Petit" in text and "Ines Invite" in text
    assert "Nina" not in text

    other = client_as(busy["other_teacher"]).get(f"/personas/{busy['persona'].id}")
    other_text = other.get_data(as_text=True)
    assert "Nina Roux" in other_text and "Hugo" not in other_text and "Ines" not in other_text


def test_a_recruiter_student_sees_classmates_only_and_only_during_the_exercise(busy, client_as):
    persona, lea = busy["persona"], busy["student"]
    url = f"/personas/{persona.id}"
    assert client_as(lea).get(url).status_code == 403  # no exercise yet
    exercise = start_exercise(busy["class"], busy["company"], [lea])
    # What they wrote before the exercise is their own business; what they write during it is
    # the recruiters' to read, for their classmates.
    send_message(busy["classmate"], persona.id, "Bonjour, Hugo écrit pendant l'exercice.")
    send_message(busy["other_student"], persona.id, "Bonjour, Nina écrit pendant l'exercice.")
    page = client_as(lea).get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hugo Petit" in text and "Nina" not in text
    assert "Take over" not in text and "take-over" not in text

    exercise.status = ExerciseStatus.FINISHED
    db.session.commit()
    assert client_as(lea).get(url).status_code == 403
    assert client_as(lea).get(f"/personas/{persona.id}/messages/{busy['classmate'].id}"
                              ).status_code == 403


def test_replying_from_the_thread(busy, client_as):
    persona, hugo = busy["persona"], busy["classmate"]
    client = client_as(busy["teacher"])
    thread = client.get(f"/personas/{persona.id}/messages/{hugo.id}")
    assert "Bonjour, message de Hugo" in thread.get_data(as_text=True)
    # The persona has read it.
    assert db.session.scalar(sa.select(Message.read_at).where(Message.sender_id == hugo.id))

    sent = client.post(f"/personas/{persona.id}/messages/{hugo.id}",
                       data={"body": "Merci Hugo, passez nous voir jeudi.",
                             "class_id": busy["class"].id})
    assert sent.status_code == 302
    reply = db.session.scalar(sa.select(Message).where(Message.sender_id == persona.id))
    assert reply.recipient_id == hugo.id
    # Nina is not this teacher's student: her thread does not exist for them.
    assert client.get(f"/personas/{persona.id}/messages/{busy['other_student'].id}"
                      ).status_code == 404
    assert client.post(f"/personas/{persona.id}/messages/{busy['other_student'].id}",
                       data={"body": "Bonjour"}).status_code == 404


def test_the_charter_coach_stops_a_students_reply(busy, client_as):
    persona, lea, hugo = busy["persona"], busy["student"], busy["classmate"]
    start_exercise(busy["class"], busy["company"], [lea])
    answer = client_as(lea).post(f"/personas/{persona.id}/messages/{hugo.id}",
                                 data={"body": "slt, jsp si tu viens demain."})
    assert answer.status_code == 200
    assert "charter-box" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
        Message.sender_id == persona.id)) == 0


def test_answering_an_invitation(busy, factories, client_as):
    persona = busy["persona"]
    invitation = send_invitation(factories.make_student(busy["class"]), persona.id, INVITE,
                                 send_anyway=True).invitation
    client = client_as(busy["teacher"])
    answer = client.post(f"/personas/{persona.id}/invitations/{invitation.id}/accept",
                         data={"class_id": busy["class"].id})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status is InvitationStatus.ACCEPTED
    assert client.post(f"/personas/{persona.id}/invitations/{invitation.id}/maybe"
                       ).status_code == 404


def test_an_application_opens_with_the_letter_and_moves_along(busy, client_as):
    persona, mine = busy["persona"], busy["mine"]
    client = client_as(busy["teacher"])
    page = client.get(f"/personas/{persona.id}/applications/{mine.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "votre offre de stage en logistique" in text and "Hugo Petit" in text
    db.session.expire_all()
    assert db.session.get(Application, mine.id).status is ApplicationStatus.SEEN

    moved = client.post(f"/personas/{persona.id}/applications/{mine.id}/status",
                        data={"status": "shortlisted"})
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, mine.id).status is ApplicationStatus.SHORTLISTED
    assert client.post(f"/personas/{persona.id}/applications/{mine.id}/status",
                       data={"status": "nonsense"}).status_code == 400
    # Another teacher's student's application does not exist for this teacher.
    theirs = busy["theirs"]
    assert client.get(f"/personas/{persona.id}/applications/{theirs.id}").status_code == 404
    assert client.post(f"/personas/{persona.id}/applications/{theirs.id}/status",
                       data={"status": "declined"}).status_code == 404


def test_a_hidden_letter_stays_hidden(busy, client_as):
    busy["mine"].hidden_at = utcnow()
    db.session.commit()
    page = client_as(busy["teacher"]).get(
        f"/personas/{busy['persona'].id}/applications/{busy['mine'].id}")
    assert LETTER[:30] not in page.get_data(as_text=True)


def test_posting_and_publishing_an_offer(busy, client_as):
    persona, lea = busy["persona"], busy["student"]
    start_exercise(busy["class"], busy["company"], [lea])
    client = client_as(lea)
    assert client.get(f"/personas/{persona.id}/post").status_code == 200
    posted = client.post(f"/personas/{persona.id}/post",
                         data={"body": "Nous recrutons des stagiaires à Lyon."})
    assert posted.status_code == 302
    assert db.session.scalar(sa.select(Post.author_id)) == persona.id

    assert client.get(f"/personas/{persona.id}/offers/new").status_code == 200
    offered = client.post(f"/personas/{persona.id}/offers/new", data={
        "title": "Stage préparateur de commandes", "kind": "internship", "city": "Lyon",
        "duration": "8 semaines", "class_id": busy["class"].id,
        "description": "Vous préparerez les commandes, suivrez les stocks et participerez "
                       "aux inventaires avec l'équipe de l'entrepôt."})
    assert offered.status_code == 302
    too_short = client.post(f"/personas/{persona.id}/offers/new", data={
        "title": "Stage", "kind": "internship", "city": "Lyon", "class_id": busy["class"].id,
        "description": "Trop court."})
    assert too_short.status_code == 200
    assert "field--error" in too_short.get_data(as_text=True)


def test_take_over_and_hand_back_buttons(busy, client_as):
    persona = busy["persona"]
    client = client_as(busy["teacher"])
    assert client.post(f"/personas/{persona.id}/take-over").status_code == 302
    db.session.refresh(persona.persona)
    assert persona.persona.autopilot is False
    page = client.get(f"/personas/{persona.id}").get_data(as_text=True)
    assert "hand-back" in page
    assert client.post(f"/personas/{persona.id}/hand-back").status_code == 302
    db.session.refresh(persona.persona)
    assert persona.persona.autopilot is True


def test_the_audit_log_says_who_played_whom_in_each_language(busy, client_as):
    teacher, persona, hugo = busy["teacher"], busy["persona"], busy["classmate"]
    reply_as(teacher, persona.id, hugo.id, "Merci Hugo.")
    take_over(teacher, persona.id)
    french = client_as(teacher).get("/moderation/audit").get_data(as_text=True)
    assert "Claire Recruteuse" in french and "Hugo Petit" in french

    teacher.locale = "en"
    db.session.commit()
    client = client_as(teacher)
    english = client.get("/moderation/audit").get_data(as_text=True)
    assert "Prof Durand, playing Claire Recruteuse, sent a message to Hugo Petit." in english
    assert "Prof Durand took over Claire Recruteuse" in english
    csv = client.get("/moderation/audit.csv").get_data(as_text=True)
    assert "Prof Durand, playing Claire Recruteuse, sent a message to Hugo Petit." in csv
    filtered = client.get("/moderation/audit?action=played_as").get_data(as_text=True)
    assert "sent a message" in filtered and "took over" not in filtered


def test_the_console_runs_a_fixed_number_of_queries(busy, factories, client_as, count_queries):
    persona = busy["persona"]
    client = client_as(busy["teacher"])

    def measure() -> int:
        with count_queries() as counter:
            assert client.get(f"/personas/{persona.id}").status_code == 200
        return counter.count

    send_invitation(factories.make_student(busy["class"]), persona.id, INVITE, send_anyway=True)
    measure()  # the first request of a client loads what later ones find cached
    before = measure()
    for number in range(3):
        student = factories.make_student(busy["class"], username=f"eleve.numero{number}")
        write_to(student, persona, f"Bonjour, je suis l'élève {number}.")
        send_invitation(factories.make_student(busy["class"]), persona.id, INVITE,
                        send_anyway=True)
        application_of(student, busy["offer"])
    measure()  # after writes, the first request of a client reloads its session's user once
    assert measure() == before


def test_the_index_lists_what_one_may_play(busy, client_as):
    teacher_page = client_as(busy["teacher"]).get("/personas/").get_data(as_text=True)
    assert "Claire Recruteuse" in teacher_page
    student_page = client_as(busy["student"]).get("/personas/").get_data(as_text=True)
    assert "Claire Recruteuse" not in student_page
    start_exercise(busy["class"], busy["company"], [busy["student"]])
    assert "Claire Recruteuse" in client_as(busy["student"]).get("/personas/").get_data(
        as_text=True)


def test_audit_entries_are_written_in_the_actions_commit(busy, client_as):
    """A refused action leaves no audit entry behind."""
    persona = busy["persona"]
    client = client_as(busy["teacher"])
    client.post(f"/personas/{persona.id}/messages/{busy['classmate'].id}", data={"body": ""})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


# ---- a recruiter student reads nothing from before their exercise ---------------------------

PRIVATE = "Bonjour Madame, je serai absent jeudi : mes parents divorcent et c'est compliqué."


@pytest.fixture
def confided(busy, factories):  # type: ignore[no-untyped-def]
    """Before any exercise, Hugo confides in the persona (after `busy`'s message and
    application), Ines invites it; then an exercise starts where Léa recruits for the persona's
    company."""
    persona, hugo = busy["persona"], busy["classmate"]
    old = send_message(hugo, persona.id, PRIVATE)
    ines = factories.make_student(busy["class"], username="ines.avant")
    invitation = send_invitation(ines, persona.id, INVITE, send_anyway=True).invitation
    exercise = start_exercise(busy["class"], busy["company"], [busy["student"]])
    return {**busy, "old": old, "invitation": invitation, "exercise": exercise}


def _get(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_a_recruiter_student_does_not_read_a_classmates_earlier_conversation(confided,
                                                                            client_as):
    persona, hugo, lea = confided["persona"], confided["classmate"], confided["student"]
    client = client_as(lea)
    status, thread = _get(client, f"/personas/{persona.id}/messages/{hugo.id}")
    assert status == 200  # the page to write to him; nothing of what came before
    assert "divorcent" not in thread and "message de Hugo" not in thread
    assert 'class="thread__older muted"' in thread  # earlier messages are private
    # Not in the console's list either (no line, no excerpt, no unread count).
    status, console_page = _get(client, f"/personas/{persona.id}")
    assert status == 200
    assert "divorcent" not in console_page and "message de Hugo" not in console_page
    assert "Hugo Petit" not in console_page  # his conversation, letter: all from before
    # Reading the page marked nothing read: the teacher still finds them new.
    db.session.expire_all()
    assert db.session.get(Message, confided["old"].id).read_at is None
    # Hugo's teacher keeps the whole history of their own student.
    status, teacher_thread = _get(client_as(confided["teacher"]),
                                  f"/personas/{persona.id}/messages/{hugo.id}")
    assert status == 200 and "divorcent" in teacher_thread


def test_a_message_since_the_start_is_the_recruiters_to_read(confided, client_as):
    persona, hugo, lea = confided["persona"], confided["classmate"], confided["student"]
    send_message(hugo, persona.id, "Bonjour, je candidate pour le stage pendant l’exercice.")
    client = client_as(lea)
    status, thread = _get(client, f"/personas/{persona.id}/messages/{hugo.id}")
    assert status == 200
    assert "je candidate pour le stage pendant l’exercice" in thread
    assert "divorcent" not in thread
    console_page = _get(client, f"/personas/{persona.id}")[1]
    assert "Hugo Petit" in console_page and "divorcent" not in console_page
    # Opening the thread read the new message, not the old one.
    db.session.expire_all()
    assert db.session.get(Message, confided["old"].id).read_at is None


def test_the_unread_count_is_that_of_the_exercise(confided):
    from sandbox.personas import console
    from sandbox.personas.playing import seat_for

    persona, hugo = confided["persona"], confided["classmate"]
    send_message(hugo, persona.id, "Bonjour, une question sur l'offre de l'exercice.")
    student_view = console.overview(seat_for(confided["student"], persona.id))
    [summary] = student_view.threads
    assert summary.unread == 1 and "une question" in summary.last_message.body
    teacher_view = console.overview(seat_for(confided["teacher"], persona.id))
    assert sum(item.unread for item in teacher_view.threads if item.other.id == hugo.id) >= 3


def test_earlier_applications_and_invitations_are_not_the_recruiters(confided, client_as):
    persona, hugo, lea = confided["persona"], confided["classmate"], confided["student"]
    client = client_as(lea)
    old = confided["mine"]  # Hugo's letter, sent before the exercise
    assert client.get(f"/personas/{persona.id}/applications/{old.id}").status_code == 404
    assert client.post(f"/personas/{persona.id}/applications/{old.id}/status",
                       data={"status": "declined"}).status_code == 404
    invitation = confided["invitation"]
    console_page = _get(client, f"/personas/{persona.id}")[1]
    assert "Ines Avant" not in console_page and LETTER[:30] not in console_page
    assert client.post(f"/personas/{persona.id}/invitations/{invitation.id}/accept"
                       ).status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status is InvitationStatus.PENDING
    assert db.session.get(Application, old.id).status is ApplicationStatus.SENT

    # Sent during the exercise: theirs to deal with.
    new = application_of(hugo, offer_of(confided["company"], title="Stage exercice"))
    page = client.get(f"/personas/{persona.id}/applications/{new.id}")
    assert page.status_code == 200 and "Hugo Petit" in page.get_data(as_text=True)
    # The teacher still reads the earlier ones.
    teacher = client_as(confided["teacher"])
    assert teacher.get(f"/personas/{persona.id}/applications/{old.id}").status_code == 200
    assert "Ines Avant" in _get(teacher, f"/personas/{persona.id}")[1]


def test_the_recruiters_console_runs_a_fixed_number_of_queries(confided, factories, client_as,
                                                               count_queries):
    persona = confided["persona"]
    client = client_as(confided["student"])

    def measure() -> int:
        with count_queries() as counter:
            assert client.get(f"/personas/{persona.id}").status_code == 200
        return counter.count

    # Something of each kind since the start, so that every query of the page runs.
    send_message(confided["classmate"], persona.id, "Bonjour, une question sur l’offre.")
    send_invitation(factories.make_student(confided["class"]), persona.id, INVITE,
                    send_anyway=True)
    application_of(confided["classmate"], offer_of(confided["company"], title="Autre stage"))
    measure()
    before = measure()
    for number in range(3):
        student = factories.make_student(confided["class"], username=f"eleve.exercice{number}")
        write_to(student, persona, f"Bonjour, je suis l'élève {number}.")
        send_invitation(factories.make_student(confided["class"]), persona.id, INVITE,
                        send_anyway=True)
        application_of(student, confided["offer"])
    measure()
    assert measure() == before
    page = client.get(f"/personas/{persona.id}").get_data(as_text=True)
    assert "Exercice2" in page  # what came since the start is listed
