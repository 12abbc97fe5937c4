"""The jobs routes in the authorization matrix (tests/test_authorization.py).

Everyone logged in searches and saves the offers they see: the seeded ones, and those written
in their own class (a student of another class, or its teacher, gets 404). Only students apply
and have applications; an application is read by its author and their teachers, withdrawn by
its author only (404 for anyone else).
The POSTs that would apply send an empty letter (the form comes back, nothing is written); the
withdrawal of the student's own application comes last.
"""

from __future__ import annotations

from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case, everyone, logged_in

UNPROCESSABLE = 422


def add_entries(school: dict) -> dict:
    """A seeded offer of the persona's company, an offer written in the class, and two
    applications to them: the classmate's and the student's."""
    from sandbox.companies.models import JobKind, JobOffer
    from sandbox.extensions import db
    from sandbox.jobs.models import Application

    company = school["persona"].persona.company
    seeded = JobOffer(slug="authz-stage", company_id=company.id, title="Stage export",
                      kind=JobKind.INTERNSHIP, city="Lyon")
    in_class = JobOffer(slug="authz-classe", company_id=company.id, title="Offre de la classe",
                        kind=JobKind.STUDENT_JOB, city="Lyon", class_id=school["class"].id)
    db.session.add_all([seeded, in_class])
    db.session.flush()
    letter = "Madame, votre entreprise m'intéresse depuis longtemps pour son export. " * 4
    classmates = Application(offer_id=seeded.id, student_id=school["classmate"].id,
                             cover_letter=letter)
    students = Application(offer_id=in_class.id, student_id=school["student"].id,
                           cover_letter=letter)
    db.session.add_all([classmates, students])
    db.session.commit()
    return {"jobs_offer": seeded, "jobs_class_offer": in_class,
            "jobs_classmate_application": classmates, "jobs_student_application": students}


def _offer(s: dict, suffix: str = "") -> str:
    return f"/jobs/{s['jobs_offer'].id}{suffix}"


def _class_offer(s: dict, suffix: str = "") -> str:
    return f"/jobs/{s['jobs_class_offer'].id}{suffix}"


def _of_the_class(ok: int | str) -> dict[str, int | str]:
    """An offer written in the class: its people and the admins; 404 for another class's."""
    return {**logged_in(ok), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}


def _students(ok: int | str, staff: int = FORBIDDEN) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "student": ok, "other_student": ok, "teacher": staff,
            "other_teacher": staff, "admin": staff}


CASES: dict[str, list[Case]] = {
    "jobs.index": [
        Case("GET", lambda s: "/jobs/", logged_in(OK)),
        Case("GET", lambda s: "/jobs/?kind=internship&from=not-a-date&page=999", logged_in(OK)),
    ],
    "jobs.saved": [Case("GET", lambda s: "/jobs/saved", logged_in(OK))],
    "jobs.offer": [
        Case("GET", lambda s: _offer(s), logged_in(OK)),
        Case("GET", lambda s: _class_offer(s), _of_the_class(OK)),
        Case("GET", lambda s: "/jobs/99999999", logged_in(NOT_FOUND)),
        # Not a valid id at all: no such page, logged in or not.
        Case("GET", lambda s: "/jobs/99999999999999999999", everyone(NOT_FOUND)),
    ],
    "jobs.save": [
        Case("POST", lambda s: _offer(s, "/save"), logged_in(REDIRECT)),
        Case("POST", lambda s: _class_offer(s, "/save"), _of_the_class(REDIRECT)),
        Case("POST", lambda s: "/jobs/99999999/save", logged_in(NOT_FOUND)),
    ],
    "jobs.unsave": [
        # Forgetting is always possible (nothing to reveal: it was one's own mark).
        Case("POST", lambda s: _class_offer(s, "/unsave"), logged_in(REDIRECT)),
    ],
    "jobs.apply": [
        Case("POST", lambda s: _offer(s, "/apply"), _students(UNPROCESSABLE),
             data={"cover_letter": ""}),
        Case("POST", lambda s: _class_offer(s, "/apply"),
             {**_students(REDIRECT), "other_student": NOT_FOUND},  # the student applied already
             data={"cover_letter": ""}),
        Case("POST", lambda s: "/jobs/99999999/apply",
             {**_students(NOT_FOUND)}, data={"cover_letter": ""}),
    ],
    "jobs.applications": [Case("GET", lambda s: "/jobs/applications", _students(OK))],
    "jobs.application": [
        Case("GET", lambda s: f"/jobs/applications/{s['jobs_classmate_application'].id}",
             {**logged_in(NOT_FOUND), "teacher": OK, "admin": OK}),
        Case("GET", lambda s: f"/jobs/applications/{s['jobs_student_application'].id}",
             {**logged_in(NOT_FOUND), "student": OK, "teacher": OK, "admin": OK}),
        Case("GET", lambda s: "/jobs/applications/99999999", logged_in(NOT_FOUND)),
    ],
    "jobs.withdraw": [
        Case("POST", lambda s: f"/jobs/applications/{s['jobs_classmate_application'].id}/withdraw",
             logged_in(NOT_FOUND)),
        Case("POST", lambda s: "/jobs/applications/99999999/withdraw", logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"/jobs/applications/{s['jobs_student_application'].id}/withdraw",
             {**logged_in(NOT_FOUND), "student": REDIRECT}),
    ],
}
