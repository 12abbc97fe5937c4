"""What people do with a post once it is published: likes, comments, replies (one level).

Reading (`summaries_for`, `comments_for`) runs a fixed number of grouped queries, whatever the
number of posts or comments, so the feed and the post page stay fast. Who may see what is never
decided here: every check goes through `sandbox.posts.visibility` (the one rule).

Writing lives in `sandbox.posts.comment_services` and `sandbox.posts.like_services` and is
re-exported here, so callers only need `from sandbox.posts import reactions`.

A deleted comment disappears with its replies: the visibility rule hides a reply whose parent is
deleted, so a deleted top-level comment leaves nothing behind ("comment deleted" placeholders
would show a thread nobody may read). The author is warned before deleting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
# The writing services live apart (small modules) and are re-exported: callers import this one.
from sandbox.posts.comment_services import (
    add_comment,
    delete_comment,
    edit_comment,
    visible_comment,
    visible_post,
)
from sandbox.posts.like_services import like_comment, like_post, unlike_comment, unlike_post
from sandbox.posts.models import Comment, CommentLike, Post, PostLike
from sandbox.posts.visibility import visible_comments, visible_posts
from sandbox.profiles.visibility import fields_seen_of


@dataclass(frozen=True)
class PostReactions:
    """The counters under a post, as the viewer sees them."""

    like_count: int = 0
    liked_by_viewer: bool = False
    comment_count: int = 0  # comments and replies that are not deleted (nor under a deleted one)
    share_count: int = 0  # shares that are not deleted and that the viewer may see


@dataclass(frozen=True)
class CommentView:
    """One comment with what its line shows."""

    comment: Comment
    like_count: int
    liked_by_viewer: bool
    show_photo: bool  # may the viewer see the author's photo (profile field visibility)


@dataclass(frozen=True)
class CommentThread:
    """A top-level comment and its replies, oldest first."""

    comment: CommentView
    replies: list[CommentView] = field(default_factory=list)


def summaries_for(viewer: User, posts: Iterable[Post]) -> dict[int, PostReactions]:
    """Likes, comments and shares of each post, in three queries whatever the number of posts.

    The caller passes posts the viewer may see (a feed, a page); every post gets an entry.
    """
    ids = sorted({post.id for post in posts})
    if not ids:
        return {}
    likes = db.session.execute(
        sa.select(
            PostLike.post_id,
            sa.func.count(),
            sa.func.max(sa.case((PostLike.user_id == viewer.id, 1), else_=0)),
        )
        .where(PostLike.post_id.in_(ids))
        .group_by(PostLike.post_id)
    ).all()
    comments = dict(db.session.execute(
        sa.select(Comment.post_id, sa.func.count())
        .where(Comment.post_id.in_(ids), visible_comments(viewer))
        .group_by(Comment.post_id)
    ).all())
    # A share the viewer may not see is not counted: its existence would say who shared.
    share = aliased(Post)
    shares = dict(db.session.execute(
        sa.select(share.shared_post_id, sa.func.count())
        .where(share.shared_post_id.in_(ids), visible_posts(viewer, share))
        .group_by(share.shared_post_id)
    ).all())
    liked = {post_id: (count, bool(mine)) for post_id, count, mine in likes}
    return {
        post_id: PostReactions(
            like_count=liked.get(post_id, (0, False))[0],
            liked_by_viewer=liked.get(post_id, (0, False))[1],
            comment_count=comments.get(post_id, 0),
            share_count=shares.get(post_id, 0),
        )
        for post_id in ids
    }


def summary_for(viewer: User, post: Post) -> PostReactions:
    """The counters of one post (a like button's answer, the post page)."""
    return summaries_for(viewer, [post])[post.id]


def comment_like_counts(viewer: User, comment_ids: list[int]) -> dict[int, tuple[int, bool]]:
    """For each comment: how many likes, and whether the viewer is one of them (one query)."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            CommentLike.comment_id,
            sa.func.count(),
            sa.func.max(sa.case((CommentLike.user_id == viewer.id, 1), else_=0)),
        )
        .where(CommentLike.comment_id.in_(comment_ids))
        .group_by(CommentLike.comment_id)
    ).all()
    found = {comment_id: (count, bool(mine)) for comment_id, count, mine in rows}
    return {comment_id: found.get(comment_id, (0, False)) for comment_id in comment_ids}


def comments_for(viewer: User, post: Post) -> list[CommentThread]:
    """The comments of a post the viewer may see, oldest first, each with its replies.

    The caller has checked `can_view_post(viewer, post)` (the post page does). Authors (with
    what `name_for` and the avatar read), like counts and photo visibility are loaded in a fixed
    number of queries whatever the number of comments.
    """
    comments = list(db.session.scalars(
        sa.select(Comment)
        .where(Comment.post_id == post.id, visible_comments(viewer))
        .options(
            joinedload(Comment.author).joinedload(User.school_class)
            .selectinload(SchoolClass.teachers),
            joinedload(Comment.author).joinedload(User.profile),
        )
        .order_by(Comment.created_at, Comment.id)
    ).unique())
    if not comments:
        return []
    likes = comment_like_counts(viewer, [comment.id for comment in comments])
    seen = fields_seen_of(viewer, [comment.author for comment in comments])

    def view(comment: Comment) -> CommentView:
        count, mine = likes[comment.id]
        return CommentView(comment, count, mine, "photo" in seen[comment.author_id])

    threads: dict[int, CommentThread] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.id] = CommentThread(view(comment))
    for comment in comments:
        # A reply whose parent is deleted is not shown (nor counted): see the module's docstring.
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(view(comment))
    return list(threads.values())


__all__ = [
    "CommentThread", "CommentView", "PostReactions", "add_comment", "comment_like_counts",
    "comments_for", "delete_comment", "edit_comment", "like_comment", "like_post",
    "summaries_for", "summary_for", "unlike_comment", "unlike_post", "visible_comment",
    "visible_post",
]
