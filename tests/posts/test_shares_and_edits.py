"""Shares quote their source and never widen its audience; only authors edit and delete."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.notifications.models import Notification
from sandbox.posts.models import Audience, Post
from sandbox.posts.services import create_post
from sandbox.search.services import search
from tests.posts.test_publishing import counts


def newest() -> Post:
    return db.session.scalars(sa.select(Post).order_by(Post.id.desc()).limit(1)).one()


def test_a_share_quotes_the_original_and_tells_its_author(client_as, people, network):
    persona, lea = people["persona"], people["student"]
    original = network.post(persona, "Nous ouvrons 3 postes en #alternance")
    page = client_as(lea).get(f"/posts/{original.id}/share").get_data(as_text=True)
    assert "Nous ouvrons 3 postes" in page and 'name="body"' in page
    response = client_as(lea).post(f"/posts/{original.id}/share",
                                   data={"body": "À voir !", "audience": "network"})
    assert response.status_code == 302
    share = newest()
    assert (share.shared_post_id, share.body, share.author_id) == (original.id, "À voir !", lea.id)
    told = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "post_shared")).one()
    assert (told.user_id, told.actor_id, told.subject_id, told.data) == (
        persona.id, lea.id, share.id, {"post_id": share.id})
    assert db.session.scalar(sa.select(ActivityEvent.kind).where(
        ActivityEvent.subject_id == share.id)) == "post_shared"
    card = client_as(people["classmate"]).get(f"/posts/{share.id}").get_data(as_text=True)
    assert "shared a post" in card and "Nous ouvrons 3 postes" in card and "À voir !" in card


def test_a_share_may_have_no_comment_and_a_share_of_a_share_quotes_the_root(people, network):
    original = network.post(people["persona"], "Offre de stage")
    first = create_post(people["student"], body="", audience="network",
                        shared_post_id=original.id)
    second = create_post(people["classmate"], body="", audience="network",
                         shared_post_id=first.id)
    assert first.shared_post_id == original.id and second.shared_post_id == original.id


def test_sharing_a_deleted_post_is_refused_and_writes_nothing(app, client_as, people, network):
    original = network.post(people["persona"], "Offre pourvue")
    share = network.post(people["classmate"], "À lire", shared_post_id=original.id)
    original.deleted_at = utcnow()
    db.session.commit()
    lea = client_as(people["student"])
    before = counts(app)
    # Deleted: no longer there for anyone, so nobody learns it existed.
    response = lea.post(f"/posts/{original.id}/share", data={"body": "", "audience": "network"})
    assert response.status_code == 404
    # A share she still sees, whose original was deleted since: said plainly.
    response = lea.post(f"/posts/{share.id}/share", data={"body": "", "audience": "network"})
    assert response.status_code == 302
    assert "This post was deleted" in lea.get("/").get_data(as_text=True)
    response = lea.post("/posts/", data={"body": "x", "audience": "network",
                                         "shared_post_id": str(share.id)})
    assert response.status_code == 422
    assert "This post was deleted" in response.get_data(as_text=True)
    assert counts(app) == before


def test_sharing_a_post_one_cannot_see_is_a_404(client_as, people, network):
    hidden = network.post(people["other_student"], "Dans une autre classe")
    lea = client_as(people["student"])
    assert lea.get(f"/posts/{hidden.id}/share").status_code == 404
    assert lea.post(f"/posts/{hidden.id}/share", data={"audience": "network"}).status_code == 404
    assert lea.get("/posts/999999/share").status_code == 404


def test_a_share_never_widens_a_connections_only_post(client_as, people, network):
    """Léa posts to her connections; Hugo (connected) shares it to his network. Zoé, a
    classmate connected to nobody but following Hugo and #confidentiel, sees neither."""
    lea, hugo, zoe = people["student"], people["classmate"], people["zoe"]
    network.follow(zoe, hugo)
    network.follow_tag(zoe, "confidentiel")
    original = create_post(lea, body="Mon entretien #confidentiel", audience="connections")
    share = create_post(hugo, body="Bravo Léa #confidentiel", audience="network",
                        shared_post_id=original.id)
    as_zoe = client_as(zoe)
    assert "Bravo Léa" not in as_zoe.get("/").get_data(as_text=True)
    assert "Bravo Léa" not in as_zoe.get("/hashtags/confidentiel").get_data(as_text=True)
    assert as_zoe.get(f"/posts/{share.id}").status_code == 404
    assert as_zoe.get(f"/posts/{original.id}").status_code == 404
    assert search(zoe, "bravo").posts == [] and search(zoe, "#confidentiel").posts == []
    assert as_zoe.get(f"/posts/{share.id}/share").status_code == 404
    # ...while a connection of Léa's who follows Hugo sees the share with its quote.
    as_hugo = client_as(hugo)
    page = as_hugo.get("/hashtags/confidentiel").get_data(as_text=True)
    assert "Bravo Léa" in page and "Mon entretien" in page


def test_a_deleted_original_leaves_the_share_with_a_note(client_as, people, network):
    original = network.post(people["persona"], "Annonce retirée")
    share = create_post(people["student"], body="Regardez", audience="network",
                        shared_post_id=original.id)
    original.deleted_at = utcnow()
    db.session.commit()
    page = client_as(people["classmate"]).get(f"/posts/{share.id}").get_data(as_text=True)
    assert "Regardez" in page and "This post is no longer available." in page
    assert "Annonce retirée" not in page


def test_the_author_edits_and_only_new_mentions_are_told(client_as, people, network):
    lea = people["student"]
    post = create_post(lea, body="Merci @hugo.petit", audience="network")
    client = client_as(lea)
    assert "Merci @hugo.petit" in client.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    response = client.post(f"/posts/{post.id}/edit",
                           data={"body": "Merci @hugo.petit et @zoe.blanc #oral"})
    assert response.headers["Location"] == f"/posts/{post.id}"
    db.session.refresh(post)
    assert post.body == "Merci @hugo.petit et @zoe.blanc #oral" and post.edited_at is not None
    told = db.session.execute(sa.select(Notification.user_id, Notification.kind)).all()
    assert sorted(told) == sorted([(people["classmate"].id, "mentioned"),
                                   (people["zoe"].id, "mentioned")])
    page = client_as(people["zoe"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "edited" in page and "Edited on" in page
    assert '<a class="hashtag" href="/hashtags/oral">#oral</a>' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent).where(
        ActivityEvent.kind == "post_edited")) == 1


def test_an_edit_to_nothing_is_refused(client_as, people):
    post = create_post(people["student"], body="Bonjour", audience="network")
    response = client_as(people["student"]).post(f"/posts/{post.id}/edit", data={"body": " "})
    assert response.status_code == 422
    assert "Write something before publishing." in response.get_data(as_text=True)
    db.session.refresh(post)
    assert post.body == "Bonjour" and post.edited_at is None


def test_others_cannot_edit_or_delete(client_as, people):
    post = create_post(people["student"], body="À moi", audience="connections")
    for user, status in ((people["classmate"], 403), (people["teacher"], 403),
                         (people["zoe"], 404), (people["other_student"], 404)):
        client = client_as(user)
        assert client.get(f"/posts/{post.id}/edit").status_code == status
        assert client.post(f"/posts/{post.id}/edit", data={"body": "Pirate"}).status_code == status
        assert client.post(f"/posts/{post.id}/delete").status_code == status
    db.session.refresh(post)
    assert post.body == "À moi" and post.deleted_at is None


def test_the_author_deletes_softly(client_as, people):
    post = create_post(people["student"], body="Oups", audience="network")
    client = client_as(people["student"])
    response = client.post(f"/posts/{post.id}/delete", data={"next": f"/posts/{post.id}"})
    assert response.headers["Location"] == "/"
    db.session.refresh(post)
    assert post.deleted_at is not None and post.audience is Audience.NETWORK
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert client_as(people["teacher"]).get(f"/posts/{post.id}").status_code == 404
    assert client.post(f"/posts/{post.id}/delete").status_code == 404
    assert "post_deleted" in set(db.session.scalars(sa.select(ActivityEvent.kind)))
