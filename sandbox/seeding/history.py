"""What the seed writes for students leaves the same trace as the app would: the dashboard and the
grade count a seeded post like one typed in class."""

from __future__ import annotations

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.posts.models import Post


def record_seeded_post(author: User, post: Post) -> None:
    """The `post_created` event of a student's seeded post, dated like the post."""
    if not author.is_student:
        return
    event = record_event(author, "post_created", post, audience=post.audience.value,
                         image=False, seeded=True)
    event.created_at = post.created_at
