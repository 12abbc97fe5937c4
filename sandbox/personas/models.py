"""What makes a user a persona (their company, their part in it, how they behave), and the
actions they have scheduled, which the worker (`sandbox worker`) carries out when due."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.companies.models import Company
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
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
    # The behaviour profile from seed/persona_behaviour.yaml (see personas.behaviour).
    behaviour: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict, server_default="{}")
    # False while a person plays this persona: the persona then takes no action on its own.
    autopilot: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    taken_over_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship(back_populates="persona", foreign_keys=[user_id])
    company: Mapped[Company] = relationship()


class ActionStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"  # claimed by a worker (`claimed_by`), not finished yet
    DONE = "done"
    FAILED = "failed"  # gave up after the last attempt; `last_error` says why
    CANCELLED = "cancelled"  # no longer meaningful (the invitation was withdrawn…)


class ScheduledAction(db.Model):
    """Something a persona will do at `run_at`: answer an invitation, reply, post, like…

    Stored, so that it survives a restart; claimed by one worker only, so that it runs once.
    """

    __tablename__ = "scheduled_actions"
    __table_args__ = (sa.Index("ix_scheduled_actions_status_run_at", "status", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    run_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Scheduling the same reaction twice (two requests at once) adds one row.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column_type(ActionStatus), default=ActionStatus.PENDING, server_default="pending"
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(sa.String(80))
    claimed_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Who it concerns, so that erasing a student or a persona removes their pending actions.
    persona_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
