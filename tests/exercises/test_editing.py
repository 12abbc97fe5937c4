"""Preparing an exercise: phases, teams, members and objectives, each change checked with a
clear message and nothing half-written; most of it frozen once the exercise has started."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.exercises import services, teams
from sandbox.exercises.models import Exercise, ExerciseMember, ObjectiveKind, TeamRole
from sandbox.extensions import db
from tests.exercises.helpers import add_team, make_exercise, start


def _message(error: pytest.ExceptionInfo) -> str:
    with force_locale("en"):
        return str(error.value.message)


def test_phases_are_added_edited_moved_and_removed_in_order(school):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"], phases=(("A", 10), ("B", 20), ("C", 30)))
    b = exercise.phases[1]
    services.move_phase(teacher, exercise.id, b.id, "up")
    assert [(p.position, p.name) for p in exercise.phases] == [(1, "B"), (2, "A"), (3, "C")]
    services.move_phase(teacher, exercise.id, b.id, "up")  # already first: nothing moves
    services.update_phase(teacher, exercise.id, b.id, "  Brainstorm   en équipe ", "25")
    services.remove_phase(teacher, exercise.id, exercise.phases[1].id)
    db.session.expire_all()
    assert [(p.position, p.name, p.minutes) for p in exercise.phases] == [
        (1, "Brainstorm en équipe", 25), (2, "C", 30)]


@pytest.mark.parametrize("minutes", ["0", "241", "dix", "", "1.5", "-3"])
def test_a_phase_lasts_from_1_to_240_whole_minutes(school, minutes):
    exercise = make_exercise(school["teacher"], school["class"], phases=())
    with pytest.raises(ServiceError) as error:
        services.add_phase(school["teacher"], exercise.id, "Construire", minutes)
    assert error.value.field == "minutes"
    assert "1 to 240 minutes" in _message(error)
    db.session.rollback()
    assert db.session.get(Exercise, exercise.id).phases == []


def test_recruiter_teams_play_one_company_each_and_names_are_unique(school, factories):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])
    company = factories.make_company()
    with pytest.raises(ServiceError) as error:
        teams.add_team(teacher, exercise.id, "Recruteurs", "recruiter", "")
    assert error.value.field == "company_id"
    assert "company this recruiter team plays" in _message(error)
    teams.add_team(teacher, exercise.id, "Recruteurs", "recruiter", company.id)
    with pytest.raises(ServiceError) as error:
        teams.add_team(teacher, exercise.id, "recruteurs", "candidate")
    assert "already has this name" in _message(error)
    with pytest.raises(ServiceError) as error:
        teams.add_team(teacher, exercise.id, "Autres recruteurs", "recruiter", str(company.id))
    assert company.name in _message(error)
    with pytest.raises(ServiceError) as error:
        teams.add_team(teacher, exercise.id, "Équipe", "manager")
    assert error.value.field == "role"
    # A candidate team plays no company, whatever was sent.
    candidates = teams.add_team(teacher, exercise.id, "Candidats", "candidate", company.id)
    assert candidates.company_id is None


def test_members_are_students_of_the_class_in_one_team_at_most(school):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"])
    first = add_team(teacher, exercise, "Équipe 1", [lea])
    second = add_team(teacher, exercise, "Équipe 2", [])
    teams.assign_member(teacher, exercise.id, lea.id, second.id)  # moved, not duplicated
    places = db.session.scalars(sa.select(ExerciseMember).where(
        ExerciseMember.exercise_id == exercise.id)).all()
    assert [(m.user_id, m.team_id) for m in places] == [(lea.id, second.id)]
    for outsider in (school["other_student"], school["teacher"], school["persona"]):
        with pytest.raises(ServiceError) as error:
            teams.assign_member(teacher, exercise.id, outsider.id, first.id)
        assert error.value.field == "student_id"
        assert "student of the class" in _message(error)
    with pytest.raises(ServiceError) as error:
        teams.assign_member(teacher, exercise.id, lea.id, 999999)
    assert error.value.field == "team_id"


def test_objectives_fit_the_role_once_each_with_a_sensible_target(school):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])

    def add(role: str, kind: str, target: str) -> str:
        with pytest.raises(ServiceError) as error:
            services.add_objective(teacher, exercise.id, role, kind, target)
        return _message(error)

    assert "Only recruiters" in add("candidate", "offers_posted", "1")
    assert "Only candidates" in add("recruiter", "applications", "1")
    assert "percentage" in add("candidate", "profile_completeness", "120")
    assert "from 1 to 100" in add("candidate", "posts", "0")
    assert "what the objective counts" in add("candidate", "likes", "3")
    services.add_objective(teacher, exercise.id, "candidate", "personal_invitations", "3")
    assert "already has this objective" in add("candidate", "personal_invitations", "5")
    services.add_objective(teacher, exercise.id, "recruiter", "shortlisted", "3")
    assert [(o.role, o.kind, o.target) for o in exercise.objectives] == [
        (TeamRole.CANDIDATE, ObjectiveKind.PERSONAL_INVITATIONS, 3),
        (TeamRole.RECRUITER, ObjectiveKind.SHORTLISTED, 3)]


def test_once_started_only_members_change(school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    exercise = make_exercise(teacher, school["class"])
    team = add_team(teacher, exercise, "Équipe 1", [lea])
    start(teacher, exercise)
    phase = exercise.phases[0]
    for change in (lambda: services.add_phase(teacher, exercise.id, "Encore", 5),
                   lambda: services.update_phase(teacher, exercise.id, phase.id, "X", 5),
                   lambda: services.add_objective(teacher, exercise.id, "candidate", "posts", 1),
                   lambda: teams.add_team(teacher, exercise.id, "Équipe 2", "candidate"),
                   lambda: teams.remove_team(teacher, exercise.id, team.id)):
        with pytest.raises(ServiceError):
            change()
    teams.assign_member(teacher, exercise.id, hugo.id, team.id)  # arrived late
    assert {m.user_id for m in db.session.get(Exercise, exercise.id).teams[0].members} == {
        lea.id, hugo.id}


def test_only_the_classs_staff_prepare_it(school):
    exercise = make_exercise(school["teacher"], school["class"])
    with pytest.raises(NotFound):
        services.add_phase(school["other_teacher"], exercise.id, "Phase", 10)
    with pytest.raises(NotFound):
        services.add_phase(school["student"], exercise.id, "Phase", 10)
    services.add_phase(school["admin"], exercise.id, "Phase", 10)
    with pytest.raises(PermissionDenied):
        services.create_exercise(school["other_teacher"], school["class"].id, "blank")


def test_the_editor_shows_each_mistake_beside_its_field(school, client_as):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])
    client = client_as(teacher)
    response = client.post(f"/exercises/{exercise.id}/phases",
                           data={"new-phase-name": "", "new-phase-minutes": "300"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Both mistakes at once, each beside its field (the French catalogue comes with the lead).
    assert 'id="new-phase-name-error"' in page and 'id="new-phase-minutes-error"' in page
    assert 'aria-invalid="true"' in page
    assert len(db.session.get(Exercise, exercise.id).phases) == 2
    response = client.post(f"/exercises/{exercise.id}/phases",
                           data={"new-phase-name": "Synthèse", "new-phase-minutes": "15"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/exercises/{exercise.id}/edit#phases")
    db.session.expire_all()
    assert [p.name for p in db.session.get(Exercise, exercise.id).phases][-1] == "Synthèse"


def test_a_teacher_creates_an_exercise_from_the_class_page(school, client_as):
    client = client_as(school["teacher"])
    page = client.get(f"/classes/{school['class'].id}/exercises")
    assert page.status_code == 200
    assert "Recrutement simulé" in page.get_data(as_text=True)
    response = client.post(f"/classes/{school['class'].id}/exercises",
                           data={"template": "professional_watch", "title": ""})
    assert response.status_code == 302
    exercise = db.session.scalar(sa.select(Exercise))
    assert exercise.title == "Utiliser le réseau pour sa veille professionnelle"
    assert response.headers["Location"] == f"/exercises/{exercise.id}/edit"
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Construire sa veille" in editor and "Équipe 2" in editor
    refused = client.post(f"/classes/{school['class'].id}/exercises", data={"template": "quiz"})
    assert refused.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Exercise)) == 1


def test_a_draft_or_finished_exercise_is_deleted_with_its_teams_not_a_live_one(school,
                                                                              client_as):
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [school["student"]])
    start(teacher, exercise)
    exercise_id = exercise.id
    client = client_as(teacher)
    refused = client.post(f"/exercises/{exercise_id}/delete")
    assert refused.headers["Location"] == f"/exercises/{exercise_id}"
    assert db.session.get(Exercise, exercise_id) is not None
    client.post(f"/exercises/{exercise_id}/finish")
    deleted = client.post(f"/exercises/{exercise_id}/delete")
    assert deleted.headers["Location"] == f"/classes/{school['class'].id}/exercises"
    db.session.expire_all()
    assert db.session.get(Exercise, exercise_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExerciseMember)) == 0
    assert client.get(f"/exercises/{exercise_id}").status_code == 404
