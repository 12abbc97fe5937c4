"""The user table: every person in the network, whatever their role."""

from __future__ import annotations

import enum
import re
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.core.enums import enum_column_type
from sandbox.core.text import fold
from sandbox.core.time import utcnow
from sandbox.extensions import db

if TYPE_CHECKING:
    from sandbox.classes.models import SchoolClass
    from sandbox.personas.models import Persona
    from sandbox.profiles.models import Profile


class Role(enum.StrEnum):
    ADMIN = "admin"
    TEACHER = "teacher"
    STUDENT = "student"
    PERSONA = "persona"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # NULL for personas: they never log in, the app or a teacher plays them.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column_type(Role), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    pseudonym: Mapped[str | None] = mapped_column(sa.String(80))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    # A student belongs to one class; teachers are linked through class_teachers.
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"), index=True
    )
    # Part of the login cookie: changing it (new password, reset) ends every open session.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))
    is_disabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    school_class: Mapped[SchoolClass | None] = relationship(
        back_populates="students", foreign_keys=[class_id]
    )
    profile: Mapped[Profile] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False
    )
    persona: Mapped[Persona | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", uselist=False,
        foreign_keys="Persona.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role.value})>"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        self.session_token = secrets.token_hex(16)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.is_disabled and self.password_hash is not None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role is Role.STUDENT

    @property
    def is_persona(self) -> bool:
        return self.role is Role.PERSONA

    @property
    def initials(self) -> str:
        name = self.public_name
        parts = [part for part in name.replace("-", " ").split() if part]
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    @property
    def public_name(self) -> str:
        """The name other students see: the pseudonym when the class allows one."""
        klass = self.school_class
        if self.pseudonym and klass is not None and klass.allow_pseudonyms:
            return self.pseudonym
        return self.full_name

    @property
    def mention_handle(self) -> str:
        """What follows "@" to mention this person: made from the name others see, never from
        the login name (which may carry the real name behind a pseudonym)."""
        return handle_from_name(self.public_name)

    def name_for(self, viewer: User | None) -> str:
        """The student's own teachers and the admins always see the real name behind a pseudonym."""
        if self.public_name == self.full_name or viewer is None:
            return self.public_name
        knows_real_name = viewer.is_admin or viewer.id == self.id or (
            viewer.is_teacher
            and self.school_class is not None
            and viewer in self.school_class.teachers
        )
        if knows_real_name:
            return f"{self.public_name} ({self.full_name})"
        return self.public_name


def handle_from_name(name: str) -> str:
    """A name as an @handle: "Léa K." -> "lea.k", "Cam la Pro" -> "cam.la.pro"."""
    return re.sub(r"[^a-z0-9]+", ".", fold(name)).strip(".")[:40]
