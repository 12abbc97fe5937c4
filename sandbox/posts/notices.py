"""Telling someone about a post, a comment or a like: only if they may read the post."""

from __future__ import annotations

from sandbox.accounts.models import User
from sandbox.notifications.services import notify
from sandbox.posts.models import Post
from sandbox.posts.visibility import can_view_post


def notify_reader(recipient: User, kind: str, *, actor: User, post: Post, subject: object,
                  **data: object) -> bool:
    """Notify `recipient` about `subject` on `post`; never the actor themself, and never
    someone the post is not addressed to (a mention or a reply never widens an audience).

    True when a notification was added (to the current transaction).
    """
    if recipient.id == actor.id or not can_view_post(recipient, post):
        return False
    notify(recipient, kind, actor=actor, subject=subject, post_id=post.id, **data)
    return True
