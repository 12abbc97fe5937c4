"""The exercise templates (seed/exercises.yaml): the workshop's groups and the recruitment,
checked when read; a teacher's exercise made from one gets its phases, teams and objectives."""

from __future__ import annotations

import shutil

import pytest
from flask_babel import force_locale

from sandbox.exercises.models import ExerciseTemplate, ObjectiveKind, TeamRole
from sandbox.exercises.services import create_exercise
from sandbox.exercises.templates_data import exercise_templates, read_templates
from sandbox.seeding.files import SeedError, seed_dir


def test_every_template_is_there_with_its_phases_teams_and_objectives():
    templates = exercise_templates()
    assert list(templates) == [
        ExerciseTemplate.CREATE_IDENTITY, ExerciseTemplate.MANAGE_IDENTITY,
        ExerciseTemplate.PROFESSIONAL_WATCH, ExerciseTemplate.RECRUITMENT, ExerciseTemplate.BLANK]
    for key in (ExerciseTemplate.CREATE_IDENTITY, ExerciseTemplate.MANAGE_IDENTITY,
                ExerciseTemplate.PROFESSIONAL_WATCH):
        template = templates[key]
        # The source's timing: define 15, build 45, present 15 per group, synthesis 15.
        assert [template.phase_minutes(p) for p in template.phases] == [15, 45, 30, 15]
        assert template.teams and template.objectives
    recruitment = templates[ExerciseTemplate.RECRUITMENT]
    roles = {team.role for team in recruitment.teams}
    assert roles == {TeamRole.RECRUITER, TeamRole.CANDIDATE}
    goals = {(o.role, o.kind): o.target for o in recruitment.objectives}
    assert goals[(TeamRole.CANDIDATE, ObjectiveKind.PROFILE_COMPLETENESS)] == 80
    assert goals[(TeamRole.CANDIDATE, ObjectiveKind.PERSONAL_INVITATIONS)] == 3
    assert goals[(TeamRole.CANDIDATE, ObjectiveKind.APPLICATIONS)] == 1
    assert goals[(TeamRole.RECRUITER, ObjectiveKind.SHORTLISTED)] == 3
    assert (TeamRole.RECRUITER, ObjectiveKind.OFFERS_POSTED) in goals
    assert (TeamRole.RECRUITER, ObjectiveKind.DECISIONS) in goals
    blank = templates[ExerciseTemplate.BLANK]
    assert not blank.phases and not blank.teams and not blank.objectives


@pytest.mark.parametrize("change, problem", [
    ("minutes: 45}", "minutes: 0}"),
    ("role: recruiter, company: halbrane-transit}", "role: recruiter}"),
    ("company: halbrane-transit}", "company: no-such-company}"),
    ("{role: recruiter, kind: offers_posted, target: 1}",
     "{role: candidate, kind: offers_posted, target: 1}"),
])
def test_a_template_that_does_not_fit_is_refused_with_where(tmp_path, change, problem):
    for name in ("exercises.yaml", "companies.yaml", "personas.yaml"):
        shutil.copy(seed_dir() / name, tmp_path / name)
    path = tmp_path / "exercises.yaml"
    text = path.read_text(encoding="utf-8")
    assert change in text
    path.write_text(text.replace(change, problem, 1), encoding="utf-8")
    with pytest.raises(SeedError, match="exercises.yaml"):
        read_templates(tmp_path)


def test_an_exercise_from_the_recruitment_template(school, factories):
    halbrane = factories.make_company(slug="halbrane-transit")
    with force_locale("en"):
        exercise = create_exercise(school["teacher"], school["class"].id, "recruitment")
    assert exercise.title == "Simulated recruitment"
    assert [(p.position, p.minutes) for p in exercise.phases] == [
        (1, 20), (2, 30), (3, 30), (4, 15), (5, 15)]
    recruiters = [team for team in exercise.teams if team.role is TeamRole.RECRUITER]
    # The school has one of the two companies: the other team waits for the teacher's choice.
    assert [team.company for team in recruiters] == [halbrane, None]
    assert recruiters[0].name == "Halbrane recruiters"
    assert len(exercise.objectives) == 7


def test_names_follow_the_teachers_language(school):
    exercise = create_exercise(school["teacher"], school["class"].id, "create_identity")
    assert exercise.title == "Créer son identité numérique"
    assert exercise.phases[0].name == "Définir le projet"
    assert [team.name for team in exercise.teams] == ["Équipe 1", "Équipe 2"]
