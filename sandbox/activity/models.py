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
        # The dashboard counts each student's events per kind over a period from the index alone.
        sa.Index("ix_activity_events_user_kind_created", "user_id", "kind", "created_at"),
        # `kind` too: the class charts count events per week and kind from the index alone.
        sa.Index("ix_activity_events_class_created_kind", "class_id", "created_at", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the person is erased: the class's statistics keep the count, not the person.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The student's class at the time, so a class's history survives a student moving on.
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("classes.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
