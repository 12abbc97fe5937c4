"""Saving offers to read again: idempotent, recorded, listed."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.extensions import db
from sandbox.jobs.models import SavedOffer
from sandbox.jobs.services import save_offer, unsave_offer
from tests.jobs.conftest import make_offer


def _events(user) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    return [(event.kind, event.data) for event in db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.user_id == user.id,
                                       ActivityEvent.kind.like("offer_%"))
        .order_by(ActivityEvent.id))]


def test_saving_twice_saves_once_and_forgetting_twice_forgets_once(school, cimes, client_as):
    student, offer = school["student"], cimes["offer"]
    client = client_as(student)
    for _ in range(2):
        response = client.post(f"/jobs/{offer.id}/save", data={"next": "/jobs/"})
        assert response.status_code == 302
        assert response.headers["Location"] == "/jobs/"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedOffer)) == 1
    page = client.get("/jobs/saved")
    assert offer.title in page.text
    for _ in range(2):
        assert client.post(f"/jobs/{offer.id}/unsave").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedOffer)) == 0
    assert _events(student) == [("offer_saved", {"offer_id": offer.id}),
                                ("offer_unsaved", {"offer_id": offer.id})]
    assert offer.title not in client.get("/jobs/saved").text


def test_an_offer_one_cannot_see_cannot_be_saved(school, cimes, client_as):
    hidden = make_offer(cimes["company"], "Offre d'une autre classe",
                        class_id=school["other_class"].id)
    response = client_as(school["student"]).post(f"/jobs/{hidden.id}/save")
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedOffer)) == 0


def test_the_saved_page_leaves_out_offers_no_longer_visible(school, cimes):
    student = school["student"]
    save_offer(student, cimes["offer"].id)
    klass_offer = make_offer(cimes["company"], "Offre de la classe",
                             class_id=school["class"].id)
    save_offer(student, klass_offer.id)
    from sandbox.jobs.pages import saved_offers

    assert [row.offer.title for row in saved_offers(student)] == [
        "Offre de la classe", cimes["offer"].title]
    # The student moves to another class: the class's offer is gone from sight.
    student.class_id = school["other_class"].id
    db.session.commit()
    assert [row.offer.title for row in saved_offers(student)] == [cimes["offer"].title]
    assert unsave_offer(student, klass_offer.id) is True  # and can still be forgotten


def test_the_saved_page_runs_a_fixed_number_of_queries(school, cimes, client_as, count_queries):
    student = school["student"]
    client = client_as(student)
    save_offer(student, cimes["offer"].id)
    client.get("/jobs/saved")
    with count_queries() as one:
        assert client.get("/jobs/saved").status_code == 200
    for number in range(6):
        save_offer(student, make_offer(cimes["company"], f"Offre {number}").id)
    with count_queries() as seven:
        assert client.get("/jobs/saved").status_code == 200
    assert seven.count == one.count


def test_a_save_that_fails_half_way_leaves_no_saved_offer(school, cimes, monkeypatch):
    """The saved offer and its event are one write: on SQLite's driver a savepoint opened first
    would have committed the row on its own."""
    import pytest

    from sandbox.jobs import services

    def failing_event(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr(services, "record_event", failing_event)
    with pytest.raises(RuntimeError):
        save_offer(school["student"], cimes["offer"].id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedOffer)) == 0
