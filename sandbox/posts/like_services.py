"""Likes on posts and comments: idempotent, counted once, safe against double clicks.

A like is a row keyed by (object, user): liking twice changes nothing, and when two requests
race, the database's primary key refuses the second and it is quietly dropped (its notification
and event are written only once the like is). Unliking leaves the notification.
Re-exported by `sandbox.posts.reactions`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.core.time import utcnow
from sandbox.core.writes import commit_unless_duplicate
from sandbox.extensions import db
from sandbox.notifications.models import Notification
from sandbox.posts.comment_services import visible_comment, visible_post
from sandbox.posts.models import Comment, CommentLike, Post, PostLike
from sandbox.posts.notices import notify_reader


def _write_like(model: type[PostLike] | type[CommentLike], **key: int) -> bool:
    """Insert a like at once; False when a simultaneous request already wrote the same one.

    One INSERT that skips a row already there, so a clash neither fails nor undoes what the
    caller wrote before (a worker's batch of persona actions shares one transaction). Other
    engines get a savepoint; not SQLite, whose driver would commit when a savepoint opened
    first is released, saving the like apart from its notification.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        written = db.session.execute(
            insert(model).values(**key, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=sorted(key))
            .returning(model.user_id)
        ).first()
        return written is not None
    try:
        with db.session.begin_nested():
            db.session.add(model(**key))
    except IntegrityError:
        return False
    return True


def _has_liked(model: type[PostLike] | type[CommentLike], key: tuple[int, int]) -> bool:
    return db.session.get(model, key) is not None


def unread_like_notices(kind: str, wanted: list[tuple[int, int, int]]
                        ) -> set[tuple[int, int, int]]:
    """Which of these (recipient, actor, subject id) already have an unread `kind` notification
    (one query: a worker's batch of likes asks once)."""
    if not wanted:
        return set()
    rows = db.session.execute(sa.select(
        Notification.user_id, Notification.actor_id, Notification.subject_id).where(
        Notification.kind == kind, Notification.read_at.is_(None),
        Notification.user_id.in_(sorted({recipient for recipient, _a, _s in wanted})),
        Notification.actor_id.in_(sorted({actor for _r, actor, _s in wanted})),
        Notification.subject_id.in_(sorted({subject for _r, _a, subject in wanted}))))
    return {tuple(row) for row in rows} & set(wanted)


def _tell(recipient: User, actor: User, post: Post, kind: str, subject: Post | Comment, *,
          already_told: bool | None = None) -> None:
    """Like notifications: not to oneself, not to someone who may not see the post, and not
    again while the previous one about the same thing is unread (like, unlike, like again).
    `already_told`: that last answer, when the caller knows it."""
    if already_told is None:
        already_told = bool(unread_like_notices(kind, [(recipient.id, actor.id, subject.id)]))
    if not already_told:
        notify_reader(recipient, kind, actor=actor, post=post, subject=subject)


def add_post_like(user: User, post: Post, *, author_told: bool | None = None) -> bool:
    """`user` likes `post`, which the caller checked they may see: the like, its event and the
    author's notification, in the current transaction; no commit (a persona's scheduled like
    uses it as is). False when `user` already likes it (the insert skips it). `author_told`:
    whether the author has an unread notice of this like already, when the caller knows."""
    if not _write_like(PostLike, post_id=post.id, user_id=user.id):
        return False
    record_event(user, "liked_post", post)
    _tell(post.author, user, post, "post_liked", post, already_told=author_told)
    return True


def like_post(user: User, post_id: int) -> bool:
    """Like a post one may see; True when this call added the like."""
    post = visible_post(user, post_id)
    return add_post_like(user, post) and commit_unless_duplicate()


def unlike_post(user: User, post_id: int) -> bool:
    """Take one's like back; True when there was one."""
    post = visible_post(user, post_id)
    deleted = db.session.execute(
        sa.delete(PostLike).where(PostLike.post_id == post.id, PostLike.user_id == user.id)
    ).rowcount
    if deleted:
        record_event(user, "unliked_post", post)
    db.session.commit()
    return bool(deleted)


def like_comment(user: User, comment_id: int) -> bool:
    """Like a comment one may see; True when this call added the like."""
    comment = visible_comment(user, comment_id)
    if _has_liked(CommentLike, (comment.id, user.id)):
        return False
    if not _write_like(CommentLike, comment_id=comment.id, user_id=user.id):
        return False
    record_event(user, "liked_comment", comment, post_id=comment.post_id)
    _tell(comment.author, user, comment.post, "comment_liked", comment)
    return commit_unless_duplicate()


def unlike_comment(user: User, comment_id: int) -> bool:
    """Take one's like of a comment back; True when there was one."""
    comment = visible_comment(user, comment_id)
    deleted = db.session.execute(
        sa.delete(CommentLike).where(
            CommentLike.comment_id == comment.id, CommentLike.user_id == user.id
        )
    ).rowcount
    if deleted:
        record_event(user, "unliked_comment", comment, post_id=comment.post_id)
    db.session.commit()
    return bool(deleted)
