"""The debrief: what each team did, in order, phase by phase; the charter's findings on the
members' texts during the exercise; what their contacts brought them; the objectives reached.

The sentences are the dashboard's (`sandbox.dashboard.timeline`), so a teacher reads the same
words everywhere; what they name is loaded once for the whole page (`student_subjects`). A
student reads their own team's debrief: all of their own lines, but of their teammates' only
the team's work (`TEAM_KINDS`), about posts they may see and people they may see; never a
teammate's reports, charter overrides, journal or private conversations. Their charter findings
and what their contacts brought are their own only (between a student and their teacher).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.display import Segment, category_label, highlight
from sandbox.charter.models import CharterFinding
from sandbox.core.time import utcnow
from sandbox.dashboard.finding_views import OUTCOME_LABELS as FINDING_OUTCOMES
from sandbox.dashboard.student_subjects import Subjects, Wanted, load_subjects
from sandbox.dashboard.timeline import Sentence, describe
from sandbox.exercises.models import Exercise, ExerciseTeam
from sandbox.exercises.progress import Board, TeamProgress, build_board
from sandbox.extensions import db
from sandbox.network.journal import OUTCOME_LABELS
from sandbox.network.models import NetworkOutcome

MAX_EVENTS = 5_000  # the page says so beyond it
MAX_FINDINGS = 500
# The teacher's own steps, which cut the timeline into phases.
STEP_KINDS = ("exercise_started", "exercise_phase_started", "exercise_finished")
# Nothing to learn from these in a debrief.
LEFT_OUT = ("logged_in",)
# What a student reads of a teammate (or of the team's persona played by a teammate): the
# team's work. Anything else (reports, charter overrides, journal, gifts, likes, profile…) is
# the teammate's own business, and the staff's.
TEAM_KINDS = frozenset({
    "exercise_created", "exercise_started", "exercise_phase_started", "exercise_paused",
    "exercise_finished", "offer_posted", "applied", "application_processed",
    "invitation_sent", "invitation_accepted", "message_sent",
    "post_created", "post_shared", "commented",
    "group_joined", "followed_company", "followed_hashtag", "followed_person",
})
# Where the person an event is about is, for the kinds of TEAM_KINDS that name one: a data key
# or "subject". Invitations and messages are private between two people: a teammate's show
# only with a persona or another teammate at the other end (see `_other_side_shown`).
_PERSON_OF = {
    "invitation_sent": "recipient_id", "invitation_accepted": "sender_id",
    "message_sent": "recipient_id", "application_processed": "student_id",
    "followed_person": "subject",
}
_BETWEEN_TWO = frozenset({"invitation_sent", "invitation_accepted", "message_sent"})
# Pages of the staff about one student: not for a student reading their team's debrief.
STAFF_ENDPOINTS = frozenset({"messages.student_thread", "messages.student_threads",
                             "recommendations.student_journal"})


@dataclass(frozen=True)
class Line:
    when: datetime
    who: str
    sentence: Sentence
    link: str | None


@dataclass(frozen=True)
class PhaseBlock:
    name: str | None  # None: before the first phase's record (should not happen)
    started_at: datetime | None
    lines: list[Line]


@dataclass(frozen=True)
class FindingLine:
    when: datetime
    who: str
    category: str
    outcome: str
    segments: list[Segment]


@dataclass(frozen=True)
class OutcomeLine:
    when: datetime
    who: str
    label: str
    contact: str | None


@dataclass(frozen=True)
class TeamDebrief:
    progress: TeamProgress
    blocks: list[PhaseBlock]
    findings: list[FindingLine]
    outcomes: list[OutcomeLine]

    @property
    def team(self) -> ExerciseTeam:
        return self.progress.team

    @property
    def is_empty(self) -> bool:
        return not any(block.lines for block in self.blocks)


@dataclass(frozen=True)
class Debrief:
    exercise: Exercise
    board: Board
    teams: list[TeamDebrief]
    phase_starts: list[tuple[int, str, datetime]]  # position, name, when it really started
    truncated: bool

    def started_at(self, position: int) -> datetime | None:
        return next((when for at, _name, when in self.phase_starts if at == position), None)


def _window(exercise: Exercise) -> tuple[datetime, datetime] | None:
    if exercise.started_at is None:
        return None
    return exercise.started_at, exercise.finished_at or utcnow()


def _phase_starts(exercise: Exercise) -> list[tuple[int, str, datetime]]:
    """When each phase started, from the teacher's recorded steps (one query)."""
    names = {phase.position: phase.name for phase in exercise.phases}
    first = min(names, default=None)
    starts: list[tuple[int, str, datetime]] = []
    steps = db.session.execute(
        sa.select(ActivityEvent.kind, ActivityEvent.data, ActivityEvent.created_at)
        .where(ActivityEvent.subject_type == "Exercise", ActivityEvent.subject_id == exercise.id,
               ActivityEvent.kind.in_(STEP_KINDS))
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    for kind, data, when in steps:
        position = first if kind == "exercise_started" else (data or {}).get("phase")
        if kind != "exercise_finished" and position in names:
            starts.append((position, names[position], when))
    return starts


def _link_for(viewer_is_staff: bool, actor_is_persona: bool, link: str | None) -> str | None:
    """The sentence's link, unless it leads to a staff page the reader may not open (or to a
    student page for a persona)."""
    if link is None or (viewer_is_staff and not actor_is_persona):
        return link
    try:
        endpoint, _args = current_app.url_map.bind("localhost").match(link.split("#")[0]
                                                                       .split("?")[0])
    except (HTTPException, RequestRedirect):
        return None
    return None if endpoint in STAFF_ENDPOINTS else link


def build_debrief(viewer: User, exercise: Exercise, teams: list[ExerciseTeam],
                  viewer_is_staff: bool) -> Debrief:
    """The debrief of `teams` as `viewer` may read it (a fixed number of queries)."""
    board = build_board(exercise, teams)
    window = _window(exercise)
    members = {member.user_id: member.user for team in teams for member in team.members}
    team_of = {member.user_id: team.id for team in teams for member in team.members}
    personas = {user.id: (user, progress.team.id) for progress in board.teams
                for user in progress.personas}
    events: list[ActivityEvent] = []
    findings: list[CharterFinding] = []
    outcomes: list[NetworkOutcome] = []
    if window is not None and members:
        start, end = window
        events = list(db.session.scalars(
            sa.select(ActivityEvent)
            .where(ActivityEvent.user_id.in_([*members, *personas]),
                   ActivityEvent.created_at >= start, ActivityEvent.created_at <= end,
                   ActivityEvent.kind.not_in(LEFT_OUT))
            .order_by(ActivityEvent.created_at, ActivityEvent.id).limit(MAX_EVENTS + 1)))
        readers = list(members) if viewer_is_staff else [viewer.id]
        findings = list(db.session.scalars(
            sa.select(CharterFinding)
            .where(CharterFinding.user_id.in_(readers), CharterFinding.created_at >= start,
                   CharterFinding.created_at <= end)
            .order_by(CharterFinding.created_at, CharterFinding.id).limit(MAX_FINDINGS)))
        # A student's journal is theirs: a teammate's entries are not for them.
        outcomes = list(db.session.scalars(
            sa.select(NetworkOutcome)
            .where(NetworkOutcome.student_id.in_(readers), NetworkOutcome.created_at >= start,
                   NetworkOutcome.created_at <= end)
            .order_by(NetworkOutcome.created_at, NetworkOutcome.id)))
    truncated = len(events) > MAX_EVENTS
    events = [event for event in events[:MAX_EVENTS]
              if event.user_id in members or _played_in_team(event, personas, team_of)]
    wanted = Wanted()
    wanted.add_events(events)
    for user_id in [*members, *personas]:
        wanted.add("users", user_id)
    for outcome in outcomes:
        wanted.add("users", outcome.contact_id)
    anyone = next(iter(members.values()), viewer)
    subjects = load_subjects(viewer, anyone, wanted)
    if not viewer_is_staff:
        events = [event for event in events
                  if _student_may_read(viewer, event, subjects, members, personas, exercise)]
    phase_starts = _phase_starts(exercise)
    per_team = []
    for progress in board.teams:
        team_id = progress.team.id
        lines = [_line(viewer, viewer_is_staff, event, subjects, members, personas)
                 for event in events
                 if team_of.get(event.user_id or 0) == team_id
                 or _played_in_team(event, personas, team_of) == team_id]
        per_team.append(TeamDebrief(
            progress=progress,
            blocks=_blocks(lines, phase_starts),
            findings=[_finding(viewer, finding, members) for finding in findings
                      if team_of.get(finding.user_id or 0) == team_id],
            outcomes=[_outcome(viewer, viewer_is_staff, outcome, members, subjects)
                      for outcome in outcomes if team_of.get(outcome.student_id) == team_id],
        ))
    return Debrief(exercise, board, per_team, phase_starts, truncated)


def _played_in_team(event: ActivityEvent, personas: dict[int, tuple[User, int]],
                    team_of: dict[int, int]) -> int | None:
    """The recruiter team whose member played the persona behind this event, if any."""
    if event.user_id not in personas:
        return None
    player = (event.data or {}).get("played_by")
    team_id = personas[event.user_id][1]
    return team_id if type(player) is int and team_of.get(player) == team_id else None


def _student_may_read(viewer: User, event: ActivityEvent, subjects: Subjects,
                      members: dict[int, User], personas: dict[int, tuple[User, int]],
                      exercise: Exercise) -> bool:
    """May a student read this line of their team's debrief? Their own lines (and what they
    did as the team's persona) always; a teammate's only when it is the team's work, about a
    post the student may see and a person the student may see."""
    data = event.data or {}
    played = event.user_id in personas
    if (data.get("played_by") if played else event.user_id) == viewer.id:
        return True
    if event.kind not in TEAM_KINDS:
        return False
    if event.kind in ("post_created", "post_shared") and (
            event.subject_id not in subjects.visible_posts
            or (event.kind == "post_shared"
                and data.get("original_id") not in subjects.visible_posts)):
        return False
    if event.kind == "commented" and event.subject_id not in subjects.visible_comments:
        return False
    if event.kind == "group_joined" and event.subject_id not in subjects.visible_groups:
        return False
    where = _PERSON_OF.get(event.kind)
    if where is None:
        return True
    person_id = event.subject_id if where == "subject" else data.get(where)
    if not isinstance(person_id, int) or person_id not in subjects.visible_users:
        return False  # never the name of someone the student may not see
    if event.kind not in _BETWEEN_TWO:
        return True
    return _other_side_shown(subjects.users.get(person_id), viewer, members, played,
                             exercise)


def _other_side_shown(other: User | None, viewer: User, members: dict[int, User],
                      played: bool, exercise: Exercise) -> bool:
    """A teammate's invitation or message shows when its other end is a persona, the viewer or
    another teammate; one played as the team's persona also when it is a student of the
    exercise's class (the people the whole team dealt with in the persona's console)."""
    if other is None:
        return False
    if other.is_persona or other.id == viewer.id or other.id in members:
        return True
    return played and other.is_student and other.class_id == exercise.class_id


def _line(viewer: User, viewer_is_staff: bool, event: ActivityEvent, subjects: Subjects,
          members: dict[int, User], personas: dict[int, tuple[User, int]]) -> Line:
    if event.user_id in personas:
        # The sentence says which persona ("… (playing Claire Halbrane)"); the line, who.
        persona = personas[event.user_id][0]
        player = members.get((event.data or {}).get("played_by") or 0)
        sentence = describe(event, replace(subjects, student=persona))
        return Line(event.created_at, player.name_for(viewer) if player else "…", sentence,
                    _link_for(viewer_is_staff, True, sentence.link))
    member = members[event.user_id or 0]
    sentence = describe(event, replace(subjects, student=member))
    return Line(event.created_at, member.name_for(viewer), sentence,
                _link_for(viewer_is_staff, False, sentence.link))


def _blocks(lines: list[Line], phase_starts: list[tuple[int, str, datetime]]
            ) -> list[PhaseBlock]:
    """The lines under the phase that was under way when each happened."""
    blocks = [PhaseBlock(name, when, []) for _position, name, when in phase_starts] or \
        [PhaseBlock(None, None, [])]
    for line in lines:
        target = blocks[0]
        for block in blocks:
            if block.started_at is not None and block.started_at <= line.when:
                target = block
        target.lines.append(line)
    return blocks


def _finding(viewer: User, finding: CharterFinding, members: dict[int, User]) -> FindingLine:
    span: dict[str, Any] = {"start": finding.context_start, "end": finding.context_end,
                            "category": finding.category}
    if len(finding.excerpt) < 300:  # longer ones were cut when stored: not comparable
        span["excerpt"] = finding.excerpt
    segments, _placed = highlight(finding.context or finding.excerpt, [span])
    member = members.get(finding.user_id or 0)
    return FindingLine(finding.created_at, member.name_for(viewer) if member else "…",
                       category_label(finding.category), str(FINDING_OUTCOMES[finding.outcome]),
                       segments)


def _outcome(viewer: User, viewer_is_staff: bool, outcome: NetworkOutcome,
             members: dict[int, User], subjects: Subjects) -> OutcomeLine:
    contact = subjects.users.get(outcome.contact_id or 0)
    # A student reads a teammate's contact only if they may see that person anyway.
    named = contact is not None and (viewer_is_staff or contact.id in subjects.visible_users)
    return OutcomeLine(outcome.created_at, members[outcome.student_id].name_for(viewer),
                       str(OUTCOME_LABELS.get(outcome.kind, outcome.kind)),
                       contact.name_for(viewer) if named and contact else None)
