"""Everything the dashboard's page of one student shows, in a fixed number of queries.

The caller has checked that the viewer teaches the student's class or is an admin
(`access.student_for_staff`). Each section reads the chosen period; what the sections name
(posts, people, groups…) is loaded once for the whole page by `student_subjects`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.dashboard import finding_views
from sandbox.dashboard.figures import Period, StudentFigures, class_figures
from sandbox.dashboard.student_subjects import Subjects, Wanted, load_subjects
from sandbox.dashboard.timeline import Sentence, describe
from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.network.journal import OUTCOME_LABELS, JournalLine, student_journal
from sandbox.network.recommendations import ProfileSections, profile_sections
from sandbox.profiles.completeness import Completeness, completeness
from sandbox.profiles.forms import FIELD_LABELS, PHOTO_MISTAKE_LABELS
from sandbox.profiles.services import (
    PreviewAudience,
    ProfilePage,
    Reputation,
    preview_as,
)

PAGE_SIZE = 50  # timeline events per page


# ---- the timeline: events by day, 50 at a time (keyset paging) ------------------------------


@dataclass(frozen=True)
class TimelineLine:
    event_id: int
    when: datetime  # naive UTC, as stored
    sentence: Sentence


@dataclass(frozen=True)
class TimelineDay:
    day: date  # in the school's time zone
    lines: list[TimelineLine]


@dataclass(frozen=True)
class Timeline:
    days: list[TimelineDay]
    older_before: int | None  # `?before=` of the next (older) page; None on the last one
    shown: int


def build_timeline(events: list[ActivityEvent], has_more: bool,
                   subjects: Subjects) -> Timeline:
    """The page's lines grouped by day in the school's time zone, newest first."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    days: list[TimelineDay] = []
    for event in events:
        day = event.created_at.replace(tzinfo=UTC).astimezone(zone).date()
        if not days or days[-1].day != day:
            days.append(TimelineDay(day=day, lines=[]))
        days[-1].lines.append(TimelineLine(event.id, event.created_at, describe(event, subjects)))
    older = events[-1].id if has_more and events else None
    return Timeline(days=days, older_before=older, shown=len(events))


def timeline_events(student: User, period: Period,
                    before: int | None) -> tuple[list[ActivityEvent], bool]:
    """The student's events newest first (below the event `before` when given), and whether
    older ones follow. One query: the keyset's date is read in a subquery."""
    query = sa.select(ActivityEvent).where(
        ActivityEvent.user_id == student.id, *period.bound(ActivityEvent.created_at)
    )
    if before is not None:
        # Below (created_at, id) of that event; someone else's event gives an empty page.
        moment = sa.select(ActivityEvent.created_at).where(
            ActivityEvent.id == before, ActivityEvent.user_id == student.id
        ).scalar_subquery()
        query = query.where(sa.or_(
            ActivityEvent.created_at < moment,
            sa.and_(ActivityEvent.created_at == moment, ActivityEvent.id < before),
        ))
    rows = list(db.session.scalars(
        query.order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(PAGE_SIZE + 1)
    ))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


# ---- conversations with personas, journal, profile ------------------------------------------


@dataclass(frozen=True)
class PersonaThread:
    other_id: int
    messages: int
    sent: int  # by the student
    last_at: datetime
    persona: User | None = None

    @property
    def company(self) -> Company | None:
        persona = self.persona.persona if self.persona is not None else None
        return persona.company if persona is not None else None


def persona_threads(student: User, period: Period) -> list[PersonaThread]:
    """The student's conversations with personas that have messages in the period, latest
    first, with their counts (one query; the personas are loaded with the page's people)."""
    other_id = sa.case((Conversation.first_user_id == student.id, Conversation.second_user_id),
                       else_=Conversation.first_user_id)
    last = sa.func.max(Message.created_at)
    rows = db.session.execute(
        sa.select(other_id, sa.func.count(Message.id),
                  sa.func.sum(sa.case((Message.sender_id == student.id, 1), else_=0)), last)
        .join(Message, Message.conversation_id == Conversation.id)
        .join(User, User.id == other_id)
        .where(sa.or_(Conversation.first_user_id == student.id,
                      Conversation.second_user_id == student.id),
               User.role == Role.PERSONA, *period.bound(Message.created_at))
        .group_by(Conversation.id, Conversation.first_user_id, Conversation.second_user_id)
        .order_by(last.desc(), Conversation.id.desc())
    )
    return [PersonaThread(other, count, int(sent or 0), when) for other, count, sent, when in rows]


@dataclass(frozen=True)
class JournalView:
    counts: list[tuple[str, int]]  # every kind, in the workshop's order, even at zero
    lines: list[JournalLine]

    @property
    def kinds_obtained(self) -> int:
        return sum(1 for _, count in self.counts if count)


def journal_view(viewer: User, student: User, period: Period) -> JournalView:
    """The network-outcomes journal, restricted to the entries written in the period."""
    journal = student_journal(viewer, student.id)
    lines = [line for line in journal.lines if _within(period, line.created_at)]
    counts = [(str(label), sum(1 for line in lines if line.kind is kind))
              for kind, label in OUTCOME_LABELS.items()]
    return JournalView(counts=counts, lines=lines)


def _within(period: Period, moment: datetime) -> bool:
    return ((period.start is None or moment >= period.start)
            and (period.end is None or moment < period.end))


@dataclass(frozen=True)
class ProfileView:
    page: ProfilePage  # as a recruiter persona who is not a connection sees it
    reputation: Reputation
    sections: ProfileSections
    completeness: Completeness
    checklist: list[tuple[str, bool]]  # empty when not filled in for the current photo

    @property
    def fields_shown(self) -> list[str]:
        """What a stranger in the network learns, by the field labels of the profile form."""
        return [str(FIELD_LABELS[name]) for name in self.reputation.fields_shown]


def profile_view(viewer: User, student: User) -> ProfileView:
    """The profile as a recruiter who is not a connection sees it (the student's own preview),
    with what only the student and their teachers see: the score and the photo checklist."""
    page, reputation = preview_as(student, PreviewAudience.RECRUITER)
    answers = student.profile.photo_checklist or {}
    return ProfileView(
        page=page, reputation=reputation,
        sections=profile_sections(viewer, page, PreviewAudience.RECRUITER),
        completeness=completeness(student.profile),
        checklist=[(str(label), bool(answers.get(key)))
                   for key, label in PHOTO_MISTAKE_LABELS.items()] if answers else [],
    )


# ---- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentPage:
    klass: SchoolClass
    student: User
    figures: StudentFigures
    timeline: Timeline
    profile: ProfileView
    findings: finding_views.FindingsView
    journal: JournalView
    threads: list[PersonaThread]


def student_page(viewer: User, klass: SchoolClass, student: User, period: Period,
                 before: int | None = None) -> StudentPage:
    """The whole page; `before` pages the timeline (an event id, from "Older activity")."""
    # First: the recruiter's view loads the whole profile, which the figures read too.
    profile = profile_view(viewer, student)
    figures = class_figures(klass, period, students=[student])[student.id]
    events, has_more = timeline_events(student, period, before)
    findings, cases = finding_views.load_findings(student, period)
    threads = persona_threads(student, period)
    wanted = Wanted()
    wanted.add_events(events)
    for finding in findings:
        wanted.add_content(finding.content_kind, finding.content_id)
    wanted.users.update(thread.other_id for thread in threads)
    subjects = load_subjects(viewer, student, wanted)
    return StudentPage(
        klass=klass, student=student, figures=figures,
        timeline=build_timeline(events, has_more, subjects),
        profile=profile,
        findings=finding_views.findings_view(viewer, findings, cases, figures, subjects),
        journal=journal_view(viewer, student, period),
        threads=[PersonaThread(t.other_id, t.messages, t.sent, t.last_at,
                               subjects.users.get(t.other_id)) for t in threads],
    )

