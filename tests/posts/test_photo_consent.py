"""Photo consent (charter rule 6): the people in a picture agree before others see the post."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale
import sqlalchemy as sa

from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.notifications.models import Notification
from sandbox.posts.consent import answer_photo_tag
from sandbox.posts.models import ConsentStatus, PhotoTag, Post
from sandbox.posts.services import create_post
from sandbox.posts.visibility import can_view_post
from tests.posts.conftest import png


def kinds_for(user: Any) -> list[str]:
    return list(db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == user.id)
    ))


def tagged_post(people: dict[str, Any], *tagged: Any) -> Post:
    handles = " ".join(f"@{person.mention_handle}" for person in tagged)
    return create_post(people["student"], body="Notre stand au salon de l'alternance.",
                       audience="network", image=png(), shows_people=True, photo_tags=handles)


def test_a_tagged_picture_waits_for_everyone_tagged(people):
    lea, hugo, zoe = people["student"], people["classmate"], people["zoe"]
    post = tagged_post(people, hugo, zoe)

    assert post.awaiting_consent and post.shows_people
    assert can_view_post(lea, post) and can_view_post(people["teacher"], post)
    assert can_view_post(hugo, post) and can_view_post(zoe, post)  # to answer
    assert not can_view_post(people["persona"], post)
    assert "photo_tag_request" in kinds_for(hugo) and "photo_tag_request" in kinds_for(zoe)

    answer_photo_tag(hugo, post.id, agree=True)
    assert db.session.get(Post, post.id).awaiting_consent
    assert not can_view_post(people["persona"], post)

    answer_photo_tag(zoe, post.id, agree=True)
    assert not db.session.get(Post, post.id).awaiting_consent
    assert can_view_post(people["persona"], post)
    assert kinds_for(lea).count("photo_consent_given") == 2


def test_a_refusal_keeps_the_picture_out_of_sight_and_tells_the_author(people):
    post = tagged_post(people, people["classmate"])
    answer_photo_tag(people["classmate"], post.id, agree=False)

    assert db.session.get(Post, post.id).awaiting_consent
    assert not can_view_post(people["persona"], post)
    assert db.session.get(PhotoTag, (post.id, people["classmate"].id)).status \
        is ConsentStatus.DECLINED
    assert "photo_consent_declined" in kinds_for(people["student"])
    with pytest.raises(ServiceError):  # one answer per person
        answer_photo_tag(people["classmate"], post.id, agree=True)


def test_only_the_people_tagged_answer(people):
    post = tagged_post(people, people["classmate"])
    with pytest.raises(NotFound):
        answer_photo_tag(people["zoe"], post.id, agree=True)
    with pytest.raises(NotFound):
        answer_photo_tag(people["student"], post.id, agree=True)


@pytest.mark.parametrize(("tags", "message"), [
    ("", "Tag each person"),
    ("@personne.inconnue", "Nobody you can see"),
])
def test_a_picture_of_people_needs_them_tagged(people, tags, message):
    with force_locale("en"), pytest.raises(ServiceError, match=message) as refused:
        create_post(people["student"], body="Au salon.", audience="network", image=png(),
                    shows_people=True, photo_tags=tags)
    assert refused.value.field == "photo_tags"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 0


def test_fictional_professionals_cannot_be_tagged(people):
    persona = people["persona"]
    with force_locale("en"), pytest.raises(ServiceError, match="Fictional professionals"):
        tagged_post(people, persona)


def test_the_card_asks_the_tagged_person_and_shows_the_author_who_answered(people, client_as):
    post = tagged_post(people, people["classmate"])
    page = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "I agree to appear" in page

    answer = client_as(people["classmate"]).post(f"/posts/{post.id}/photo-consent",
                                                 data={"answer": "agree"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Post, post.id).awaiting_consent


def test_the_composer_sends_the_tags(people, client_as):
    hugo = people["classmate"]
    response = client_as(people["student"]).post("/posts/", data={
        "body": "Au salon avec Hugo.", "audience": "network", "shows_people": "1",
        "photo_tags": f"@{hugo.mention_handle}", "image": (__import__("io").BytesIO(png()),
                                                           "salon.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    post = db.session.scalars(sa.select(Post)).one()
    assert post.awaiting_consent
    assert db.session.get(PhotoTag, (post.id, hugo.id)) is not None


def test_someone_tagged_outside_the_audience_still_sees_the_post_to_answer(people):
    """Léa writes to her connections only and tags Zoé, who is not one: Zoé must see it."""
    lea, zoe = people["student"], people["zoe"]
    post = create_post(lea, body="Notre stand au salon.", audience="connections", image=png(),
                       shows_people=True, photo_tags=f"@{zoe.mention_handle}")
    assert can_view_post(zoe, post)
    answer_photo_tag(zoe, post.id, agree=True)
    assert can_view_post(zoe, db.session.get(Post, post.id))
    assert can_view_post(people["classmate"], post)  # a connection: the audience
