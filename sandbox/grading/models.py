"""A rubric per class (weighted criteria) and the teacher's grades per student and criterion."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db


class Measure(enum.StrEnum):
    """What the automatic suggestion of a criterion is computed from (MANUAL: none, the teacher
    scores it alone)."""

    IDENTITY = "identity"  # profile completeness, photo checklist
    NETWORK = "network"  # personalised invitations, accepted connections, diversity
    VISIBILITY = "visibility"  # posts, comments, group participation, shares with source
    WATCH = "watch"  # follows of people, companies and hashtags
    CHARTER = "charter"  # findings, weighted by severity and whether fixed
    MANUAL = "manual"


class Rubric(db.Model):
    """The class's grading grid; created from the seeded default with the class."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"), unique=True
    )
    # The final grade is out of `scale` points (/20 in French schools); so is each criterion.
    scale: Mapped[int] = mapped_column(default=20, server_default="20")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="rubric", cascade="all, delete-orphan",
        order_by="RubricCriterion.position",
    )


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"
    __table_args__ = (sa.UniqueConstraint("rubric_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(sa.ForeignKey("rubrics.id", ondelete="CASCADE"))
    # Stable within a rubric ("identity", or "custom-2" for one the teacher added).
    key: Mapped[str] = mapped_column(sa.String(40))
    measure: Mapped[Measure] = mapped_column(enum_column_type(Measure))
    label_fr: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str] = mapped_column(sa.String(120))
    description_fr: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    weight: Mapped[int] = mapped_column(default=1, server_default="1")
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")


class Grade(db.Model):
    """The teacher's score and comment for one student on one criterion. A missing score means
    the suggestion stands; a comment may come without a score."""

    __tablename__ = "grades"
    __table_args__ = (sa.UniqueConstraint("criterion_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rubric_criteria.id", ondelete="CASCADE")
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # On the rubric's scale, to the quarter point.
    score: Mapped[float | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    graded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    criterion: Mapped[RubricCriterion] = relationship()
