"""The moderation queue (one case per piece of content), reports, and the audit log.

A case gathers what is known about one piece of content: the charter findings that flagged it
and the reports students made. A teacher settles it (approve, hide, restore, delete, warn);
each of these actions, and each time an author published despite the coach, is an audit entry.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db

if TYPE_CHECKING:
    from sandbox.accounts.models import User


class ContentKind(enum.StrEnum):
    """What a case or an audit entry is about (with `content_id`)."""

    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"
    INVITATION = "invitation"
    INTRODUCTION = "introduction"  # the note of someone introducing a student to a contact
    PROFILE = "profile"
    RECOMMENDATION = "recommendation"
    GROUP = "group"
    APPLICATION = "application"  # the cover letter of a job application
    REVIEW = "review"  # a trainee's review of a company


class CaseStatus(enum.StrEnum):
    OPEN = "open"  # waiting for a teacher
    APPROVED = "approved"  # looked at: nothing wrong
    HIDDEN = "hidden"  # hidden from everyone but the author's teachers
    DELETED = "deleted"  # deleted by a teacher


class ReportReason(enum.StrEnum):
    PERSONAL_INFORMATION = "personal_information"
    INSULT = "insult"
    DISCRIMINATION = "discrimination"
    HARASSMENT = "harassment"
    FALSE_INFORMATION = "false_information"
    SPAM = "spam"
    OTHER = "other"


class ModerationCase(db.Model):
    __tablename__ = "moderation_cases"
    __table_args__ = (
        sa.UniqueConstraint("content_kind", "content_id"),
        sa.Index("ix_moderation_cases_class_status", "class_id", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The author's class when the case opened: its teachers see the case.
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE")
    )
    content_kind: Mapped[ContentKind] = mapped_column(enum_column_type(ContentKind))
    content_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The text as it was when flagged or first reported, with the spans of the findings in it.
    excerpt: Mapped[str] = mapped_column(sa.Text, default="")
    findings: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    flagged: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    report_count: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[CaseStatus] = mapped_column(
        enum_column_type(CaseStatus), default=CaseStatus.OPEN, server_default="open"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Report(db.Model):
    """A person reported a piece of content (once per person and case)."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("case_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("moderation_cases.id", ondelete="CASCADE")
    )
    reporter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(enum_column_type(ReportReason))
    details: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reporter: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """Who did what to which content, why and when: moderation actions and coach overrides."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_class_created", "class_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # approve, hide, restore, delete, warn, report, override, charter_edit, charter_signed…
    action: Mapped[str] = mapped_column(sa.String(40))
    content_kind: Mapped[str | None] = mapped_column(sa.String(20))
    content_id: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
