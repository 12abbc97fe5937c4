"""The journal of network outcomes: kept by the student, read by them and their teachers only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.network import journal as service
from sandbox.network.models import NetworkOutcome, OutcomeKind
from sandbox.network.recommendations import profile_sections
from sandbox.network.services import connect
from sandbox.profiles.services import PreviewAudience, preview_as, profile_page

NOTE = "Salon de l’alternance le 12 mars, stand des transports Rhône-Alpes."


def _outcomes() -> list[NetworkOutcome]:
    return list(db.session.scalars(sa.select(NetworkOutcome).order_by(NetworkOutcome.id)))


@pytest.fixture
def lea(school):  # type: ignore[no-untyped-def]
    """Léa, connected with the recruiter persona."""
    connect(school["student"], school["persona"])
    db.session.commit()
    return school["student"]


def test_a_student_writes_down_what_a_contact_brought(client_as, school, lea):
    persona = school["persona"]
    response = client_as(lea).post("/journal", data={
        "kind": "key_date", "contact": str(persona.id), "occurred_on": "2026-02-03", "note": NOTE,
    })
    assert response.status_code == 302
    [outcome] = _outcomes()
    assert (outcome.student_id, outcome.contact_id, outcome.kind) == (
        lea.id, persona.id, OutcomeKind.KEY_DATE)
    assert outcome.occurred_on == date(2026, 2, 3) and outcome.note == NOTE
    events = db.session.scalars(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == lea.id, ActivityEvent.kind == "outcome_recorded")).all()
    assert len(events) == 1 and events[0].data["outcome"] == "key_date"


def test_contact_and_date_are_optional(client_as, lea):
    response = client_as(lea).post("/journal", data={"kind": "support", "contact": "",
                                                     "occurred_on": "", "note": ""})
    assert response.status_code == 302
    [outcome] = _outcomes()
    assert outcome.contact_id is None and outcome.occurred_on is None


def test_the_journal_lists_newest_first_with_every_kind(client_as, school, lea):
    service.add_outcome(lea, "advice", note="Refaire le CV en une page.")
    service.add_outcome(lea, "appointment", contact_id=school["persona"].id, note="Café jeudi.")
    journal = service.own_journal(lea)
    assert [line.kind for line in journal.lines] == [OutcomeKind.APPOINTMENT, OutcomeKind.ADVICE]
    assert journal.lines[0].contact_name == school["persona"].public_name
    assert journal.summary.total == 2 and journal.summary.kinds_obtained == 2
    assert [line.kind for line in journal.summary.counts] == list(OutcomeKind)
    page = client_as(lea).get("/journal").get_data(as_text=True)
    assert page.index("Café jeudi.") < page.index("Refaire le CV")
    for kind in OutcomeKind:
        assert f'<option value="{kind.value}"' in page  # the eight kinds
    assert f'<option value="{school["persona"].id}"' in page  # the connections
    assert f'<option value="{school["classmate"].id}"' not in page


@pytest.mark.parametrize("data, field", [
    ({"kind": "a_job"}, "kind"),
    ({"kind": "advice", "note": "x" * 501}, "note"),
    ({"kind": "advice", "note": "Un conseil\x00 caché"}, "note"),
])
def test_bad_entries_are_explained_and_nothing_is_written(client_as, lea, data, field):
    with pytest.raises(ServiceError) as error:
        service.add_outcome(lea, data["kind"], note=data.get("note", ""))
    assert error.value.field == field
    page = client_as(lea).post("/journal", data=data)
    assert page.status_code == 200 and "field__error" in page.get_data(as_text=True)
    assert _outcomes() == []


def test_the_contact_must_be_a_connection(client_as, school, lea):
    classmate = school["classmate"]  # in the network, but not a connection
    with pytest.raises(ServiceError) as error:
        service.add_outcome(lea, "advice", contact_id=classmate.id)
    assert error.value.field == "contact"
    client = client_as(lea)
    for contact in (str(classmate.id), "99999999", "pas-un-nombre", "99999999999999999999"):
        page = client.post("/journal", data={"kind": "advice", "contact": contact})
        assert page.status_code == 200 and "field__error" in page.get_data(as_text=True), contact
    assert _outcomes() == []


def test_only_students_keep_a_journal(client_as, school):
    for someone in (school["teacher"], school["admin"]):
        client = client_as(someone)
        assert client.get("/journal").status_code == 403
        assert client.post("/journal", data={"kind": "advice"}).status_code == 403
        with pytest.raises(PermissionDenied):
            service.add_outcome(someone, "advice")
    assert _outcomes() == []


def test_only_the_owner_deletes_an_entry(client_as, school, lea):
    outcome = service.add_outcome(lea, "document", note="Fiche de poste")
    assert client_as(school["classmate"]).post(
        f"/journal/{outcome.id}/delete").status_code == 404
    assert client_as(school["teacher"]).post(f"/journal/{outcome.id}/delete").status_code == 404
    assert len(_outcomes()) == 1
    with pytest.raises(NotFound):
        service.delete_outcome(school["classmate"], outcome.id)
    assert client_as(lea).post(f"/journal/{outcome.id}/delete").status_code == 302
    assert _outcomes() == []


def test_the_journal_is_private_to_the_student_and_their_teachers(client_as, school, lea):
    service.add_outcome(lea, "recruitment", note=NOTE)
    url = f"/students/{lea.id}/journal"
    for allowed in (school["teacher"], school["admin"]):
        response = client_as(allowed).get(url)
        assert response.status_code == 200 and NOTE in response.get_data(as_text=True)
        assert "/delete" not in response.get_data(as_text=True)  # read only
    for refused in (school["classmate"], school["other_teacher"], school["other_student"]):
        response = client_as(refused).get(url)
        assert response.status_code == 404, refused.username  # as if there were no such student
        assert NOTE not in response.get_data(as_text=True)
    assert client_as(lea).get(url).headers["Location"] == "/journal"
    teacher = client_as(school["teacher"])
    assert teacher.get("/students/99999999/journal").status_code == 404
    assert teacher.get(f"/students/{school['other_teacher'].id}/journal").status_code == 404
    assert client_as(school["other_teacher"]).get("/students/99999999/journal").status_code == 404
    with pytest.raises(NotFound):
        service.student_journal(school["classmate"], lea.id)


def test_the_profile_shows_the_journal_summary_to_the_owner_and_teacher_only(
    client_as, school, lea
):
    connect(lea, school["classmate"])
    db.session.commit()
    for number in range(7):
        service.add_outcome(lea, "advice", note=f"Conseil numéro {number}")
    service.add_outcome(lea, "name_and_number", contact_id=school["persona"].id)

    for viewer in (lea, school["teacher"], school["admin"]):
        sections = profile_sections(viewer, profile_page(viewer, lea.id), None)
        assert sections.journal is not None
        assert sections.journal.total == 8 and sections.journal.kinds_obtained == 2
        assert len(sections.journal.latest) == 5
        assert sections.journal.latest[0].kind is OutcomeKind.NAME_AND_NUMBER
    assert "Conseil numéro 6" in client_as(school["teacher"]).get(
        f"/people/{lea.id}").get_data(as_text=True)
    assert f"/students/{lea.id}/journal" in client_as(school["teacher"]).get(
        f"/people/{lea.id}").get_data(as_text=True)
    assert 'href="/journal"' in client_as(lea).get(f"/people/{lea.id}").get_data(as_text=True)

    classmate = school["classmate"]  # even as a connection
    assert profile_sections(classmate, profile_page(classmate, lea.id), None).journal is None
    assert "Conseil numéro" not in client_as(classmate).get(
        f"/people/{lea.id}").get_data(as_text=True)
    for audience in PreviewAudience:
        page, _ = preview_as(lea, audience)
        assert profile_sections(lea, page, audience).journal is None
        preview = client_as(lea).get(f"/profile/view-as/{audience.value}").get_data(as_text=True)
        assert "Conseil numéro" not in preview
