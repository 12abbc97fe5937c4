"""One row per thing a person did; the dashboard, grading and debrief read it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.core.time import utcnow
from sandbox.extensions import db


class ActivityEvent(db.Model):
    __tablename__ = "activity_events"
    __table_args__ = (
        sa.Index("ix_activity_events_user_created", "user_id", "created_at"),
        sa.Index("ix_activity_events_class_created", "class_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The student's class at the time, so a class's history survives a student moving on.
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("classes.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
