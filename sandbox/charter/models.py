"""Charter rules, copied into each class from the seeded default so a teacher can edit them."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.core.enums import enum_column_type
from sandbox.extensions import db


class Severity(enum.StrEnum):
    COACH = "coach"  # warn the author before publishing
    FLAG = "flag"  # publish, and put it in the teacher's queue
    BLOCK = "block"  # cannot be published


class CharterRule(db.Model):
    __tablename__ = "charter_rules"
    __table_args__ = (sa.UniqueConstraint("class_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(40))
    title_fr: Mapped[str] = mapped_column(sa.String(160))
    title_en: Mapped[str] = mapped_column(sa.String(160))
    text_fr: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)
    # Categories of the automatic checks (phone, email, sms…); empty for a rule read by people.
    checks: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    severity: Mapped[Severity] = mapped_column(
        enum_column_type(Severity), default=Severity.COACH, server_default="coach"
    )
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_fr

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_fr
