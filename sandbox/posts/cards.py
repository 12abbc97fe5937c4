"""What a post card shows besides the post itself, loaded for a whole page at once.

A page of posts is read with everything its cards touch (authors, their profiles, classes and
companies, the group, the contact list, the quoted original and its author) in one query, and
then, in a fixed number of queries whatever the number of posts: which profile fields the viewer
sees of each author, which @mentions link to someone the viewer may see, and which quoted
originals the viewer may see. Templates then never query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.personas.models import Persona
from sandbox.posts.models import PhotoTag, Post, PostMention
from sandbox.posts.visibility import visible_posts
from sandbox.profiles.visibility import fields_seen_of


@dataclass(frozen=True)
class Cards:
    """Per-post facts for the card template, keyed by post or user id."""

    author_fields: dict[int, frozenset[str]] = field(default_factory=dict)
    mentions: dict[int, dict[str, int]] = field(default_factory=dict)  # @handle -> user id
    quoted_visible: frozenset[int] = frozenset()
    # Posts whose picture waits for the consent of the people tagged in it: who, and answers.
    photo_tags: dict[int, list[PhotoTag]] = field(default_factory=dict)

    def shows_original(self, post: Post) -> bool:
        """Does the viewer see the original this share quotes?"""
        return post.shared_post_id is not None and post.shared_post_id in self.quoted_visible

    def merged(self, other: Cards) -> Cards:
        return Cards(
            author_fields={**self.author_fields, **other.author_fields},
            mentions={**self.mentions, **other.mentions},
            quoted_visible=self.quoted_visible | other.quoted_visible,
            photo_tags={**self.photo_tags, **other.photo_tags},
        )


def _author_options(path):  # type: ignore[no-untyped-def]
    """What a card reads of an author: name (class, teachers for `name_for`), profile, company."""
    return path.options(
        joinedload(User.school_class).selectinload(SchoolClass.teachers),
        joinedload(User.profile),
        joinedload(User.persona).joinedload(Persona.company),
    )


def card_options() -> tuple[Any, ...]:
    """Loader options for a query of posts shown as cards."""
    return (
        _author_options(joinedload(Post.author)),
        joinedload(Post.group),
        joinedload(Post.contact_list),
        _author_options(joinedload(Post.shared_post).joinedload(Post.author)),
    )


def load_cards(viewer: User, posts: Iterable[Post]) -> Cards:
    """Everything the cards of `posts` need beyond their rows, in a fixed number of queries."""
    posts = list(posts)
    if not posts:
        return Cards()
    originals = [post.shared_post for post in posts if post.shared_post is not None]
    authors = [post.author for post in posts] + [original.author for original in originals]
    ids = [post.id for post in posts] + [original.id for original in originals]
    # Mentions link only to people the *reader* may see too; the others stay plain text.
    rows = db.session.execute(
        sa.select(PostMention.post_id, User)
        .join(User, User.id == PostMention.user_id)
        .where(PostMention.post_id.in_(ids), visible_people(viewer))
        .options(joinedload(User.school_class))  # the handle is made from the public name
    ).all()
    mentions: dict[int, dict[str, int]] = {}
    for post_id, person in rows:
        mentions.setdefault(post_id, {})[person.mention_handle] = person.id
    # Asked of the rule rather than inferred (a share is only visible with its original...):
    # one query, skipped when the page quotes nothing.
    quoted = db.session.scalars(
        sa.select(Post.id).where(Post.id.in_([o.id for o in originals]), visible_posts(viewer))
    ) if originals else []
    return Cards(
        author_fields=fields_seen_of(viewer, authors),
        mentions=mentions,
        quoted_visible=frozenset(quoted),
        photo_tags=_photo_tags([post for post in posts if post.awaiting_consent]),
    )


def _photo_tags(waiting: list[Post]) -> dict[int, list[PhotoTag]]:
    """Who is tagged in the pictures still waiting for consent (one query, none if none wait)."""
    if not waiting:
        return {}
    tags: dict[int, list[PhotoTag]] = {}
    for tag in db.session.scalars(
        sa.select(PhotoTag).where(PhotoTag.post_id.in_([post.id for post in waiting]))
        .options(joinedload(PhotoTag.user).joinedload(User.school_class))
    ):
        tags.setdefault(tag.post_id, []).append(tag)
    return tags


def posts_with_cards(ids: list[int]) -> list[Post]:
    """Posts by id, loaded for their cards, newest first (callers checked visibility)."""
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Post).where(Post.id.in_(ids)).options(*card_options())
        .order_by(Post.created_at.desc(), Post.id.desc())
    ))

