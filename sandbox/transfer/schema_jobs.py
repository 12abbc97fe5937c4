"""The class document's parts about job offers, applications, company reviews and exercises, and
the part of the fictional world (companies, seeded offers, personas) they refer to.

Companies, the seeded offers and the personas are the school's, loaded on every server from the
same seed files: the document names them by slug or username (`WorldPart`) and the import checks
that this server has them. The class's own offers travel whole, keyed by their slug.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field, StringConstraints, model_validator

from sandbox.companies.models import JobKind
from sandbox.exercises.models import ExerciseStatus, ExerciseTemplate, ObjectiveKind, TeamRole
from sandbox.exercises.validation import (
    MAX_PHASES,
    MAX_TEAMS,
    MINUTES_MAX,
    MINUTES_MIN,
    PHASE_NAME_MAX_LENGTH,
    TARGET_MAX,
    TARGET_MIN,
    TEAM_NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from sandbox.jobs.models import COVER_LETTER_MAX_LENGTH, ApplicationStatus
from sandbox.jobs.offers import DESCRIPTION_MAX_LENGTH
from sandbox.reviews.models import ANSWER_MAX_LENGTH
from sandbox.transfer.schema_types import Key, Length, Part, Stamp, Username

# Slugs as the app makes them: lowercase words joined by hyphens.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Score = Annotated[int, Field(ge=1, le=5)]


def _twice(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


class WorldPart(Part):
    """The school's companies, seeded offers and personas the class refers to."""

    companies: list[Slug]
    offers: list[Slug]
    personas: list[Username]


class OfferPart(Part):
    """An offer written in the class (by a teacher or a recruiter student playing a persona)."""

    slug: Slug
    company: Slug
    posted_by: Username | None
    title: Annotated[str, Length(160, 1)]
    kind: JobKind
    city: Annotated[str, Length(80)]
    start_date: date | None
    duration: Annotated[str, Length(60)]
    description: Annotated[str, Length(DESCRIPTION_MAX_LENGTH)]
    is_open: bool
    created_at: Stamp


class ApplicationPart(Part):
    key: Key
    offer: Slug  # an offer of the class, or a seeded offer of `world`
    student: Username
    cover_letter: Annotated[str, Length(COVER_LETTER_MAX_LENGTH)]
    recruiter_email: Annotated[str, Length(254)]
    status: ApplicationStatus
    created_at: Stamp
    updated_at: Stamp
    decided_by: Username | None
    hidden_at: Stamp | None


class SavedOfferPart(Part):
    user: Username
    offer: Slug
    created_at: Stamp


class ReviewPart(Part):
    key: Key
    company: Slug
    author: Username
    recommend: bool
    pride: Score
    growth: Score
    motivation: Score
    fun: Score
    management: Score
    environment: Score
    liked: Annotated[str, Length(ANSWER_MAX_LENGTH)]
    advice: Annotated[str, Length(ANSWER_MAX_LENGTH)]
    created_at: Stamp
    updated_at: Stamp
    hidden_at: Stamp | None
    deleted_at: Stamp | None


class PhasePart(Part):
    position: Annotated[int, Field(ge=0)]
    name: Annotated[str, Length(PHASE_NAME_MAX_LENGTH, 1)]
    minutes: Annotated[int, Field(ge=MINUTES_MIN, le=MINUTES_MAX)]


class TeamPart(Part):
    name: Annotated[str, Length(TEAM_NAME_MAX_LENGTH, 1)]
    role: TeamRole
    company: Slug | None  # the company a recruiter team plays
    members: list[Username]


class ObjectivePart(Part):
    role: TeamRole
    kind: ObjectiveKind
    target: Annotated[int, Field(ge=TARGET_MIN, le=TARGET_MAX)]
    position: Annotated[int, Field(ge=0)]


class ExercisePart(Part):
    """An exercise of the class, as the exercises feature checks them (sandbox.exercises)."""

    key: Key
    title: Annotated[str, Length(TITLE_MAX_LENGTH, 1)]
    template: ExerciseTemplate
    status: ExerciseStatus
    created_by: Username | None
    created_at: Stamp
    started_at: Stamp | None
    finished_at: Stamp | None
    current_phase: int | None
    phase_started_at: Stamp | None
    paused_remaining_seconds: Annotated[int, Field(ge=0, le=MINUTES_MAX * 60)] | None
    phases: Annotated[list[PhasePart], Field(max_length=MAX_PHASES)]
    teams: Annotated[list[TeamPart], Field(max_length=MAX_TEAMS)]
    objectives: list[ObjectivePart]

    @model_validator(mode="after")
    def _consistent(self) -> ExercisePart:
        positions = [phase.position for phase in self.phases]
        if _twice([str(position) for position in positions]):
            raise ValueError(_("Two phases of the exercise “%(key)s” have the same position.",
                               key=self.key))
        if self.current_phase is not None and self.current_phase not in positions:
            raise ValueError(_("The exercise “%(key)s” is at a phase it does not have.",
                               key=self.key))
        names = _twice([team.name for team in self.teams])
        if names:
            raise ValueError(_("The exercise “%(key)s” has several teams called %(names)s.",
                               key=self.key, names=", ".join(names)))
        members = _twice([member for team in self.teams for member in team.members])
        if members:
            raise ValueError(_("In the exercise “%(key)s”, these people are in several teams: "
                               "%(usernames)s.", key=self.key, usernames=", ".join(members)))
        return self
