"""The class's groups, and the posts and comments of its members, with what people did on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, GroupTopic
from sandbox.posts.models import (
    Comment,
    CommentLike,
    PhotoTag,
    Post,
    PostHashtag,
    PostLike,
    PostMention,
)
from sandbox.transfer.document import Row, encode_picture, in_order, stamp

if TYPE_CHECKING:
    from sandbox.transfer.exporter import ExportContext


def groups_part(context: ExportContext) -> list[dict[str, Any]]:
    """The groups of the class (`class_id`), keyed by their slug, with their members."""
    groups = db.session.scalars(sa.select(Group).where(Group.class_id == context.klass.id)).all()
    group_ids = [group.id for group in groups]
    topics: dict[int, list[str]] = defaultdict(list)
    for topic in db.session.scalars(sa.select(GroupTopic).where(
            GroupTopic.group_id.in_(group_ids))):
        topics[topic.group_id].append(topic.tag)
    members: dict[int, list[Row]] = defaultdict(list)
    for membership in db.session.scalars(sa.select(GroupMembership).where(sa.or_(
            GroupMembership.group_id.in_(group_ids),
            GroupMembership.user_id.in_(context.member_ids)))):
        if membership.group_id not in group_ids or not context.is_member(membership.user_id):
            context.omitted["memberships"] += 1
            continue
        members[membership.group_id].append(({
            "user": context.username(membership.user_id),
            "role": membership.role.value,
            "status": membership.status.value,
            "created_at": stamp(membership.created_at),
        }, membership.user_id))
    parts = []
    for group in sorted(groups, key=lambda group: group.slug):
        context.keys.add("Group", group.id, group.slug)
        parts.append({
            "slug": group.slug,
            "name": group.name,
            "description": group.description,
            "join_policy": group.join_policy.value,
            "created_by": context.person(group.created_by_id),
            "created_at": stamp(group.created_at),
            "topics": sorted(topics[group.id]),
            "members": in_order(members[group.id], "user"),
        })
    return parts


def _people_on(model: Any, parent_column: Any, parents: sa.Select[Any],
               wanted: Container[int], context: ExportContext,
               record: Callable[[Any], Any]) -> dict[int, list[Row]]:
    """Rows of a (parent, person) table for the exported parents, by parent; those of people
    outside the class are counted as reactions left out.

    `parents` selects the parents' ids in SQL (a semester's posts are too many for a list of
    bound values); `wanted` drops the rows of parents finally left out, already counted."""
    found: dict[int, list[Row]] = defaultdict(list)
    for row in db.session.scalars(sa.select(model).where(parent_column.in_(parents))):
        parent_id = getattr(row, parent_column.key)
        if parent_id not in wanted:
            continue
        if not context.is_member(row.user_id):
            context.omitted["reactions"] += 1
            continue
        found[parent_id].append((record(row), row.user_id))
    return found


def _exported_posts(context: ExportContext) -> sa.Select[Any]:
    """The posts the document holds: by a member, in no group or in a group of the class."""
    class_groups = sorted(context.keys.ids("Group"))
    return sa.select(Post.id).where(
        Post.author_id.in_(context.member_ids),
        sa.or_(Post.group_id.is_(None), Post.group_id.in_(class_groups)),
    )


def posts_part(context: ExportContext) -> list[dict[str, Any]]:
    """The members' posts, and the posts of the class's groups; those of people outside, or in
    groups outside the class, are left out (counted)."""
    class_groups = context.keys.ids("Group")
    posts = []
    for post in db.session.scalars(sa.select(Post).where(sa.or_(
            Post.author_id.in_(context.member_ids), Post.group_id.in_(sorted(class_groups))))):
        if not context.is_member(post.author_id) or (
                post.group_id is not None and post.group_id not in class_groups):
            context.omitted["posts"] += 1
            continue
        posts.append(post)
    ids, exported = {post.id for post in posts}, _exported_posts(context)
    hashtags: dict[int, list[str]] = defaultdict(list)
    for tag in db.session.scalars(sa.select(PostHashtag).where(
            PostHashtag.post_id.in_(exported))):
        hashtags[tag.post_id].append(tag.tag)
    username = context.username
    mentions = _people_on(PostMention, PostMention.post_id, exported, ids, context,
                          lambda row: username(row.user_id))
    tags = _people_on(PhotoTag, PhotoTag.post_id, exported, ids, context, lambda row: {
        "user": username(row.user_id), "status": row.status.value,
        "answered_at": stamp(row.answered_at)})
    likes = _people_on(PostLike, PostLike.post_id, exported, ids, context, lambda row: {
        "user": username(row.user_id), "created_at": stamp(row.created_at)})
    rows = []
    for post in posts:
        rows.append(({
            "author": username(post.author_id),
            "body": post.body,
            "audience": post.audience.value,
            "group": context.keys.key("Group", post.group_id),
            "contact_list": context.link("ContactList", post.contact_list_id),
            "image": encode_picture(context.picture(post.image_path)),
            "shows_people": post.shows_people,
            "awaiting_consent": post.awaiting_consent,
            "created_at": stamp(post.created_at),
            "edited_at": stamp(post.edited_at),
            "deleted_at": stamp(post.deleted_at),
            "hidden_at": stamp(post.hidden_at),
            "hashtags": sorted(hashtags[post.id]),
            "mentions": sorted(name for name, _ in mentions[post.id]),
            "photo_tags": in_order(tags[post.id], "user"),
            "likes": in_order(likes[post.id], "created_at", "user"),
        }, post.id))
    shared = {post.id: post.shared_post_id for post in posts}
    ordered = context.keyed(rows, "Post", "post", "created_at", "author")
    for record, post_id in ordered:
        record["shared_post"] = context.link("Post", shared[post_id])
    return [record for record, _id in ordered]


def comments_part(context: ExportContext) -> list[dict[str, Any]]:
    """Comments on the exported posts by members; a reply to a comment left out goes too."""
    kept_posts, exported = context.keys.ids("Post"), _exported_posts(context)
    comments = {}
    for comment in db.session.scalars(sa.select(Comment).where(sa.or_(
            Comment.post_id.in_(exported), Comment.author_id.in_(context.member_ids)))):
        if comment.post_id in kept_posts and context.is_member(comment.author_id):
            comments[comment.id] = comment
        else:
            context.omitted["comments"] += 1
    # Replies whose parent is left out go as well (a reply's parent is a top-level comment).
    for comment_id in [cid for cid, c in comments.items()
                       if c.parent_id is not None and c.parent_id not in comments]:
        del comments[comment_id]
        context.omitted["comments"] += 1
    username = context.username
    by_members = sa.select(Comment.id).where(Comment.post_id.in_(exported),
                                             Comment.author_id.in_(context.member_ids))
    likes = _people_on(CommentLike, CommentLike.comment_id, by_members, comments, context,
                       lambda row: {"user": username(row.user_id),
                                    "created_at": stamp(row.created_at)})
    rows = [({
        "post": context.keys.key("Post", comment.post_id),
        "author": username(comment.author_id),
        "body": comment.body,
        "created_at": stamp(comment.created_at),
        "edited_at": stamp(comment.edited_at),
        "deleted_at": stamp(comment.deleted_at),
        "hidden_at": stamp(comment.hidden_at),
        "likes": in_order(likes[comment.id], "created_at", "user"),
    }, comment.id) for comment in comments.values()]
    ordered = context.keyed(rows, "Comment", "comment", "created_at", "author", "post")
    for record, comment_id in ordered:
        record["parent"] = context.keys.key("Comment", comments[comment_id].parent_id)
    return [record for record, _id in ordered]
