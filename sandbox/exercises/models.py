"""An exercise of a class: its phases, teams (each with a role), members and objectives."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db


class ExerciseTemplate(enum.StrEnum):
    """The three workshop groups of the source material, the simulated recruitment, or blank."""

    CREATE_IDENTITY = "create_identity"
    MANAGE_IDENTITY = "manage_identity"
    PROFESSIONAL_WATCH = "professional_watch"
    RECRUITMENT = "recruitment"
    BLANK = "blank"


class ExerciseStatus(enum.StrEnum):
    DRAFT = "draft"  # being prepared: teams, objectives, phases
    RUNNING = "running"  # the timer runs; recruiter students act for their company
    PAUSED = "paused"  # the timer is stopped; recruiter students still act for their company
    FINISHED = "finished"  # the debrief is ready; nobody acts for a company any more


class TeamRole(enum.StrEnum):
    CANDIDATE = "candidate"
    RECRUITER = "recruiter"  # plays the personas of `ExerciseTeam.company`


class ObjectiveKind(enum.StrEnum):
    """What an objective counts, each read from the activity of the team's members."""

    PROFILE_COMPLETENESS = "profile_completeness"  # a percentage each member reaches
    PERSONAL_INVITATIONS = "personal_invitations"
    CONNECTIONS = "connections"
    POSTS = "posts"
    COMMENTS = "comments"
    GROUPS_JOINED = "groups_joined"
    FOLLOWS = "follows"
    MESSAGES = "messages"
    OUTCOMES = "outcomes"
    APPLICATIONS = "applications"
    OFFERS_POSTED = "offers_posted"
    SHORTLISTED = "shortlisted"
    DECISIONS = "decisions"  # applications brought to an offer or declined


class Exercise(db.Model):
    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("classes.id", ondelete="CASCADE"),
                                          index=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    template: Mapped[ExerciseTemplate] = mapped_column(enum_column_type(ExerciseTemplate, 30))
    status: Mapped[ExerciseStatus] = mapped_column(
        enum_column_type(ExerciseStatus), default=ExerciseStatus.DRAFT, server_default="draft"
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The shared timer: the phase under way, when it (re)started, and what was left at a pause.
    current_phase: Mapped[int | None]  # ExercisePhase.position
    phase_started_at: Mapped[datetime | None]
    paused_remaining_seconds: Mapped[int | None]

    phases: Mapped[list[ExercisePhase]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan",
        order_by="ExercisePhase.position",
    )
    teams: Mapped[list[ExerciseTeam]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan", order_by="ExerciseTeam.id",
    )
    objectives: Mapped[list[ExerciseObjective]] = relationship(
        back_populates="exercise", cascade="all, delete-orphan",
        order_by="ExerciseObjective.position",
    )

    @property
    def is_live(self) -> bool:
        """Running or paused: recruiter students act for their company only then."""
        return self.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)


class ExercisePhase(db.Model):
    __tablename__ = "exercise_phases"
    __table_args__ = (sa.UniqueConstraint("exercise_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(sa.ForeignKey("exercises.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    minutes: Mapped[int]

    exercise: Mapped[Exercise] = relationship(back_populates="phases")


class ExerciseTeam(db.Model):
    __tablename__ = "exercise_teams"
    __table_args__ = (sa.UniqueConstraint("exercise_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(sa.ForeignKey("exercises.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[TeamRole] = mapped_column(enum_column_type(TeamRole))
    # For a recruiter team: the company whose personas its members play.
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )

    exercise: Mapped[Exercise] = relationship(back_populates="teams")
    company: Mapped[Company | None] = relationship()
    members: Mapped[list[ExerciseMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="ExerciseMember.user_id",
    )


class ExerciseMember(db.Model):
    """A student in one team of an exercise (at most one team per exercise)."""

    __tablename__ = "exercise_members"

    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercise_teams.id", ondelete="CASCADE"), index=True
    )

    team: Mapped[ExerciseTeam] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class ExerciseObjective(db.Model):
    __tablename__ = "exercise_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[TeamRole] = mapped_column(enum_column_type(TeamRole))
    kind: Mapped[ObjectiveKind] = mapped_column(enum_column_type(ObjectiveKind, 30))
    target: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    exercise: Mapped[Exercise] = relationship(back_populates="objectives")
