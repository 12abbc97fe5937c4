"""The school (the deployment), its classes, and who teaches which class."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db


class NetworkScope(enum.StrEnum):
    """Whom a student sees: their own class (default) or every class of the school."""

    CLASS = "class"
    SCHOOL = "school"


class School(db.Model):
    """The one school this deployment serves (its name shows in the page header)."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    city: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")


class_teachers = sa.Table(
    "class_teachers",
    db.metadata,
    sa.Column("class_id", sa.ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "teacher_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class SchoolClass(db.Model):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    join_code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    network_scope: Mapped[NetworkScope] = mapped_column(
        enum_column_type(NetworkScope), default=NetworkScope.CLASS, server_default="class"
    )
    allow_pseudonyms: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Like a real network, invitations are capped per week (rolling seven days).
    weekly_invitation_cap: Mapped[int] = mapped_column(default=25, server_default="25")
    # Teachers always create groups; students only when their class allows it.
    students_create_groups: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The personas' delays are divided by this: at 60, an answer due in an hour comes in a
    # minute, so that things happen within a one-hour lesson.
    persona_time_compression: Mapped[int] = mapped_column(default=60, server_default="60")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teachers: Mapped[list[User]] = relationship(secondary=class_teachers, order_by=User.last_name)
    students: WriteOnlyMapped[User] = relationship(
        back_populates="school_class", foreign_keys=[User.class_id], passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<SchoolClass {self.name!r}>"
