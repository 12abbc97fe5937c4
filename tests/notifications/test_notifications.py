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


def test_notifications_about_hidden_or_deleted_content_leave_the_list(school, client_as):
    """A teacher hides a post, or a comment and with it its replies: what pointed at them
    goes from the list (a link to a page that no longer exists would only puzzle)."""
    from sandbox.core.time import utcnow
    from sandbox.posts.comment_services import add_comment
    from sandbox.posts.services import create_post

    lea, hugo = school["student"], school["classmate"]
    kept = create_post(lea, body="Mon rapport de stage est en ligne.", audience="network")
    hidden = create_post(lea, body="Je cherche une alternance.", audience="network")
    add_comment(hugo, kept.id, "Bravo pour ce rapport.")
    top = add_comment(lea, kept.id, "Merci pour ton aide.")
    add_comment(hugo, kept.id, "Avec plaisir.", parent_id=top.id)
    add_comment(hugo, hidden.id, "Bonne chance pour ta recherche.")

    before = client_as(lea).get("/notifications/").get_data(as_text=True).count("/open")
    hidden.hidden_at = utcnow()
    top.hidden_at = utcnow()
    db.session.commit()
    after = client_as(lea).get("/notifications/").get_data(as_text=True).count("/open")
    # The comment on the hidden post and the reply under the hidden comment are gone; Hugo's
    # first comment on the kept post stays.
    assert before - after == 2 and after >= 1
