"""The posts, people, groups… a student's page names, loaded in one query per type.

The timeline, the findings and the conversations name their subjects by id: the ids are gathered
first (`Wanted`), then `load_subjects` loads them all at once, with what the viewer may open
decided by the usual rules: THE post visibility rule, the network scope, the groups a viewer may
find. Each query runs even when the page names nothing of its type, so that the page's query
count never depends on what the student did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company, JobOffer
from sandbox.exercises.models import Exercise
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.groups.services import visible_groups
from sandbox.messages.models import Message
from sandbox.network.models import ContactList, Invitation, Recommendation
from sandbox.network.scope import visible_people
from sandbox.personas.models import Persona
from sandbox.posts.models import Comment, Post
from sandbox.posts.visibility import visible_comments, visible_posts

ID_MAX = 2**31 - 1


@dataclass
class Wanted:
    """The ids a page names, by type: gathered from the events, findings and conversations."""

    posts: set[int] = field(default_factory=set)
    comments: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)
    companies: set[int] = field(default_factory=set)
    lists: set[int] = field(default_factory=set)
    invitations: set[int] = field(default_factory=set)
    recommendations: set[int] = field(default_factory=set)
    messages: set[int] = field(default_factory=set)
    offers: set[int] = field(default_factory=set)
    exercises: set[int] = field(default_factory=set)

    def add(self, kind: str, value: Any) -> None:
        """Add an id read from stored data (anything that is not an id is left out)."""
        if type(value) is int and 0 < value <= ID_MAX:
            getattr(self, kind).add(value)

    def add_content(self, content_kind: Any, content_id: Any) -> None:
        """A piece of content named the moderation's way (post, comment, message…)."""
        kind = _CONTENT_TYPES.get(str(content_kind or ""))
        if kind:
            self.add(kind, content_id)

    def add_events(self, events: list[ActivityEvent]) -> None:
        for event in events:
            # The doer too: a persona's name, for what a person did while playing it.
            self.add("users", event.user_id)
            kind = _SUBJECT_TYPES.get(event.subject_type or "")
            if kind:
                self.add(kind, event.subject_id)
            data = event.data or {}
            for key, kind in _DATA_KEYS.items():
                self.add(kind, data.get(key))
            self.add_content(data.get("content_kind"), data.get("content_id"))


_SUBJECT_TYPES = {
    "Post": "posts", "Comment": "comments", "User": "users", "Group": "groups",
    "Company": "companies", "ContactList": "lists", "Invitation": "invitations",
    "Recommendation": "recommendations", "Message": "messages", "JobOffer": "offers",
    "Exercise": "exercises",
}
_DATA_KEYS = {
    "recipient_id": "users", "sender_id": "users", "contact_id": "users", "owner_id": "users",
    "student_id": "users", "introduced_id": "users", "author_id": "users", "user_id": "users",
    "other_id": "users", "original_id": "posts", "post_id": "posts", "offer_id": "offers",
    "played_by": "users", "persona_id": "users", "company_id": "companies",
    "exercise_id": "exercises",
}
_CONTENT_TYPES = {
    "post": "posts", "comment": "comments", "message": "messages",
    "recommendation": "recommendations", "group": "groups",
}


@dataclass
class Subjects:
    """The rows a page names, by id, and which of them the viewer may open."""

    viewer: User
    student: User
    posts: dict[int, Post] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    companies: dict[int, Company] = field(default_factory=dict)
    lists: dict[int, ContactList] = field(default_factory=dict)
    invitations: dict[int, Invitation] = field(default_factory=dict)
    recommendations: dict[int, Recommendation] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    offers: dict[int, JobOffer] = field(default_factory=dict)
    exercises: dict[int, Exercise] = field(default_factory=dict)
    visible_posts: set[int] = field(default_factory=set)
    visible_comments: set[int] = field(default_factory=set)
    visible_users: set[int] = field(default_factory=set)
    visible_groups: set[int] = field(default_factory=set)

    def person_link(self, user_id: Any) -> str | None:
        if not isinstance(user_id, int) or user_id not in self.visible_users:
            return None
        return url_for("profiles.show", user_id=user_id)

    def group_link(self, group_id: Any) -> str | None:
        group = self.groups.get(group_id) if isinstance(group_id, int) else None
        if group is None or group.id not in self.visible_groups:
            return None
        return url_for("groups.show", slug=group.slug)

    def content_link(self, kind: str, content_id: Any) -> tuple[str | None, str | None]:
        """Where the viewer reads a piece of content, and "deleted"/"hidden" when it is gone.

        A message opens in the teachers' read-only view of the student's thread; an invitation
        has no page of its own."""
        if not isinstance(content_id, int):
            return None, None
        if kind in ("post", "comment"):
            row: Any = (self.posts if kind == "post" else self.comments).get(content_id)
            if row is None or row.deleted_at is not None:
                return None, "deleted"
            if row.hidden_at is not None:
                return None, "hidden"
            if kind == "post":
                seen = content_id in self.visible_posts
                return (url_for("posts.show", post_id=content_id) if seen else None), None
            seen = content_id in self.visible_comments
            return (url_for("posts.show", post_id=row.post_id, _anchor=f"comment-{row.id}")
                    if seen else None), None
        if kind == "message":
            message = self.messages.get(content_id)
            if message is None or message.hidden_at is not None:
                return None, "hidden" if message is not None else "deleted"
            other = (message.recipient_id if message.sender_id == self.student.id
                     else message.sender_id)
            return url_for("messages.student_thread", student_id=self.student.id, other_id=other,
                           _anchor=f"message-{message.id}"), None
        if kind == "profile":
            return url_for("profiles.show", user_id=self.student.id), None
        if kind == "recommendation":
            recommendation = self.recommendations.get(content_id)
            if recommendation is None:
                return None, "deleted"
            return self.person_link(recommendation.recipient_id), None
        if kind == "group":
            return self.group_link(content_id), None
        return None, None


def _rows(query: sa.Select) -> dict[int, Any]:
    return {row.id: row for row in db.session.scalars(query).unique()}


def _with_flag(query: sa.Select) -> tuple[dict[int, Any], set[int]]:
    """Rows selected with a boolean column (may the viewer open it?), by id."""
    rows, flagged = {}, set()
    for row, allowed in db.session.execute(query).unique():
        rows[row.id] = row
        if allowed:
            flagged.add(row.id)
    return rows, flagged


def load_subjects(viewer: User, student: User, wanted: Wanted) -> Subjects:
    """One query per type, run whether or not the page names any of it (a fixed count)."""
    found = Subjects(viewer=viewer, student=student)
    wanted.users.add(student.id)
    found.comments, found.visible_comments = _with_flag(
        sa.select(Comment, visible_comments(viewer)).where(Comment.id.in_(wanted.comments)))
    for comment in found.comments.values():
        wanted.posts.add(comment.post_id)
        wanted.users.add(comment.author_id)
    found.posts, found.visible_posts = _with_flag(
        sa.select(Post, visible_posts(viewer)).where(Post.id.in_(wanted.posts))
        .options(joinedload(Post.group), joinedload(Post.contact_list)))
    # A comment shows only under a post the viewer sees.
    found.visible_comments = {
        comment_id for comment_id in found.visible_comments
        if found.comments[comment_id].post_id in found.visible_posts
    }
    found.invitations = _rows(sa.select(Invitation).where(Invitation.id.in_(wanted.invitations)))
    found.recommendations = _rows(
        sa.select(Recommendation).where(Recommendation.id.in_(wanted.recommendations)))
    found.messages = _rows(sa.select(Message).where(Message.id.in_(wanted.messages)))
    for post in found.posts.values():
        wanted.users.add(post.author_id)
    for item in [*found.invitations.values(), *found.recommendations.values()]:
        wanted.users.add(item.recipient_id)
    found.users, found.visible_users = _with_flag(
        sa.select(User, visible_people(viewer)).where(User.id.in_(wanted.users)).options(
            joinedload(User.school_class).selectinload(SchoolClass.teachers),
            joinedload(User.persona).joinedload(Persona.company)))
    found.groups, found.visible_groups = _with_flag(
        sa.select(Group, visible_groups(viewer)).where(Group.id.in_(wanted.groups)))
    found.companies = _rows(sa.select(Company).where(Company.id.in_(wanted.companies)))
    found.lists = _rows(sa.select(ContactList).where(ContactList.id.in_(wanted.lists)))
    found.offers = _rows(sa.select(JobOffer).where(JobOffer.id.in_(wanted.offers))
                         .options(joinedload(JobOffer.company)))
    found.exercises = _rows(sa.select(Exercise).where(Exercise.id.in_(wanted.exercises))
                            .options(joinedload(Exercise.phases)))
    return found


