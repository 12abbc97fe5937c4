"""The grading routes in the authorization matrix (tests/test_authorization.py).

Everything is for the class's teachers and the admins: a student, a student of another class
and another class's teacher are refused; a class, a student or a criterion that does not exist
is 404. The POSTs send invalid data (the page comes back, nothing changes), except the removal
of a criterion made for it, which comes last.
"""

from __future__ import annotations

from tests.authz import NOT_FOUND, OK, REDIRECT, Case, logged_in, staff_of_the_class


def add_entries(school: dict) -> dict:
    """A criterion scored by hand, with a grade on it, that the removal case takes away."""
    from sandbox.extensions import db
    from sandbox.grading.models import Grade, Measure, RubricCriterion
    from sandbox.grading.rubrics import rubric_for

    rubric = rubric_for(school["class"])
    criterion = RubricCriterion(key="custom-1", measure=Measure.MANUAL, label_fr="Oral",
                                label_en="Oral", weight=1, position=len(rubric.criteria) + 1)
    rubric.criteria.append(criterion)
    db.session.flush()
    db.session.add(Grade(criterion_id=criterion.id, student_id=school["student"].id, score=12.5,
                         graded_by_id=school["teacher"].id))
    db.session.commit()
    return {"grading_criterion": criterion}


def _class(s: dict) -> str:
    return f"/classes/{s['class'].id}"


def _criterion(s: dict) -> str:
    return f"{_class(s)}/rubric/criteria/{s['grading_criterion'].id}/delete"


BAD_GRADE = {"entries-0-criterion_id": "1", "entries-0-score": "pas une note"}

CASES: dict[str, list[Case]] = {
    "grading.index": [
        Case("GET", lambda s: f"{_class(s)}/grades", staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/grades",
             {**staff_of_the_class(), "teacher": 403, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/grades", logged_in(NOT_FOUND)),
    ],
    "grading.export": [
        Case("GET", lambda s: f"{_class(s)}/grades.csv?format=fr", staff_of_the_class()),
        Case("GET", lambda s: "/classes/99999999/grades.csv", logged_in(NOT_FOUND)),
    ],
    "grading.student": [
        Case("GET", lambda s: f"{_class(s)}/grades/students/{s['student'].id}",
             staff_of_the_class()),
        # A student of another class, asked through this class: not one of its students.
        Case("GET", lambda s: f"{_class(s)}/grades/students/{s['other_student'].id}",
             {**staff_of_the_class(NOT_FOUND)}),
        # The page is made from the rubric, so the entries name a criterion it lacks: the
        # page sends the teacher back to it, nothing saved.
        Case("POST", lambda s: f"{_class(s)}/grades/students/{s['student'].id}",
             staff_of_the_class(REDIRECT), data=BAD_GRADE),
    ],
    "grading.rubric": [
        Case("GET", lambda s: f"{_class(s)}/rubric", staff_of_the_class()),
        Case("GET", lambda s: "/classes/99999999/rubric", logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"{_class(s)}/rubric", staff_of_the_class(), data={}),
    ],
    "grading.add_criterion": [
        Case("POST", lambda s: f"{_class(s)}/rubric/criteria", staff_of_the_class(),
             data={"measure": "manual"}),
    ],
    "grading.remove_criterion": [
        Case("GET", _criterion, staff_of_the_class()),
        Case("GET", lambda s: f"{_class(s)}/rubric/criteria/99999999/delete",
             staff_of_the_class(NOT_FOUND)),
        Case("POST", _criterion, staff_of_the_class(REDIRECT)),
    ],
}
