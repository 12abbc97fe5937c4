"""Invitations: personal messages coached, weekly caps, answers, connections, introductions."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.network import invitations
from sandbox.network.models import Connection, Introduction, Invitation, InvitationStatus
from sandbox.network.services import are_connected, connect
from sandbox.notifications.models import Notification

PERSONAL = "Bonjour, nous sommes dans la même classe de BTS : on révise l'export ensemble ?"


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_send_and_accept_makes_a_mutual_connection(school):
    lea, hugo = school["student"], school["classmate"]
    result = invitations.send_invitation(lea, hugo.id, PERSONAL)
    assert result.invitation is not None and result.hints == []
    assert [i.id for i in invitations.received_pending(hugo)] == [result.invitation.id]
    assert [i.id for i in invitations.sent_pending(lea)] == [result.invitation.id]
    invitations.answer_invitation(hugo, result.invitation.id, InvitationStatus.ACCEPTED)
    assert are_connected(lea, hugo) and are_connected(hugo, lea)
    kinds = set(db.session.scalars(sa.select(Notification.kind)))
    assert {"invitation_received", "invitation_accepted"} <= kinds


def test_a_generic_or_missing_message_is_coached_first(school):
    lea, hugo = school["student"], school["classmate"]
    for message, code in (("", "no_message"),
                          ("Je souhaiterais vous ajouter à mon réseau.", "generic"),
                          ("Salut !", "impersonal")):
        result = invitations.send_invitation(lea, hugo.id, message)
        assert result.invitation is None
        assert [hint.code for hint in result.hints] == [code]
    assert _count(Invitation) == 0
    sent = invitations.send_invitation(lea, hugo.id, "", send_anyway=True)
    assert sent.invitation is not None and [h.code for h in sent.hints] == ["no_message"]


def test_a_copied_message_is_noticed(school, factories):
    lea = school["student"]
    for number in range(3):
        other = factories.make_student(school["class"])
        invitations.send_invitation(lea, other.id, PERSONAL)
    result = invitations.send_invitation(lea, school["classmate"].id, PERSONAL)
    assert [hint.code for hint in result.hints] == ["copied"]


def test_mentioning_the_company_is_personal_enough(school):
    persona = school["persona"]
    message = f"Votre stage chez {persona.persona.company.name} m'intéresse"
    assert invitations.send_invitation(school["student"], persona.id, message).hints == []


@pytest.mark.parametrize("case", ["self", "outside", "duplicate", "crossed", "connected", "long"])
def test_bad_invitations_are_refused_and_change_nothing(school, case):
    lea, hugo = school["student"], school["classmate"]
    target, message = hugo.id, PERSONAL
    if case == "self":
        target = lea.id
    elif case == "outside":
        target = school["other_student"].id
    elif case == "duplicate":
        invitations.send_invitation(lea, hugo.id, PERSONAL)
    elif case == "crossed":
        invitations.send_invitation(hugo, lea.id, PERSONAL)
    elif case == "connected":
        connect(lea, hugo)
        db.session.commit()
    else:
        message = "x" * 301
    before = (_count(Invitation), _count(Connection), _count(Notification))
    with pytest.raises(ServiceError) as error:
        invitations.send_invitation(lea, target, message, send_anyway=True)
    assert (_count(Invitation), _count(Connection), _count(Notification)) == before
    if case in ("self", "outside"):
        assert isinstance(error.value, NotFound)
    if case == "crossed":  # the message tells whose invitation is waiting
        assert hugo.public_name in str(error.value.message)


def test_the_weekly_cap(school, factories):
    klass = school["class"]
    klass.weekly_invitation_cap = 2
    db.session.commit()
    lea = school["student"]
    for _ in range(2):
        invitations.send_invitation(lea, factories.make_student(klass).id, PERSONAL)
    with pytest.raises(ServiceError) as error:
        invitations.send_invitation(lea, school["classmate"].id, PERSONAL)
    assert "2" in str(error.value.message)
    assert _count(Invitation) == 2


def test_withdraw_decline_and_ignore(school):
    lea, hugo = school["student"], school["classmate"]
    invitation = invitations.send_invitation(lea, hugo.id, PERSONAL).invitation
    with pytest.raises(NotFound):
        invitations.withdraw_invitation(hugo, invitation.id)
    invitations.withdraw_invitation(lea, invitation.id)
    with pytest.raises(ServiceError):
        invitations.answer_invitation(hugo, invitation.id, InvitationStatus.ACCEPTED)
    second = invitations.send_invitation(lea, hugo.id, PERSONAL).invitation
    invitations.answer_invitation(hugo, second.id, InvitationStatus.IGNORED)
    assert not are_connected(lea, hugo)
    with pytest.raises(NotFound):  # only the recipient answers
        invitations.answer_invitation(school["other_student"], second.id,
                                      InvitationStatus.DECLINED)


def test_a_teacher_answers_for_a_persona_and_is_recorded(school):
    persona, lea = school["persona"], school["student"]
    invitation = invitations.send_invitation(
        lea, persona.id, f"Bonjour, votre entreprise {persona.persona.company.name} recrute ?"
    ).invitation
    assert [i.id for i in invitations.persona_invitations_for(school["teacher"])] == [invitation.id]
    with pytest.raises(PermissionDenied):
        invitations.persona_invitations_for(lea)
    with pytest.raises(NotFound):  # a student cannot answer for a persona
        invitations.answer_invitation(school["classmate"], invitation.id,
                                      InvitationStatus.ACCEPTED)
    answered = invitations.answer_invitation(school["teacher"], invitation.id,
                                             InvitationStatus.ACCEPTED)
    assert answered.answered_by_id == school["teacher"].id
    assert are_connected(lea, persona)


def test_accepting_twice_at_once_leaves_one_connection(app, school):
    lea, hugo = school["student"], school["classmate"]
    invitation_id = invitations.send_invitation(lea, hugo.id, PERSONAL).invitation.id
    hugo_id = hugo.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        with app.app_context():
            me = db.session.get(type(hugo), hugo_id)
            barrier.wait()
            try:
                invitations.answer_invitation(me, invitation_id, InvitationStatus.ACCEPTED)
                outcomes.append("accepted")
            except ServiceError:
                outcomes.append("already answered")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["accepted", "already answered"]
    assert _count(Connection) == 2  # one connection, stored in both directions


def test_removing_a_connection(school):
    from sandbox.network.lists import add_member, create_list, member_ids

    lea, hugo = school["student"], school["classmate"]
    connect(lea, hugo)
    db.session.commit()
    pro = create_list(lea, "Pro")
    add_member(lea, pro.id, hugo.id)
    invitations.remove_connection(lea, hugo.id)
    assert not are_connected(lea, hugo) and not are_connected(hugo, lea)
    assert member_ids(pro.id) == set()  # no longer in her contact lists either
    with pytest.raises(NotFound):
        invitations.remove_connection(lea, hugo.id)


def test_browsing_a_contacts_connections_follows_their_choice(school):
    lea, hugo, persona = school["student"], school["classmate"], school["persona"]
    connect(hugo, persona)
    db.session.commit()
    with pytest.raises(PermissionDenied):  # default: connections only
        invitations.connections_of(hugo, lea)
    connect(lea, hugo)
    db.session.commit()
    assert {p.id for p in invitations.connections_of(hugo, lea)} == {lea.id, persona.id}
    with pytest.raises(NotFound):
        invitations.connections_of(hugo, school["other_student"])


def test_introductions(school):
    lea, hugo, persona = school["student"], school["classmate"], school["persona"]
    connect(persona, lea)
    connect(persona, hugo)
    db.session.commit()
    with pytest.raises(ServiceError):
        invitations.introduce(lea, hugo.id, persona.id, "")  # lea knows only the persona
    intro = invitations.introduce(persona, lea.id, hugo.id, "Vous cherchez tous deux un stage")
    assert intro.id in {i.id for i in invitations.introductions_for(hugo)}
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(sa.select(Notification))}
    assert {(lea.id, "introduced_to"), (hugo.id, "introduced")} <= kinds
    with pytest.raises(ServiceError):
        invitations.introduce(persona, lea.id, lea.id, "")
    assert _count(Introduction) == 1


def test_suggestions_run_a_fixed_number_of_queries(school, factories, count_queries):
    from sandbox.network.suggestions import suggestions_for
    from sandbox.profiles.models import ProfileHashtag

    lea = school["student"]
    db.session.add(ProfileHashtag(profile_id=lea.id, tag="export"))
    friend = factories.make_student(school["class"])
    connect(lea, friend)
    connect(friend, school["classmate"])
    db.session.commit()
    loner = factories.make_student(school["class"])
    db.session.expire_all()
    with count_queries() as alone:  # no connection at all: the same queries run
        suggestions_for(loner)
    db.session.expire_all()
    with count_queries() as few:
        assert [s.user.id for s in suggestions_for(lea)] == [school["classmate"].id]
    assert alone.count == few.count, alone.statements
    for _ in range(10):
        other = factories.make_student(school["class"])
        connect(friend, other)
        db.session.add(ProfileHashtag(profile_id=other.id, tag="export"))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        found = suggestions_for(lea)
    assert len(found) == 10
    assert many.count == few.count, many.statements


def test_coaching_never_reveals_the_real_name_behind_a_pseudonym(school):
    hugo = school["classmate"]
    hugo.pseudonym = "Zorro"
    db.session.commit()
    lea = school["student"]
    with_real_name = invitations.send_invitation(lea, hugo.id, f"Salut {hugo.last_name} !")
    with_other_name = invitations.send_invitation(lea, hugo.id, "Salut Dupont !")
    assert [h.code for h in with_real_name.hints] == [h.code for h in with_other_name.hints]
    with_pseudonym = invitations.send_invitation(lea, hugo.id, "Salut Zorro !")
    assert with_pseudonym.hints == []


@pytest.mark.parametrize("message", [
    "Bonjour ! Je souhaiterais vous ajouter à mon réseau.",
    "Hello, I'd like to add you to my network",
])
def test_generic_phrases_are_noticed_behind_a_greeting(school, message):
    result = invitations.send_invitation(school["student"], school["classmate"].id, message)
    assert [hint.code for hint in result.hints] == ["generic"]


def test_only_the_senders_teachers_answer_for_a_persona(school):
    persona, lea = school["persona"], school["student"]
    invitation = invitations.send_invitation(lea, persona.id, "", send_anyway=True).invitation
    with pytest.raises(NotFound):
        invitations.answer_invitation(school["other_teacher"], invitation.id,
                                      InvitationStatus.ACCEPTED)
    invitations.answer_invitation(school["teacher"], invitation.id, InvitationStatus.ACCEPTED)


def test_introductions_never_cross_network_scopes(school):
    persona, lea, nina = school["persona"], school["student"], school["other_student"]
    connect(persona, lea)
    connect(persona, nina)
    db.session.commit()
    with pytest.raises(ServiceError):
        invitations.introduce(persona, lea.id, nina.id, "")
    assert _count(Introduction) == 0


def test_accepting_settles_a_crossed_invitation(school):
    lea, hugo = school["student"], school["classmate"]
    db.session.add_all([Invitation(sender_id=lea.id, recipient_id=hugo.id, message="a"),
                        Invitation(sender_id=hugo.id, recipient_id=lea.id, message="b")])
    db.session.commit()
    first = invitations.received_pending(hugo)[0]
    invitations.answer_invitation(hugo, first.id, InvitationStatus.ACCEPTED)
    assert invitations.received_pending(lea) == [] and are_connected(lea, hugo)


def test_withdrawing_takes_back_the_notification(school):
    lea, hugo = school["student"], school["classmate"]
    invitation = invitations.send_invitation(lea, hugo.id, PERSONAL).invitation
    invitations.withdraw_invitation(lea, invitation.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == hugo.id)) == 0


def test_suggestions_stay_in_scope_whatever_the_school(school, factories):
    from sandbox.network.suggestions import suggestions_for
    from sandbox.profiles.models import ProfileHashtag

    lea, hugo = school["student"], school["classmate"]
    db.session.add_all([ProfileHashtag(profile_id=lea.id, tag="export"),
                        ProfileHashtag(profile_id=lea.id, tag="stage"),
                        ProfileHashtag(profile_id=hugo.id, tag="export"),
                        ProfileHashtag(profile_id=school["teacher"].id, tag="export")])
    for _ in range(6):  # a crowd of better matches in another, closed class
        other = factories.make_student(school["other_class"])
        db.session.add_all([ProfileHashtag(profile_id=other.id, tag="export"),
                            ProfileHashtag(profile_id=other.id, tag="stage")])
    db.session.commit()
    assert [s.user.id for s in suggestions_for(lea)] == [hugo.id]  # no teacher, no outsider
