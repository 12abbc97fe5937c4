"""Imports every feature's models so that SQLAlchemy and Alembic see the whole schema."""

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterRule, Severity
from sandbox.classes.models import NetworkScope, School, SchoolClass, class_teachers
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.network.models import (
    Connection,
    ContactList,
    ContactListMember,
    Endorsement,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Introduction,
    Invitation,
    NetworkOutcome,
    Recommendation,
)
from sandbox.notifications.models import Notification
from sandbox.personas.models import Persona, PersonaKind
from sandbox.posts.models import Audience, Post
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    Profile,
    ProfileHashtag,
    ProfileLink,
    ProfileSkill,
    Visibility,
)

__all__ = [
    "ActivityEvent",
    "Audience",
    "CharterRule",
    "Company",
    "Connection",
    "ContactList",
    "ContactListMember",
    "Endorsement",
    "FollowedCompany",
    "FollowedHashtag",
    "FollowedPerson",
    "Introduction",
    "Invitation",
    "NetworkOutcome",
    "Notification",
    "Recommendation",
    "Education",
    "Experience",
    "JobKind",
    "JobOffer",
    "LanguageSkill",
    "NetworkScope",
    "Persona",
    "PersonaKind",
    "Post",
    "Profile",
    "ProfileHashtag",
    "ProfileLink",
    "ProfileSkill",
    "Role",
    "School",
    "SchoolClass",
    "Sector",
    "Severity",
    "User",
    "Visibility",
    "class_teachers",
]
