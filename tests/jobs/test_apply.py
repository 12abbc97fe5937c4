"""Applying: a cover letter through the charter, one application per offer, the right
recruiter's e-mail, withdrawing, and the student's page of applications."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.jobs import services
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.jobs.pipeline import set_application_status
from sandbox.personas.models import ActionStatus, ScheduledAction
from tests.jobs.conftest import GOOD_LETTER, make_offer


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_student_applies_with_a_letter(school, cimes, client_as):
    student, offer = school["student"], cimes["offer"]
    response = client_as(student).post(f"/jobs/{offer.id}/apply",
                                       data={"cover_letter": GOOD_LETTER})
    application = db.session.scalar(sa.select(Application))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jobs/applications#application-{application.id}")
    assert (application.student_id, application.offer_id) == (student.id, offer.id)
    assert application.status is ApplicationStatus.SENT
    assert application.cover_letter.startswith("Madame Morvan")
    event = db.session.scalar(sa.select(ActivityEvent).where(ActivityEvent.kind == "applied"))
    assert (event.user_id, event.subject_type, event.subject_id) == (
        student.id, "Application", application.id)
    assert event.data == {"offer_id": offer.id, "application_id": application.id}
    # The company's recruiter will read it on her own.
    action = db.session.scalar(sa.select(ScheduledAction))
    assert action.kind == "application_review"
    assert action.payload == {"application_id": application.id, "step": "review"}
    assert (action.persona_id, action.student_id) == (cimes["recruiter"].id, student.id)
    # The offer page now shows the application instead of the form.
    page = client_as(student).get(f"/jobs/{offer.id}")
    assert 'name="cover_letter"' not in page.text
    assert f"application-{application.id}" in page.text


def test_a_letter_the_charter_blocks_leaves_nothing(school, cimes, client_as):
    letter = GOOD_LETTER + "\nMon numéro : 06 12 34 56 78."
    response = client_as(school["student"]).post(f"/jobs/{cimes['offer'].id}/apply",
                                                 data={"cover_letter": letter})
    assert response.status_code == 422
    assert "06 12 34 56 78" in response.text  # the letter comes back as typed
    assert "charter-finding" in response.text
    assert _count(Application) == 0
    assert _count(ScheduledAction) == 0
    assert db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "applied")) is None
    finding = db.session.scalar(sa.select(CharterFinding))
    assert (finding.content_kind, finding.target, finding.field) == (
        "application", f"offer:{cimes['offer'].id}", "cover_letter")


def test_advice_can_be_overridden_and_the_letter_goes_out(school, cimes, client_as):
    letter = GOOD_LETTER + "\nMerci bcp, a+ !"  # SMS language: advice only
    client = client_as(school["student"])
    first = client.post(f"/jobs/{cimes['offer'].id}/apply", data={"cover_letter": letter})
    assert first.status_code == 422
    assert 'name="charter_ack"' in first.text
    assert _count(Application) == 0
    second = client.post(f"/jobs/{cimes['offer'].id}/apply",
                         data={"cover_letter": letter, "charter_ack": "1"})
    assert second.status_code == 302
    assert _count(Application) == 1


def test_applying_twice_is_refused_clearly(school, cimes, client_as):
    client = client_as(school["student"])
    url = f"/jobs/{cimes['offer'].id}/apply"
    assert client.post(url, data={"cover_letter": GOOD_LETTER}).status_code == 302
    school["student"].locale = "en"  # the flash is written and read in English
    db.session.commit()
    again = client.post(url, data={"cover_letter": GOOD_LETTER})
    assert again.status_code == 302
    assert again.headers["Location"] == f"/jobs/{cimes['offer'].id}"
    assert "already applied" in client.get(again.headers["Location"]).text
    assert _count(Application) == 1


def test_two_clicks_at_once_make_one_application(school, cimes, monkeypatch):
    """The second request passed the check before the first one wrote: the unique constraint
    stops it, and the student reads the same clear message."""
    student, offer = school["student"], cimes["offer"]
    original = services.addressed_persona

    def first_click_lands_meanwhile(*args):  # type: ignore[no-untyped-def]
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Application).values(
                offer_id=offer.id, student_id=student.id, cover_letter=GOOD_LETTER,
                recruiter_email="", status="sent", created_at=utcnow(), updated_at=utcnow()))
        return original(*args)

    monkeypatch.setattr(services, "addressed_persona", first_click_lands_meanwhile)
    with pytest.raises(ServiceError) as refused:
        services.apply_to_offer(student, offer.id, GOOD_LETTER)
    with force_locale("en"):
        assert "already applied" in str(refused.value.message)
    assert _count(Application) == 1
    assert _count(ScheduledAction) == 0


@pytest.mark.parametrize("letter", ["", "   ", "Bonjour, je suis motivé."])
def test_an_empty_or_tiny_letter_is_refused(school, cimes, letter):
    with pytest.raises(ServiceError) as refused:
        services.apply_to_offer(school["student"], cimes["offer"].id, letter)
    assert refused.value.field == "cover_letter"
    assert _count(Application) == 0


def test_a_letter_too_long_is_refused(school, cimes):
    with pytest.raises(ServiceError) as refused:
        services.apply_to_offer(school["student"], cimes["offer"].id, "a" * 4001)
    assert refused.value.field == "cover_letter"


def test_the_recruiter_email_must_be_that_of_someone_of_the_company(school, cimes, factories,
                                                                    client_as):
    student, offer = school["student"], cimes["offer"]
    elsewhere = factories.make_persona(username="sandrine.chassaing")
    elsewhere.profile.contact_email = "sandrine@fromageries.example"
    db.session.commit()
    for wrong in ("claire.morvan@gmail.example", "sandrine@fromageries.example"):
        with pytest.raises(ServiceError) as refused:
            services.apply_to_offer(student, offer.id, GOOD_LETTER, wrong)
        assert refused.value.field == "recruiter_email"
        assert "Cimes & Lacs Voyages" in str(refused.value.message)
    with pytest.raises(ServiceError) as malformed:
        services.apply_to_offer(student, offer.id, GOOD_LETTER, "claire.morvan")
    assert malformed.value.field == "recruiter_email"
    assert _count(Application) == 0
    # Through the page, the message sits beside the field and the letter is kept.
    page = client_as(student).post(f"/jobs/{offer.id}/apply", data={
        "cover_letter": GOOD_LETTER, "recruiter_email": "nobody@cimes-et-lacs.example"})
    assert page.status_code == 422
    assert 'id="recruiter_email-error"' in page.text
    assert "Madame Morvan" in page.text


def test_the_right_email_addresses_the_application_to_that_person(school, cimes):
    application = services.apply_to_offer(school["student"], cimes["offer"].id, GOOD_LETTER,
                                          "  Thomas.Vuillermoz@Cimes-et-Lacs.example ")
    assert application.recruiter_email == "thomas.vuillermoz@cimes-et-lacs.example"
    action = db.session.scalar(sa.select(ScheduledAction))
    assert action.persona_id == cimes["manager"].id  # he reads it, not the recruiter


def test_only_students_apply_and_only_to_open_offers_they_see(school, cimes, client_as):
    offer = cimes["offer"]
    assert client_as(school["teacher"]).post(
        f"/jobs/{offer.id}/apply", data={"cover_letter": GOOD_LETTER}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.apply_to_offer(school["admin"], offer.id, GOOD_LETTER)
    closed = make_offer(cimes["company"], "Stage pourvu", is_open=False)
    with force_locale("en"), pytest.raises(ServiceError, match="closed"):
        services.apply_to_offer(school["student"], closed.id, GOOD_LETTER)
    other = make_offer(cimes["company"], "Offre d'une autre classe",
                       class_id=school["other_class"].id)
    assert client_as(school["student"]).post(
        f"/jobs/{other.id}/apply", data={"cover_letter": GOOD_LETTER}).status_code == 404
    assert _count(Application) == 0


def test_withdrawing_takes_the_application_back(school, cimes, client_as):
    student = school["student"]
    application = services.apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)
    set_application_status(cimes["recruiter"], application.id, ApplicationStatus.SEEN)
    application_id = application.id
    response = client_as(student).post(f"/jobs/applications/{application_id}/withdraw")
    assert response.status_code == 302
    assert _count(Application) == 0
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "application_withdrawn"))
    assert event.user_id == student.id and event.data == {"offer_id": cimes["offer"].id}
    # The recruiter's next step is cancelled, the student's notices about it are gone.
    assert {a.status for a in db.session.scalars(sa.select(ScheduledAction))} == {
        ActionStatus.CANCELLED}
    from sandbox.notifications.models import Notification

    assert _count(Notification) == 0
    # And the student may apply again (SQLite may give the new row the same id: this test's
    # session forgets the old object, which the request's own session deleted).
    db.session.expunge(application)
    services.apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)


def test_a_decided_application_cannot_be_withdrawn(school, cimes, client_as):
    student = school["student"]
    application = services.apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)
    set_application_status(cimes["recruiter"], application.id, ApplicationStatus.DECLINED)
    client = client_as(student)
    response = client.post(f"/jobs/applications/{application.id}/withdraw",
                           follow_redirects=True)
    assert response.status_code == 200
    assert _count(Application) == 1
    # Someone else's application is not found.
    assert client_as(school["classmate"]).post(
        f"/jobs/applications/{application.id}/withdraw").status_code == 404


def test_my_applications_show_the_pipeline_and_history(school, cimes, client_as,
                                                       count_queries):
    student = school["student"]
    application = services.apply_to_offer(student, cimes["offer"].id, GOOD_LETTER)
    set_application_status(cimes["recruiter"], application.id, ApplicationStatus.SEEN)
    set_application_status(cimes["recruiter"], application.id, ApplicationStatus.SHORTLISTED)
    client = client_as(student)
    page = client.get("/jobs/applications")
    assert page.status_code == 200
    assert f'id="application-{application.id}"' in page.text
    assert page.text.count("Claire Morvan") >= 2  # read, then shortlisted, by her
    assert 'aria-current="step"' in page.text
    assert "/withdraw" in page.text
    # A fixed number of queries, whatever the number of applications.
    with count_queries() as one:
        client.get("/jobs/applications")
    for number in range(4):
        offer = make_offer(cimes["company"], f"Offre {number}")
        other = services.apply_to_offer(student, offer.id, GOOD_LETTER + f" ({number})")
        set_application_status(cimes["recruiter"], other.id, ApplicationStatus.DECLINED)
    with count_queries() as five:
        client.get("/jobs/applications")
    assert five.count == one.count
    assert client_as(school["teacher"]).get("/jobs/applications").status_code == 403


def test_a_teacher_reads_their_student_application(school, cimes, client_as):
    application = services.apply_to_offer(school["student"], cimes["offer"].id, GOOD_LETTER)
    page = client_as(school["teacher"]).get(f"/jobs/applications/{application.id}")
    assert page.status_code == 200
    assert "Madame Morvan" in page.text  # the letter
    assert "/withdraw" not in page.text  # only its author withdraws it
    assert client_as(school["other_teacher"]).get(
        f"/jobs/applications/{application.id}").status_code == 404


def test_a_recruiter_student_does_not_apply_to_their_company(school, cimes, client_as):
    from tests.jobs.conftest import recruitment

    classmate = school["classmate"]
    recruitment(school["class"], cimes["company"], [classmate])
    client = client_as(classmate)
    assert 'name="cover_letter"' not in client.get(f"/jobs/{cimes['offer'].id}").text
    with force_locale("en"), pytest.raises(ServiceError, match="recruiter"):
        services.apply_to_offer(classmate, cimes["offer"].id, GOOD_LETTER)
    assert _count(Application) == 0
