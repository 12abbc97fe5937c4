"""Offers, applications, saved offers, reviews and exercises move with their class; the
companies, seeded offers and personas they refer to are found on the new server by name."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.classes.models import SchoolClass
from sandbox.cli import cli
from sandbox.companies.models import JobKind, JobOffer
from sandbox.exercises.models import Exercise, ExerciseMember, ExerciseTeam
from sandbox.extensions import db
from sandbox.jobs.models import Application, SavedOffer
from sandbox.reviews.models import CompanyReview
from sandbox.transfer.cli import _omission_line
from sandbox.transfer.document import dump_document
from sandbox.transfer.exporter import export_class
from sandbox.transfer.importer import import_class
from sandbox.transfer.references import TransferError
from tests.conftest import PASSWORD, login_client
from tests.factories import Factories
from tests.transfer.semester import build_semester, make_world


@pytest.fixture
def semester(app, school, factories) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    made = build_semester(school, factories, lambda user: login_client(app, user))
    return {**made, "document": export_class(school["class"]).document}


def _write(tmp_path: Path, document: dict[str, Any]) -> str:
    file = tmp_path / "class.json"
    file.write_text(dump_document(document), encoding="utf-8")
    return str(file)


def test_the_document_names_the_world_and_keys_the_class_things(semester):
    document = semester["document"]
    assert document["class"]["persona_time_compression"] == 30
    assert document["world"] == {"companies": ["transit-lyon"],
                                 "offers": ["transit-lyon-stage-export"],
                                 "personas": ["marc.transit"]}
    [offer] = document["offers"]
    assert (offer["slug"], offer["company"], offer["posted_by"], offer["kind"]) == (
        "transit-lyon-commercial-alternance", "transit-lyon", "marc.transit", "apprenticeship")
    applications = {item["student"]: item for item in document["applications"]}
    assert applications["lea.martin"]["offer"] == "transit-lyon-stage-export"
    assert applications["lea.martin"]["decided_by"] == "prof.durand"
    assert applications["hugo.petit"]["offer"] == offer["slug"]
    assert [(s["user"], s["offer"]) for s in document["saved_offers"]] == [
        ("ines.moreau", "transit-lyon-stage-export"),
        ("lea.martin", "transit-lyon-commercial-alternance")]
    [review] = document["reviews"]
    assert (review["company"], review["author"], review["management"]) == (
        "transit-lyon", "hugo.petit", 2)
    [exercise] = document["exercises"]
    assert [team["members"] for team in exercise["teams"]] == [
        ["hugo.petit", "ines.moreau"], ["lea.martin"]]
    assert exercise["teams"][1]["company"] == "transit-lyon" and exercise["current_phase"] == 1
    # The case about Léa's cover letter, and the events, point at keys of the document.
    lea_key = applications["lea.martin"]["key"]
    case = next(c for c in document["moderation"]["cases"] if c["content_kind"] == "application")
    assert case["content"] == lea_key
    by_kind = {event["kind"]: event for event in document["events"]}
    assert by_kind["applied"]["data"] == {"offer_id": "transit-lyon-stage-export",
                                          "application_id": lea_key}
    assert by_kind["applied"]["subject"] == lea_key
    assert by_kind["review_written"]["data"] == {"company_id": "transit-lyon"}
    created = by_kind["exercise_created"]
    assert (created["user"], created["in_class"], created["data"]["exercise_id"]) == (
        "prof.durand", False, exercise["key"])


def test_after_the_move_they_point_at_the_new_servers_rows(semester, second_app, inside,
                                                           tmp_path):
    file = _write(tmp_path, semester["document"])
    with inside(second_app):
        factories = Factories(PASSWORD)
        factories.make_company(slug="another-company")  # the ids differ from the first server
        world = make_world(factories)
        assert import_class(Path(file).read_bytes()).counts["applications"] == 2
        klass = db.session.scalar(sa.select(SchoolClass))
        assert klass.persona_time_compression == 30
        lea_application = db.session.scalar(
            sa.select(Application).join(Application.student).where(
                Application.offer_id == world["seeded_offer"].id))
        assert lea_application.student.username == "lea.martin"
        offer = db.session.scalar(sa.select(JobOffer).where(JobOffer.class_id == klass.id))
        assert offer.posted_by_id == world["persona"].id
        assert offer.company_id == world["company"].id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedOffer)) == 2
        review = db.session.scalar(sa.select(CompanyReview))
        assert review.company_id == world["company"].id
        exercise = db.session.scalar(sa.select(Exercise))
        assert exercise.class_id == klass.id and exercise.teams[1].company_id == world[
            "company"].id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExerciseMember)) == 3


def test_a_server_without_the_world_refuses_the_class_and_says_what_to_load(
        semester, second_app, inside, tmp_path):
    file = _write(tmp_path, semester["document"])
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(cli, ["import-class", file])
        assert result.exit_code == 1
        for name in ("transit-lyon", "transit-lyon-stage-export", "marc.transit",
                     "sandbox seed"):
            assert name in result.stderr
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 0


def test_a_taken_offer_address_gets_the_next_free_one(semester, second_app, inside, tmp_path):
    file = _write(tmp_path, semester["document"])
    with inside(second_app):
        world = make_world(Factories(PASSWORD))
        db.session.add(JobOffer(slug="transit-lyon-commercial-alternance",
                                company_id=world["company"].id, title="Déjà là",
                                kind=JobKind.APPRENTICESHIP, city="Lyon"))
        db.session.commit()
        assert second_app.test_cli_runner().invoke(cli, ["import-class", file]).exit_code == 0
        moved = db.session.scalar(sa.select(JobOffer).where(JobOffer.class_id.is_not(None)))
        assert moved.slug == "transit-lyon-commercial-alternance-2"
        hugo_application = db.session.scalar(
            sa.select(Application).where(Application.offer_id == moved.id))
        assert hugo_application is not None


def _changed(document: dict[str, Any], change: Any) -> bytes:
    changed = copy.deepcopy(document)
    change(changed)
    return dump_document(changed).encode("utf-8")


def _first(part: str, **values: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        document[part][0].update(values)
    return change


def _team(**values: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["exercises"][0]["teams"][0].update(values)
    return change


def _twice(part: str) -> Any:
    def change(document: dict[str, Any]) -> None:
        document[part].append({**document[part][0], **(
            {"key": "copy-1"} if "key" in document[part][0] else {})})
    return change


REFUSED = {  # a change a hand-edited document may carry, and what the refusal names
    "review-score": (_first("reviews", pride=6), "reviews.0.pride"),
    "application-status": (_first("applications", status="hired"), "applications.0.status"),
    "letter-too-long": (_first("applications", cover_letter="x" * 4001),
                        "applications.0.cover_letter"),
    "phase-minutes": (lambda d: d["exercises"][0]["phases"][0].update(minutes=0), "minutes"),
    "phase-missing": (_first("exercises", current_phase=7), "phase"),
    "compression": (lambda d: d["class"].update(persona_time_compression=0),
                    "persona_time_compression"),
    "offer-slug": (_first("offers", slug="Pas une adresse"), "offers.0.slug"),
    "teacher-in-team": (_team(members=["prof.durand"]), "prof.durand"),
    "same-person-twice": (_team(members=["lea.martin"]), "lea.martin"),
    "applied-twice": (_twice("applications"), "lea.martin"),
    "reviewed-twice": (_twice("reviews"), "transit-lyon"),
    "company-not-listed": (_first("reviews", company="autre-entreprise"), "autre-entreprise"),
    "class-offer-is-a-world-offer": (_first("offers", slug="transit-lyon-stage-export"),
                                     "transit-lyon-stage-export"),
}


@pytest.mark.parametrize(("change", "named"), REFUSED.values(), ids=REFUSED.keys())
def test_what_the_app_never_writes_is_refused(semester, second_app, inside, change, named):
    text = _changed(semester["document"], change)
    with inside(second_app):
        make_world(Factories(PASSWORD))
        with pytest.raises(TransferError) as refused:
            import_class(text)
        assert named in str(refused.value)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_a_version_1_document_is_still_read(app, school, second_app, inside, tmp_path):
    document = export_class(school["class"]).document
    for part in ("world", "offers", "applications", "saved_offers", "reviews", "exercises"):
        del document[part]
    del document["class"]["persona_time_compression"]
    file = _write(tmp_path, {**document, "version": 1})
    with inside(second_app):
        result = second_app.test_cli_runner().invoke(cli, ["import-class", file])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(sa.select(SchoolClass)).persona_time_compression == 60


def test_what_lies_in_another_class_is_left_out_and_counted(app, school, factories):
    world = make_world(factories)
    lea, nina = school["student"], school["other_student"]
    elsewhere = JobOffer(slug="transit-lyon-autre-classe", company_id=world["company"].id,
                         title="Offre d'une autre classe", kind=JobKind.INTERNSHIP, city="Lyon",
                         class_id=school["other_class"].id)
    exercise = Exercise(class_id=school["class"].id, title="Atelier", template="blank")
    db.session.add_all([elsewhere, exercise])
    db.session.flush()
    db.session.add(Application(offer_id=elsewhere.id, student_id=lea.id, cover_letter="…"))
    candidates = ExerciseTeam(exercise_id=exercise.id, name="Candidats", role="candidate")
    db.session.add(candidates)
    db.session.flush()
    db.session.add(ExerciseMember(exercise_id=exercise.id, team_id=candidates.id,
                                  user_id=nina.id))  # she has left the class since
    db.session.commit()
    exported = export_class(school["class"])
    assert exported.document["applications"] == []
    assert exported.document["exercises"][0]["teams"][0]["members"] == []
    assert exported.omitted["offers_elsewhere"] == 1 and exported.omitted["team_members"] == 1
    assert exported.document["world"] == {"companies": [], "offers": [], "personas": []}
    result = app.test_cli_runner().invoke(cli, ["export-class", school["class"].join_code])
    assert _omission_line("offers_elsewhere", 1) in result.stderr.splitlines()
