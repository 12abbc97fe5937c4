"""A student's scores on the rubric: the teacher's where given, else the suggestion, and the
final grade. Pure computations on what the services loaded; the pages and the CSV share them.

The final grade is the mean of the criteria that count (weight above 0), weighted, over those
that have a score, rounded to the quarter point (half up). It is incomplete while a counted
criterion scored by hand has no score yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sandbox.accounts.models import User
from sandbox.core.text import fold
from sandbox.dashboard.figures import StudentFigures
from sandbox.grading.models import Grade, RubricCriterion
from sandbox.grading.suggestions import Suggestion, round_quarter, suggest


def criterion_label(criterion: RubricCriterion, language: str) -> str:
    return criterion.label_fr if language.startswith("fr") else criterion.label_en


def criterion_description(criterion: RubricCriterion, language: str) -> str:
    return criterion.description_fr if language.startswith("fr") else criterion.description_en


@dataclass(frozen=True)
class CriterionScore:
    criterion: RubricCriterion
    suggestion: Suggestion | None
    grade: Grade | None

    @property
    def teacher_score(self) -> float | None:
        return self.grade.score if self.grade is not None else None

    @property
    def by_teacher(self) -> bool:
        return self.teacher_score is not None

    @property
    def score(self) -> float | None:
        """The teacher's score, else the suggestion (None: scored by hand, not yet)."""
        if self.teacher_score is not None:
            return self.teacher_score
        return self.suggestion.score if self.suggestion is not None else None

    @property
    def comment(self) -> str:
        return self.grade.comment if self.grade is not None else ""

    @property
    def counted(self) -> bool:
        return self.criterion.weight > 0


@dataclass(frozen=True)
class FinalGrade:
    value: float | None  # over the counted criteria that have a score
    to_grade: int  # counted criteria still without a score

    @property
    def complete(self) -> bool:
        return self.value is not None and self.to_grade == 0


def final_grade(scores: Iterable[CriterionScore]) -> FinalGrade:
    """The weighted mean of the counted criteria that have a score, to the quarter point."""
    counted = [entry for entry in scores if entry.counted]
    scored = [entry for entry in counted if entry.score is not None]
    if not scored:
        return FinalGrade(None, len(counted))
    weights = sum(entry.criterion.weight for entry in scored)
    total = sum(Fraction(entry.score) * entry.criterion.weight  # type: ignore[arg-type]
                for entry in scored)
    return FinalGrade(float(round_quarter(total / weights)), len(counted) - len(scored))


@dataclass(frozen=True)
class StudentSheet:
    student: User
    figures: StudentFigures
    scores: tuple[CriterionScore, ...]
    final: FinalGrade


def student_sheet(student_figures: StudentFigures, criteria: Sequence[RubricCriterion],
                  grades: dict[int, Grade], scale: int) -> StudentSheet:
    """One student's row: `grades` are theirs, by criterion id."""
    scores = tuple(
        CriterionScore(criterion, suggest(criterion.measure, student_figures, scale),
                       grades.get(criterion.id))
        for criterion in criteria
    )
    return StudentSheet(student_figures.student, student_figures, scores, final_grade(scores))


SORT_KEYS = ("name", "final")


def sorted_sheets(sheets: list[StudentSheet], key: str, descending: bool) -> list[StudentSheet]:
    """By last then first name (accents aside), or by final grade (none last, ties by name)."""
    sheets = sorted(sheets, key=lambda sheet: (fold(sheet.student.last_name),
                                               fold(sheet.student.first_name), sheet.student.id))
    if key == "final":
        graded = [sheet for sheet in sheets if sheet.final.value is not None]
        ungraded = [sheet for sheet in sheets if sheet.final.value is None]
        graded.sort(key=lambda sheet: sheet.final.value or 0.0, reverse=descending)
        return graded + ungraded
    return sheets[::-1] if descending else sheets
