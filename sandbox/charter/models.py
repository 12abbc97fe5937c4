"""Charter rules, copied into each class from the seeded default so a teacher can edit them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
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


class ClassCharter(db.Model):
    """What a class's charter holds beyond its rules: version, allowlists, posting windows.

    `version` goes up each time a teacher changes the charter; students sign each version.
    Lists hold lower-cased entries, except the school's address, kept as the teacher wrote it.
    """

    __tablename__ = "class_charters"

    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    sms_allowlist: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    school_domains: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    allowed_emails: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    school_address: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    forbidden_words: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # [{"day": 0-6 (Monday is 0), "start": "HH:MM", "end": "HH:MM"}]; empty: post any time.
    posting_windows: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class CharterSignature(db.Model):
    """A student signed this version of their class's charter."""

    __tablename__ = "charter_signatures"
    __table_args__ = (sa.UniqueConstraint("user_id", "class_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)


class FindingOutcome(enum.StrEnum):
    """What became of a finding: the author's choice, then (for flagged ones) the teacher's."""

    BLOCKED = "blocked"  # refused; the author has not sent a changed text yet
    COACHED = "coached"  # advice shown; the author has not sent the text yet
    FIXED = "fixed"  # the author changed the text and sent it without the problem
    OVERRIDDEN = "overridden"  # the author read the advice and published anyway
    FLAGGED = "flagged"  # published and put in the teacher's queue (the case says what followed)


class CharterFinding(db.Model):
    """One problem the charter found in a text a student tried to save, kept for the dashboard
    and the grade. The live check while typing records nothing: only what the student sent.

    After a student is erased, the row stays with `user_id` and the texts emptied, so the class's
    statistics keep their figures without the person.
    """

    __tablename__ = "charter_findings"
    __table_args__ = (
        sa.Index("ix_charter_findings_class_created", "class_id", "created_at"),
        sa.Index("ix_charter_findings_user_outcome", "user_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE")
    )
    content_kind: Mapped[str] = mapped_column(sa.String(20))
    # Unknown until the text is saved (a refused new post has no id yet).
    content_id: Mapped[int | None]
    field: Mapped[str] = mapped_column(sa.String(40), default="body")
    # What the text was aimed at ("post:12" for a comment, "user:7" for a message, "post:12"
    # for an edit of that post…; empty for a new post): only a text aimed at the same thing
    # settles a refused one.
    target: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    category: Mapped[str] = mapped_column(sa.String(30))
    rule: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    severity: Mapped[Severity] = mapped_column(enum_column_type(Severity))
    outcome: Mapped[FindingOutcome] = mapped_column(enum_column_type(FindingOutcome))
    excerpt: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # The text around the excerpt, and where the excerpt sits in it, for the teacher's review.
    context: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    context_start: Mapped[int] = mapped_column(default=0, server_default="0")
    context_end: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
