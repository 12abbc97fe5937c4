"""A status post. Only what the seeded activity needs today; later issues extend it."""

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


class Audience(enum.StrEnum):
    NETWORK = "network"
    CONNECTIONS = "connections"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (sa.Index("ix_posts_author_created", "author_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    audience: Mapped[Audience] = mapped_column(
        enum_column_type(Audience), default=Audience.NETWORK, server_default="network"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[User] = relationship()
