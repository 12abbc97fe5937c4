"""Personas react to what students post: a like, sometimes a short comment, a little later.

When a student publishes, `schedule_reactions` (called by `posts.services.create_post` in the
same transaction) finds the personas the post concerns: it shares hashtags with their topics
(their behaviour's `topics`, else their profile's hashtags), or it mentions them or names
their company. A few of them, picked by the seeded `persona_random("post", post.id)`, will
like it after a delay divided by the class's time compression, and some will comment.

Reactions reward care: a text the charter flagged, or published against its advice, gets
none, and only a post with some substance gets comments. A persona reacts only to what it may
read (never a group it is not in, never a connections-only post unless connected), never while
a person plays it, and at most `likes_per_week` times a (compressed) week, unless mentioned.

The handlers (`persona_like`, `persona_comment`) write through the posts' own building blocks,
so the student is notified as by a person; a post deleted, hidden or out of reach since makes
the action obsolete.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.core.errors import NotFound
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.exercises.access import companies_played_in_class
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, MembershipStatus
from sandbox.network.models import Connection, ContactListMember
from sandbox.personas.behaviour import (
    BehaviourProfile,
    compression_of,
    persona_random,
    reaction_delay,
)
from sandbox.personas.models import ActionStatus, Persona, ScheduledAction
from sandbox.personas.registry import batch_put, batch_value
from sandbox.personas.scheduler import ActionObsolete, action_handler, schedule
from sandbox.personas.social_content import fill, persona_content, written_in
from sandbox.posts.comment_services import clean_comment_body, visible_post, write_comment
from sandbox.posts.like_services import add_post_like, unread_like_notices
from sandbox.posts.models import Audience, Comment, Post, PostLike
from sandbox.posts.text import hashtags_in
from sandbox.profiles.models import ProfileHashtag

MAX_REACTING = 3  # personas reacting to one post at most (besides, none is mentioned twice)
LIKE_SPAN = (5, 120)  # minutes of real life before a like, before the class's compression
COMMENT_SPAN = (15, 180)  # minutes after the like before a comment
COMMENT_CHANCE = 35  # out of 100, for a substantial post sharing their topics
MENTION_COMMENT_CHANCE = 80  # out of 100, when the post names them or their company
SUBSTANTIAL = 80  # characters of text, hashtags aside, before a post is worth a comment
RECENT_COMMENTS = 30  # a persona does not repeat one of its last comments
_PLAYED_KEY = "personas.social.played"
_LIKED_KEY = "personas.social.liked"  # batch cache: (post, persona) liked at the batch's start
_TOLD_KEY = "personas.social.told"  # batch cache: (author, persona, post) with an unread notice


def normal_tag(tag: str) -> str:
    """A topic as posts store hashtags ("#Export" → "export")."""
    return fold(tag.lstrip("#")).replace("-", "_")


@dataclass(frozen=True)
class Concerned:
    """A persona a post concerns, and why."""

    persona_id: int
    profile: BehaviourProfile
    shared: tuple[str, ...]  # hashtags of the post among its topics, in the post's order
    mentioned: bool  # the post mentions the persona or names its company

    @property
    def score(self) -> int:
        return len(self.shared) + (3 if self.mentioned else 0)


# ---- scheduling, when a student publishes ---------------------------------------------------


def schedule_reactions(post: Post, author: User, mentioned: list[User], *,
                       well_written: bool = True) -> int:
    """Schedule the likes and comments of the personas `post` concerns (no commit).

    Returns how many actions were scheduled. Only students' posts, only personas that may read
    it; the same post never gets two likes or two comments from one persona (dedupe keys).
    """
    if not author.is_student or not well_written or post.awaiting_consent:
        return 0
    concerned = personas_concerned(post, author, {user.id for user in mentioned})
    if not concerned:
        return 0
    klass = author.school_class
    rng = persona_random("post", post.id)
    now = utcnow()
    scheduled = 0
    for persona in _pick(concerned, rng):
        like_at = now + reaction_delay(persona.profile, klass, rng, span=LIKE_SPAN)
        scheduled += _schedule("persona_like", like_at, persona, post, author)
        chance = MENTION_COMMENT_CHANCE if persona.mentioned else (
            COMMENT_CHANCE if _is_substantial(post.body) else 0)
        if rng.randrange(100) < chance:
            comment_at = like_at + reaction_delay(persona.profile, klass, rng, span=COMMENT_SPAN)
            scheduled += _schedule("persona_comment", comment_at, persona, post, author,
                                   topic=persona.shared[0] if persona.shared else None,
                                   mentioned=persona.mentioned)
    return scheduled


def _schedule(kind: str, run_at: datetime, persona: Concerned, post: Post, author: User,
              **extra: object) -> int:
    action = schedule(kind, run_at, payload={"post_id": post.id, **extra},
                      dedupe_key=f"{kind}:{persona.persona_id}:{post.id}",
                      persona_id=persona.persona_id, student_id=author.id)
    return 0 if action is None else 1


def _is_substantial(body: str) -> bool:
    words = [word for word in body.split() if not word.startswith(("#", "@"))]
    return len(" ".join(words)) >= SUBSTANTIAL


def _pick(concerned: list[Concerned], rng: random.Random) -> list[Concerned]:
    """The mentioned first, then the most concerned; ties drawn by the seeded generator."""
    rng.shuffle(concerned)
    concerned.sort(key=lambda persona: -persona.score)  # stable: the shuffle breaks ties
    mentioned = [persona for persona in concerned if persona.mentioned]
    others = [persona for persona in concerned if not persona.mentioned]
    wanted = max(len(mentioned), rng.randint(1, MAX_REACTING))
    return (mentioned + others)[:min(wanted, MAX_REACTING)]


def personas_concerned(post: Post, author: User, mentioned_ids: set[int]) -> list[Concerned]:
    """The personas on autopilot that may read `post` and whom it concerns (four queries)."""
    rows = db.session.execute(
        sa.select(Persona, Company.name)
        .join(Company, Company.id == Persona.company_id)
        .join(User, User.id == Persona.user_id)
        .where(Persona.autopilot.is_(True), User.is_disabled.is_(False),
               _may_read(post, author))
        .order_by(Persona.user_id)  # the seeded draw then picks the same ones everywhere
    ).all()
    if not rows:
        return []
    played = companies_played_in_class(author.class_id) if author.class_id else set()
    rows = [(persona, name) for persona, name in rows if persona.company_id not in played]
    profiles = {persona.user_id: BehaviourProfile.of(persona) for persona, _ in rows}
    fallback = _profile_hashtags([pid for pid, profile in profiles.items() if not profile.topics])
    tags = hashtags_in(post.body)
    text = fold(post.body)
    concerned = []
    for persona, company_name in rows:
        profile = profiles[persona.user_id]
        topics = ({normal_tag(tag) for tag in profile.topics}
                  or fallback.get(persona.user_id, set()))
        shared = tuple(tag for tag in tags if tag in topics)
        named = persona.user_id in mentioned_ids or fold(company_name) in text
        if shared or named:
            concerned.append(Concerned(persona.user_id, profile, shared, named))
    return _within_quota(concerned, author.school_class)


def _may_read(post: Post, author: User) -> sa.ColumnElement[bool]:
    """Personas the post is addressed to (personas see everyone: scope is no limit)."""
    if post.audience is Audience.NETWORK:
        return sa.true()
    if post.audience is Audience.CONNECTIONS:
        return Persona.user_id.in_(
            sa.select(Connection.user_id).where(Connection.contact_id == author.id))
    if post.audience is Audience.GROUP and post.group_id is not None:
        return Persona.user_id.in_(sa.select(GroupMembership.user_id).where(
            GroupMembership.group_id == post.group_id,
            GroupMembership.status == MembershipStatus.ACTIVE))
    if post.audience is Audience.LIST and post.contact_list_id is not None:
        return Persona.user_id.in_(sa.select(ContactListMember.contact_id).where(
            ContactListMember.list_id == post.contact_list_id))
    return sa.false()


def _profile_hashtags(persona_ids: list[int]) -> dict[int, set[str]]:
    """The profile hashtags of personas whose behaviour names no topic (one query)."""
    found: dict[int, set[str]] = {}
    if persona_ids:
        rows = db.session.execute(sa.select(ProfileHashtag.profile_id, ProfileHashtag.tag)
                                  .where(ProfileHashtag.profile_id.in_(persona_ids)))
        for persona_id, tag in rows:
            found.setdefault(persona_id, set()).add(tag)
    return found


def _within_quota(concerned: list[Concerned], klass: SchoolClass | None) -> list[Concerned]:
    """Drop the personas that already liked `likes_per_week` posts this (compressed) week;
    a mention is answered whatever the count (one query)."""
    counted = [persona.persona_id for persona in concerned if not persona.mentioned]
    if not counted:
        return concerned
    since = utcnow() - timedelta(days=7) / compression_of(klass)
    likes = dict(db.session.execute(
        sa.select(ScheduledAction.persona_id, sa.func.count())
        .where(ScheduledAction.kind == "persona_like",
               ScheduledAction.persona_id.in_(counted),
               ScheduledAction.status != ActionStatus.CANCELLED,
               ScheduledAction.created_at >= since)
        .group_by(ScheduledAction.persona_id)
    ).all())
    return [persona for persona in concerned if persona.mentioned
            or likes.get(persona.persona_id, 0) < persona.profile.likes_per_week]


# ---- carrying them out -----------------------------------------------------------------------


def _reaction_context(action: ScheduledAction) -> tuple[User, Post]:
    """The persona and the post of a reaction, or ActionObsolete when it no longer applies:
    the persona is played by a person, the post is gone or out of the persona's reach."""
    user = db.session.get(User, action.persona_id, options=[joinedload(User.persona)])
    if user is None or user.persona is None or not user.persona.autopilot or user.is_disabled:
        raise ActionObsolete("the persona is played by a person, or gone")
    post_id = action.payload.get("post_id")
    try:
        post = visible_post(user, post_id) if isinstance(post_id, int) else None
    except NotFound:
        post = None
    if post is None:
        raise ActionObsolete("the post was deleted, hidden, or is out of the persona's reach")
    student = post.author
    if student.class_id is not None and \
            user.persona.company_id in _played_in_class(student.class_id):
        raise ActionObsolete("a recruiter team of the student's class plays this company")
    return user, post


def _played_in_class(class_id: int) -> set[int]:
    """`companies_played_in_class`, asked once per class and transaction: a worker's batch of
    reactions to one class's posts is one transaction, and sees one state of its exercises."""
    known: dict[int, set[int]] = db.session.info.setdefault(_PLAYED_KEY, {})
    if class_id not in known:
        known[class_id] = companies_played_in_class(class_id)
    return known[class_id]


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _forget_played(session: Session) -> None:
    # A savepoint's end (each action of a batch has one) is not the transaction's.
    if not session.in_nested_transaction():
        session.info.pop(_PLAYED_KEY, None)


def preload_reactions(actions: list[ScheduledAction]) -> list[object]:
    """What `_reaction_context` reads, in two queries for the batch: its personas (with persona
    and company) and posts (with their author)."""
    persona_ids = {action.persona_id for action in actions if action.persona_id}
    post_ids = {one for action in actions if isinstance(one := action.payload.get("post_id"), int)}
    loaded = [*db.session.scalars(sa.select(User).where(User.id.in_(persona_ids)).options(
        joinedload(User.persona).joinedload(Persona.company))).unique(),
        *db.session.scalars(sa.select(Post).where(Post.id.in_(post_ids)).options(
            joinedload(Post.author))).unique()]
    if any(action.kind == "persona_like" for action in actions):
        # Liked already (by whoever played the persona): obsolete before writing anything.
        batch_put(_LIKED_KEY, {tuple(row) for row in db.session.execute(
            sa.select(PostLike.post_id, PostLike.user_id).where(
                PostLike.post_id.in_(post_ids), PostLike.user_id.in_(persona_ids)))})
        authors = {post.id: post.author_id for post in loaded if isinstance(post, Post)}
        batch_put(_TOLD_KEY, unread_like_notices("post_liked", [
            (authors[post_id], action.persona_id, post_id) for action in actions
            if (post_id := action.payload.get("post_id")) in authors and action.persona_id]))
    return loaded


@action_handler("persona_like", preload=preload_reactions)
def like_as_persona(action: ScheduledAction) -> None:
    """A persona likes a student's post (the student is told as for anyone's like)."""
    persona, post = _reaction_context(action)
    if (post.id, persona.id) in (batch_value(_LIKED_KEY) or ()):
        raise ActionObsolete("already liked (by whoever played the persona)")
    told: set[tuple[int, int, int]] | None = batch_value(_TOLD_KEY)
    if not add_post_like(persona, post, author_told=None if told is None else
                         (post.author_id, persona.id, post.id) in told):
        raise ActionObsolete("already liked (by whoever played the persona)")


@action_handler("persona_comment", preload=preload_reactions)
def comment_as_persona(action: ScheduledAction) -> None:
    """A persona writes a short comment on a student's post, in the post's language."""
    persona, post = _reaction_context(action)
    text = persona_comment_text(persona, post, topic=action.payload.get("topic"),
                                mentioned=bool(action.payload.get("mentioned")))
    write_comment(persona, post, clean_comment_body(text))


def persona_comment_text(persona: User, post: Post, *, topic: object = None,
                         mentioned: bool = False) -> str:
    """What the persona answers: thanks when named, else about the shared topic, else what its
    kind of professional would say; never one of its recent comments when it has another."""
    assert persona.persona is not None
    pool = persona_content().comments[written_in(post.body)]
    if mentioned:
        texts = pool.mention
    elif isinstance(topic, str) and topic in pool.topics:
        texts = pool.topics[topic]
    else:
        texts = pool.kinds[persona.persona.kind]
    company = persona.persona.company.name
    options = [fill(text, company=company) for text in texts]
    recent = set(db.session.scalars(
        sa.select(Comment.body).where(Comment.author_id == persona.id)
        .order_by(Comment.id.desc()).limit(RECENT_COMMENTS)))
    fresh = [text for text in options if text not in recent] or options
    return persona_random("comment", post.id, persona.id).choice(fresh)
