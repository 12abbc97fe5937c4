"""Imports every feature's models so that SQLAlchemy and Alembic see the whole schema."""

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterRule, CharterSignature, ClassCharter, Severity
from sandbox.classes.models import NetworkScope, School, SchoolClass, class_teachers
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.groups.models import Group, GroupMembership, GroupTopic, JoinPolicy, MemberRole
from sandbox.messages.models import Conversation, Message
from sandbox.moderation.models import AuditEntry, CaseStatus, ContentKind, ModerationCase, Report
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
from sandbox.posts.models import (
    Audience,
    Comment,
    CommentLike,
    ConsentStatus,
    PhotoTag,
    Post,
    PostHashtag,
    PostLike,
    PostMention,
)
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
    "Report",
    "PhotoTag",
    "ModerationCase",
    "ContentKind",
    "ConsentStatus",
    "ClassCharter",
    "CharterSignature",
    "CaseStatus",
    "AuditEntry",
    "ActivityEvent",
    "Audience",
    "CharterRule",
    "Comment",
    "CommentLike",
    "Company",
    "Connection",
    "ContactList",
    "ContactListMember",
    "Conversation",
    "Education",
    "Endorsement",
    "Experience",
    "FollowedCompany",
    "FollowedHashtag",
    "FollowedPerson",
    "Group",
    "GroupMembership",
    "GroupTopic",
    "Introduction",
    "Invitation",
    "JobKind",
    "JobOffer",
    "JoinPolicy",
    "LanguageSkill",
    "MemberRole",
    "Message",
    "NetworkOutcome",
    "NetworkScope",
    "Notification",
    "Persona",
    "PersonaKind",
    "Post",
    "PostHashtag",
    "PostLike",
    "PostMention",
    "Profile",
    "ProfileHashtag",
    "ProfileLink",
    "ProfileSkill",
    "Recommendation",
    "Role",
    "School",
    "SchoolClass",
    "Sector",
    "Severity",
    "User",
    "Visibility",
    "class_teachers",
]
