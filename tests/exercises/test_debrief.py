"""The debrief: each team's actions in order, phase by phase (what a recruiter did as their
company's persona too), the charter's findings during the exercise, what contacts brought;
printable; a student reads their own team's, with their own findings only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.activity.services import record_event
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.exercises import running
from sandbox.extensions import db
from sandbox.network.models import NetworkOutcome, OutcomeKind
from sandbox.posts.models import Audience, Post
from tests.exercises.helpers import add_team, make_exercise, start


def _finding(student: Any, excerpt: str, when: datetime) -> CharterFinding:
    return CharterFinding(user_id=student.id, class_id=student.class_id, content_kind="post",
                          category="sms", severity=Severity.COACH,
                          outcome=FindingOutcome.FIXED, excerpt=excerpt, context=excerpt,
                          context_start=0, context_end=len(excerpt), created_at=when)


@pytest.fixture
def finished(school: dict[str, Any], factories: Any) -> dict[str, Any]:
    """Léa (candidate) and Hugo (recruiting for Halbrane, as Claire) during two phases."""
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    company = factories.make_company()
    claire = factories.make_persona(username="claire.halbrane", company=company)
    exercise = make_exercise(teacher, school["class"], title="Recrutement simulé")
    add_team(teacher, exercise, "Candidats", [lea])
    add_team(teacher, exercise, "Recruteurs", [hugo], company=company)
    start(teacher, exercise, ago=timedelta(minutes=30))
    first = exercise.started_at
    db.session.execute(sa.update(ActivityEvent).where(ActivityEvent.kind == "exercise_started")
                       .values(created_at=first))

    def at(minutes: int, event: ActivityEvent) -> None:
        event.created_at = first + timedelta(minutes=minutes)

    at(3, record_event(lea, "followed_company", company))
    at(4, record_event(lea, "logged_in"))  # nothing to learn from it in a debrief
    db.session.add_all([_finding(lea, "slt", first + timedelta(minutes=5)),
                        _finding(hugo, "bjr", first + timedelta(minutes=6)),
                        _finding(lea, "mdr", first - timedelta(days=1))])  # before: left out
    db.session.add(NetworkOutcome(student_id=lea.id, contact_id=claire.id,
                                  kind=OutcomeKind.APPOINTMENT,
                                  created_at=first + timedelta(minutes=7)))
    db.session.commit()
    running.next_phase(teacher, exercise.id)
    db.session.execute(sa.update(ActivityEvent)
                       .where(ActivityEvent.kind == "exercise_phase_started")
                       .values(created_at=first + timedelta(minutes=15)))
    at(20, record_event(claire, "followed_company", company, played_by=hugo.id))
    at(21, record_event(claire, "unfollowed_company", company))  # Claire on her own
    at(22, record_event(hugo, "followed_hashtag", tag="recrutement"))
    db.session.commit()
    running.finish_exercise(teacher, exercise.id)
    return {**school, "exercise": exercise, "claire": claire, "company": company}


def _team_text(page: str, team: str) -> str:
    """The part of the page about one team."""
    start = page.index(f">{team}")
    end = page.find('<section class="debrief-team"', start)
    return page[start:end if end != -1 else len(page)]


def test_the_teacher_reads_each_teams_actions_in_order_phase_by_phase(finished, client_as):
    s = finished
    response = client_as(s["teacher"]).get(f"/exercises/{s['exercise'].id}/debrief")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    candidates, recruiters = _team_text(page, "Candidats"), _team_text(page, "Recruteurs")
    company = s["company"].name
    assert company in candidates and "Définir le projet" in candidates
    assert "Construire" not in candidates  # Léa did nothing in the second phase
    assert "Logged in" not in candidates and "Connecté" not in candidates
    # Hugo as Claire, under the second phase, before his own follow; not Claire on her own.
    played = recruiters.index("Claire Halbrane")
    assert recruiters.index("Construire") < played < recruiters.index("#recrutement")
    assert "Hugo Petit" in recruiters[recruiters.rindex("<li>", 0, played):played]
    assert recruiters.count(company) >= 2  # the heading, then the follow
    assert "unfollow" not in recruiters.lower() and "ne plus suivre" not in recruiters.lower()
    # Findings during the exercise only, each with its team; what contacts brought.
    assert "slt" in candidates and "mdr" not in candidates and "bjr" in recruiters
    assert "Claire Halbrane" in candidates  # the appointment's contact
    # Printable: a print button, the print rules.
    assert "data-print" in page and "css/exercise.css" in page


def test_a_student_reads_their_own_teams_debrief_with_their_own_findings(finished, client_as):
    s = finished
    page = client_as(s["student"]).get(f"/exercises/{s['exercise'].id}/debrief") \
        .get_data(as_text=True)
    assert "Candidats" in page and "Recruteurs" not in page
    assert "slt" in page and "bjr" not in page
    hugo_page = client_as(s["classmate"]).get(f"/exercises/{s['exercise'].id}/debrief") \
        .get_data(as_text=True)
    assert "Recruteurs" in hugo_page and "slt" not in hugo_page and "bjr" in hugo_page


def test_the_debrief_runs_the_same_queries_whatever_happened(finished, client_as,
                                                             count_queries, factories):
    s = finished
    client = client_as(s["teacher"])
    url = f"/exercises/{s['exercise'].id}/debrief"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    lea = s["student"]
    for number in range(10):
        event = record_event(lea, "followed_hashtag", tag=f"veille{number}")
        event.created_at = s["exercise"].started_at + timedelta(minutes=25)
        db.session.add(_finding(lea, f"svp{number}", event.created_at))
    db.session.commit()
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "#veille9" in page
    assert many.count == few.count



# ---- a student reads their teammates' team work, never their private side ------------------


@pytest.fixture
def teammates(school: dict[str, Any], factories: Any) -> dict[str, Any]:
    """Léa and Hugo in the same team; Hugo reports, overrides the charter, writes privately to
    Nina (another class), keeps a journal; and does team work Léa may read."""
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    nina = school["other_student"]
    company = factories.make_company()
    claire = factories.make_persona(username="claire.halbrane", company=company)
    exercise = make_exercise(teacher, school["class"], title="Réseau en binôme")
    add_team(teacher, exercise, "Binôme", [lea, hugo])
    start(teacher, exercise, ago=timedelta(minutes=30))
    first = exercise.started_at
    shown = Post(author_id=hugo.id, body="Ma veille sur la logistique urbaine.",
                 audience=Audience.NETWORK)
    private = Post(author_id=hugo.id, body="Pour mes relations seulement : mon secret.",
                   audience=Audience.CONNECTIONS)
    db.session.add_all([shown, private])
    db.session.flush()

    def at(minutes: int, event: ActivityEvent) -> None:
        event.created_at = first + timedelta(minutes=minutes)

    # Hugo's private side.
    at(2, record_event(hugo, "content_reported", None, content_kind="post", content_id=shown.id,
                       reason="insult"))
    at(3, record_event(hugo, "charter_override", None, content_kind="post",
                       content_id=shown.id, categories=["sms"]))
    at(4, record_event(hugo, "message_sent", None, recipient_id=nina.id, conversation_id=1))
    at(5, record_event(hugo, "invitation_sent", None, recipient_id=nina.id, personal=True))
    at(6, record_event(hugo, "outcome_recorded", None, outcome="appointment",
                       contact_id=claire.id))
    at(7, record_event(hugo, "post_created", private, audience="connections"))
    db.session.add(NetworkOutcome(student_id=hugo.id, contact_id=claire.id,
                                  kind=OutcomeKind.APPOINTMENT,
                                  created_at=first + timedelta(minutes=8)))
    # Hugo's team work.
    at(10, record_event(hugo, "followed_company", company))
    at(11, record_event(hugo, "message_sent", None, recipient_id=claire.id, conversation_id=2))
    at(12, record_event(hugo, "post_created", shown, audience="network"))
    # Léa's own, private side included: hers to read.
    at(13, record_event(lea, "content_reported", None, content_kind="post", content_id=shown.id,
                        reason="spam"))
    at(14, record_event(lea, "followed_hashtag", tag="logistique"))
    db.session.add(NetworkOutcome(student_id=lea.id, contact_id=claire.id,
                                  kind=OutcomeKind.ADVICE,
                                  created_at=first + timedelta(minutes=15)))
    db.session.commit()
    running.finish_exercise(teacher, exercise.id)
    return {**school, "exercise": exercise, "claire": claire, "company": company}


def _debrief_of(client_as: Any, user: Any, exercise: Any) -> str:
    response = client_as(user).get(f"/exercises/{exercise.id}/debrief")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_student_does_not_read_a_teammates_private_side(teammates, client_as):
    s = teammates
    page = _debrief_of(client_as, s["student"], s["exercise"])
    # Hugo's report, charter override, private partner, journal: none of it.
    assert page.count("A signalé un contenu") == 1  # Léa's own report
    assert "malgré le conseil de la charte" not in page
    assert "Nina" not in page
    assert "A noté dans son journal" not in page
    assert "mon secret" not in page and "A publié pour ses relations" not in page
    assert "Un rendez-vous" not in page  # Hugo's journal, in what contacts brought
    assert "Des conseils" in page  # Léa's own
    # His team work stays, and Léa's own lines.
    assert "A commencé à suivre l’entreprise" in page
    assert "A envoyé un message à Claire Halbrane" in page
    assert "Ma veille sur la logistique urbaine." in page
    assert "#logistique" in page


def test_a_teammate_reads_only_their_own_private_side_too(teammates, client_as):
    s = teammates
    page = _debrief_of(client_as, s["classmate"], s["exercise"])
    # Hugo reads his own lines, Léa's report is not his to read.
    assert page.count("A signalé un contenu") == 1
    assert "malgré le conseil de la charte" in page
    assert "A noté dans son journal" in page


def test_the_teacher_still_reads_everything(teammates, client_as):
    s = teammates
    page = _debrief_of(client_as, s["teacher"], s["exercise"])
    assert page.count("A signalé un contenu") == 2
    assert "malgré le conseil de la charte" in page
    assert "A envoyé un message à Nina Roux" in page
    assert "A noté dans son journal" in page
    assert "A publié pour ses relations" in page
    assert "Un rendez-vous" in page and "Des conseils" in page


def test_recruiters_read_what_a_teammate_did_as_their_persona(school, factories, client_as):
    """The team dealt with the class's candidates as Claire: that shows; Hugo's own private
    message to the same candidate does not."""
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    ines = factories.make_student(school["class"], username="ines.candidate")
    company = factories.make_company()
    claire = factories.make_persona(username="claire.halbrane", company=company)
    exercise = make_exercise(teacher, school["class"], title="Recrutement à deux")
    add_team(teacher, exercise, "Recruteurs", [lea, hugo], company=company)
    add_team(teacher, exercise, "Candidats", [ines])
    start(teacher, exercise, ago=timedelta(minutes=30))
    first = exercise.started_at
    played = record_event(claire, "message_sent", None, recipient_id=ines.id, conversation_id=1,
                          played_by=hugo.id)
    played.created_at = first + timedelta(minutes=2)
    own = record_event(hugo, "invitation_sent", None, recipient_id=ines.id, personal=True)
    own.created_at = first + timedelta(minutes=3)
    db.session.commit()
    running.finish_exercise(teacher, exercise.id)

    page = _team_text(_debrief_of(client_as, lea, exercise), "Recruteurs")
    assert "A envoyé un message à Ines Candidate" in page and "Claire Halbrane" in page
    assert "A invité Ines Candidate" not in page and "Invited" not in page
    staff = _team_text(_debrief_of(client_as, teacher, exercise), "Recruteurs")
    assert "A invité Ines Candidate" in staff
