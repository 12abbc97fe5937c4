"""Offers written in class: posted as a persona by a teacher or a recruiter student, for one
class only, through the charter when a student writes them."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.gate import CharterRefusal
from sandbox.companies.models import JobKind, JobOffer
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.jobs.offers import post_offer
from sandbox.jobs.search import parse_filters, search_offers
from tests.jobs.conftest import recruitment

DESCRIPTION = ("Vous accueillerez nos clients en boutique, les conseillerez sur nos séjours et "
               "préparerez leurs devis. Profil : sens du contact, anglais apprécié.")


def _post(persona, played_by, class_id, **changes):  # type: ignore[no-untyped-def]
    values = {"title": "Vendeur(se) conseil — job d'été", "kind": "student_job",
              "city": "Annecy", "start_date": date(2027, 7, 1), "duration": "2 mois",
              "description": DESCRIPTION, "class_id": class_id, "played_by": played_by}
    return post_offer(persona, **{**values, **changes})


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(JobOffer)) or 0


def test_a_teacher_posts_an_offer_for_their_class(school, cimes):
    recruiter, klass = cimes["recruiter"], school["class"]
    offer = _post(recruiter, school["teacher"], klass.id)
    assert (offer.class_id, offer.posted_by_id, offer.company_id) == (
        klass.id, recruiter.id, cimes["company"].id)
    assert offer.kind is JobKind.STUDENT_JOB
    assert offer.slug == "cimes-et-lacs-vendeur-se-conseil-job-d-ete"
    assert _post(recruiter, school["teacher"], klass.id).slug == f"{offer.slug}-2"
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "offer_posted"))
    assert (event.user_id, event.subject_id) == (recruiter.id, offer.id)
    assert event.data["offer_id"] == offer.id and event.data["company_id"] == cimes["company"].id
    # Only that class sees it.
    filters, _ = parse_filters({"q": "vendeur"})
    assert len(search_offers(school["student"], filters).rows) == 2
    assert search_offers(school["other_student"], filters).rows == []


def test_a_teacher_posts_for_the_classes_they_teach_only(school, cimes):
    with pytest.raises(PermissionDenied):
        _post(cimes["recruiter"], school["teacher"], school["other_class"].id)
    with pytest.raises(ServiceError) as no_class:
        _post(cimes["recruiter"], school["teacher"], None)
    assert no_class.value.field == "class_id"
    assert _count() == 1  # the seeded one only


def test_a_recruiter_student_posts_for_their_company_while_live(school, cimes, factories):
    classmate, klass = school["classmate"], school["class"]
    with pytest.raises(PermissionDenied):  # not in a recruiter team
        _post(cimes["recruiter"], classmate, klass.id)
    exercise = recruitment(klass, cimes["company"], [classmate])
    offer = _post(cimes["recruiter"], classmate, klass.id)
    assert offer.class_id == klass.id
    with pytest.raises(PermissionDenied):  # another class
        _post(cimes["recruiter"], classmate, school["other_class"].id)
    other_company_persona = factories.make_persona(username="autre.recruteuse")
    with pytest.raises(PermissionDenied):  # another company
        _post(other_company_persona, classmate, klass.id)
    from sandbox.exercises.models import ExerciseStatus

    exercise.status = ExerciseStatus.FINISHED
    db.session.commit()
    with pytest.raises(PermissionDenied):
        _post(cimes["recruiter"], classmate, klass.id)


def test_a_student_offer_goes_through_the_charter(school, cimes):
    classmate, klass = school["classmate"], school["class"]
    recruitment(klass, cimes["company"], [classmate])
    with pytest.raises(CharterRefusal) as refused:
        _post(cimes["recruiter"], classmate, klass.id,
              description=DESCRIPTION + " Appelez-moi au 06 12 34 56 78.")
    assert refused.value.field == "description"
    assert _count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"kind": "spaceship"}, "kind"),
    ({"city": ""}, "city"),
    ({"description": "Trop court."}, "description"),
    ({"duration": "x" * 61}, "duration"),
])
def test_a_bad_offer_is_refused_beside_its_field(school, cimes, changes, field):
    with pytest.raises(ServiceError) as refused:
        _post(cimes["recruiter"], school["teacher"], school["class"].id, **changes)
    assert refused.value.field == field
    assert _count() == 1


def test_only_a_persona_posts_offers(school, cimes):
    with pytest.raises(PermissionDenied):
        _post(school["teacher"], school["teacher"], school["class"].id)
