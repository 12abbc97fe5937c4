"""The live board: each team's progress on its role's objectives, in a fixed number of queries.

Progress is measured from what the team's members did since the exercise started (until it
finished): their activity events, and for a recruiter team the events of its company's personas
that one of its members played (`played_by`). Connections come from the connections table
(stored in both directions, so accepted either way). Profile completeness is the members'
current score: the objective is met when every member reaches the target.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import SchoolClass
from sandbox.core.time import utcnow
from sandbox.exercises.labels import objective_sentence
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseObjective,
    ExerciseTeam,
    ObjectiveKind,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.network.models import Connection
from sandbox.personas.models import Persona
from sandbox.profiles.completeness import completeness
from sandbox.profiles.models import Profile

# Beyond this many events in one exercise the board stops reading (a 2-hour lesson of 35
# students stays far below it); the page then says the counts are at least what it shows.
MAX_EVENTS = 20_000


def _status(data: dict[str, Any]) -> str:
    return str(data.get("status") or "")


# What each objective counts among the events: kind -> (event kind, data) -> counts?
MEASURES: dict[ObjectiveKind, Callable[[str, dict[str, Any]], bool]] = {
    ObjectiveKind.PERSONAL_INVITATIONS: lambda kind, data: (
        kind == "invitation_sent" and bool(data.get("personal"))),
    ObjectiveKind.POSTS: lambda kind, data: kind in ("post_created", "post_shared"),
    ObjectiveKind.COMMENTS: lambda kind, data: kind == "commented",
    ObjectiveKind.GROUPS_JOINED: lambda kind, data: kind in ("group_joined", "group_created"),
    ObjectiveKind.FOLLOWS: lambda kind, data: kind in (
        "followed_person", "followed_company", "followed_hashtag"),
    ObjectiveKind.MESSAGES: lambda kind, data: kind == "message_sent",
    ObjectiveKind.OUTCOMES: lambda kind, data: kind in ("gift_received", "outcome_recorded"),
    ObjectiveKind.APPLICATIONS: lambda kind, data: kind == "applied",
    ObjectiveKind.OFFERS_POSTED: lambda kind, data: kind == "offer_posted",
    ObjectiveKind.SHORTLISTED: lambda kind, data: (
        kind == "application_processed" and _status(data) == "shortlisted"),
    ObjectiveKind.DECISIONS: lambda kind, data: (
        kind == "application_processed" and _status(data) in ("offer", "declined")),
}
COUNTED_KINDS = (
    "invitation_sent", "post_created", "post_shared", "commented", "group_joined",
    "group_created", "followed_person", "followed_company", "followed_hashtag", "message_sent",
    "gift_received", "outcome_recorded", "applied", "offer_posted", "application_processed",
)


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: ExerciseObjective
    label: str
    done: int  # what the team did; for completeness, the members who reached the target
    goal: int  # the target; for completeness, the number of members

    @property
    def met(self) -> bool:
        return self.goal > 0 and self.done >= self.goal

    @property
    def percent(self) -> int:
        return 100 if self.met else (self.done * 100 // self.goal if self.goal else 0)

    @property
    def per_member(self) -> bool:
        return self.objective.kind is ObjectiveKind.PROFILE_COMPLETENESS


@dataclass(frozen=True)
class TeamProgress:
    team: ExerciseTeam
    members: list[User]
    scores: dict[int, int]  # member id -> profile completeness now
    objectives: list[ObjectiveProgress]
    personas: list[User] = field(default_factory=list)  # a recruiter team's company's personas

    @property
    def met(self) -> int:
        return sum(1 for objective in self.objectives if objective.met)


@dataclass(frozen=True)
class Board:
    exercise: Exercise
    teams: list[TeamProgress]
    truncated: bool = False  # more events than MAX_EVENTS: the counts are lower bounds


def load_exercise(exercise_id: int) -> Exercise | None:
    """The exercise with everything the board, the timer and the editor read (fixed queries):
    phases, objectives, teams with their company, members with their profile."""
    profile = (selectinload(ExerciseTeam.members).joinedload(ExerciseMember.user)
               .options(joinedload(User.school_class).selectinload(SchoolClass.teachers),
                        joinedload(User.profile).options(
                            selectinload(Profile.skills), selectinload(Profile.experiences),
                            selectinload(Profile.education), selectinload(Profile.languages),
                            selectinload(Profile.hashtags))))
    return db.session.scalar(
        sa.select(Exercise).where(Exercise.id == exercise_id).options(
            selectinload(Exercise.phases), selectinload(Exercise.objectives),
            selectinload(Exercise.teams).options(joinedload(ExerciseTeam.company), profile),
        )
    )


def company_personas(company_ids: set[int]) -> dict[int, list[User]]:
    """The personas of each company, by name (one query, even for no company: the board's
    query count does not depend on its teams)."""
    found: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(
        sa.select(User).join(Persona, Persona.user_id == User.id)
        .where(Persona.company_id.in_(company_ids))
        .options(joinedload(User.persona))
        .order_by(User.last_name, User.first_name)
    ):
        assert user.persona is not None
        found[user.persona.company_id].append(user)
    return found


def _team_of_event(user_id: int | None, data: dict[str, Any], member_team: dict[int, int],
                   persona_company: dict[int, int], team_company: dict[int, int | None]
                   ) -> int | None:
    """The team an event counts for: the member's own, or the recruiter team of the member who
    played the persona (for that team's company only)."""
    if user_id in member_team:
        return member_team[user_id]
    player = data.get("played_by")
    if user_id in persona_company and type(player) is int and player in member_team:
        team_id = member_team[player]
        if team_company.get(team_id) == persona_company[user_id]:
            return team_id
    return None


def build_board(exercise: Exercise, teams: list[ExerciseTeam] | None = None) -> Board:
    """Progress of `teams` (default: all of the exercise's) on their role's objectives.

    Three queries at most beyond `load_exercise`: the personas, the events, the connections."""
    shown = exercise.teams if teams is None else teams
    member_team = {member.user_id: team.id for team in shown for member in team.members}
    team_company = {team.id: team.company_id for team in shown
                    if team.role is TeamRole.RECRUITER}
    personas = company_personas({c for c in team_company.values() if c is not None})
    persona_company = {user.id: company for company, users in personas.items() for user in users}
    counts: dict[int, Counter[ObjectiveKind]] = defaultdict(Counter)
    truncated = False
    if exercise.started_at is not None and member_team:
        until = exercise.finished_at or utcnow()
        rows = db.session.execute(
            sa.select(ActivityEvent.user_id, ActivityEvent.kind, ActivityEvent.data)
            .where(ActivityEvent.user_id.in_([*member_team, *persona_company]),
                   ActivityEvent.kind.in_(COUNTED_KINDS),
                   ActivityEvent.created_at >= exercise.started_at,
                   ActivityEvent.created_at <= until)
            .order_by(ActivityEvent.id).limit(MAX_EVENTS + 1)
        ).all()
        truncated = len(rows) > MAX_EVENTS
        for user_id, kind, data in rows[:MAX_EVENTS]:
            data = data or {}
            team_id = _team_of_event(user_id, data, member_team, persona_company, team_company)
            if team_id is None:
                continue
            for objective_kind, counts_it in MEASURES.items():
                if counts_it(kind, data):
                    counts[team_id][objective_kind] += 1
        connections = db.session.execute(
            sa.select(Connection.user_id, sa.func.count())
            .where(Connection.user_id.in_(member_team),
                   Connection.created_at >= exercise.started_at, Connection.created_at <= until)
            .group_by(Connection.user_id)
        ).all()
        for user_id, number in connections:
            counts[member_team[user_id]][ObjectiveKind.CONNECTIONS] += number
    return Board(exercise, [_team_progress(exercise, team, counts[team.id],
                                           personas.get(team.company_id or 0, []))
                            for team in shown], truncated)


def _team_progress(exercise: Exercise, team: ExerciseTeam, counts: Counter[ObjectiveKind],
                   personas: list[User]) -> TeamProgress:
    members = sorted((member.user for member in team.members),
                     key=lambda user: (user.last_name.casefold(), user.first_name.casefold()))
    scores = {user.id: completeness(user.profile).score if user.profile else 0
              for user in members}
    lines = []
    for objective in sorted(exercise.objectives, key=lambda o: (o.position, o.id or 0)):
        if objective.role is not team.role:
            continue
        if objective.kind is ObjectiveKind.PROFILE_COMPLETENESS:
            done = sum(1 for score in scores.values() if score >= objective.target)
            goal = len(members)
        else:
            done, goal = counts[objective.kind], objective.target
        lines.append(ObjectiveProgress(objective, objective_sentence(objective.kind,
                                                                     objective.target),
                                       done, goal))
    return TeamProgress(team, members, scores, lines,
                        personas if team.role is TeamRole.RECRUITER else [])
