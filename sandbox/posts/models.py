"""Status posts and what people do with them: hashtags, mentions, comments, likes, shares.

A share is a post of its own that points at the post it quotes (`shared_post_id`); its audience
never widens the original's (see `posts.visibility`). Posts and comments are deleted softly
(`deleted_at`), so a teacher's review and the activity log keep their references.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db

if TYPE_CHECKING:
    from sandbox.accounts.models import User
    from sandbox.groups.models import Group
    from sandbox.network.models import ContactList

POST_MAX_LENGTH = 3000
COMMENT_MAX_LENGTH = 1250


class Audience(enum.StrEnum):
    """Who a post is addressed to, chosen when posting."""

    NETWORK = "network"  # everyone in the author's network scope
    CONNECTIONS = "connections"  # the author's connections only
    GROUP = "group"  # the members of one group (`group_id`)
    LIST = "list"  # one of the author's contact lists (`contact_list_id`)


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        sa.Index("ix_posts_author_created", "author_id", "created_at"),
        # The feed and every page of posts sort by (created_at, id) and page with keysets on it.
        sa.Index("ix_posts_created_id", "created_at", "id"),
        sa.Index("ix_posts_group_created", "group_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    audience: Mapped[Audience] = mapped_column(
        enum_column_type(Audience), default=Audience.NETWORK, server_default="network"
    )
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    # A deleted list leaves the post readable by its author only (nobody else was chosen).
    contact_list_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contact_lists.id", ondelete="SET NULL"), index=True
    )
    image_path: Mapped[str | None] = mapped_column(sa.String(255))
    shared_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    # The author said the picture shows other people; tagged people confirm before it shows.
    shows_people: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    awaiting_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # A teacher hid it (moderation): nobody sees it any more, except in the teacher's queue.
    hidden_at: Mapped[datetime | None]

    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    contact_list: Mapped[ContactList | None] = relationship()
    shared_post: Mapped[Post | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostHashtag(db.Model):
    """A #hashtag written in a post, normalised as profiles store them ("export")."""

    __tablename__ = "post_hashtags"
    __table_args__ = (sa.Index("ix_post_hashtags_tag_post", "tag", "post_id"),)

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class PostMention(db.Model):
    """An @mention that resolved to a person the author may see."""

    __tablename__ = "post_mentions"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Comment(db.Model):
    """A comment on a post, or a reply to a comment (one level: a reply's parent is top-level)."""

    __tablename__ = "comments"
    __table_args__ = (
        sa.Index("ix_comments_post_created", "post_id", "created_at"),
        # A class's comments, newest first (the teacher's class feed).
        sa.Index("ix_comments_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship()
    author: Mapped[User] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ConsentStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class PhotoTag(db.Model):
    """A person the author tagged in a post's picture, and whether they agreed to appear."""

    __tablename__ = "photo_tags"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[ConsentStatus] = mapped_column(
        enum_column_type(ConsentStatus), default=ConsentStatus.PENDING, server_default="pending"
    )
    answered_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PostLike(db.Model):
    __tablename__ = "post_likes"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentLike(db.Model):
    __tablename__ = "comment_likes"

    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
