"""Publishing through the composer: each audience end to end, and bad input writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import PermissionDenied
from sandbox.extensions import db
from sandbox.network.lists import add_member, create_list
from sandbox.notifications.models import Notification
from sandbox.posts.models import POST_MAX_LENGTH, Audience, Post, PostHashtag, PostMention
from sandbox.posts.services import create_post
from sandbox.posts.visibility import can_view_post
from tests.posts.conftest import png


def counts(app: Any) -> dict[str, int]:
    """Everything a post may write: rows, notifications, events, stored pictures."""
    def number(model: Any) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    uploads = Path(app.instance_path) / "uploads"
    return {
        "posts": number(Post), "hashtags": number(PostHashtag), "mentions": number(PostMention),
        "notifications": number(Notification), "events": number(ActivityEvent),
        "files": len([p for p in uploads.rglob("*") if p.is_file()]) if uploads.exists() else 0,
    }


def only_post() -> Post:
    return db.session.scalars(sa.select(Post)).one()


def notified(kind: str) -> set[int]:
    return set(db.session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == kind)))


def test_a_network_post_with_a_hashtag_and_a_mention(client_as, people):
    lea, hugo = people["student"], people["classmate"]
    response = client_as(lea).post("/posts/", data={
        "body": "Je cherche un #Stage en logistique, merci @hugo.petit !",
        "audience": "network", "next": "/hashtags/stage"})
    assert response.status_code == 302 and response.headers["Location"] == "/hashtags/stage"
    post = only_post()
    assert (post.author_id, post.audience, post.group_id) == (lea.id, Audience.NETWORK, None)
    assert [row.tag for row in db.session.scalars(sa.select(PostHashtag))] == ["stage"]
    assert [row.user_id for row in db.session.scalars(sa.select(PostMention))] == [hugo.id]
    mention = db.session.scalars(sa.select(Notification)).one()
    assert (mention.user_id, mention.kind, mention.actor_id) == (hugo.id, "mentioned", lea.id)
    assert (mention.subject_type, mention.subject_id, mention.data) == (
        "Post", post.id, {"post_id": post.id})
    event = db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.kind.like("post%"))).one()
    assert (event.kind, event.subject_id, event.data["audience"]) == (
        "post_created", post.id, "network")


def test_an_unsafe_next_is_ignored(client_as, people):
    response = client_as(people["student"]).post(
        "/posts/", data={"body": "Bonjour", "audience": "network", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_connections_post_notifies_only_mentioned_people_who_may_read_it(client_as, people):
    lea = people["student"]
    client_as(lea).post("/posts/", data={
        "body": "Entre nous : @hugo.petit et @zoe.blanc", "audience": "connections"})
    post = only_post()
    assert post.audience is Audience.CONNECTIONS
    # Both resolve (Léa may see Zoé), but only Hugo, a connection, may read it: only he is told.
    assert {row.user_id for row in db.session.scalars(sa.select(PostMention))} == {
        people["classmate"].id, people["zoe"].id}
    assert notified("mentioned") == {people["classmate"].id}


@pytest.mark.parametrize("form", ["menu", "fields"])
def test_a_group_post_reaches_active_members_only(client_as, people, network, form):
    lea = people["student"]
    group = network.group("Atelier", lea, people["zoe"], pending=(people["classmate"],))
    data = ({"audience": f"group:{group.id}"} if form == "menu"
            else {"audience": "group", "group_id": str(group.id)})
    response = client_as(lea).post("/posts/", data={"body": "Pour le groupe", **data})
    assert response.status_code == 302
    post = only_post()
    assert (post.audience, post.group_id) == (Audience.GROUP, group.id)
    assert can_view_post(people["zoe"], post)
    assert not can_view_post(people["classmate"], post)  # still pending


def test_a_list_post_reaches_the_list_only(client_as, people):
    lea = people["student"]
    pro = create_list(lea, "Pro")
    add_member(lea, pro.id, people["classmate"].id)
    response = client_as(lea).post("/posts/", data={"body": "Pour ma liste",
                                                    "audience": f"list:{pro.id}"})
    assert response.status_code == 302
    post = only_post()
    assert (post.audience, post.contact_list_id) == (Audience.LIST, pro.id)
    assert can_view_post(people["classmate"], post) and not can_view_post(people["zoe"], post)
    page = client_as(lea).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "List: Pro" in page  # the author sees the list's name...
    page = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Pro" not in page and "Selected contacts" in page  # ...its members do not


def test_a_picture_is_cleaned_stored_and_served_to_readers_only(app, client_as, people):
    lea = people["student"]
    response = client_as(lea).post("/posts/", content_type="multipart/form-data", data={
        "body": "Mon stand au salon", "audience": "connections",
        "image": (__import__("io").BytesIO(png()), "salon.png")})
    assert response.status_code == 302
    post = only_post()
    assert post.image_path.startswith(f"{lea.id}/post-") and post.image_path.endswith(".webp")
    url = f"/posts/{post.id}/images/{post.image_path.rsplit('/', 1)[-1]}"
    served = client_as(people["classmate"]).get(url)
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "private, max-age=86400"
    served.close()
    assert client_as(people["zoe"]).get(url).status_code == 404  # not a connection
    assert client_as(lea).get(f"/posts/{post.id}/images/post-0000.webp").status_code == 404
    page = client_as(people["classmate"]).get("/").get_data(as_text=True)
    assert url in page


REFUSALS = [
    ({"body": "   "}, "Write something before publishing."),
    ({"body": "x" * (POST_MAX_LENGTH + 1)}, "A post has 3000 characters at most"),
    ({"body": "Bonjour", "audience": "everyone"}, "Choose who can read your post."),
    ({"body": "Bonjour", "audience": "group:999999"}, "You can only post in a group you have"),
    ({"body": "Bonjour", "audience": "list"}, "Choose one of your own contact lists."),
    ({"body": "Bonjour\x00"}, "invisible characters"),
]


@pytest.mark.parametrize(("data", "message"), REFUSALS)
def test_bad_input_is_explained_and_writes_nothing(app, client_as, people, data, message):
    lea = client_as(people["student"])
    before = counts(app)
    response = lea.post("/posts/", data={"audience": "network", **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if data["body"].strip() and "\x00" not in data["body"]:
        assert data["body"][:50] in page  # what was typed is kept
    assert counts(app) == before


def test_a_group_one_is_not_in_and_someone_elses_list_are_refused(app, client_as, people,
                                                                   network):
    others = network.group("Entre eux", people["zoe"])
    hugos = create_list(people["classmate"], "Perso")
    lea = client_as(people["student"])
    before = counts(app)
    for audience in (f"group:{others.id}", f"list:{hugos.id}"):
        response = lea.post("/posts/", data={"body": "Bonjour", "audience": audience})
        assert response.status_code == 422
    assert counts(app) == before


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(app, client_as, people):
    lea = client_as(people["student"])
    before = counts(app)
    response = lea.post(
        "/posts/", content_type="multipart/form-data",
        data={"body": "Mon CV", "audience": "network",
              "image": (__import__("io").BytesIO(b"%PDF-1.4 not a picture"), "cv.png")})
    assert response.status_code == 422
    assert "This file is not a JPEG, PNG or WebP picture." in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_failed_commit_removes_the_stored_picture(app, people, monkeypatch):
    before = counts(app)

    def broken_commit() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        create_post(people["student"], body="Avec photo", audience="network", image=png())
    monkeypatch.undo()
    assert counts(app) == before


def test_admins_do_not_post_but_teachers_and_personas_do(client_as, people):
    assert client_as(people["admin"]).post(
        "/posts/", data={"body": "Bonjour", "audience": "network"}).status_code == 403
    assert client_as(people["teacher"]).post(
        "/posts/", data={"body": "Consigne : présentez-vous.", "audience": "network"}
    ).status_code == 302
    create_post(people["persona"], body="Nous recrutons #alternance", audience="network")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 2
    with pytest.raises(PermissionDenied):
        create_post(people["admin"], body="Bonjour", audience="network")
