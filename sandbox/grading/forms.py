"""The grading page's form and the rubric editor's forms.

Their fields are checked with the functions of `sandbox.grading.validation`, as the services
check them again, so that every mistake shows at once beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import Field
from wtforms.validators import ValidationError

from sandbox.core.errors import ServiceError
from sandbox.grading.display import score_text
from sandbox.grading.models import Measure, Rubric
from sandbox.grading.rubric_edits import CriterionEdit, RubricEdit
from sandbox.grading.services import GradeEntry
from sandbox.grading.sheet import StudentSheet
from sandbox.grading.validation import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    SCALES,
    WEIGHT_MAX,
    parse_comment,
    parse_description,
    parse_label,
    parse_position,
    parse_score,
    parse_scale,
    parse_weight,
)

MEASURE_LABELS = {
    Measure.MANUAL: _l("Scored by hand (no suggestion)"),
    Measure.IDENTITY: _l("Professional identity (profile completeness, photo)"),
    Measure.NETWORK: _l("Network building (invitations, connections, diversity)"),
    Measure.VISIBILITY: _l("Visibility (posts, comments, groups, shares)"),
    Measure.WATCH: _l("Professional watch (people, companies, hashtags followed)"),
    Measure.CHARTER: _l("Respect of the charter (findings)"),
}


def _check(parse: Callable[[Any, str], Any]) -> Callable[[Any, Field], None]:
    """A form validator running one of the services' checks on the field's data."""

    def validator(_form: Any, field: Field) -> None:
        try:
            parse(field.data, field.name)
        except ServiceError as error:
            raise ValidationError(str(error.message)) from None

    return validator


# ---- grading one student -------------------------------------------------------------------


class GradeEntryForm(Form):
    criterion_id = HiddenField()
    score = StringField(_l("Your score"),
                        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 6})
    comment = TextAreaField(_l("Comment on this criterion"), validators=[_check(parse_comment)],
                            render_kw={"rows": 2, "maxlength": COMMENT_MAX_LENGTH})


class GradesForm(FlaskForm):
    entries = FieldList(FormField(GradeEntryForm))

    @classmethod
    def for_sheet(cls, sheet: StudentSheet) -> GradesForm:
        return cls(formdata=None, data={"entries": [
            {"criterion_id": str(entry.criterion.id), "score": score_text(entry.teacher_score),
             "comment": entry.comment}
            for entry in sheet.scores
        ]})

    def check_scores(self, scale: int) -> bool:
        """Scores depend on the rubric's scale: checked here, beside the other fields."""
        valid = True
        for item in self.entries:
            field = item.form.score
            try:
                parse_score(field.data, scale, field.name)
            except ServiceError as error:
                field.errors = [*field.errors, str(error.message)]
                valid = False
        return valid

    def to_entries(self) -> list[GradeEntry]:
        entries = []
        for item in self.entries:
            raw = (item.form.criterion_id.data or "").strip()
            entries.append(GradeEntry(criterion_id=int(raw) if raw.isdigit() else None,
                                      score=item.form.score.data,
                                      comment=item.form.comment.data))
        return entries


# ---- the rubric editor ---------------------------------------------------------------------

SCALE_CHOICES = [SelectChoice(str(scale), _l("Out of %(scale)d", scale=scale))
                 for scale in SCALES]


class CriterionTexts:
    """The four texts of a criterion (WTForms collects fields from mixins too)."""

    label_fr = StringField(_l("Name in French"), validators=[_check(parse_label)],
                           render_kw={"maxlength": LABEL_MAX_LENGTH})
    label_en = StringField(_l("Name in English"), validators=[_check(parse_label)],
                           render_kw={"maxlength": LABEL_MAX_LENGTH})
    description_fr = TextAreaField(_l("Description in French"),
                                   validators=[_check(parse_description)],
                                   render_kw={"rows": 2, "maxlength": DESCRIPTION_MAX_LENGTH})
    description_en = TextAreaField(_l("Description in English"),
                                   validators=[_check(parse_description)],
                                   render_kw={"rows": 2, "maxlength": DESCRIPTION_MAX_LENGTH})


WEIGHT_HELP = _l("From 0 to %(max)d. 0: shown, but not counted in the final grade.",
                 max=WEIGHT_MAX)


class CriterionForm(CriterionTexts, Form):
    id = HiddenField()
    weight = StringField(_l("Weight"), description=WEIGHT_HELP, validators=[_check(parse_weight)],
                         render_kw={"inputmode": "numeric", "size": 3})
    position = StringField(_l("Order"), validators=[_check(parse_position)],
                           render_kw={"inputmode": "numeric", "size": 3})


class RubricForm(FlaskForm):
    scale = SelectField(_l("Grades out of"), choices=SCALE_CHOICES, validate_choice=False,
                        validators=[_check(parse_scale)],
                        description=_l("Changing it converts the scores already given "
                                       "(15/20 becomes 75/100)."))
    criteria = FieldList(FormField(CriterionForm))

    @classmethod
    def for_rubric(cls, rubric: Rubric) -> RubricForm:
        # formdata=None: shown beside the form to add a criterion, it must not read that one.
        return cls(formdata=None, data={"scale": str(rubric.scale), "criteria": [
            {"id": str(c.id), "label_fr": c.label_fr, "label_en": c.label_en,
             "description_fr": c.description_fr, "description_en": c.description_en,
             "weight": str(c.weight), "position": str(c.position)}
            for c in rubric.criteria
        ]})

    def to_edit(self) -> RubricEdit:
        criteria = []
        for item in self.criteria:
            raw = (item.form.id.data or "").strip()
            criteria.append(CriterionEdit(
                id=int(raw) if raw.isdigit() else None,
                label_fr=item.form.label_fr.data, label_en=item.form.label_en.data,
                description_fr=item.form.description_fr.data,
                description_en=item.form.description_en.data,
                weight=item.form.weight.data, position=item.form.position.data,
            ))
        return RubricEdit(scale=self.scale.data, criteria=criteria)


class NewCriterionForm(CriterionTexts, FlaskForm):
    measure = SelectField(_l("What it measures"), validate_choice=False)
    weight = StringField(_l("Weight"), default="1", description=WEIGHT_HELP,
                         validators=[_check(parse_weight)],
                         render_kw={"inputmode": "numeric", "size": 3})

    def offer(self, measures: list[Measure]) -> NewCriterionForm:
        self.measure.choices = [SelectChoice(m.value, MEASURE_LABELS[m]) for m in measures]
        return self

    def to_edit(self) -> CriterionEdit:
        return CriterionEdit(id=None, label_fr=self.label_fr.data, label_en=self.label_en.data,
                             description_fr=self.description_fr.data,
                             description_en=self.description_en.data, weight=self.weight.data)
