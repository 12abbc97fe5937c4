"""Editing a class's rubric: texts, weights, order and scale; adding and removing criteria.

Every change is checked whole before anything is written, and leaves an entry in the audit log
("rubric_edit"). Changing the scale converts the scores already given (15/20 becomes 75/100),
to the quarter point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.time import utcnow
from sandbox.dashboard.access import class_for_staff
from sandbox.extensions import db
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.sheet import criterion_label
from sandbox.grading.suggestions import round_quarter
from sandbox.grading.validation import (
    MAX_CRITERIA,
    parse_description,
    parse_label,
    parse_position,
    parse_scale,
    parse_weight,
)
from sandbox.i18n import current_language
from sandbox.moderation.audit import record_audit



class StaleRubric(ServiceError):
    """The form was made from a rubric that has changed since (criteria added or removed)."""


STALE = _l("Someone changed this rubric while you were editing it: your changes were not "
           "saved. Make them again on the rubric as it is now.")
TEXT_FIELDS = ("label_fr", "label_en", "description_fr", "description_en")


@dataclass(frozen=True)
class CriterionEdit:
    """One criterion's fields as typed in the editor."""

    id: int | None
    label_fr: str | None = ""
    label_en: str | None = ""
    description_fr: str | None = ""
    description_en: str | None = ""
    weight: str | int | None = "1"
    position: str | int | None = "1"


@dataclass(frozen=True)
class RubricEdit:
    scale: str | int | None
    criteria: Sequence[CriterionEdit]


def class_rubric(actor: User, class_id: int) -> tuple[SchoolClass, Rubric]:
    """The class and its rubric, for its teachers and the admins."""
    klass = class_for_staff(actor, class_id)
    return klass, rubric_for(klass)


def criterion_field(index: int, name: str) -> str:
    """The editor's name for a criterion's field ("criteria-2-weight")."""
    return f"criteria-{index}-{name}"


def _texts(edit: CriterionEdit, field: str) -> dict[str, str]:
    """The four texts, checked; `field` is the prefix of the form's field names."""
    return {
        "label_fr": parse_label(edit.label_fr, f"{field}label_fr"),
        "label_en": parse_label(edit.label_en, f"{field}label_en"),
        "description_fr": parse_description(edit.description_fr, f"{field}description_fr"),
        "description_en": parse_description(edit.description_en, f"{field}description_en"),
    }


def _label(criterion: RubricCriterion) -> str:
    """What the audit log shows of a criterion: its name in the teacher's language."""
    return criterion_label(criterion, current_language())


def _require_a_counted_criterion(weights: Sequence[int]) -> None:
    if not any(weights):
        raise ServiceError(_l("At least one criterion must count: give it a weight above 0."))


def _rescale(rubric: Rubric, scale: int) -> None:
    """Bring the scores already given to the new scale."""
    ids = [criterion.id for criterion in rubric.criteria]
    grades = db.session.scalars(
        sa.select(Grade).where(Grade.criterion_id.in_(ids), Grade.score.is_not(None))
    ) if ids else []
    for grade in grades:
        score = Fraction(grade.score or 0)
        grade.score = float(round_quarter(score * scale / rubric.scale))


def update_rubric(actor: User, class_id: int, edit: RubricEdit) -> bool:
    """Save the editor's form; False when nothing changed."""
    klass = class_for_staff(actor, class_id)
    rubric = rubric_for(klass)
    by_id = {criterion.id: criterion for criterion in rubric.criteria}
    if sorted(entry.id or 0 for entry in edit.criteria) != sorted(by_id):
        raise StaleRubric(STALE)
    scale = parse_scale(edit.scale)
    checked = []
    for index, entry in enumerate(edit.criteria):
        prefix = criterion_field(index, "")
        texts = _texts(entry, prefix)
        weight = parse_weight(entry.weight, prefix + "weight")
        position = parse_position(entry.position, prefix + "position")
        checked.append((by_id[entry.id or 0], texts, weight, position, index))
    _require_a_counted_criterion([weight for _, _, weight, _, _ in checked])
    # The order typed; on a tie, the criterion the teacher moved goes first ("watch" set to 1
    # goes before the criterion that was 1), then the order shown. Numbered 1, 2, 3… again.
    checked.sort(key=lambda item: (item[3], item[3] == item[0].position, item[4]))
    changed = []
    for number, (criterion, texts, weight, _, _) in enumerate(checked, start=1):
        values = {**texts, "weight": weight, "position": number}
        if any(getattr(criterion, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(criterion, name, value)
            changed.append(criterion.key)
    old_scale = rubric.scale
    if scale != old_scale:
        _rescale(rubric, scale)
        rubric.scale = scale
    if not changed and scale == old_scale:
        return False
    rubric.updated_at = utcnow()
    # What the audit log's reader sees: the criteria changed, and the scale when it changed.
    summary = [_label(c) for c in rubric.criteria if c.key in changed]
    if scale != old_scale:
        summary.append(f"/{old_scale} → /{scale}")
    record_audit(actor, "rubric_edit", class_id=klass.id, reason=", ".join(summary),
                 change="edit", criteria=changed, scale=scale, previous_scale=old_scale)
    db.session.commit()
    return True


# ---- adding and removing -------------------------------------------------------------------


def measures_to_add(rubric: Rubric) -> list[Measure]:
    """What a new criterion may measure: by hand, or an automatic measure the rubric lacks."""
    used = {criterion.measure for criterion in rubric.criteria}
    return [Measure.MANUAL, *(m for m in Measure if m is not Measure.MANUAL and m not in used)]


def _new_key(rubric: Rubric, measure: Measure) -> str:
    if measure is not Measure.MANUAL:
        return measure.value
    numbers = [int(c.key.removeprefix("custom-")) for c in rubric.criteria
               if c.key.startswith("custom-") and c.key.removeprefix("custom-").isdigit()]
    return f"custom-{max(numbers, default=0) + 1}"


def add_criterion(actor: User, class_id: int, measure: str | None,
                  edit: CriterionEdit) -> RubricCriterion:
    """Add a criterion at the end of the rubric (by default one the teacher scores by hand)."""
    klass = class_for_staff(actor, class_id)
    rubric = rubric_for(klass)
    if len(rubric.criteria) >= MAX_CRITERIA:
        raise ServiceError(_l("%(count)d criteria at most.", count=MAX_CRITERIA))
    allowed = {m.value: m for m in measures_to_add(rubric)}
    chosen = allowed.get(measure or Measure.MANUAL.value)
    if chosen is None:
        raise ServiceError(_l("Choose what the criterion measures from the list."),
                           field="measure")
    texts = _texts(edit, "")
    weight = parse_weight(edit.weight, "weight")
    criterion = RubricCriterion(
        key=_new_key(rubric, chosen), measure=chosen, weight=weight,
        position=max((c.position for c in rubric.criteria), default=0) + 1, **texts,
    )
    rubric.criteria.append(criterion)
    rubric.updated_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another teacher added the same criterion at the same moment
        db.session.rollback()
        raise ServiceError(_l("Someone changed this rubric at the same moment: look at it "
                              "again, then add your criterion if it is still missing.")) from None
    record_audit(actor, "rubric_edit", class_id=klass.id, reason=_label(criterion),
                 change="add", criterion=criterion.key, measure=chosen.value, weight=weight)
    db.session.commit()
    return criterion


def criterion_of(actor: User, class_id: int, criterion_id: int) -> tuple[Rubric,
                                                                        RubricCriterion, int]:
    """A criterion of the class's rubric, with the number of grades given on it."""
    klass = class_for_staff(actor, class_id)
    rubric = rubric_for(klass)
    criterion = next((c for c in rubric.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise NotFound(_l("This criterion is not in the class's rubric."))
    graded = db.session.scalar(
        sa.select(sa.func.count()).select_from(Grade).where(Grade.criterion_id == criterion.id)
    ) or 0
    return rubric, criterion, graded


@dataclass(frozen=True)
class Removed:
    label_fr: str
    label_en: str
    grades: int  # the grades given on it, gone with it


def remove_criterion(actor: User, class_id: int, criterion_id: int) -> Removed:
    """Remove a criterion and the grades given on it; the last one that counts stays."""
    rubric, criterion, graded = criterion_of(actor, class_id, criterion_id)
    removed = Removed(criterion.label_fr, criterion.label_en, graded)
    others = [c for c in rubric.criteria if c.id != criterion.id]
    if not others:
        raise ServiceError(_l("A rubric keeps at least one criterion."))
    _require_a_counted_criterion([c.weight for c in others])
    db.session.execute(sa.delete(Grade).where(Grade.criterion_id == criterion.id))
    rubric.criteria.remove(criterion)
    for number, other in enumerate(others, start=1):
        other.position = number
    rubric.updated_at = utcnow()
    record_audit(actor, "rubric_edit", class_id=rubric.class_id, reason=_label(criterion),
                 change="remove", criterion=criterion.key, grades_removed=graded)
    db.session.commit()
    return removed
