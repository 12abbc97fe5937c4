"""Likes on posts and comments: idempotent, counted once, told to the right person once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.core.errors import NotFound
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.models import Connection
from sandbox.network.services import connect
from sandbox.notifications.models import Notification
from sandbox.posts import like_services, reactions
from sandbox.posts.models import Audience, CommentLike, PostLike


def _rows(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _notifications() -> list[tuple[int, str, str | None, int | None]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Notification.user_id, Notification.kind, Notification.subject_type,
                  Notification.subject_id).order_by(Notification.id)
    )]


def test_liking_twice_counts_once_and_tells_the_author_once(school, make_post):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    assert reactions.like_post(hugo, post.id) is True
    assert reactions.like_post(hugo, post.id) is False
    summary = reactions.summary_for(lea, post)
    assert summary.like_count == 1 and not summary.liked_by_viewer
    assert reactions.summary_for(hugo, post).liked_by_viewer
    assert _notifications() == [(lea.id, "post_liked", "Post", post.id)]
    assert db.session.scalar(sa.select(Notification.data)) == {"post_id": post.id}


def test_unliking_keeps_the_notification_and_liking_again_does_not_repeat_it(school, make_post):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    reactions.like_post(hugo, post.id)
    assert reactions.unlike_post(hugo, post.id) is True
    assert reactions.unlike_post(hugo, post.id) is False  # idempotent
    assert reactions.summary_for(lea, post).like_count == 0
    assert len(_notifications()) == 1
    reactions.like_post(hugo, post.id)
    assert len(_notifications()) == 1
    assert reactions.summary_for(lea, post).like_count == 1


def test_a_simultaneous_second_like_is_dropped_without_error(school, make_post, monkeypatch):
    """Two requests at once: the other one writes the same like just before this one."""
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    post_id, hugo_id = post.id, hugo.id
    write_like = like_services._write_like

    def written_while_another_request_likes(model, **key):  # type: ignore[no-untyped-def]
        with db.engine.begin() as other_request:
            other_request.execute(sa.insert(PostLike).values(
                post_id=post_id, user_id=hugo_id, created_at=utcnow()))
        return write_like(model, **key)

    monkeypatch.setattr(like_services, "_write_like", written_while_another_request_likes)
    assert reactions.like_post(hugo, post_id) is False
    assert _rows(PostLike) == 1
    assert reactions.summary_for(lea, post).like_count == 1
    assert _notifications() == []  # this request's notification was rolled back with it


def test_liking_ones_own_post_tells_nobody(school, make_post):
    post = make_post(school["student"])
    reactions.like_post(school["student"], post.id)
    assert reactions.summary_for(school["student"], post).like_count == 1
    assert _notifications() == []


def test_an_invisible_or_deleted_post_cannot_be_liked(school, make_post):
    lea = school["student"]
    hidden = make_post(lea, audience=Audience.CONNECTIONS)
    deleted = make_post(lea, deleted_at=utcnow())
    for user, post_id in [(school["classmate"], hidden.id), (school["other_student"], hidden.id),
                          (school["classmate"], deleted.id), (school["classmate"], 99999999)]:
        with pytest.raises(NotFound):
            reactions.like_post(user, post_id)
    assert _rows(PostLike) == 0 and _notifications() == []


def test_comment_likes_are_idempotent_and_told_to_the_comment_author(
    school, make_post, make_comment
):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    comment = make_comment(hugo, post)
    assert reactions.like_comment(lea, comment.id) is True
    assert reactions.like_comment(lea, comment.id) is False
    assert reactions.comment_like_counts(hugo, [comment.id]) == {comment.id: (1, False)}
    assert reactions.comment_like_counts(lea, [comment.id]) == {comment.id: (1, True)}
    assert _notifications() == [(hugo.id, "comment_liked", "Comment", comment.id)]
    assert db.session.scalar(sa.select(Notification.data)) == {"post_id": post.id}
    assert reactions.unlike_comment(lea, comment.id) is True
    assert _rows(CommentLike) == 0 and len(_notifications()) == 1


def test_a_deleted_comment_or_one_under_an_invisible_post_cannot_be_liked(
    school, make_post, make_comment
):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    deleted = make_comment(hugo, post, deleted_at=utcnow())
    hidden_post = make_post(lea, audience=Audience.CONNECTIONS)
    on_hidden = make_comment(lea, hidden_post)
    for user, comment_id in [(lea, deleted.id), (hugo, on_hidden.id),
                             (school["other_student"], on_hidden.id)]:
        with pytest.raises(NotFound):
            reactions.like_comment(user, comment_id)
    assert _rows(CommentLike) == 0 and _notifications() == []


def test_no_like_notification_to_someone_who_no_longer_sees_the_post(
    school, make_post, make_comment
):
    lea, hugo = school["student"], school["classmate"]
    connect(lea, hugo)
    db.session.commit()
    post = make_post(lea, audience=Audience.CONNECTIONS)
    comment = make_comment(hugo, post, "Bravo")
    db.session.execute(sa.delete(Connection))  # hugo no longer sees lea's connections' posts
    db.session.commit()
    reactions.like_comment(lea, comment.id)
    assert _rows(CommentLike) == 1 and _notifications() == []


def test_no_like_notification_to_a_disabled_author(school, make_post):
    lea = school["student"]
    post = make_post(lea)
    lea.is_disabled = True  # out of everyone's network, even their own: only admins see the post
    db.session.commit()
    reactions.like_post(school["admin"], post.id)
    assert _rows(PostLike) == 1 and _notifications() == []
    with pytest.raises(NotFound):
        reactions.like_post(school["classmate"], post.id)
