"""Imports every feature's models so that SQLAlchemy and Alembic see the whole schema."""

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import (
    CharterFinding,
    CharterRule,
    CharterSignature,
    ClassCharter,
    FindingOutcome,
    Severity,
)
from sandbox.classes.models import NetworkScope, School, SchoolClass, class_teachers
from sandbox.companies.models import Company, JobKind, JobOffer, Sector
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseObjective,
    ExercisePhase,
    ExerciseTeam,
)
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.groups.models import Group, GroupMembership, GroupTopic, JoinPolicy, MemberRole
from sandbox.jobs.models import Application, ApplicationStatus, SavedOffer
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
from sandbox.pagecache import PageVersion
from sandbox.personas.models import ActionStatus, Persona, PersonaKind, ScheduledAction
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
from sandbox.reviews.models import CompanyReview
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
    "ActionStatus",
    "Application",
    "ApplicationStatus",
    "CompanyReview",
    "Exercise",
    "ExerciseMember",
    "ExerciseObjective",
    "ExercisePhase",
    "ExerciseTeam",
    "SavedOffer",
    "ScheduledAction",
    "CharterFinding",
    "FindingOutcome",
    "Grade",
    "Measure",
    "Rubric",
    "RubricCriterion",
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
    "PageVersion",
    "Severity",
    "User",
    "Visibility",
    "class_teachers",
]
