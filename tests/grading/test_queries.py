"""The grading pages and the CSV run the same number of queries for 2 students as for 6."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.grading.rubric_edits import CriterionEdit, add_criterion
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.services import GradeEntry, save_grades
from tests.grading.activity import events, finding, lea_and_hugo


def _give_activity_and_grades(school, student, score="9"):  # type: ignore[no-untyped-def]
    from sandbox.charter.models import FindingOutcome, Severity
    events(student, "post_created", 2, audience="group")
    events(student, "commented", 3)
    finding(student, Severity.COACH, FindingOutcome.FIXED)
    db.session.commit()
    criteria = rubric_for(school["class"]).criteria
    save_grades(school["teacher"], school["class"].id, student.id,
                [GradeEntry(criteria[0].id, "12,5", "Bien"), GradeEntry(criteria[-1].id, score)])


def _counts(school, client_as, count_queries) -> dict[str, int]:  # type: ignore[no-untyped-def]
    client = client_as(school["teacher"])
    klass = school["class"].id
    urls = {
        "index": f"/classes/{klass}/grades?sort=final&start=2026-01-01",
        "csv": f"/classes/{klass}/grades.csv?format=fr",
        "student": f"/classes/{klass}/grades/students/{school['student'].id}",
        "rubric": f"/classes/{klass}/rubric",
    }
    counts = {}
    for name, url in urls.items():
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = counter.count
    return counts


def test_same_queries_for_2_and_6_students(school, factories, client_as, count_queries):
    lea_and_hugo(school, factories)
    add_criterion(school["teacher"], school["class"].id, "manual",
                  CriterionEdit(None, "Oral", "Oral"))
    for student in (school["student"], school["classmate"]):
        _give_activity_and_grades(school, student)
    small = _counts(school, client_as, count_queries)

    other_teacher = factories.make_teacher()
    school["class"].teachers.append(other_teacher)
    db.session.commit()
    for number in range(4):
        student = factories.make_student(school["class"], username=f"eleve.numero{number}")
        _give_activity_and_grades({**school, "teacher": other_teacher}, student)
    # Léa's page now shows grades saved by two different teachers.
    _give_activity_and_grades({**school, "teacher": other_teacher}, school["student"], "11")

    assert _counts(school, client_as, count_queries) == small
