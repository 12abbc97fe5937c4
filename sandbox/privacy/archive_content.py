"""What a student wrote and received, for their archive: posts, comments, likes, messages,
charter findings, moderation, reports, notifications and activity.

Other people appear only by the name the student sees; a message a teacher hid from the student
keeps its text out of the archive too (the student's own texts are always theirs to read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.display import category_label
from sandbox.charter.models import CharterFinding
from sandbox.extensions import db
from sandbox.grading.models import Grade, Rubric, RubricCriterion
from sandbox.messages.models import Conversation, Message
from sandbox.moderation.models import AuditEntry, ModerationCase, Report
from sandbox.network.scope import visible_people
from sandbox.notifications.models import Notification
from sandbox.posts.models import (
    Comment,
    CommentLike,
    PhotoTag,
    Post,
    PostHashtag,
    PostLike,
    PostMention,
)
from sandbox.privacy.people import NameBook, iso

# Moderation decisions an author is told about (as on their warnings page).
AUTHOR_DECISIONS = ("warn", "hide", "delete")

ImageRef = Callable[[str | None, str], str | None]


def _grouped(pairs: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _count_by_post(model: type[PostLike] | type[Comment], ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(model.post_id, sa.func.count()).where(model.post_id.in_(ids))
        .group_by(model.post_id)
    )
    return {post_id: count for post_id, count in rows}


def posts_section(student: User, book: NameBook, image: ImageRef) -> list[dict[str, Any]]:
    """Every post, deleted or hidden ones too (they are still stored), oldest first.

    `image(relative_path, name)` stores a picture in the archive and returns its path there.
    """
    posts = db.session.scalars(
        sa.select(Post).where(Post.author_id == student.id)
        .options(joinedload(Post.group), joinedload(Post.contact_list))
        .order_by(Post.created_at, Post.id)
    ).all()
    ids = [post.id for post in posts]
    tags = _grouped(db.session.execute(
        sa.select(PostHashtag.post_id, PostHashtag.tag).where(PostHashtag.post_id.in_(ids))
        .order_by(PostHashtag.tag)
    ).all()) if ids else {}
    mentions = _grouped(db.session.execute(
        sa.select(PostMention.post_id, PostMention.user_id).where(PostMention.post_id.in_(ids))
    ).all()) if ids else {}
    photo_tags = _grouped([
        (row.post_id, (row.user_id, row.status)) for row in db.session.execute(
            sa.select(PhotoTag.post_id, PhotoTag.user_id, PhotoTag.status)
            .where(PhotoTag.post_id.in_(ids))
        )
    ]) if ids else {}
    book.load(i for people in mentions.values() for i in people)
    book.load(pair[0] for pairs in photo_tags.values() for pair in pairs)
    likes = _count_by_post(PostLike, ids)
    comments = _count_by_post(Comment, ids)
    return [{
        "id": post.id,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "deleted_at": iso(post.deleted_at),
        "hidden_by_teacher_at": iso(post.hidden_at),
        "audience": post.audience.value,
        "group": post.group.name if post.group is not None else None,
        "contact_list": post.contact_list.name if post.contact_list is not None else None,
        "body": post.body,
        "image": image(post.image_path, f"posts/post-{post.id}"),
        "shares_post_id": post.shared_post_id,
        "hashtags": tags.get(post.id, []),
        "mentions": [book.name(i) for i in mentions.get(post.id, [])],
        "photo_tags": [{"person": book.name(user_id), "consent": status.value}
                       for user_id, status in photo_tags.get(post.id, [])],
        "likes": likes.get(post.id, 0),
        "comments": comments.get(post.id, 0),
    } for post in posts]


def comments_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Comment).where(Comment.author_id == student.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return [{"id": row.id, "post_id": row.post_id, "reply_to": row.parent_id, "body": row.body,
             "created_at": iso(row.created_at), "edited_at": iso(row.edited_at),
             "deleted_at": iso(row.deleted_at), "hidden_by_teacher_at": iso(row.hidden_at)}
            for row in rows]


def likes_section(student: User) -> dict[str, list[dict[str, Any]]]:
    posts = db.session.execute(
        sa.select(PostLike.post_id, PostLike.created_at)
        .where(PostLike.user_id == student.id).order_by(PostLike.created_at)
    ).all()
    comments = db.session.execute(
        sa.select(CommentLike.comment_id, CommentLike.created_at)
        .where(CommentLike.user_id == student.id).order_by(CommentLike.created_at)
    ).all()
    return {"posts": [{"post_id": r.post_id, "at": iso(r.created_at)} for r in posts],
            "comments": [{"comment_id": r.comment_id, "at": iso(r.created_at)} for r in comments]}


def conversations_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    """The student's conversations: every message's text, except the other side's messages a
    teacher hid (the student never read those either)."""
    conversations = db.session.scalars(
        sa.select(Conversation).where(sa.or_(Conversation.first_user_id == student.id,
                                             Conversation.second_user_id == student.id))
        .order_by(Conversation.created_at, Conversation.id)
    ).all()
    ids = [c.id for c in conversations]
    messages = _grouped(db.session.execute(
        sa.select(Message.conversation_id, Message).where(Message.conversation_id.in_(ids))
        .order_by(Message.id)
    ).all()) if ids else {}
    others = {c.id: c.second_user_id if c.first_user_id == student.id else c.first_user_id
              for c in conversations}
    book.load(others.values())

    def line(message: Message) -> dict[str, Any]:
        mine = message.sender_id == student.id
        shown = mine or message.hidden_at is None
        return {"from_me": mine, "body": message.body if shown else None,
                "hidden_by_teacher": message.hidden_at is not None,
                "sent_at": iso(message.created_at), "read_at": iso(message.read_at)}

    return [{"with": book.name(others[c.id]), "started_at": iso(c.created_at),
             "messages": [line(m) for m in messages.get(c.id, [])]} for c in conversations]


def findings_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(CharterFinding).where(CharterFinding.user_id == student.id)
        .order_by(CharterFinding.created_at, CharterFinding.id)
    ).all()
    return [{"category": row.category, "category_label": category_label(row.category),
             "rule": row.rule, "severity": row.severity.value, "outcome": row.outcome.value,
             "content_kind": row.content_kind, "field": row.field, "excerpt": row.excerpt,
             "context": row.context, "at": iso(row.created_at),
             "resolved_at": iso(row.resolved_at)} for row in rows]


def grades_section(student: User) -> list[dict[str, Any]]:
    """The scores and comments the student's teachers gave, criterion by criterion (what the
    app suggests is computed, not stored: the teacher's grades page shows it)."""
    rows = db.session.execute(
        sa.select(Grade, RubricCriterion, Rubric.scale)
        .join(RubricCriterion, RubricCriterion.id == Grade.criterion_id)
        .join(Rubric, Rubric.id == RubricCriterion.rubric_id)
        .where(Grade.student_id == student.id)
        .order_by(RubricCriterion.position, RubricCriterion.id)
    ).all()
    return [{"criterion": {"fr": criterion.label_fr, "en": criterion.label_en},
             "score": grade.score, "out_of": scale, "comment": grade.comment,
             "at": iso(grade.updated_at)} for grade, criterion, scale in rows]


def moderation_section(student: User, book: NameBook) -> dict[str, list[dict[str, Any]]]:
    """Teachers' decisions about the student's texts (a warning's message included, a removal's
    reason not: it stays in the audit log, as on the student's warnings page) and the reports
    the student made (never who reported them)."""
    decisions = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.author_id == student.id,
                                    AuditEntry.action.in_(AUTHOR_DECISIONS))
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    book.load(entry.actor_id for entry in decisions)
    reports = db.session.execute(
        sa.select(Report, ModerationCase.content_kind, ModerationCase.content_id)
        .join(ModerationCase, ModerationCase.id == Report.case_id)
        .where(Report.reporter_id == student.id).order_by(Report.created_at)
    ).all()
    return {
        "decisions": [{"action": e.action, "content_kind": e.content_kind,
                       "by": book.name(e.actor_id),
                       "message": e.reason if e.action == "warn" else None,
                       "at": iso(e.created_at)} for e in decisions],
        "reports_made": [{"content_kind": kind.value, "content_id": content_id,
                          "reason": report.reason.value, "details": report.details,
                          "at": iso(report.created_at)} for report, kind, content_id in reports],
    }


def notifications_section(student: User, book: NameBook) -> list[dict[str, Any]]:
    """Each notification, with who acted when the student may still see that person."""
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == student.id)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
    in_scope = set(db.session.scalars(
        sa.select(User.id).where(User.id.in_(actor_ids), visible_people(student))
    )) if actor_ids else set()
    book.load(in_scope)
    return [{"kind": row.kind, "from": book.name(row.actor_id) if row.actor_id in in_scope
             else None, "at": iso(row.created_at), "read_at": iso(row.read_at)}
            for row in rows]


def activity_section(student: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.user_id == student.id)
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    return [{"kind": row.kind, "subject_type": row.subject_type, "subject_id": row.subject_id,
             "data": row.data or {}, "at": iso(row.created_at)} for row in rows]
