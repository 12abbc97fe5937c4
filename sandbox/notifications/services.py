"""Notifications: every network action leaves one for the person it concerns.

`notify` adds the row to the current transaction, so it is written with the action or not at all
(in a worker's batch, queued and written at the batch's end: `sandbox.core.deferred`).
Each row is also pushed live to the user's room once the transaction commits (`publisher`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core import deferred
from sandbox.core.errors import NotFound
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.notifications.models import Notification
from sandbox.notifications.publisher import publish, user_room


def notify(
    user: User | int, kind: str, actor: User | None = None, subject: Any | None = None,
    **data: Any,
) -> Notification:
    notification = Notification(
        user_id=user if isinstance(user, int) else user.id,
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        data=data,
        created_at=utcnow(),
    )
    session = db.session()
    if deferred.deferring(session):
        deferred.defer(session, notification)  # a worker's batch: written at its end
    else:
        session.add(notification)
    # Live: the bell of that user's open pages counts one more, once this is committed.
    publish("notification", {"kind": kind}, user_room(notification.user_id))
    return notification


def unread_count(user: User) -> int:
    query = sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def latest_for(user: User, limit: int = 50) -> list[Notification]:
    query = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .options(
            joinedload(Notification.actor).joinedload(User.school_class)
            .selectinload(SchoolClass.teachers)
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def about_visible_content(user: User, notifications: list[Notification]) -> list[Notification]:
    """Drop the notifications about a post `user` may no longer see (deleted, hidden by a
    teacher, out of their audience) or about a comment deleted or hidden since, or answering
    one that is (two queries at most, none when the list points at no post)."""
    from sandbox.posts.models import Comment
    from sandbox.posts.visibility import visible_post_ids

    post_ids = {n.data["post_id"] for n in notifications
                if isinstance((n.data or {}).get("post_id"), int)}
    if not post_ids:
        return notifications
    visible = visible_post_ids(user, sorted(post_ids))
    comment_ids = {n.subject_id for n in notifications
                   if n.subject_type == "Comment" and n.subject_id is not None}
    parent = aliased(Comment)
    shown_comments = set(db.session.scalars(
        sa.select(Comment.id).outerjoin(parent, parent.id == Comment.parent_id).where(
            Comment.id.in_(comment_ids), Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            # A reply goes with the comment it answers.
            sa.or_(Comment.parent_id.is_(None),
                   sa.and_(parent.deleted_at.is_(None), parent.hidden_at.is_(None))),
        )
    )) if comment_ids else set()
    return [
        n for n in notifications
        if (n.data or {}).get("post_id") in (None, *visible)
        and not (n.subject_type == "Comment" and n.subject_id not in shown_comments)
    ]


def actors_in_scope(user: User, notifications: list[Notification]) -> set[int]:
    """Which of these notifications' actors `user` may see, and so see named (one query)."""
    actor_ids = {n.actor_id for n in notifications if n.actor_id is not None}
    if not actor_ids:
        return set()
    query = sa.select(User.id).where(User.id.in_(actor_ids), visible_people(user))
    return set(db.session.scalars(query))


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (opening it does); someone else's is a 404."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(_l("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
