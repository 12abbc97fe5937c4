"""Saved offers and applications (the offers themselves belong to `companies`)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.companies.models import JobOffer
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db

COVER_LETTER_MAX_LENGTH = 4000


class ApplicationStatus(enum.StrEnum):
    """The pipeline: sent → seen → shortlisted → interview → offer, or declined at any step."""

    SENT = "sent"
    SEEN = "seen"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    OFFER = "offer"
    DECLINED = "declined"


class SavedOffer(db.Model):
    __tablename__ = "saved_offers"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    offer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("job_offers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[JobOffer] = relationship()


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # One application per student and offer, even with two clicks at once.
        sa.UniqueConstraint("offer_id", "student_id"),
        sa.Index("ix_applications_student_created", "student_id", "created_at"),
        sa.Index("ix_applications_offer_status", "offer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("job_offers.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    cover_letter: Mapped[str] = mapped_column(sa.Text)
    # The recruiter the student addressed, by the e-mail they found on a profile ("" if none).
    recruiter_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus), default=ApplicationStatus.SENT, server_default="sent"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The real person behind the last status change when someone played the recruiter.
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # A teacher hid the letter (moderation): the recruiter sees that it was hidden, not the text.
    hidden_at: Mapped[datetime | None]

    offer: Mapped[JobOffer] = relationship()
    student: Mapped[User] = relationship(foreign_keys=[student_id])
