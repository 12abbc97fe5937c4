"""A profile and its lists (skills, experiences, education, languages, links, hashtags).

Each field carries a visibility. The defaults protect students: contact details are shown to
connections only until the student decides otherwise.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.extensions import db

if TYPE_CHECKING:
    from sandbox.accounts.models import User


class Visibility(enum.StrEnum):
    NETWORK = "network"  # everyone the viewer's network scope lets them see
    CONNECTIONS = "connections"  # the person's connections only
    TEACHER = "teacher"  # the class's teachers only


# Fields a visibility can be set on, with the default each starts from.
FIELD_VISIBILITY_DEFAULTS: dict[str, Visibility] = {
    "headline": Visibility.NETWORK,
    "about": Visibility.NETWORK,
    "city": Visibility.NETWORK,
    "photo": Visibility.NETWORK,
    "banner": Visibility.NETWORK,
    "skills": Visibility.NETWORK,
    "experiences": Visibility.NETWORK,
    "education": Visibility.NETWORK,
    "languages": Visibility.NETWORK,
    "hashtags": Visibility.NETWORK,
    "links": Visibility.CONNECTIONS,
    "contact_email": Visibility.CONNECTIONS,
    "contact_phone": Visibility.CONNECTIONS,
    # Who may browse the person's list of connections.
    "connections": Visibility.CONNECTIONS,
}


class Profile(db.Model):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    headline: Mapped[str] = mapped_column(sa.String(160), default="", server_default="")
    about: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    # Paths relative to the instance upload folder; images never live in the database.
    photo_path: Mapped[str | None] = mapped_column(sa.String(255))
    banner_path: Mapped[str | None] = mapped_column(sa.String(255))
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    # Only the fields a person changed from FIELD_VISIBILITY_DEFAULTS are stored.
    visibility: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    # The "photo mistakes to avoid" the student ticked, kept for the teacher.
    photo_checklist: Mapped[dict[str, bool]] = mapped_column(sa.JSON, default=dict)
    # Names, headline, city, skills and hashtags, lowercased without accents, for search on any
    # database engine. Results are always re-checked against what the viewer may see.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    user: Mapped[User] = relationship(back_populates="profile")
    skills: Mapped[list[ProfileSkill]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileSkill.position"
    )
    experiences: Mapped[list[Experience]] = relationship(
        cascade="all, delete-orphan", order_by="Experience.position"
    )
    education: Mapped[list[Education]] = relationship(
        cascade="all, delete-orphan", order_by="Education.position"
    )
    languages: Mapped[list[LanguageSkill]] = relationship(
        cascade="all, delete-orphan", order_by="LanguageSkill.position"
    )
    links: Mapped[list[ProfileLink]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileLink.position"
    )
    hashtags: Mapped[list[ProfileHashtag]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileHashtag.tag"
    )

    def visibility_of(self, field: str) -> Visibility:
        stored = (self.visibility or {}).get(field)
        if stored is not None:
            return Visibility(stored)
        return FIELD_VISIBILITY_DEFAULTS[field]


class _ProfileItem:
    """Columns every profile list shares: its owner and its place in the list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profiles.user_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0, server_default="0")


class ProfileSkill(_ProfileItem, db.Model):
    __tablename__ = "profile_skills"

    name: Mapped[str] = mapped_column(sa.String(60), index=True)


class Experience(_ProfileItem, db.Model):
    __tablename__ = "profile_experiences"

    role: Mapped[str] = mapped_column(sa.String(120))
    organisation: Mapped[str] = mapped_column(sa.String(120))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")


class Education(_ProfileItem, db.Model):
    __tablename__ = "profile_education"

    school: Mapped[str] = mapped_column(sa.String(160))
    diploma: Mapped[str] = mapped_column(sa.String(160))
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]


class LanguageSkill(_ProfileItem, db.Model):
    __tablename__ = "profile_languages"

    language: Mapped[str] = mapped_column(sa.String(60))
    # CEFR level (A1…C2) or "native".
    level: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")


class ProfileLink(_ProfileItem, db.Model):
    __tablename__ = "profile_links"

    label: Mapped[str] = mapped_column(sa.String(60))
    url: Mapped[str] = mapped_column(sa.String(500))


class ProfileHashtag(db.Model):
    """#hashtags on a profile (#i4emploi = open to work); indexed for suggestions and search."""

    __tablename__ = "profile_hashtags"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True, index=True)
