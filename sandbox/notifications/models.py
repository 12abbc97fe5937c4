"""A notification for one user: who did what, about which object, read or not."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.core.time import utcnow
from sandbox.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_read_created", "user_id", "read_at",
                               "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
