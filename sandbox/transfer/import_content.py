"""Writing the class's groups, the members' contact lists, posts and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, GroupTopic
from sandbox.media.images import ImageKind
from sandbox.network.models import ContactList, ContactListMember
from sandbox.posts.models import (
    Comment,
    CommentLike,
    PhotoTag,
    Post,
    PostHashtag,
    PostLike,
    PostMention,
)
from sandbox.transfer.references import TransferError

if TYPE_CHECKING:
    from sandbox.transfer.importer import ImportContext


def write_groups_and_lists(context: ImportContext) -> None:
    """Groups and contact lists first: posts are addressed to them."""
    groups = context.document.groups
    rows = [Group(slug=part.slug, name=part.name, description=part.description,
                  join_policy=part.join_policy, class_id=context.class_id,
                  created_by_id=context.person(part.created_by), created_at=part.created_at)
            for part in groups]
    lists = context.document.network.contact_lists
    list_rows = [ContactList(owner_id=context.user(part.owner), name=part.name,
                             created_at=part.created_at) for part in lists]
    db.session.add_all([*rows, *list_rows])
    db.session.flush()
    for part, group in zip(groups, rows, strict=True):
        context.ids.add("Group", part.slug, group.id)
        db.session.add_all(GroupTopic(group_id=group.id, tag=tag) for tag in part.topics)
        db.session.add_all(GroupMembership(group_id=group.id, user_id=context.user(member.user),
                                           role=member.role, status=member.status,
                                           created_at=member.created_at)
                           for member in part.members)
    for part, contact_list in zip(lists, list_rows, strict=True):
        context.ids.add("ContactList", part.key, contact_list.id)
        db.session.add_all(ContactListMember(list_id=contact_list.id,
                                             contact_id=context.user(username))
                           for username in part.members)
    context.counts["groups"] += len(groups)


def write_posts_and_comments(context: ImportContext) -> None:
    posts = context.document.posts
    rows = [Post(author_id=context.user(part.author), body=part.body, audience=part.audience,
                 group_id=context.ids.optional("Group", part.group),
                 contact_list_id=context.ids.optional("ContactList", part.contact_list),
                 shows_people=part.shows_people, awaiting_consent=part.awaiting_consent,
                 created_at=part.created_at, edited_at=part.edited_at,
                 deleted_at=part.deleted_at, hidden_at=part.hidden_at)
            for part in posts]
    db.session.add_all(rows)
    db.session.flush()
    for part, post in zip(posts, rows, strict=True):
        context.ids.add("Post", part.key, post.id)
        post.image_path = context.picture(post.author_id, ImageKind.POST, part.image)
        db.session.add_all(PostHashtag(post_id=post.id, tag=tag) for tag in part.hashtags)
        db.session.add_all(PostMention(post_id=post.id, user_id=context.user(username))
                           for username in part.mentions)
        db.session.add_all(PhotoTag(post_id=post.id, user_id=context.user(tag.user),
                                    status=tag.status, answered_at=tag.answered_at)
                           for tag in part.photo_tags)
        db.session.add_all(PostLike(post_id=post.id, user_id=context.user(like.user),
                                    created_at=like.created_at) for like in part.likes)
    for part, post in zip(posts, rows, strict=True):
        post.shared_post_id = context.ids.optional("Post", part.shared_post)
    context.counts["posts"] += len(posts)
    _write_comments(context)


def _write_comments(context: ImportContext) -> None:
    _check_threads(context)
    comments = context.document.comments
    rows = [Comment(post_id=context.ids.id("Post", part.post),
                    author_id=context.user(part.author), body=part.body,
                    created_at=part.created_at, edited_at=part.edited_at,
                    deleted_at=part.deleted_at, hidden_at=part.hidden_at)
            for part in comments]
    db.session.add_all(rows)
    db.session.flush()
    for part, comment in zip(comments, rows, strict=True):
        context.ids.add("Comment", part.key, comment.id)
        db.session.add_all(CommentLike(comment_id=comment.id, user_id=context.user(like.user),
                                       created_at=like.created_at) for like in part.likes)
    for part, comment in zip(comments, rows, strict=True):
        parent = context.ids.optional("Comment", part.parent)
        if parent is not None:
            comment.parent_id = parent
    context.counts["comments"] += len(comments)


def _check_threads(context: ImportContext) -> None:
    """A reply answers a comment of the same post, as the app makes them."""
    post_of = {part.key: part.post for part in context.document.comments}
    for part in context.document.comments:
        if part.parent is not None and post_of.get(part.parent) != part.post:
            raise TransferError(_("The reply “%(key)s” does not answer a comment of its post.",
                                  key=part.key))
