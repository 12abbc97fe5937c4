"""Groups: a community with a description, topic hashtags and members, some of them admins.

A group may belong to a class (the workshop group): then only that class, its teachers and the
personas find it. A group without a class is open to the whole school.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db

GROUP_NAME_MAX_LENGTH = 80
GROUP_DESCRIPTION_MAX_LENGTH = 1000


class JoinPolicy(enum.StrEnum):
    OPEN = "open"  # anyone who finds the group joins at once
    REQUEST = "request"  # a group admin accepts each request


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # asked to join a group on request


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(GROUP_NAME_MAX_LENGTH))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    join_policy: Mapped[JoinPolicy] = mapped_column(
        enum_column_type(JoinPolicy), default=JoinPolicy.OPEN, server_default="open"
    )
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school_class: Mapped[SchoolClass | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    topics: Mapped[list[GroupTopic]] = relationship(
        cascade="all, delete-orphan", order_by="GroupTopic.tag", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Group {self.slug!r}>"


class GroupTopic(db.Model):
    """A topic hashtag of a group, normalised like every hashtag ("export")."""

    __tablename__ = "group_topics"
    __table_args__ = (sa.Index("ix_group_topics_tag", "tag"),)

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class GroupMembership(db.Model):
    __tablename__ = "group_memberships"
    __table_args__ = (sa.Index("ix_group_memberships_user_status", "user_id", "status"),)

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[MemberRole] = mapped_column(
        enum_column_type(MemberRole), default=MemberRole.MEMBER, server_default="member"
    )
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column_type(MembershipStatus), default=MembershipStatus.ACTIVE,
        server_default="active",
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()
