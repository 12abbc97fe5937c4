"""Comments and replies: who may write them, one level of replies, edit and delete."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.services import connect
from sandbox.notifications.models import Notification
from sandbox.posts import reactions
from sandbox.posts.models import COMMENT_MAX_LENGTH, Audience, Comment


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _notifications(kind: str | None = None) -> list[tuple[int, str, int | None]]:
    query = sa.select(Notification.user_id, Notification.kind, Notification.subject_id)
    if kind:
        query = query.where(Notification.kind == kind)
    return [tuple(row) for row in db.session.execute(query.order_by(Notification.id))]


def test_a_comment_is_written_and_its_post_author_told(school, make_post):
    post = make_post(school["student"])
    comment = reactions.add_comment(school["classmate"], post.id, "  Bravo Léa !\r\n  ")
    assert comment.body == "Bravo Léa !"
    assert comment.parent_id is None
    assert _notifications() == [(school["student"].id, "post_commented", comment.id)]
    notification = db.session.scalar(sa.select(Notification))
    assert notification.data == {"post_id": post.id}
    assert notification.actor_id == school["classmate"].id
    kinds = db.session.scalars(sa.select(ActivityEvent.kind)).all()
    assert "commented" in kinds


def test_commenting_ones_own_post_tells_nobody(school, make_post):
    post = make_post(school["student"])
    reactions.add_comment(school["student"], post.id, "Merci à tous")
    assert _notifications() == []


@pytest.mark.parametrize("body", ["", "   \n  ", None, "x" * (COMMENT_MAX_LENGTH + 1)])
def test_an_empty_or_overlong_comment_writes_nothing(school, make_post, body):
    post = make_post(school["student"])
    with pytest.raises(ServiceError) as caught:
        reactions.add_comment(school["classmate"], post.id, body)
    assert caught.value.field == "body"
    assert str(caught.value.message)
    assert _count(Comment) == 0 and _notifications() == []


def test_a_comment_of_the_maximum_length_is_accepted(school, make_post):
    post = make_post(school["student"])
    comment = reactions.add_comment(school["classmate"], post.id, "é" * COMMENT_MAX_LENGTH,
                                    charter_ack=True)  # not a word: sent despite the coach
    assert len(comment.body) == COMMENT_MAX_LENGTH


def test_a_post_one_cannot_see_cannot_be_commented(school, make_post):
    # lea's connections-only post: hugo is not her connection; nina is not even in her network.
    post = make_post(school["student"], audience=Audience.CONNECTIONS)
    for outsider in (school["classmate"], school["other_student"], school["other_teacher"]):
        with pytest.raises(NotFound):
            reactions.add_comment(outsider, post.id, "Je vois ?")
    with pytest.raises(NotFound):
        reactions.add_comment(school["classmate"], 99999999, "Et là ?")
    assert _count(Comment) == 0 and _notifications() == []


def test_a_deleted_post_cannot_be_commented(school, make_post):
    post = make_post(school["student"], deleted_at=utcnow())
    with pytest.raises(NotFound):
        reactions.add_comment(school["classmate"], post.id, "Trop tard")
    assert _count(Comment) == 0


def test_replying_to_a_reply_stays_one_level_deep(school, make_post, make_comment):
    post = make_post(school["student"])
    top = make_comment(school["classmate"], post, "Où est ton stage ?")
    reply = reactions.add_comment(school["student"], post.id, "À Lyon", parent_id=top.id)
    deeper = reactions.add_comment(school["teacher"], post.id, "Belle ville", parent_id=reply.id)
    assert reply.parent_id == top.id
    assert deeper.parent_id == top.id  # attached to the thread, never three levels deep
    threads = reactions.comments_for(school["student"], post)
    assert [t.comment.comment.id for t in threads] == [top.id]
    assert [r.comment.id for r in threads[0].replies] == [reply.id, deeper.id]


def test_reply_notifications_go_to_the_answered_and_the_thread_once(
    school, make_post, make_comment
):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    post = make_post(lea)
    top = make_comment(hugo, post, "Question")
    reply = make_comment(teacher, post, "Réponse", parent=top)
    answer = reactions.add_comment(lea, post.id, "Merci", parent_id=reply.id)
    # The teacher (answered) and hugo (thread) are told; lea wrote the post and the answer.
    assert sorted(_notifications()) == sorted([
        (teacher.id, "comment_replied", answer.id),
        (hugo.id, "comment_replied", answer.id),
    ])


def test_the_post_author_answered_is_told_once(school, make_post, make_comment):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    top = make_comment(lea, post, "Des questions ?")
    answer = reactions.add_comment(hugo, post.id, "Oui", parent_id=top.id)
    assert _notifications() == [(lea.id, "comment_replied", answer.id)]


def test_nobody_who_cannot_see_the_post_is_told(school, make_post, make_comment):
    lea, hugo = school["student"], school["classmate"]
    connect(lea, hugo)
    db.session.commit()
    post = make_post(lea, audience=Audience.CONNECTIONS)
    # hugo commented while connected; the connection then ended: he no longer sees the post.
    top = make_comment(hugo, post, "Super")
    from sandbox.network.models import Connection
    db.session.execute(sa.delete(Connection))
    db.session.commit()
    reactions.add_comment(lea, post.id, "Merci", parent_id=top.id)
    assert _notifications() == []


def test_a_reply_to_another_posts_comment_or_a_deleted_one_is_refused(
    school, make_post, make_comment
):
    lea, hugo = school["student"], school["classmate"]
    post, other = make_post(lea), make_post(lea, body="Autre")
    elsewhere = make_comment(hugo, other)
    deleted = make_comment(hugo, post, deleted_at=utcnow())
    under_deleted = make_comment(lea, post, parent=deleted)
    for parent_id in (elsewhere.id, deleted.id, under_deleted.id, 99999999):
        with pytest.raises(ServiceError) as caught:
            reactions.add_comment(hugo, post.id, "Réponse", parent_id=parent_id)
        assert not isinstance(caught.value, NotFound)  # the post exists and is visible
    assert _count(Comment) == 3 and _notifications() == []


def test_only_the_author_edits_and_the_edit_is_marked(school, make_post, make_comment):
    post = make_post(school["student"])
    comment = make_comment(school["classmate"], post, "Bravo")
    with pytest.raises(PermissionDenied):
        reactions.edit_comment(school["student"], comment.id, "Piraté")
    with pytest.raises(NotFound):  # outside the post's audience: the comment does not exist
        reactions.edit_comment(school["other_student"], comment.id, "Piraté")
    assert comment.body == "Bravo" and comment.edited_at is None
    reactions.edit_comment(school["classmate"], comment.id, "Bravo Léa")
    assert comment.body == "Bravo Léa" and comment.edited_at is not None
    with pytest.raises(ServiceError):
        reactions.edit_comment(school["classmate"], comment.id, "  ")
    assert comment.body == "Bravo Léa"


def test_only_the_author_deletes_and_the_replies_go_with_it(school, make_post, make_comment):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    top = make_comment(hugo, post, "Question")
    make_comment(lea, post, "Réponse", parent=top)
    other = make_comment(lea, post, "Autre fil")
    for refused in (lea, school["teacher"]):
        with pytest.raises(PermissionDenied):
            reactions.delete_comment(refused, top.id)
    assert top.deleted_at is None
    reactions.delete_comment(hugo, top.id)
    assert top.deleted_at is not None  # kept for the teacher's review, no longer shown
    threads = reactions.comments_for(lea, post)
    assert [t.comment.comment.id for t in threads] == [other.id]
    assert reactions.summary_for(lea, post).comment_count == 1
    with pytest.raises(NotFound):
        reactions.delete_comment(hugo, top.id)
    kinds = db.session.scalars(sa.select(ActivityEvent.kind)).all()
    assert "comment_deleted" in kinds
