"""The figures of a class's students over a period, in a fixed number of queries.

One function, `class_figures`, feeds the overview table, its CSV, the charts and the grading
suggestion, so the teacher reads the same numbers everywhere. Counts of what students *did*
(posts, comments, shares, likes, applications…) come from the activity events, which outlive a
deleted post; what students *have* now (connections, groups, follows, profile) comes from the
tables as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, MembershipStatus
from sandbox.moderation.models import CaseStatus, ModerationCase
from sandbox.network.models import (
    Connection,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Invitation,
    InvitationStatus,
    NetworkOutcome,
)
from sandbox.personas.models import Persona
from sandbox.profiles.completeness import completeness
from sandbox.profiles.models import Profile
from sandbox.profiles.services import PHOTO_MISTAKES

# The event kinds each count reads (`applied` is recorded by the jobs feature).
POST_EVENTS = ("post_created",)
SHARE_EVENTS = ("post_shared",)
COMMENT_EVENTS = ("commented",)
LIKE_EVENTS = ("liked_post", "liked_comment")
APPLICATION_EVENTS = ("applied",)
GROUP_JOIN_EVENTS = ("group_joined", "group_created")


@dataclass(frozen=True)
class Period:
    """A half-open range of naive UTC datetimes; None on a side means unbounded."""

    start: datetime | None = None
    end: datetime | None = None

    def bound(self, column: sa.ColumnElement[datetime]) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column < self.end)
        return conditions


@dataclass(kw_only=True)
class TableFigures:
    """The figures of one line of the overview: a student's, or the class's totals."""

    completeness: float = 0
    connections_students: int = 0
    connections_professionals: int = 0
    invitations_sent: int = 0
    invitations_personal: int = 0  # with a message of their own
    invitations_accepted: int = 0
    posts: int = 0
    comments: int = 0
    shares: int = 0
    groups: int = 0  # active memberships now
    applications: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # by OutcomeKind value
    # (category, outcome) -> count
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)
    last_activity: datetime | None = None

    @property
    def connections(self) -> int:
        return self.connections_students + self.connections_professionals

    @property
    def findings_total(self) -> int:
        return sum(self.findings.values())

    @property
    def outcomes_total(self) -> int:
        return sum(self.outcomes.values())

    def findings_in(self, category: str) -> int:
        return sum(count for (cat, _), count in self.findings.items() if cat == category)


@dataclass(kw_only=True)
class StudentFigures(TableFigures):
    """Everything the dashboard and the grading know of one student over the period."""

    student: User
    has_photo: bool = False
    # The student has a photo and ticked, on the "photo mistakes to avoid" checklist, that it
    # avoids every one of them.
    photo_checklist_clean: bool = False
    # Different companies among the professionals they are connected with.
    companies_in_network: int = 0
    group_posts: int = 0
    likes: int = 0
    follows_people: int = 0
    follows_companies: int = 0
    follows_hashtags: int = 0
    # (severity, outcome) -> count for the grade, which leaves out flagged texts a teacher
    # approved (looked at: nothing wrong).
    findings_by_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)  # every event kind in the period


def class_students(klass: SchoolClass) -> list[User]:
    """The class's students, by last then first name, with what the completeness score reads."""
    query = (
        sa.select(User)
        .where(User.class_id == klass.id, User.role == Role.STUDENT)
        .options(
            selectinload(User.profile).options(
                selectinload(Profile.skills),
                selectinload(Profile.experiences),
                selectinload(Profile.education),
                selectinload(Profile.languages),
                selectinload(Profile.hashtags),
            )
        )
        .order_by(User.last_name, User.first_name, User.id)
    )
    return list(db.session.scalars(query))


def class_figures(klass: SchoolClass, period: Period = Period(),
                  students: list[User] | None = None) -> dict[int, StudentFigures]:
    """Each student's figures (keyed by user id, in roster order) in a fixed number of queries."""
    roster = class_students(klass) if students is None else students
    figures = {student.id: _profile_figures(student) for student in roster}
    if not figures:
        return figures
    ids = list(figures)
    _add_connections(figures, ids)
    _add_invitations(figures, ids, period)
    _add_events(figures, ids, period)
    _add_current_counts(figures, ids)
    _add_outcomes(figures, ids, period)
    _add_findings(figures, ids, period)
    return figures


def _profile_figures(student: User) -> StudentFigures:
    profile = student.profile
    if profile is None:
        return StudentFigures(student=student)
    checklist = profile.photo_checklist or {}
    return StudentFigures(
        student=student,
        completeness=completeness(profile).score,
        has_photo=bool(profile.photo_path),
        photo_checklist_clean=bool(profile.photo_path)
        and all(checklist.get(key) for key in PHOTO_MISTAKES),
    )


def _add_connections(figures: dict[int, StudentFigures], ids: list[int]) -> None:
    contact = sa.orm.aliased(User)
    rows = db.session.execute(
        sa.select(Connection.user_id, contact.role, sa.func.count(),
                  sa.func.count(sa.distinct(Persona.company_id)))
        .join(contact, contact.id == Connection.contact_id)
        .outerjoin(Persona, Persona.user_id == contact.id)
        .where(Connection.user_id.in_(ids))
        .group_by(Connection.user_id, contact.role)
    )
    for user_id, role, count, companies in rows:
        if role is Role.STUDENT:
            figures[user_id].connections_students += count
        elif role is Role.PERSONA:
            figures[user_id].connections_professionals += count
            figures[user_id].companies_in_network = companies


def _add_invitations(figures: dict[int, StudentFigures], ids: list[int], period: Period) -> None:
    personal = sa.func.sum(sa.case((sa.func.length(sa.func.trim(Invitation.message)) > 0, 1),
                                   else_=0))
    accepted = sa.func.sum(sa.case((Invitation.status == InvitationStatus.ACCEPTED, 1), else_=0))
    rows = db.session.execute(
        sa.select(Invitation.sender_id, sa.func.count(), personal, accepted)
        .where(Invitation.sender_id.in_(ids), *period.bound(Invitation.created_at))
        .group_by(Invitation.sender_id)
    )
    for sender_id, sent, with_message, was_accepted in rows:
        entry = figures[sender_id]
        entry.invitations_sent = sent
        entry.invitations_personal = int(with_message or 0)
        entry.invitations_accepted = int(was_accepted or 0)


def _add_events(figures: dict[int, StudentFigures], ids: list[int], period: Period) -> None:
    rows = db.session.execute(
        sa.select(ActivityEvent.user_id, ActivityEvent.kind, sa.func.count())
        .where(ActivityEvent.user_id.in_(ids), *period.bound(ActivityEvent.created_at))
        .group_by(ActivityEvent.user_id, ActivityEvent.kind)
    )
    for user_id, kind, count in rows:
        figures[user_id].events[kind] = count
    group_posts = db.session.execute(
        sa.select(ActivityEvent.user_id, sa.func.count())
        .where(ActivityEvent.user_id.in_(ids), ActivityEvent.kind.in_(POST_EVENTS),
               ActivityEvent.data["audience"].as_string() == "group",
               *period.bound(ActivityEvent.created_at))
        .group_by(ActivityEvent.user_id)
    )
    for user_id, count in group_posts:
        figures[user_id].group_posts = count
    # One index lookup per student (user_id, created_at) rather than a scan of their events.
    latest = (sa.select(sa.func.max(ActivityEvent.created_at))
              .where(ActivityEvent.user_id == User.id).scalar_subquery())
    for user_id, when in db.session.execute(sa.select(User.id, latest).where(User.id.in_(ids))):
        figures[user_id].last_activity = when
    for entry in figures.values():
        events = entry.events
        entry.posts = sum(events[kind] for kind in POST_EVENTS)
        entry.shares = sum(events[kind] for kind in SHARE_EVENTS)
        entry.comments = sum(events[kind] for kind in COMMENT_EVENTS)
        entry.likes = sum(events[kind] for kind in LIKE_EVENTS)
        entry.applications = sum(events[kind] for kind in APPLICATION_EVENTS)


def _add_current_counts(figures: dict[int, StudentFigures], ids: list[int]) -> None:
    """Groups and follows as they are now, in one query."""
    counted = sa.union_all(
        sa.select(sa.literal("groups").label("what"), GroupMembership.user_id.label("user_id"),
                  sa.func.count().label("n"))
        .where(GroupMembership.user_id.in_(ids),
               GroupMembership.status == MembershipStatus.ACTIVE)
        .group_by(GroupMembership.user_id),
        sa.select(sa.literal("follows_people"), FollowedPerson.follower_id, sa.func.count())
        .where(FollowedPerson.follower_id.in_(ids)).group_by(FollowedPerson.follower_id),
        sa.select(sa.literal("follows_companies"), FollowedCompany.follower_id, sa.func.count())
        .where(FollowedCompany.follower_id.in_(ids)).group_by(FollowedCompany.follower_id),
        sa.select(sa.literal("follows_hashtags"), FollowedHashtag.follower_id, sa.func.count())
        .where(FollowedHashtag.follower_id.in_(ids)).group_by(FollowedHashtag.follower_id),
    )
    for what, user_id, count in db.session.execute(sa.select(counted.subquery())):
        setattr(figures[user_id], what, count)


def _add_outcomes(figures: dict[int, StudentFigures], ids: list[int], period: Period) -> None:
    rows = db.session.execute(
        sa.select(NetworkOutcome.student_id, NetworkOutcome.kind, sa.func.count())
        .where(NetworkOutcome.student_id.in_(ids), *period.bound(NetworkOutcome.created_at))
        .group_by(NetworkOutcome.student_id, NetworkOutcome.kind)
    )
    for student_id, kind, count in rows:
        figures[student_id].outcomes[kind.value] = count


def _add_findings(figures: dict[int, StudentFigures], ids: list[int], period: Period) -> None:
    approved = sa.and_(CharterFinding.outcome == FindingOutcome.FLAGGED,
                       ModerationCase.status == CaseStatus.APPROVED)
    cleared = sa.case((approved, True), else_=False)
    rows = db.session.execute(
        sa.select(CharterFinding.user_id, CharterFinding.category, CharterFinding.severity,
                  CharterFinding.outcome, cleared, sa.func.count())
        .outerjoin(ModerationCase, sa.and_(
            sa.cast(ModerationCase.content_kind, sa.String) == CharterFinding.content_kind,
            ModerationCase.content_id == CharterFinding.content_id))
        .where(CharterFinding.user_id.in_(ids), *period.bound(CharterFinding.created_at))
        .group_by(CharterFinding.user_id, CharterFinding.category, CharterFinding.severity,
                  CharterFinding.outcome, cleared)
    )
    by_category: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for user_id, category, severity, outcome, was_cleared, count in rows:
        by_category[user_id][(category, outcome.value)] += count
        if not was_cleared:
            figures[user_id].findings_by_severity[(severity.value, outcome.value)] += count
    for user_id, counts in by_category.items():
        figures[user_id].findings = counts
