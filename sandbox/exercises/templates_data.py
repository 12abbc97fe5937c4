"""The exercise templates (seed/exercises.yaml): their shape, checked when read, once per process.

A template that does not fit (a phase of 0 minutes, a recruiter team with no company, an
objective a role cannot reach, a company the seed does not have…) stops the app with the path
of the problem rather than giving a teacher a broken exercise.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from sandbox.exercises.models import ExerciseTemplate, ObjectiveKind, TeamRole
from sandbox.exercises.validation import (
    MAX_PHASES,
    MAX_TEAMS,
    MINUTES_MAX,
    MINUTES_MIN,
    PHASE_NAME_MAX_LENGTH,
    TEAM_NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    kinds_for,
)
from sandbox.seeding.files import SeedError, _read, _read_yaml, read_network_seed
from sandbox.seeding.schemas import SeedModel, Slug, Text


PhaseName = Annotated[str, StringConstraints(min_length=1, max_length=PHASE_NAME_MAX_LENGTH,
                                              strip_whitespace=True)]
TeamName = Annotated[str, StringConstraints(min_length=1, max_length=TEAM_NAME_MAX_LENGTH,
                                             strip_whitespace=True)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH,
                                          strip_whitespace=True)]


class PhaseSeed(SeedModel):
    name_fr: PhaseName
    name_en: PhaseName
    minutes: Annotated[int, Field(ge=MINUTES_MIN, le=MINUTES_MAX)]
    # The source's "15 minutes of presentation per group": times the template's teams.
    per_team: bool = False


class TeamSeed(SeedModel):
    name_fr: TeamName
    name_en: TeamName
    role: TeamRole
    company: Slug | None = None

    @model_validator(mode="after")
    def recruiters_play_a_company(self) -> TeamSeed:
        if (self.role is TeamRole.RECRUITER) != (self.company is not None):
            raise ValueError("a recruiter team names a company; a candidate team does not")
        return self


class ObjectiveSeed(SeedModel):
    role: TeamRole
    kind: ObjectiveKind
    target: Annotated[int, Field(ge=1, le=100)]

    @model_validator(mode="after")
    def the_role_can_reach_it(self) -> ObjectiveSeed:
        if self.kind not in kinds_for(self.role):
            raise ValueError(f"{self.role.value} teams cannot have a {self.kind.value} objective")
        return self


class TemplateSeed(SeedModel):
    key: ExerciseTemplate
    title_fr: Title
    title_en: Title
    summary_fr: Text
    summary_en: Text
    phases: Annotated[list[PhaseSeed], Field(max_length=MAX_PHASES)]
    teams: Annotated[list[TeamSeed], Field(max_length=MAX_TEAMS)]
    objectives: list[ObjectiveSeed]

    @model_validator(mode="after")
    def names_and_objectives_are_unique(self) -> TemplateSeed:
        for language in ("fr", "en"):
            names = [getattr(team, f"name_{language}") for team in self.teams]
            if len(set(names)) != len(names):
                raise ValueError(f"two teams have the same name ({language})")
        pairs = [(objective.role, objective.kind) for objective in self.objectives]
        if len(set(pairs)) != len(pairs):
            raise ValueError("an objective is set twice for the same role")
        companies = [team.company for team in self.teams if team.company]
        if len(set(companies)) != len(companies):
            raise ValueError("two recruiter teams play the same company")
        return self

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def summary(self, language: str) -> str:
        return self.summary_en if language == "en" else self.summary_fr

    def phase_minutes(self, phase: PhaseSeed) -> int:
        """The phase's minutes, times the teams for a per-team phase (within the limits)."""
        if not phase.per_team:
            return phase.minutes
        return min(MINUTES_MAX, phase.minutes * max(1, len(self.teams)))


class TemplatesSeed(SeedModel):
    templates: list[TemplateSeed]

    @model_validator(mode="after")
    def one_of_each(self) -> TemplatesSeed:
        keys = [template.key for template in self.templates]
        if sorted(keys) != sorted(ExerciseTemplate):
            raise ValueError(f"one template per kind is needed: {sorted(ExerciseTemplate)}")
        return self


def read_templates(directory: Path | None = None) -> TemplatesSeed:
    """Read and check seed/exercises.yaml, including its companies against seed/companies.yaml."""
    templates = _read(TemplatesSeed, _read_yaml("exercises.yaml", directory),
                      "seed/exercises.yaml")
    known = {company.slug for company in read_network_seed(directory).companies}
    for template in templates.templates:
        unknown = sorted({team.company for team in template.teams if team.company} - known)
        if unknown:
            raise SeedError(f"seed/exercises.yaml: {template.key.value}: unknown companies "
                            f"{unknown}")
    return templates


@cache
def exercise_templates() -> dict[ExerciseTemplate, TemplateSeed]:
    """The templates by key, in the file's order (read once per process)."""
    return {template.key: template for template in read_templates().templates}
