"""The notifications page: opening one marks it read; nobody opens someone else's."""

from __future__ import annotations

from typing import Any

from sandbox.extensions import db
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify, unread_count


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    school: dict[str, Any], client_as: Any,
) -> None:
    student, classmate = school["student"], school["classmate"]
    first = notify(student, "new_follower", actor=classmate)
    notify(student, "invitation_received", actor=classmate)
    db.session.commit()
    client = client_as(student)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"/notifications/{first.id}/open" in page

    response = client.post(f"/notifications/{first.id}/open")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/people/{classmate.id}"
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert unread_count(student) == 1  # the other one is still unread


def test_someone_elses_notification_cannot_be_opened(
    school: dict[str, Any], client_as: Any,
) -> None:
    theirs = notify(school["classmate"], "new_follower", actor=school["student"])
    db.session.commit()

    response = client_as(school["student"]).post(f"/notifications/{theirs.id}/open")

    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_each_kind_of_this_issue_has_its_own_sentence(
    school: dict[str, Any], client_as: Any,
) -> None:
    student = school["student"]
    for kind in ("mentioned", "post_shared", "post_commented", "comment_replied", "post_liked",
                 "comment_liked"):
        notify(student, kind, actor=school["classmate"], post_id=1)
    db.session.commit()
    page = client_as(student).get("/notifications/").get_data(as_text=True)
    assert "did something that concerns you" not in page
    assert "a fait quelque chose" not in page


def test_someone_the_reader_may_not_see_is_not_named(
    school: dict[str, Any], client_as: Any,
) -> None:
    # Nina (another class) asks to join a school-wide group Léa runs: Léa learns of the
    # request, not Nina's name.
    nina = school["other_student"]
    notify(school["student"], "group_join_requested", actor=nina, slug="atelier")
    notify(school["student"], "new_follower", actor=school["classmate"])
    db.session.commit()

    page = client_as(school["student"]).get("/notifications/").get_data(as_text=True)

    assert nina.first_name not in page and nina.last_name not in page
    assert "Une personne hors de ton réseau demande à rejoindre ton groupe." in page
    assert school["classmate"].public_name in page
