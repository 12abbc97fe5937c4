"""Grading a class: the grade sheet, one student's page, and saving the teacher's scores.

Only the class's teachers and the admins reach any of it (`sandbox.dashboard.access`). Each
page runs a fixed number of queries whatever the size of the class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from sandbox.accounts.models import Role, User
from sandbox.activity.services import record_event
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import ServiceError
from sandbox.core.time import utcnow
from sandbox.dashboard.access import class_for_staff, student_for_staff
from sandbox.dashboard.figures import Period, class_figures
from sandbox.extensions import db
from sandbox.grading.models import Grade, Rubric, RubricCriterion
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.sheet import StudentSheet, student_sheet
from sandbox.grading.validation import parse_comment, parse_score
from sandbox.profiles.models import Profile



class StaleGrades(ServiceError):
    """The page was made from a rubric that has changed since (criteria added or removed)."""


STALE = _l("The rubric changed while you were grading: nothing was saved. Grade again on the "
           "rubric as it is now.")


def _grades_of(criteria: Sequence[RubricCriterion],
               student_ids: Sequence[int]) -> dict[int, dict[int, Grade]]:
    """student id -> criterion id -> grade, in one query."""
    by_student: dict[int, dict[int, Grade]] = {student_id: {} for student_id in student_ids}
    if not criteria or not student_ids:
        return by_student
    rows = db.session.scalars(
        sa.select(Grade).where(Grade.criterion_id.in_([c.id for c in criteria]),
                               Grade.student_id.in_(student_ids))
    )
    for grade in rows:
        by_student[grade.student_id][grade.criterion_id] = grade
    return by_student


@dataclass(frozen=True)
class ClassGrades:
    klass: SchoolClass
    rubric: Rubric
    sheets: list[StudentSheet]  # in roster order (last, first name)


def class_grades(viewer: User, class_id: int, period: Period = Period()) -> ClassGrades:
    """Every student's scores and final grade over the period (the figures' period)."""
    klass = class_for_staff(viewer, class_id)
    rubric = rubric_for(klass)
    figures = class_figures(klass, period)
    grades = _grades_of(rubric.criteria, list(figures))
    sheets = [student_sheet(entry, rubric.criteria, grades[student_id], rubric.scale)
              for student_id, entry in figures.items()]
    return ClassGrades(klass, rubric, sheets)


@dataclass(frozen=True)
class StudentGrades:
    klass: SchoolClass
    rubric: Rubric
    sheet: StudentSheet
    graders: dict[int, User]  # who saved each grade, by user id
    previous: User | None  # the students before and after, in roster order
    next: User | None


def _with_profile(student_id: int) -> User:
    """The student with what the completeness score reads, loaded at once."""
    return db.session.scalars(
        sa.select(User).where(User.id == student_id)
        .options(selectinload(User.profile).options(
            selectinload(Profile.skills), selectinload(Profile.experiences),
            selectinload(Profile.education), selectinload(Profile.languages),
            selectinload(Profile.hashtags),
        ))
        .execution_options(populate_existing=True)
    ).one()


def _neighbours(klass: SchoolClass, student: User) -> tuple[User | None, User | None]:
    roster = list(db.session.scalars(
        sa.select(User).where(User.class_id == klass.id, User.role == Role.STUDENT)
        .order_by(User.last_name, User.first_name, User.id)
    ))
    index = next(i for i, person in enumerate(roster) if person.id == student.id)
    previous = roster[index - 1] if index > 0 else None
    following = roster[index + 1] if index + 1 < len(roster) else None
    return previous, following


def student_grades(viewer: User, class_id: int, student_id: int,
                   period: Period = Period()) -> StudentGrades:
    """One student's suggestions with their figures, the teacher's scores and comments."""
    klass, student = student_for_staff(viewer, class_id, student_id)
    rubric = rubric_for(klass)
    student = _with_profile(student.id)
    figures = class_figures(klass, period, students=[student])[student.id]
    grades = _grades_of(rubric.criteria, [student.id])[student.id]
    grader_ids = {g.graded_by_id for g in grades.values() if g.graded_by_id is not None}
    graders = {user.id: user for user in db.session.scalars(
        sa.select(User).where(User.id.in_(grader_ids)))} if grader_ids else {}
    previous, following = _neighbours(klass, student)
    return StudentGrades(klass, rubric, student_sheet(figures, rubric.criteria, grades,
                                                      rubric.scale),
                         graders, previous, following)


# ---- saving --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeEntry:
    """One criterion's fields as typed: an empty score keeps the suggestion."""

    criterion_id: int | None
    score: str | None = ""
    comment: str | None = ""


def score_field(index: int) -> str:
    return f"entries-{index}-score"


def comment_field(index: int) -> str:
    return f"entries-{index}-comment"


def _checked(entries: Sequence[GradeEntry], rubric: Rubric
             ) -> list[tuple[RubricCriterion, float | None, str]]:
    """Every entry read and checked before anything is written; the first mistake raises."""
    criteria = {criterion.id: criterion for criterion in rubric.criteria}
    seen: set[int] = set()
    checked = []
    for index, entry in enumerate(entries):
        criterion = criteria.get(entry.criterion_id or 0)
        if criterion is None or criterion.id in seen:
            raise StaleGrades(STALE)
        seen.add(criterion.id)
        checked.append((criterion,
                        parse_score(entry.score, rubric.scale, score_field(index)),
                        parse_comment(entry.comment, comment_field(index))))
    return checked


def save_grades(teacher: User, class_id: int, student_id: int,
                entries: Sequence[GradeEntry]) -> list[str]:
    """Save the scores and comments of one student at once; returns the keys of the criteria
    that changed (nothing is written when nothing changed, or when one entry is wrong)."""
    klass, student = student_for_staff(teacher, class_id, student_id)
    rubric = rubric_for(klass)
    checked = _checked(entries, rubric)
    existing = _grades_of(rubric.criteria, [student.id])[student.id]
    changed = []
    now = utcnow()
    for criterion, score, comment in checked:
        grade = existing.get(criterion.id)
        if grade is None:
            if score is None and not comment:
                continue
            grade = Grade(criterion_id=criterion.id, student_id=student.id)
            db.session.add(grade)
        elif grade.score == score and grade.comment == comment:
            continue
        elif score is None and not comment:
            db.session.delete(grade)  # back to the suggestion, nothing to keep
            changed.append(criterion.key)
            continue
        grade.score, grade.comment = score, comment
        grade.graded_by_id, grade.updated_at = teacher.id, now
        changed.append(criterion.key)
    if not changed:
        return changed
    record_event(teacher, "grade_saved", student, class_id=klass.id, criteria=changed)
    try:
        db.session.commit()
    except IntegrityError as error:  # another teacher saved the same student at that instant
        db.session.rollback()
        raise ServiceError(_l("Someone saved grades for this student at the same moment: "
                              "reload the page to see them, then save yours again.")) from error
    return changed
