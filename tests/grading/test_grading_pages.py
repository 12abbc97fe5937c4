"""The grades page and one student's grading page, as a teacher uses them."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.extensions import db
from sandbox.grading.models import Grade
from sandbox.grading.rubrics import rubric_for
from tests.grading.activity import lea_and_hugo


def _url(school, student=None) -> str:  # type: ignore[no-untyped-def]
    base = f"/classes/{school['class'].id}/grades"
    return base if student is None else f"{base}/students/{student.id}"


def _form(school, **scores: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The grading form with `scores` by criterion key, every other field empty."""
    data = {}
    for index, criterion in enumerate(rubric_for(school["class"]).criteria):
        data[f"entries-{index}-criterion_id"] = str(criterion.id)
        data[f"entries-{index}-score"] = scores.get(criterion.key, "")
        data[f"entries-{index}-comment"] = scores.get(f"{criterion.key}_comment", "")
    return data


def _in_english(user):  # type: ignore[no-untyped-def]
    """The new texts are translated by the lead later: tests read them in English."""
    user.locale = "en"
    db.session.commit()
    return user


def _grades() -> dict[str, tuple[float | None, str]]:
    rows = db.session.scalars(sa.select(Grade))
    return {grade.criterion.key: (grade.score, grade.comment) for grade in rows}


def test_the_grades_page_marks_suggestions_and_sorts_by_final_grade(school, factories,
                                                                     client_as):
    lea_and_hugo(school, factories)
    client = client_as(school["teacher"])

    page = client.get(_url(school)).get_data(as_text=True)
    assert "Identité professionnelle" in page  # the class's rubric, in the teacher's language
    assert "9,5" in page and "5,25" in page  # Léa's final grade, her identity, French style
    assert page.count('grading-score grading-score--suggested') == 10  # 2 students x 5

    by_final = client.get(_url(school) + "?sort=final&dir=desc").get_data(as_text=True)
    assert by_final.index("Martin") < by_final.index("Petit")  # 9.5 before 4
    ascending = client.get(_url(school) + "?sort=final&dir=asc").get_data(as_text=True)
    assert ascending.index("Petit") < ascending.index("Martin")
    assert 'aria-sort="ascending"' in ascending


def test_a_date_that_cannot_be_read_is_said(school, client_as):
    page = client_as(_in_english(school["teacher"])).get(_url(school) + "?start=demain")
    assert page.status_code == 200
    assert "write it as YYYY-MM-DD" in page.get_data(as_text=True)


def test_a_french_score_is_read_and_the_grade_recorded(school, factories, client_as):
    lea_and_hugo(school, factories)
    lea, teacher = school["student"], school["teacher"]
    client = client_as(teacher)

    response = client.post(_url(school, lea), data=_form(
        school, identity="12,5", identity_comment="Photo à refaire, le reste est très bien."))

    assert response.status_code == 302
    assert _grades() == {"identity": (12.5, "Photo à refaire, le reste est très bien.")}
    grade = db.session.scalar(sa.select(Grade))
    assert grade.graded_by_id == teacher.id and grade.student_id == lea.id
    event = db.session.scalar(sa.select(ActivityEvent).where(ActivityEvent.kind == "grade_saved"))
    assert (event.user_id, event.subject_id, event.data["criteria"]) == (
        teacher.id, lea.id, ["identity"])
    page = client.get(_url(school, lea)).get_data(as_text=True)
    assert 'value="12,5"' in page and "Photo à refaire" in page
    # (12.5 + 14 + 13 + 8 + 16) / 6 = 10.58 -> 10.5
    assert "<strong>10,5</strong>" in page


def test_wrong_scores_are_refused_beside_their_field_and_nothing_is_saved(school, client_as):
    client = client_as(_in_english(school["teacher"]))
    for typed, message in (("21", "The score goes from 0 to 20."),
                           ("-1", "Write a number from 0 to 20, for example 12.5."),
                           ("douze", "Write a number from 0 to 20"),
                           ("12,3", "Score to the quarter point: for example 12, 12.25"),
                           ("1e1", "Write a number from 0 to 20")):
        response = client.post(_url(school, school["student"]),
                               data=_form(school, network=typed, watch="15", identity="8"))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, typed
        assert 'id="entries-1-score-error"' in page, typed
        assert message in page, typed
        assert _grades() == {}, typed


def test_an_empty_score_keeps_the_suggestion_and_clearing_goes_back_to_it(school, client_as):
    client = client_as(school["teacher"])
    lea = school["student"]
    client.post(_url(school, lea), data=_form(school, watch="15"))
    assert _grades() == {"watch": (15.0, "")}
    client.post(_url(school, lea), data=_form(school, watch_comment="Suit les bons comptes."))
    assert _grades() == {"watch": (None, "Suit les bons comptes.")}
    response = client.post(_url(school, lea), data=_form(school))
    assert response.status_code == 302 and _grades() == {}


def test_save_and_grade_the_next_student(school, client_as):
    lea, hugo = school["student"], school["classmate"]  # Martin, then Petit
    response = client_as(school["teacher"]).post(
        _url(school, lea) + "?start=2026-09-01", data={**_form(school, watch="15"),
                                                        "then": "next"})
    assert response.headers["Location"] == f"{_url(school, hugo)}?start=2026-09-01"


def test_a_page_made_from_an_older_rubric_saves_nothing(school, client_as):
    data = _form(school, watch="15")
    criterion_id = data.pop("entries-4-criterion_id")
    data["entries-4-criterion_id"] = str(int(criterion_id) + 1000)
    response = client_as(school["teacher"]).post(_url(school, school["student"]), data=data)
    assert response.status_code == 302 and _grades() == {}
