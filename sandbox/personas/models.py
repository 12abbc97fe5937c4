"""What makes a user a persona: the company they work for and their part in it."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.companies.models import Company
from sandbox.core.enums import enum_column_type
from sandbox.extensions import db

if TYPE_CHECKING:
    from sandbox.accounts.models import User


class PersonaKind(enum.StrEnum):
    RECRUITER = "recruiter"
    MANAGER = "manager"
    EMPLOYEE = "employee"
    ALUMNI = "alumni"


class Persona(db.Model):
    __tablename__ = "personas"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PersonaKind] = mapped_column(enum_column_type(PersonaKind))
    job_title: Mapped[str] = mapped_column(sa.String(120))

    user: Mapped[User] = relationship(back_populates="persona")
    company: Mapped[Company] = relationship()
