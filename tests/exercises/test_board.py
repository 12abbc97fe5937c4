"""The live board: each team's progress on its role's objectives, measured from what its
members did since the start (and, for recruiters, what they did as their company's personas),
in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sandbox.activity.services import record_event
from sandbox.exercises import running
from sandbox.exercises.models import ObjectiveKind, TeamRole
from sandbox.exercises.progress import build_board, load_exercise
from sandbox.extensions import db
from sandbox.network.services import connect
from tests.exercises.helpers import add_objective, add_team, make_exercise, start


def _progress(board: Any, team_name: str) -> dict[str, tuple[int, int, bool]]:
    team = next(t for t in board.teams if t.team.name == team_name)
    return {line.objective.kind.value: (line.done, line.goal, line.met)
            for line in team.objectives}


@pytest.fixture
def recruitment(school: dict[str, Any], factories: Any) -> dict[str, Any]:
    """Léa and Hugo candidates; Inès recruits for Halbrane (played by Claire); Daniel is a
    persona of another company."""
    teacher, klass = school["teacher"], school["class"]
    halbrane, other = factories.make_company(), factories.make_company()
    ines = factories.make_student(klass, username="ines.morel")
    claire = factories.make_persona(username="claire.halbrane", company=halbrane)
    daniel = factories.make_persona(username="daniel.autre", company=other)
    exercise = make_exercise(teacher, klass)
    add_team(teacher, exercise, "Candidats", [school["student"], school["classmate"]])
    add_team(teacher, exercise, "Recruteurs", [ines], company=halbrane)
    for role, kind, target in (
            (TeamRole.CANDIDATE, ObjectiveKind.PROFILE_COMPLETENESS, 50),
            (TeamRole.CANDIDATE, ObjectiveKind.PERSONAL_INVITATIONS, 2),
            (TeamRole.CANDIDATE, ObjectiveKind.CONNECTIONS, 1),
            (TeamRole.CANDIDATE, ObjectiveKind.APPLICATIONS, 1),
            (TeamRole.CANDIDATE, ObjectiveKind.OUTCOMES, 2),
            (TeamRole.RECRUITER, ObjectiveKind.OFFERS_POSTED, 1),
            (TeamRole.RECRUITER, ObjectiveKind.SHORTLISTED, 2),
            (TeamRole.RECRUITER, ObjectiveKind.DECISIONS, 1),
            (TeamRole.RECRUITER, ObjectiveKind.MESSAGES, 1)):
        add_objective(teacher, exercise, role, kind, target)
    # Before the start: does not count.
    early = record_event(school["student"], "invitation_sent", recipient_id=claire.id,
                         personal=True)
    db.session.commit()
    early.created_at -= timedelta(hours=1)
    db.session.commit()
    start(teacher, exercise)
    return {**school, "exercise": exercise, "ines": ines, "claire": claire, "daniel": daniel}


def test_each_objective_counts_what_the_team_did_since_the_start(recruitment):
    s = recruitment
    lea, hugo, ines, claire = s["student"], s["classmate"], s["ines"], s["claire"]
    record_event(lea, "invitation_sent", recipient_id=claire.id, personal=True)
    record_event(hugo, "invitation_sent", recipient_id=claire.id, personal=False)
    record_event(hugo, "invitation_sent", recipient_id=lea.id, personal=True)
    record_event(lea, "applied", offer_id=1, application_id=1)
    record_event(lea, "outcome_recorded", outcome="advice", contact_id=claire.id)
    record_event(hugo, "gift_received", outcome="appointment", contact_id=claire.id)
    connect(lea, claire)
    # Inès, playing Claire: counts for the recruiters.
    record_event(claire, "offer_posted", offer_id=1, company_id=1, played_by=ines.id)
    record_event(claire, "application_processed", status="shortlisted", played_by=ines.id)
    record_event(claire, "application_processed", status="offer", played_by=ines.id)
    record_event(ines, "message_sent", recipient_id=lea.id)
    # Not theirs: Claire on her own, another company's persona, a candidate playing Claire.
    record_event(claire, "application_processed", status="shortlisted")
    record_event(s["daniel"], "application_processed", status="shortlisted", played_by=ines.id)
    record_event(claire, "application_processed", status="shortlisted", played_by=lea.id)
    lea.profile.headline = "Assistante commerce international"
    lea.profile.about = "J’aime le transport international et les langues étrangères. " * 2
    lea.profile.city = "Lyon"
    lea.profile.photo_path = "avatars/lea.webp"
    db.session.commit()

    exercise = load_exercise(s["exercise"].id)
    board = build_board(exercise)
    assert _progress(board, "Candidats") == {
        "profile_completeness": (1, 2, False),  # Léa reached 50 %, Hugo not yet
        "personal_invitations": (2, 2, True),
        "connections": (1, 1, True),
        "applications": (1, 1, True),
        "outcomes": (2, 2, True),
    }
    assert _progress(board, "Recruteurs") == {
        "offers_posted": (1, 1, True),
        "shortlisted": (1, 2, False),
        "decisions": (1, 1, True),
        "messages": (1, 1, True),
    }
    recruiters = next(t for t in board.teams if t.team.name == "Recruteurs")
    assert [persona.id for persona in recruiters.personas] == [claire.id]
    assert recruiters.met == 3


def test_the_board_stops_counting_at_the_finish(recruitment):
    s = recruitment
    running.finish_exercise(s["teacher"], s["exercise"].id)
    record_event(s["student"], "applied", offer_id=1, application_id=1)
    db.session.commit()
    board = build_board(load_exercise(s["exercise"].id))
    assert _progress(board, "Candidats")["applications"] == (0, 1, False)


def test_a_member_sees_their_own_team_only(recruitment, client_as):
    s = recruitment
    page = client_as(s["student"]).get(f"/exercises/{s['exercise'].id}").get_data(as_text=True)
    assert "Candidats" in page and "Recruteurs" not in page
    board = client_as(s["teacher"]).get(f"/exercises/{s['exercise'].id}?fragment=board")
    text = board.get_data(as_text=True)
    assert "Candidats" in text and "Recruteurs" in text and "<html" not in text


def _grow(school: dict[str, Any], factories: Any, exercise: Any, teams: int) -> None:
    """More teams of three, every other one recruiting for a company of its own."""
    for number in range(teams):
        company = factories.make_company()
        factories.make_persona(company=company)
        students = [factories.make_student(school["class"]) for _ in range(3)]
        add_team(school["teacher"], exercise, f"Équipe {number}", students,
                 company=company if number % 2 else None)
    db.session.commit()


def _prepared(school: dict[str, Any], title: str) -> Any:
    exercise = make_exercise(school["teacher"], school["class"], title=title)
    for role, kind, target in ((TeamRole.CANDIDATE, ObjectiveKind.PROFILE_COMPLETENESS, 80),
                               (TeamRole.CANDIDATE, ObjectiveKind.COMMENTS, 2),
                               (TeamRole.RECRUITER, ObjectiveKind.SHORTLISTED, 2)):
        add_objective(school["teacher"], exercise, role, kind, target)
    return exercise


def test_the_board_page_runs_the_same_queries_whatever_its_size(school, factories, client_as,
                                                                count_queries):
    small, big = _prepared(school, "Petit"), _prepared(school, "Grand")
    add_team(school["teacher"], small, "Seule", [school["student"]])
    _grow(school, factories, big, teams=6)
    start(school["teacher"], small)
    start(school["teacher"], big, ago=timedelta(minutes=1))
    for team in big.teams:
        for member in team.members:
            record_event(member.user, "commented", post_id=1)
    db.session.commit()
    client = client_as(school["teacher"])
    client.get(f"/exercises/{small.id}")
    counts = {}
    for exercise in (small, big):
        url = f"/exercises/{exercise.id}"
        with count_queries() as page:
            response = client.get(url)
        assert response.status_code == 200
        with count_queries() as board:
            client.get(f"{url}?fragment=board")
        counts[exercise.title] = (page.count, board.count)
    assert "Équipe 5" in response.get_data(as_text=True)
    assert counts["Grand"] == counts["Petit"], counts
