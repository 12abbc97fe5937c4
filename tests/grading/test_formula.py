"""The formula pinned on a small class: known activity, exact suggestions and final grades."""

from __future__ import annotations

from datetime import datetime

from sandbox.dashboard.figures import Period
from sandbox.grading.services import GradeEntry, class_grades, save_grades
from tests.grading.activity import lea_and_hugo


def scores(grades, student) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    sheet = next(sheet for sheet in grades.sheets if sheet.student.id == student.id)
    return {entry.criterion.key: entry.score for entry in sheet.scores}


def final(grades, student) -> float | None:  # type: ignore[no-untyped-def]
    return next(s.final.value for s in grades.sheets if s.student.id == student.id)


def test_known_activity_gives_exact_suggestions_and_final_grades(school, factories):
    lea, hugo = school["student"], school["classmate"]
    lea_and_hugo(school, factories)

    grades = class_grades(school["teacher"], school["class"].id)

    # identity: (3 x 35/100 + 0) / 4 = 0.2625 -> 5.25
    # network: (2/5 + 2/10 + 1/3 + 1/3 + 1/2) / 5 = 53/150 -> 7.07 -> 7
    # visibility: (3/5 + 5/5 + 1/2 + 1/2) / 4 = 0.65 -> 13
    # watch: (1/5 + 3/3 + 0/3) / 3 = 0.4 -> 8
    # charter: 20 - (1 coach published anyway + 4/4 block fixed + 2 flagged) = 16
    assert scores(grades, lea) == {"identity": 5.25, "network": 7, "visibility": 13,
                                   "watch": 8, "charter": 16}
    # (5.25 + 2 x 7 + 13 + 8 + 16) / 6 = 9.375 -> 9.5
    assert final(grades, lea) == 9.5
    # Hugo: one classmate in his network. network: (1/10 + 1/3) / 5 = 13/150 -> 1.73 -> 1.75
    assert scores(grades, hugo) == {"identity": 0, "network": 1.75, "visibility": 0,
                                    "watch": 0, "charter": 20}
    # (0 + 2 x 1.75 + 0 + 0 + 20) / 6 = 3.92 -> 4
    assert final(grades, hugo) == 4


def test_the_same_activity_gives_the_same_suggestion_every_time(school, factories):
    lea_and_hugo(school, factories)
    first = class_grades(school["teacher"], school["class"].id)
    second = class_grades(school["admin"], school["class"].id)
    assert ([scores(first, s.student) for s in first.sheets]
            == [scores(second, s.student) for s in second.sheets])


def test_the_teachers_score_overrides_and_the_final_grade_follows(school, factories):
    lea, hugo = school["student"], school["classmate"]
    lea_and_hugo(school, factories)
    grades = class_grades(school["teacher"], school["class"].id)
    entries = [GradeEntry(c.id, "10" if c.key == "visibility" else "", "")
               for c in grades.rubric.criteria]

    assert save_grades(school["teacher"], school["class"].id, hugo.id, entries) == ["visibility"]

    grades = class_grades(school["teacher"], school["class"].id)
    assert scores(grades, hugo)["visibility"] == 10
    # (0 + 3.5 + 10 + 0 + 20) / 6 = 5.58 -> 5.5
    assert final(grades, hugo) == 5.5
    assert final(grades, lea) == 9.5


def test_the_dates_chosen_limit_what_the_student_did(school, factories):
    lea = school["student"]
    lea_and_hugo(school, factories)  # everything on 5 October 2026
    later = Period(start=datetime(2026, 11, 1))

    grades = class_grades(school["teacher"], school["class"].id, later)

    # No posts, comments, invitations nor findings since November; connections and follows
    # are counted as they are. network: (0 + 2/10 + 1/3 + 1/3 + 1/2) / 5 -> 5.47 -> 5.5
    assert scores(grades, lea) == {"identity": 5.25, "network": 5.5, "visibility": 0,
                                   "watch": 8, "charter": 20}
