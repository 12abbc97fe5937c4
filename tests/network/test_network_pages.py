"""The network pages, driven through HTTP like a student's browser."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.extensions import db
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.network.services import are_connected, connect
from sandbox.notifications.models import Notification
from sandbox.profiles.models import ProfileHashtag

PERSONAL = "Bonjour Hugo, on prépare ensemble le salon de l'export de jeudi ?"


def test_invite_is_coached_then_sent_then_accepted(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    client = client_as(lea)
    assert client.get(f"/network/invite/{hugo.id}").status_code == 200
    coached = client.post(f"/network/invite/{hugo.id}", data={"message": ""})
    assert coached.status_code == 200 and 'class="coach"' in coached.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    sent = client.post(f"/network/invite/{hugo.id}", data={"message": PERSONAL})
    assert sent.status_code == 302
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.message == PERSONAL

    hugo_client = client_as(hugo)
    page = hugo_client.get("/network/").get_data(as_text=True)
    assert PERSONAL.replace("'", "&#39;") in page
    assert hugo_client.post(f"/network/invitations/{invitation.id}/accept").status_code == 302
    assert are_connected(lea, hugo)
    notifications = hugo_client.get("/notifications/")
    assert notifications.status_code == 200
    assert client_as(lea).get("/notifications/").get_data(as_text=True).count('<li class="person-row') == 1


def test_invite_someone_outside_the_class_is_not_found(client_as, school):
    client = client_as(school["student"])
    assert client.get(f"/network/invite/{school['other_student'].id}").status_code == 404
    assert client.post(f"/network/invite/{school['other_student'].id}",
                       data={"message": PERSONAL}).status_code == 404


def test_answering_someone_elses_invitation_is_not_found(client_as, school):
    invitation = Invitation(sender_id=school["student"].id, recipient_id=school["classmate"].id,
                            message=PERSONAL)
    db.session.add(invitation)
    db.session.commit()
    other = client_as(school["other_student"])
    assert other.post(f"/network/invitations/{invitation.id}/accept").status_code == 404
    db.session.refresh(invitation)
    assert invitation.status is InvitationStatus.PENDING


def test_suggestions_say_why(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    for user in (lea, hugo):
        db.session.add(ProfileHashtag(profile_id=user.id, tag="export"))
    db.session.commit()
    page = client_as(lea).get("/network/").get_data(as_text=True)
    assert f"/network/invite/{hugo.id}" in page
    assert "1 hashtag" in page


def test_browsing_connections_respects_the_owners_choice(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    url = f"/network/people/{hugo.id}/connections"
    assert client_as(lea).get(url).status_code == 403
    connect(lea, hugo)
    db.session.commit()
    assert client_as(lea).get(url).status_code == 200
    assert client_as(school["other_student"]).get(url).status_code == 404


def test_teacher_page_for_persona_invitations(client_as, school):
    assert client_as(school["teacher"]).get("/network/personas").status_code == 200
    assert client_as(school["student"]).get("/network/personas").status_code == 403


def test_network_page_runs_a_fixed_number_of_queries(client_as, school, factories, count_queries):
    lea = school["student"]
    client = client_as(lea)
    connect(lea, school["classmate"])
    db.session.commit()
    with count_queries() as few:
        client.get("/network/")
    for _ in range(8):
        other = factories.make_student(school["class"])
        connect(lea, other)
        db.session.add(Invitation(sender_id=factories.make_student(school["class"]).id,
                                  recipient_id=lea.id, message="Bonjour"))
    db.session.commit()
    with count_queries() as many:
        client.get("/network/")
    assert many.count == few.count, many.statements
    assert many.count <= 22


def test_notifications_are_marked_read(client_as, school):
    db.session.add(Notification(user_id=school["student"].id, kind="new_follower",
                                actor_id=school["classmate"].id))
    db.session.commit()
    client = client_as(school["student"])
    assert client.post("/notifications/read").status_code == 302
    assert db.session.scalar(sa.select(Notification.read_at)) is not None


def test_pseudonymous_people_show_under_their_pseudonym(client_as, school):
    lea, hugo = school["student"], school["classmate"]
    lea.pseudonym = "Léa B."
    db.session.add(Invitation(sender_id=lea.id, recipient_id=hugo.id, message=PERSONAL))
    db.session.commit()
    page = client_as(hugo).get("/network/").get_data(as_text=True)
    assert "Léa B." in page and lea.last_name not in page
