"""The one rule that decides who may see a post, a comment or a share.

`visible_posts(viewer)` is a WHERE clause on `Post` (or an alias of it); everything that lists
posts filters through it: the feed, group feeds, hashtag pages, search, the JSON endpoints,
exports. `can_view_post` and `can_view_comment` ask the same clause about one object, so a single
page, a notification link, a comment form or a socket request cannot disagree with the feed.

A viewer sees a post when it is neither deleted nor hidden by a teacher (moderation), its author
is in the viewer's network scope, and one of these holds:

- the viewer wrote it;
- the viewer teaches the author's class (teachers review everything their students publish);
- it is addressed to the network;
- it is addressed to the author's connections and the viewer is one of them;
- it is addressed to a group and the viewer is an active member;
- it is addressed to one of the author's contact lists and the viewer is on it.

A post whose picture shows people who have not all agreed yet (photo consent) is seen only by
its author, their teachers and the people tagged in it, until everyone tagged has confirmed. The
people tagged in a picture always see the post, whoever it is addressed to.

A share is a post that quotes another: it is visible only to people who may also see the post it
quotes (or when that post has since been deleted), so sharing never widens an audience. Its
author and their teachers always see it, since its own text is theirs to answer for.
Admins see every post that is neither deleted nor hidden.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from sandbox.accounts.models import User
from sandbox.classes.models import class_teachers
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, MembershipStatus
from sandbox.network.models import Connection, ContactList, ContactListMember
from sandbox.network.scope import visible_people
from sandbox.posts.models import Audience, Comment, PhotoTag, Post


def visible_posts(viewer: User, post: Any = Post) -> sa.ColumnElement[bool]:
    """A WHERE clause on `post` (the Post class or an alias): True for posts `viewer` may see."""
    original = aliased(Post)
    quoted_visible = sa.or_(
        post.shared_post_id.is_(None),
        # The sharer and their teachers always see the share (its text is theirs to answer for);
        # the card then shows the quote only if they may see the original.
        _answers_for(viewer, post),
        sa.exists().where(
            original.id == post.shared_post_id,
            sa.or_(original.deleted_at.is_not(None), _readable(viewer, original)),
        ),
    )
    return sa.and_(_readable(viewer, post), quoted_visible)


def _answers_for(viewer: User, post: Any) -> sa.ColumnElement[bool]:
    """The viewer wrote the post, or teaches its author, or is an admin."""
    if viewer.is_admin:
        return sa.true()
    if viewer.is_teacher:
        return post.author_id.in_(_students_of(viewer))
    return post.author_id == viewer.id


def _students_of(teacher: User) -> sa.Select:
    taught = sa.select(class_teachers.c.class_id).where(class_teachers.c.teacher_id == teacher.id)
    return sa.select(User.id).where(User.class_id.in_(taught))


def _readable(viewer: User, post: Any) -> sa.ColumnElement[bool]:
    """The rule for one post on its own, without looking at the post it quotes."""
    shown = sa.and_(post.deleted_at.is_(None), post.hidden_at.is_(None))
    if viewer.is_admin:
        return shown
    # EXISTS on the author's row (primary key), not IN (the whole scope): SQLite would rebuild
    # the list of people in scope for every row it checks (benchmarks/feed.py measured it).
    # correlate_except: the author's row is looked up here even when the outer query joins users.
    in_scope = sa.exists().where(
        User.id == post.author_id, visible_people(viewer)
    ).correlate_except(User)
    addressed = sa.or_(
        post.author_id == viewer.id,
        post.audience == Audience.NETWORK,
        sa.and_(
            post.audience == Audience.CONNECTIONS,
            sa.exists().where(
                Connection.user_id == viewer.id, Connection.contact_id == post.author_id
            ),
        ),
        sa.and_(
            post.audience == Audience.GROUP,
            post.group_id.in_(
                sa.select(GroupMembership.group_id).where(
                    GroupMembership.user_id == viewer.id,
                    GroupMembership.status == MembershipStatus.ACTIVE,
                )
            ),
        ),
        sa.and_(
            post.audience == Audience.LIST,
            sa.exists().where(
                ContactList.id == post.contact_list_id,
                ContactList.owner_id == post.author_id,
                ContactListMember.list_id == ContactList.id,
                ContactListMember.contact_id == viewer.id,
            ),
        ),
    )
    if viewer.is_teacher:
        addressed = sa.or_(addressed, post.author_id.in_(_students_of(viewer)))
    # The people tagged in a post's picture see it, to answer, whoever it is addressed to.
    tagged = sa.and_(post.shows_people.is_(True), sa.exists().where(
        PhotoTag.post_id == post.id, PhotoTag.user_id == viewer.id))
    consented = sa.or_(post.awaiting_consent.is_(False), _answers_for(viewer, post), tagged)
    return sa.and_(shown, in_scope, sa.or_(addressed, tagged), consented)


def _answer_at_hand(viewer: User, post: Post) -> bool | None:
    """The answer from the rows already loaded, for the commonest questions; None: ask SQL.

    Nobody sees a deleted or hidden post. Its author (a student or a persona: their scope holds
    themselves) sees it while their account is enabled. A persona (scope: everyone but admins)
    sees a post addressed to the network, quoting nothing, with no picture awaiting consent, by
    an enabled author who is not an admin. Building the full rule costs milliseconds, and
    notifications and the personas' reactions ask these questions thousands of times.
    """
    if post.deleted_at is not None or post.hidden_at is not None:
        return False
    if viewer.id == post.author_id and (viewer.is_student or viewer.is_persona):
        return not viewer.is_disabled
    if (viewer.is_persona and post.audience is Audience.NETWORK and post.shared_post_id is None
            and not post.awaiting_consent):
        return not post.author.is_disabled and not post.author.is_admin
    return None


def can_view_post(viewer: User, post: Post | None) -> bool:
    """May `viewer` see this post? The same rule as every list of posts, asked about one."""
    if post is None or post.id is None:
        return False
    known = _answer_at_hand(viewer, post)
    if known is not None:
        return known
    query = sa.select(sa.exists().where(Post.id == post.id, visible_posts(viewer)))
    return bool(db.session.scalar(query))


def visible_comments(viewer: User, comment: Any = Comment) -> sa.ColumnElement[bool]:
    """A WHERE clause on `comment`, for comments of posts the caller knows `viewer` may see.

    A comment shows unless it, or the comment it answers, is deleted or hidden by a teacher, and
    only when its author is in the viewer's network scope: a persona's public post may gather
    comments from several classes, and a student sees only those of people they may see at all.
    """
    parent = aliased(Comment)
    if viewer.is_admin:
        parent_shown: sa.ColumnElement[bool] = sa.and_(
            parent.deleted_at.is_(None), parent.hidden_at.is_(None)
        )
        author_in_scope: sa.ColumnElement[bool] = sa.true()
    else:
        # A reply shows only under a comment the viewer sees: its author in scope too.
        parent_shown = sa.and_(
            parent.deleted_at.is_(None),
            parent.hidden_at.is_(None),
            parent.author_id.in_(sa.select(User.id).where(visible_people(viewer))),
        )
        author_in_scope = sa.exists().where(
            User.id == comment.author_id, visible_people(viewer)
        ).correlate_except(User)
    return sa.and_(
        comment.deleted_at.is_(None),
        comment.hidden_at.is_(None),
        author_in_scope,
        sa.or_(
            comment.parent_id.is_(None),
            sa.exists().where(parent.id == comment.parent_id, parent_shown),
        ),
    )


def can_view_comment(viewer: User, comment: Comment | None) -> bool:
    """A comment is seen by whoever sees its post, under the `visible_comments` conditions."""
    if comment is None or comment.id is None:
        return False
    query = sa.select(sa.exists().where(Comment.id == comment.id, visible_comments(viewer)))
    return bool(db.session.scalar(query)) and can_view_post(viewer, comment.post)


def visible_post_ids(viewer: User, post_ids: list[int]) -> set[int]:
    """Which of these posts `viewer` may see, in one query (for notifications and sockets)."""
    if not post_ids:
        return set()
    query = sa.select(Post.id).where(Post.id.in_(post_ids), visible_posts(viewer))
    return set(db.session.scalars(query))
