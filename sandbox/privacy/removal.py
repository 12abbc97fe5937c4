"""Remove one student from every table, in the caller's transaction (no commit).

`remove_student` deletes what the student wrote or owns and what others did with it, keeps the
class's statistics without the person (activity events and charter findings anonymised), takes
the student out of the audit log and of other people's events and notifications, then deletes
the user row. It returns the pictures to delete from disk once the transaction has committed,
and how many rows went, table by table.

Deletes run children first, so nothing relies on the database's ON DELETE rules (SQLite without
its foreign-key pragma would ignore them). A new table pointing at users must be handled here:
tests/privacy checks that every foreign key to users.id is in HANDLED_USER_COLUMNS. Job
applications, reviews, exercises and personas' plans are handled in `removal_jobs`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.charter.models import CharterSignature
from sandbox.classes.models import class_teachers
from sandbox.extensions import db
from sandbox.grading.models import Grade
from sandbox.groups.models import Group, GroupMembership, GroupTopic
from sandbox.messages.models import Conversation, Message
from sandbox.moderation.models import ContentKind, ModerationCase
from sandbox.network.models import (
    Connection,
    ContactList,
    ContactListMember,
    Endorsement,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Introduction,
    Invitation,
    NetworkOutcome,
    Recommendation,
)
from sandbox.personas.models import Persona
from sandbox.posts.models import (
    Comment,
    CommentLike,
    PhotoTag,
    Post,
    PostHashtag,
    PostLike,
    PostMention,
)
from sandbox.privacy import anonymise, removal_jobs
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    Profile,
    ProfileHashtag,
    ProfileLink,
    ProfileSkill,
)


# Every column pointing at users.id, and so handled below or in `anonymise` (tests/privacy
# fails when a table gains one that is not listed here).
HANDLED_USER_COLUMNS = frozenset({
    "activity_events.user_id", "audit_entries.actor_id", "audit_entries.author_id",
    "charter_findings.user_id", "charter_signatures.user_id", "class_charters.updated_by_id",
    "class_teachers.teacher_id", "comment_likes.user_id", "comments.author_id",
    "connections.contact_id", "connections.user_id", "contact_list_members.contact_id",
    "contact_lists.owner_id", "conversations.first_user_id", "conversations.second_user_id",
    "endorsements.endorser_id", "followed_companies.follower_id", "followed_hashtags.follower_id",
    "followed_people.followed_id", "followed_people.follower_id", "grades.graded_by_id",
    "grades.student_id", "group_memberships.user_id", "groups.created_by_id",
    "introductions.introduced_id", "introductions.introducer_id", "introductions.student_id",
    "invitations.answered_by_id", "invitations.recipient_id", "invitations.sender_id",
    "messages.recipient_id", "messages.sender_id", "moderation_cases.author_id",
    "moderation_cases.resolved_by_id", "network_outcomes.contact_id",
    "network_outcomes.student_id", "notifications.actor_id", "notifications.user_id",
    "personas.user_id", "photo_tags.user_id", "post_likes.user_id", "post_mentions.user_id",
    "posts.author_id", "profiles.user_id", "recommendations.author_id",
    "recommendations.recipient_id", "reports.reporter_id",
}) | removal_jobs.JOBS_USER_COLUMNS


@dataclass
class Doomed:
    """The ids of everything that goes with the student."""

    posts: list[int] = field(default_factory=list)  # theirs, and others' shares of them
    comments: list[int] = field(default_factory=list)  # theirs, on their posts, replies to them
    conversations: list[int] = field(default_factory=list)
    messages: list[int] = field(default_factory=list)
    invitations: list[int] = field(default_factory=list)
    recommendations: list[int] = field(default_factory=list)
    introductions: list[int] = field(default_factory=list)
    skills: list[int] = field(default_factory=list)
    contact_lists: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # created by them, with nobody else in it
    cases: list[int] = field(default_factory=list)
    pictured_posts: list[int] = field(default_factory=list)  # others' posts they are tagged in
    applications: list[int] = field(default_factory=list)  # theirs, with their cover letters
    reviews: list[int] = field(default_factory=list)  # their reviews of companies

    def content(self, student_id: int) -> dict[ContentKind, list[int]]:
        """Content that goes, by the kind moderation cases and notifications name it with."""
        return {
            ContentKind.POST: self.posts, ContentKind.COMMENT: self.comments,
            ContentKind.MESSAGE: self.messages, ContentKind.INVITATION: self.invitations,
            ContentKind.RECOMMENDATION: self.recommendations,
            ContentKind.INTRODUCTION: self.introductions,
            ContentKind.PROFILE: [student_id], ContentKind.GROUP: self.groups,
            ContentKind.APPLICATION: self.applications, ContentKind.REVIEW: self.reviews,
        }


@dataclass
class Removal:
    files: list[str]
    removed: Counter[str]


def _ids(query: sa.Select) -> list[int]:
    return sorted(set(db.session.scalars(query)))


def _doomed_groups(sid: int) -> list[int]:
    """Groups the student created where no one else is a member or has posted."""
    others_in = sa.or_(
        sa.exists().where(GroupMembership.group_id == Group.id, GroupMembership.user_id != sid),
        sa.exists().where(Post.group_id == Group.id, Post.author_id != sid),
    )
    return _ids(sa.select(Group.id).where(Group.created_by_id == sid, sa.not_(others_in)))


def plan(student: User) -> Doomed:
    """Find what goes (a fixed number of queries)."""
    sid = student.id
    doomed = Doomed()
    own_posts = _ids(sa.select(Post.id).where(Post.author_id == sid))
    shares = _ids(sa.select(Post.id).where(Post.shared_post_id.in_(own_posts))) \
        if own_posts else []
    doomed.posts = sorted(set(own_posts) | set(shares))
    own_comments = _ids(sa.select(Comment.id).where(Comment.author_id == sid))
    doomed.comments = _ids(sa.select(Comment.id).where(sa.or_(
        Comment.id.in_(own_comments), Comment.parent_id.in_(own_comments),
        Comment.post_id.in_(doomed.posts),
    )))
    doomed.conversations = _ids(sa.select(Conversation.id).where(sa.or_(
        Conversation.first_user_id == sid, Conversation.second_user_id == sid)))
    doomed.messages = _ids(sa.select(Message.id).where(sa.or_(
        Message.conversation_id.in_(doomed.conversations),
        Message.sender_id == sid, Message.recipient_id == sid)))
    doomed.invitations = _ids(sa.select(Invitation.id).where(sa.or_(
        Invitation.sender_id == sid, Invitation.recipient_id == sid)))
    doomed.recommendations = _ids(sa.select(Recommendation.id).where(sa.or_(
        Recommendation.author_id == sid, Recommendation.recipient_id == sid)))
    doomed.introductions = _ids(sa.select(Introduction.id).where(sa.or_(
        Introduction.introducer_id == sid, Introduction.student_id == sid,
        Introduction.introduced_id == sid)))
    doomed.skills = _ids(sa.select(ProfileSkill.id).where(ProfileSkill.profile_id == sid))
    doomed.contact_lists = _ids(sa.select(ContactList.id).where(ContactList.owner_id == sid))
    doomed.groups = _doomed_groups(sid)
    doomed.applications = removal_jobs.own_applications(sid)
    doomed.reviews = removal_jobs.own_reviews(sid)
    about_content = [sa.and_(ModerationCase.content_kind == kind,
                             ModerationCase.content_id.in_(ids))
                     for kind, ids in doomed.content(sid).items() if ids]
    doomed.cases = _ids(sa.select(ModerationCase.id).where(
        sa.or_(ModerationCase.author_id == sid, *about_content)))
    doomed.pictured_posts = _ids(
        sa.select(PhotoTag.post_id).where(PhotoTag.user_id == sid,
                                          PhotoTag.post_id.not_in(doomed.posts)))
    return doomed


class _Deleter:
    """Runs deletes and counts the rows each took, by table."""

    def __init__(self) -> None:
        self.removed: Counter[str] = Counter()

    def __call__(self, model: type, *conditions: sa.ColumnElement[bool]) -> None:
        if not conditions:
            return
        result = db.session.execute(
            sa.delete(model).where(sa.or_(*conditions))
            .execution_options(synchronize_session=False)
        )
        table = model.__table__.name  # type: ignore[attr-defined]
        self.removed[table] += result.rowcount or 0


def _set_null(column: sa.orm.InstrumentedAttribute, sid: int) -> None:
    db.session.execute(
        sa.update(column.class_).where(column == sid).values({column.key: None})
        .execution_options(synchronize_session=False)
    )


def _remove_content(delete: _Deleter, sid: int, doomed: Doomed) -> list[str]:
    """Posts, comments, likes, tags, messages: returns the post pictures to delete."""
    files = list(db.session.scalars(
        sa.select(Post.image_path).where(Post.id.in_(doomed.posts), Post.image_path.is_not(None))
    ))
    # Pictures of others that show the student: the picture goes, the post stays.
    files += db.session.scalars(sa.select(Post.image_path).where(
        Post.id.in_(doomed.pictured_posts), Post.image_path.is_not(None)))
    delete(PhotoTag, PhotoTag.post_id.in_(doomed.posts + doomed.pictured_posts),
           PhotoTag.user_id == sid)
    db.session.execute(
        sa.update(Post).where(Post.id.in_(doomed.pictured_posts))
        .values(image_path=None, shows_people=False, awaiting_consent=False)
        .execution_options(synchronize_session=False)
    )
    delete(CommentLike, CommentLike.comment_id.in_(doomed.comments), CommentLike.user_id == sid)
    delete(PostLike, PostLike.post_id.in_(doomed.posts), PostLike.user_id == sid)
    # Replies first: a reply points at the comment it answers.
    delete(Comment, sa.and_(Comment.id.in_(doomed.comments), Comment.parent_id.is_not(None)))
    delete(Comment, Comment.id.in_(doomed.comments))
    delete(PostHashtag, PostHashtag.post_id.in_(doomed.posts))
    delete(PostMention, PostMention.post_id.in_(doomed.posts), PostMention.user_id == sid)
    db.session.execute(  # shares among the doomed posts point at each other
        sa.update(Post).where(Post.id.in_(doomed.posts)).values(shared_post_id=None)
        .execution_options(synchronize_session=False)
    )
    delete(Post, Post.id.in_(doomed.posts))
    delete(Message, Message.id.in_(doomed.messages))
    delete(Conversation, Conversation.id.in_(doomed.conversations))
    return files


def _remove_network(delete: _Deleter, sid: int, doomed: Doomed) -> None:
    delete(Invitation, Invitation.id.in_(doomed.invitations))
    _set_null(Invitation.answered_by_id, sid)
    delete(Connection, Connection.user_id == sid, Connection.contact_id == sid)
    delete(FollowedPerson, FollowedPerson.follower_id == sid, FollowedPerson.followed_id == sid)
    delete(FollowedCompany, FollowedCompany.follower_id == sid)
    delete(FollowedHashtag, FollowedHashtag.follower_id == sid)
    delete(ContactListMember, ContactListMember.list_id.in_(doomed.contact_lists),
           ContactListMember.contact_id == sid)
    delete(ContactList, ContactList.id.in_(doomed.contact_lists))
    delete(Endorsement, Endorsement.endorser_id == sid, Endorsement.skill_id.in_(doomed.skills))
    delete(Recommendation, Recommendation.id.in_(doomed.recommendations))
    delete(Introduction, Introduction.id.in_(doomed.introductions))
    delete(NetworkOutcome, NetworkOutcome.student_id == sid)
    _set_null(NetworkOutcome.contact_id, sid)  # a classmate's journal keeps the line, unnamed
    delete(GroupMembership, GroupMembership.user_id == sid,
           GroupMembership.group_id.in_(doomed.groups))
    delete(GroupTopic, GroupTopic.group_id.in_(doomed.groups))
    delete(Group, Group.id.in_(doomed.groups))
    _set_null(Group.created_by_id, sid)  # a group others use stays, without its creator


def _remove_account(delete: _Deleter, sid: int) -> None:
    delete(CharterSignature, CharterSignature.user_id == sid)
    delete(Grade, Grade.student_id == sid)
    _set_null(Grade.graded_by_id, sid)
    for item in (ProfileSkill, Experience, Education, LanguageSkill, ProfileLink):
        delete(item, item.profile_id == sid)
    delete(ProfileHashtag, ProfileHashtag.profile_id == sid)
    delete(Profile, Profile.user_id == sid)
    delete(Persona, Persona.user_id == sid)
    db.session.execute(sa.delete(class_teachers).where(class_teachers.c.teacher_id == sid))
    delete(User, User.id == sid)


def remove_student(student: User) -> Removal:
    """Remove the student everywhere; no commit. See the module's docstring."""
    sid = student.id
    doomed = plan(student)
    delete = _Deleter()
    anonymise.forget_in_notifications(delete, sid, doomed)
    anonymise.forget_in_moderation(delete, sid, doomed)
    files = _remove_content(delete, sid, doomed)
    _remove_network(delete, sid, doomed)
    removal_jobs.remove_jobs(delete, sid, doomed.applications, doomed.reviews)
    anonymise.anonymise_statistics(sid, doomed)
    profile = db.session.get(Profile, sid)
    if profile is not None:
        files += [path for path in (profile.photo_path, profile.banner_path) if path]
    _remove_account(delete, sid)
    return Removal(files=files, removed=delete.removed)
