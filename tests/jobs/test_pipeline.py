"""The recruiter's side: moving an application along the pipeline, notifying the student, and
who may read a company's applications or act for it (staff, recruiter students while live)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.exercises.models import ExerciseStatus
from sandbox.extensions import db
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.jobs.pipeline import (
    applications_for_company,
    mark_seen,
    may_act_for_company,
    next_statuses,
    set_application_status,
)
from sandbox.jobs.services import apply_to_offer
from sandbox.notifications.models import Notification
from sandbox.notifications.views import describe
from tests.jobs.conftest import GOOD_LETTER, make_offer, recruitment

Status = ApplicationStatus


def _apply(student, offer) -> Application:  # type: ignore[no-untyped-def]
    return apply_to_offer(student, offer.id, GOOD_LETTER)


def test_the_pipeline_moves_forward_and_stops_at_a_decision(school, cimes):
    recruiter = cimes["recruiter"]
    application = _apply(school["student"], cimes["offer"])
    assert next_statuses(Status.SENT) == [Status.SEEN, Status.SHORTLISTED, Status.DECLINED]
    with pytest.raises(ServiceError):
        set_application_status(recruiter, application.id, Status.OFFER)  # not so fast
    for status in (Status.SEEN, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFER):
        assert set_application_status(recruiter, application.id, status).status is status
    for status in (Status.DECLINED, Status.INTERVIEW):
        with pytest.raises(ServiceError):
            set_application_status(recruiter, application.id, status)  # final
    events = db.session.scalars(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "application_processed").order_by(ActivityEvent.id)).all()
    assert [e.data["status"] for e in events] == ["seen", "shortlisted", "interview", "offer"]
    assert {e.user_id for e in events} == {recruiter.id}
    assert events[0].data == {"application_id": application.id, "offer_id": cimes["offer"].id,
                              "student_id": school["student"].id, "status": "seen"}


def test_each_step_notifies_the_student_in_their_language(school, cimes, app):
    student, recruiter = school["student"], cimes["recruiter"]
    application = _apply(student, cimes["offer"])
    set_application_status(recruiter, application.id, Status.SHORTLISTED)
    set_application_status(recruiter, application.id, Status.DECLINED)
    notifications = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == student.id).order_by(Notification.id)).all()
    assert [n.data["status"] for n in notifications] == ["shortlisted", "declined"]
    assert {(n.kind, n.actor_id, n.subject_id) for n in notifications} == {
        ("application_status_changed", recruiter.id, application.id)}
    with app.test_request_context(), force_locale("en"):
        from flask_login import login_user

        login_user(student)
        sentences = [describe(n, {recruiter.id}) for n in notifications]
    assert sentences == [
        "Claire Morvan shortlisted your application for “Stage assistant(e) commercial(e) "
        "export”.",
        "Claire Morvan did not select your application for “Stage assistant(e) commercial(e) "
        "export”.",
    ]


def test_seen_when_first_opened_only(school, cimes):
    recruiter = cimes["recruiter"]
    application = _apply(school["student"], cimes["offer"])
    assert mark_seen(recruiter, application.id).status is Status.SEEN
    assert mark_seen(recruiter, application.id).status is Status.SEEN
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_only_the_company_people_move_its_applications(school, cimes, factories):
    application = _apply(school["student"], cimes["offer"])
    stranger = factories.make_persona(username="autre.recruteuse")
    with pytest.raises(NotFound):
        set_application_status(stranger, application.id, Status.SEEN)
    with pytest.raises(NotFound):
        set_application_status(cimes["recruiter"], 99999, Status.SEEN)


def test_who_plays_the_recruiter_must_act_over_that_student(school, cimes):
    recruiter = cimes["recruiter"]
    application = _apply(school["student"], cimes["offer"])
    with pytest.raises(PermissionDenied):
        set_application_status(recruiter, application.id, Status.SEEN,
                               played_by=school["other_teacher"])
    with pytest.raises(PermissionDenied):
        set_application_status(recruiter, application.id, Status.SEEN,
                               played_by=school["classmate"])  # not in a recruiter team
    moved = set_application_status(recruiter, application.id, Status.SEEN,
                                   played_by=school["teacher"])
    assert moved.decided_by_id == school["teacher"].id
    assert set_application_status(recruiter, application.id, Status.SHORTLISTED,
                                  played_by=school["admin"]).decided_by_id == school["admin"].id


def test_a_recruiter_student_acts_for_their_company_only_while_live(school, cimes, factories):
    company, recruiter = cimes["company"], cimes["recruiter"]
    student, classmate = school["student"], school["classmate"]
    application = _apply(student, cimes["offer"])
    other_application = _apply(school["other_student"], cimes["offer"])
    exercise = recruitment(school["class"], company, [classmate])
    assert may_act_for_company(classmate, company.id)
    assert may_act_for_company(classmate, company.id, student)
    assert not may_act_for_company(classmate, company.id, classmate)  # not over themselves
    assert not may_act_for_company(classmate, company.id, school["other_student"])
    assert not may_act_for_company(classmate, factories.make_company().id)
    # They read their class's applications to their company, not the other class's.
    assert [a.id for a in applications_for_company(classmate, company.id)] == [application.id]
    moved = set_application_status(recruiter, application.id, Status.SHORTLISTED,
                                   played_by=classmate)
    assert moved.decided_by_id == classmate.id
    with pytest.raises(PermissionDenied):
        set_application_status(recruiter, other_application.id, Status.SEEN, played_by=classmate)
    # Paused still counts; once finished, nobody acts for the company any more.
    exercise.status = ExerciseStatus.PAUSED
    db.session.commit()
    assert applications_for_company(classmate, company.id)
    exercise.status = ExerciseStatus.FINISHED
    db.session.commit()
    with pytest.raises(PermissionDenied):
        applications_for_company(classmate, company.id)
    with pytest.raises(PermissionDenied):
        set_application_status(recruiter, application.id, Status.INTERVIEW, played_by=classmate)


def test_staff_read_their_own_students_applications(school, cimes, factories):
    company = cimes["company"]
    mine = _apply(school["student"], cimes["offer"])
    theirs = _apply(school["other_student"], cimes["offer"])
    assert [a.id for a in applications_for_company(school["teacher"], company.id)] == [mine.id]
    assert [a.id for a in applications_for_company(school["other_teacher"], company.id)] == [
        theirs.id]
    assert [a.id for a in applications_for_company(school["admin"], company.id)] == [
        mine.id, theirs.id]
    assert applications_for_company(school["admin"], company.id, status=Status.SEEN) == []
    with pytest.raises(PermissionDenied):
        applications_for_company(school["student"], company.id)
    with pytest.raises(NotFound):
        applications_for_company(school["admin"], 99999)
    # Another company's applications are not mixed in.
    assert applications_for_company(school["admin"], factories.make_company().id) == []


def test_reading_applications_runs_a_fixed_number_of_queries(school, cimes, count_queries):
    company = cimes["company"]
    _apply(school["student"], cimes["offer"])
    db.session.expire_all()
    with count_queries() as one:
        [a.student.profile.skills for a in applications_for_company(school["admin"], company.id)]
    _apply(school["classmate"], cimes["offer"])
    _apply(school["other_student"], make_offer(company, "Autre offre"))
    db.session.expire_all()
    with count_queries() as three:
        [a.student.profile.skills for a in applications_for_company(school["admin"], company.id)]
    assert three.count == one.count
