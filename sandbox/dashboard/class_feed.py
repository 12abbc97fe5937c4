"""The class feed: what a class's students publish, posts and comments, newest first.

For the class's teachers and the admins (`class_for_staff`). What shows is decided by the one
rule of `sandbox.posts.visibility`: a teacher sees all that their students publish, whatever the
audience. A text a teacher hid stays in their feed as their moderation queue shows it: its
text, marked hidden, linked to its case (admins do not moderate: hidden texts are gone for them,
as deleted ones are for everybody).

Posts and comments are paged together by a keyset on (created_at, kind, id), newest first: one
query reads the nearest items of each kind, one asks the rule which of them the viewer sees,
then one query per kind loads the rows with what their cards show: a page costs the same number
of queries whatever its size.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload

from sandbox.accounts.models import Role, User
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import ServiceError
from sandbox.dashboard.access import class_for_staff
from sandbox.extensions import db
from sandbox.moderation.models import ContentKind, ModerationCase
from sandbox.posts.cards import Cards, load_cards, posts_with_cards
from sandbox.posts.models import Comment, Post
from sandbox.posts.visibility import visible_comments, visible_posts
from sandbox.profiles.visibility import fields_seen_of

PAGE_SIZE = 20
NEW_ITEMS_MAX = 50  # as the home feed: beyond, the teacher reloads

POST, COMMENT = "post", "comment"
# Breaks ties between a post and a comment written in the same microsecond.
_RANKS = {COMMENT: 0, POST: 1}
_KINDS = {rank: kind for kind, rank in _RANKS.items()}


class InvalidCursor(ServiceError):
    """A page link that this app did not make (typed by hand, cut short)."""


@dataclass(frozen=True)
class Cursor:
    """A position in the feed: an item's time, kind rank and id."""

    created_at: datetime
    rank: int
    id: int

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.rank}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> Cursor | None:
        """The position a cursor string stands for; None for none; InvalidCursor if bad."""
        if not token:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            stamp, rank, number = raw.split("|")
            position = cls(datetime.fromisoformat(stamp), int(rank), int(number))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidCursor(_l("This page link is not valid.")) from None
        if (position.created_at.tzinfo is not None or position.rank not in _KINDS
                or not 0 <= position.id < 2**31):
            raise InvalidCursor(_l("This page link is not valid."))
        return position


ORIGIN = Cursor(datetime(2000, 1, 1), 0, 0)  # before anything: "newer than this" is all


@dataclass(frozen=True)
class FeedItem:
    """A post or a comment of the feed; `case_id` is the moderation case of a hidden one."""

    kind: str
    post: Post | None = None
    comment: Comment | None = None
    case_id: int | None = None

    @property
    def row(self) -> Any:  # the Post or the Comment
        return self.post if self.kind == POST else self.comment

    @property
    def hidden(self) -> bool:
        return self.row.hidden_at is not None

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.row.created_at, _RANKS[self.kind], self.row.id)


@dataclass(frozen=True)
class ClassFeedPage:
    """One page of the feed, with what its cards need and where the next page starts."""

    klass: SchoolClass
    items: list[FeedItem]
    next_cursor: str | None
    cards: Cards = field(default_factory=Cards)

    @property
    def newest_cursor(self) -> str:
        """Where "new since this page" starts (everything, when the page is empty)."""
        return (self.items[0].cursor if self.items else ORIGIN).encode()

    @property
    def card_posts(self) -> list[Post]:
        """The posts shown as full cards (their likes and comments line is loaded for them)."""
        return [item.post for item in self.items if item.post is not None and not item.hidden]


def class_feed(viewer: User, class_id: int, before: str | None = None,
               limit: int | None = None) -> ClassFeedPage:
    """A page of the class feed, older than `before` (a cursor from a previous page)."""
    klass = class_for_staff(viewer, class_id)
    position = Cursor.decode(before)
    limit = max(1, min(int(limit or PAGE_SIZE), NEW_ITEMS_MAX))
    found = _item_keys(viewer, klass, position, older=True, limit=limit + 1)
    page = _load(viewer, klass, found[:limit])
    more = len(found) > limit and page.items
    return ClassFeedPage(klass, page.items, page.items[-1].cursor.encode() if more else None,
                         page.cards)


def new_in_class_feed(viewer: User, class_id: int, after: str | None) -> ClassFeedPage:
    """What the class published after `after`, newest first (the oldest `NEW_ITEMS_MAX` of it,
    so that a flood keeps its beginning; the page's `newest_cursor` is the next `after`)."""
    klass = class_for_staff(viewer, class_id)
    position = Cursor.decode(after) or ORIGIN
    found = _item_keys(viewer, klass, position, older=False, limit=NEW_ITEMS_MAX)
    page = _load(viewer, klass, list(reversed(found)))
    return ClassFeedPage(klass, page.items, None, page.cards)


# ---- which items ------------------------------------------------------------------------------


def _shown_clause(viewer: User, model: Any) -> sa.ColumnElement[bool]:
    """The one visibility rule, for posts or comments (a comment shows where its post shows).

    Hidden texts stay in the feed of the teachers who moderate them (the viewer teaches the
    class: `class_for_staff` said so), as in their queue; admins do not moderate."""
    if model is Post:
        readable = visible_posts(viewer)
    else:
        commented = aliased(Post)
        readable = sa.and_(visible_comments(viewer, Comment), sa.exists().where(
            commented.id == Comment.post_id, visible_posts(viewer, commented)))
    return sa.or_(readable, model.hidden_at.is_not(None) if viewer.is_teacher else sa.false())


def _beyond(row: Any, rank: int, position: Cursor | None, older: bool) -> sa.ColumnElement[bool]:
    """(created_at, rank, id) of `row` before (`older`) or after `position`, written for each
    kind on its own (its rank is a constant there)."""
    if position is None:
        return sa.true()
    stamp = sa.literal(position.created_at)
    if rank != position.rank:
        # Same time, another kind: the ranks decide, so the time alone says which side.
        rank_first = (rank < position.rank) == older
        if older:
            return row.created_at <= stamp if rank_first else row.created_at < stamp
        return row.created_at >= stamp if rank_first else row.created_at > stamp
    mine = sa.tuple_(row.created_at, row.id)
    theirs = sa.tuple_(stamp, sa.literal(position.id))
    return mine < theirs if older else mine > theirs


def _candidates(klass: SchoolClass, position: Cursor | None, older: bool,
                limit: int) -> list[Cursor]:
    """The nearest `limit` posts and comments of the class's students beyond `position`, not
    deleted, before asking who may see them (one query, on each kind's author index)."""
    order = sa.desc if older else sa.asc
    students = sa.select(User.id).where(User.class_id == klass.id, User.role == Role.STUDENT)
    arms = []
    for model, kind in ((Post, POST), (Comment, COMMENT)):
        rank = _RANKS[kind]
        arms.append(
            sa.select(model.created_at.label("created_at"),
                      sa.literal_column(str(rank), sa.Integer).label("rank"),
                      model.id.label("id"))
            .where(model.author_id.in_(students), model.deleted_at.is_(None),
                   _beyond(model, rank, position, older))
            .order_by(order(model.created_at), order(model.id))
            .limit(limit)
            .subquery()
        )
    merged = sa.union_all(*(sa.select(arm.c.created_at, arm.c.rank, arm.c.id)
                            for arm in arms)).subquery()
    rows = db.session.execute(
        sa.select(merged.c.created_at, merged.c.rank, merged.c.id)
        .order_by(order(merged.c.created_at), order(merged.c.rank), order(merged.c.id))
        .limit(limit)
    )
    return [Cursor(created_at, rank, item_id) for created_at, rank, item_id in rows]


def _shown(viewer: User, candidates: list[Cursor]) -> set[tuple[int, int]]:
    """(rank, id) of the candidates the viewer may see (one query)."""
    arms = []
    for model, kind in ((Post, POST), (Comment, COMMENT)):
        rank = _RANKS[kind]
        ids = [candidate.id for candidate in candidates if candidate.rank == rank]
        if ids:
            arms.append(sa.select(sa.literal_column(str(rank), sa.Integer).label("rank"),
                                  model.id.label("id"))
                        .where(model.id.in_(ids), _shown_clause(viewer, model)))
    if not arms:
        return set()
    query = arms[0] if len(arms) == 1 else sa.union_all(*arms)
    return {(rank, item_id) for rank, item_id in db.session.execute(query)}


def _item_keys(viewer: User, klass: SchoolClass, position: Cursor | None, older: bool,
               limit: int) -> list[tuple[int, int]]:
    """(rank, id) of the page's items, in the page's order.

    The nearest items are read first, then the visibility rule is asked about them alone:
    asked of a semester's items before sorting, it made the query several times slower (SQLite,
    35 students, 11,000 posts and comments). A teacher sees nearly all that their students did
    not delete, so two queries make the page; only when most of a batch may not be seen (an
    admin, after many hidden texts) is a bigger batch read next.
    """
    found: list[tuple[int, int]] = []
    batch = limit * 2
    while True:
        candidates = _candidates(klass, position, older, batch)
        shown = _shown(viewer, candidates)
        found += [(c.rank, c.id) for c in candidates if (c.rank, c.id) in shown]
        if len(found) >= limit or len(candidates) < batch:
            return found[:limit]
        position, batch = candidates[-1], batch * 4


# ---- loading them ---------------------------------------------------------------------------


def _comments(ids: list[int]) -> dict[int, Comment]:
    """The page's comments with their authors, as the item template reads them."""
    author = joinedload(Comment.author)
    query = sa.select(Comment).where(Comment.id.in_(ids)).options(
        author.joinedload(User.school_class).selectinload(SchoolClass.teachers),
        author.joinedload(User.profile))
    return {comment.id: comment for comment in db.session.scalars(query)} if ids else {}


def _cases(items: list[FeedItem]) -> dict[tuple[str, int], int]:
    """The moderation case of each hidden item (one query, none when nothing is hidden)."""
    hidden = [(ContentKind(item.kind), item.row.id) for item in items if item.hidden]
    if not hidden:
        return {}
    rows = db.session.execute(
        sa.select(ModerationCase.content_kind, ModerationCase.content_id, ModerationCase.id)
        .where(sa.tuple_(ModerationCase.content_kind, ModerationCase.content_id).in_(hidden))
    )
    return {(kind.value, content_id): case_id for kind, content_id, case_id in rows}


def _load(viewer: User, klass: SchoolClass, keys: list[tuple[int, int]]) -> ClassFeedPage:
    """The items for (rank, id) keys, in that order, with their cards' data."""
    comments = _comments([item_id for rank, item_id in keys if _KINDS[rank] == COMMENT])
    # Shown comments quote the post they answer: loaded with the page's own posts, for cards.
    post_ids = {item_id for rank, item_id in keys if _KINDS[rank] == POST}
    quoted_ids = {c.post_id for c in comments.values() if c.hidden_at is None}
    posts = {post.id: post for post in posts_with_cards(sorted(post_ids | quoted_ids))}
    pairs = [(_KINDS[rank], i) for rank, i in keys]  # less any row erased meanwhile:
    items = [FeedItem(kind, post=posts[i]) if kind == POST
             else FeedItem(kind, comment=comments[i]) for kind, i in pairs
             if i in (posts if kind == POST else comments)]
    cases = _cases(items)
    items = [FeedItem(item.kind, item.post, item.comment, cases.get((item.kind, item.row.id)))
             if item.hidden else item for item in items]
    shown = [item for item in items if not item.hidden]
    card_posts = [item.post for item in shown if item.kind == POST]
    card_posts += [posts[item.comment.post_id] for item in shown
                   if item.kind == COMMENT and item.comment.post_id in posts]
    cards = load_cards(viewer, list({post.id: post for post in card_posts}.values()))
    commenters = [item.comment.author for item in shown if item.kind == COMMENT]
    if commenters:
        # The commenters' avatars follow their profile's visibility, as on a post's page.
        cards = cards.merged(Cards(author_fields=fields_seen_of(viewer, commenters)))
    return ClassFeedPage(klass, items, None, cards)
