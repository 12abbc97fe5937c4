"""The network's tables: connections and invitations, follows, contact lists, recommendations,
endorsements, introductions and the journal of what contacts brought.

Each connection is stored once in each direction, so that "the connections of X" is one indexed
lookup whichever side X is on."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.accounts.models import User
from sandbox.core.enums import enum_column_type
from sandbox.core.time import utcnow
from sandbox.extensions import db


class Connection(db.Model):
    __tablename__ = "connections"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IGNORED = "ignored"  # the recipient chose not to answer; the sender is not told
    WITHDRAWN = "withdrawn"


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (
        sa.Index("ix_invitations_recipient_status", "recipient_id", "status"),
        sa.Index("ix_invitations_sender_created", "sender_id", "created_at"),
        # At most one pending invitation per pair and direction, even with two requests at once.
        sa.Index(
            "uq_invitations_pending_pair", "sender_id", "recipient_id", unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column_type(InvitationStatus), default=InvitationStatus.PENDING,
        server_default="pending",
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    # A teacher answering for a persona: the real person behind the answer, for the audit log.
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])


class FollowedPerson(db.Model):
    __tablename__ = "followed_people"

    follower_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followed_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowedCompany(db.Model):
    __tablename__ = "followed_companies"

    follower_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowedHashtag(db.Model):
    __tablename__ = "followed_hashtags"

    follower_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactList(db.Model):
    """A student's own grouping of connections ("pro", "personal"); posts can target one."""

    __tablename__ = "contact_lists"
    __table_args__ = (sa.UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactListMember(db.Model):
    __tablename__ = "contact_list_members"

    list_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contact_lists.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationStatus(enum.StrEnum):
    PENDING = "pending"  # written, waiting for the recipient to accept it
    ACCEPTED = "accepted"  # shown on the recipient's profile
    DECLINED = "declined"


class Recommendation(db.Model):
    __tablename__ = "recommendations"
    __table_args__ = (
        sa.Index("ix_recommendations_recipient_status", "recipient_id", "status"),
        sa.Index(
            "uq_recommendations_pending_pair", "author_id", "recipient_id", unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column_type(RecommendationStatus), default=RecommendationStatus.PENDING,
        server_default="pending",
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])


class Endorsement(db.Model):
    """A connection vouches for one skill of someone's profile."""

    __tablename__ = "endorsements"

    endorser_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profile_skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Introduction(db.Model):
    """A connection introduces a student to someone of their own network, with a note."""

    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    introducer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    introduced_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    introducer: Mapped[User] = relationship(foreign_keys=[introducer_id])
    student: Mapped[User] = relationship(foreign_keys=[student_id])
    introduced: Mapped[User] = relationship(foreign_keys=[introduced_id])


class OutcomeKind(enum.StrEnum):
    """The eight things a contact can bring, from the workshop material."""

    NAME_AND_NUMBER = "name_and_number"
    KEY_DATE = "key_date"
    RECOMMENDATION = "recommendation"
    ADVICE = "advice"
    APPOINTMENT = "appointment"
    RECRUITMENT = "recruitment"  # an upcoming recruitment process
    DOCUMENT = "document"
    SUPPORT = "support"


class NetworkOutcome(db.Model):
    """A line of the student's journal: what a contact brought them."""

    __tablename__ = "network_outcomes"
    __table_args__ = (sa.Index("ix_network_outcomes_student_created", "student_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[OutcomeKind] = mapped_column(enum_column_type(OutcomeKind, length=30))
    note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    occurred_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
