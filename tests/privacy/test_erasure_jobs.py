"""Erasing a student in the job offers, reviews, exercises and personas' plans: what is hers
goes, what she did for a company or the class stays without her."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.companies.models import JobOffer
from sandbox.exercises.models import Exercise, ExerciseMember, ExercisePhase, ExerciseTeam
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.moderation.models import AuditEntry, ModerationCase
from sandbox.personas.models import Persona, ScheduledAction
from sandbox.privacy.erasure import erase_student, erasure_preview
from sandbox.reviews.models import CompanyReview
from tests.privacy.builders import MARKER, busy_student

BLANKED = "•" * len(f"Lea {MARKER}")


@pytest.fixture
def erased(school: dict[str, Any]) -> dict[str, Any]:
    made = busy_student(school)
    lea = school["student"]
    lea_id = lea.id
    ids = {name: made[name].id for name in (
        "seeded_offer", "class_offer", "exercise", "lea_application", "hugo_application",
        "lea_review", "hugo_review", "recruiters", "candidates")}
    preview = erasure_preview(school["teacher"], school["class"].id, lea.id)
    erase_student(school["teacher"], school["class"].id, lea.id, lea.username)
    db.session.expire_all()
    return {**ids, "lea_id": lea_id, "preview": preview.counts}


def _count(model: type, *conditions: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_the_preview_counts_her_applications_and_reviews(erased):
    assert erased["preview"]["applications"] == 1 and erased["preview"]["reviews"] == 1


def test_her_applications_reviews_saved_offers_and_teams_go(erased):
    lea_id = erased["lea_id"]
    assert db.session.get(Application, erased["lea_application"]) is None
    assert db.session.get(CompanyReview, erased["lea_review"]) is None
    assert _count(SavedOffer, SavedOffer.user_id == lea_id) == 0
    assert _count(ExerciseMember, ExerciseMember.user_id == lea_id) == 0
    # The case about her cover letter went with it.
    assert _count(ModerationCase) == 0
    # What a persona had planned about her goes; its other plans stay, without her name.
    actions = db.session.scalars(sa.select(ScheduledAction)).all()
    assert [action.kind for action in actions] == ["persona_post"]
    assert actions[0].payload == {"text": f"Bravo à {BLANKED} et à Hugo !"}


def test_what_she_did_for_a_company_or_the_class_stays_without_her(erased, school):
    hugo_application = db.session.get(Application, erased["hugo_application"])
    assert hugo_application.decided_by_id is None
    assert hugo_application.status.value == "interview"  # the company's decision stays
    assert hugo_application.cover_letter == f"{BLANKED} m'a parlé de cette offre."
    persona = db.session.get(Persona, school["persona"].id)
    assert persona.taken_over_by_id is None and persona.autopilot  # acts on its own again
    exercise = db.session.get(Exercise, erased["exercise"])
    assert exercise.created_by_id == school["teacher"].id
    assert exercise.title == f"Recrutement avec {BLANKED}"
    assert db.session.get(ExerciseTeam, erased["candidates"]).name == f"Équipe {BLANKED}"
    assert db.session.scalar(sa.select(ExercisePhase.name)) == f"Entretiens de {BLANKED}"
    review = db.session.get(CompanyReview, erased["hugo_review"])
    assert review.liked == f"Stage fait avec {BLANKED}, super."


def test_an_offer_written_in_class_stays_and_loses_her_name_even_in_its_address(erased):
    offer = db.session.get(JobOffer, erased["class_offer"])
    assert offer.title == f"Stage tutoré par {BLANKED}"
    assert offer.description == f"Vous travaillerez avec {BLANKED}."
    assert offer.slug == "stage-tutore-par" and MARKER.lower() not in offer.slug
    assert db.session.get(JobOffer, erased["seeded_offer"]).slug == "stage-export-lyon"


def test_the_personas_events_no_longer_say_it_was_her(erased, school):
    events = db.session.scalars(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "application_processed").order_by(ActivityEvent.id)).all()
    about_her, played_by_her = events
    assert about_her.user_id == school["persona"].id
    assert about_her.subject_id is None and about_her.data == {
        "offer_id": erased["seeded_offer"], "status": "shortlisted"}
    assert played_by_her.subject_id == erased["hugo_application"]
    assert "played_by" not in played_by_her.data
    assert played_by_her.data["student_id"] == school["classmate"].id


def test_two_teams_blanked_to_the_same_name_keep_distinct_names(school):
    lea = school["student"]
    lea.first_name, lea.last_name, lea.pseudonym = "Zoé", "Marchand", None
    exercise = Exercise(class_id=school["class"].id, title="Atelier", template="blank")
    first = ExerciseTeam(name="Équipe Zoé Marchand", role="candidate")
    second = ExerciseTeam(name="Équipe ZOÉ MARCHAND", role="candidate")
    exercise.teams.extend([first, second])
    db.session.add(exercise)
    db.session.commit()
    erase_student(school["teacher"], school["class"].id, lea.id, lea.username)
    db.session.expire_all()
    names = sorted(db.session.scalars(sa.select(ExerciseTeam.name)))
    assert names == [f"Équipe {'•' * 12}", f"Équipe {'•' * 12} 2"]


def test_a_teachers_audit_entry_about_her_keeps_the_action_not_her(erased, school):
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "played_as"))
    assert entry.actor_id == school["teacher"].id
    assert entry.content_id is None
    assert entry.data == {"persona_id": school["persona"].id,
                          "offer_id": erased["seeded_offer"], "status": "shortlisted"}
