"""A trainee's review of the company where they did their (simulated) internship."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.core.time import utcnow
from sandbox.extensions import db

# The six criteria, each scored 1 to 5, in the order the form asks them.
CRITERIA = ("pride", "growth", "motivation", "fun", "management", "environment")
ANSWER_MAX_LENGTH = 1500


class CompanyReview(db.Model):
    __tablename__ = "company_reviews"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "author_id"),
        *(sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"{name}_range")
          for name in CRITERIA),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recommend: Mapped[bool]
    pride: Mapped[int]
    growth: Mapped[int]
    motivation: Mapped[int]
    fun: Mapped[int]
    management: Mapped[int]
    environment: Mapped[int]
    # The two free-text answers: what the trainee liked, what they would tell a future trainee.
    liked: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    advice: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship()
    author: Mapped[User] = relationship()
