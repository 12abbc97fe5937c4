"""The exercise's forms: a new exercise, and the editor's small forms (one per row).

Their fields are checked with the functions the services use again (`validation`), so every
mistake shows at once beside its field, in the reader's language. Menus do not reject an
unknown choice themselves: the service's message says what to choose instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.core import Field
from wtforms.validators import ValidationError

from sandbox.core.errors import ServiceError
from sandbox.exercises.labels import KIND_LABELS, ROLE_LABELS
from sandbox.exercises.models import ObjectiveKind, TeamRole
from sandbox.exercises.validation import (
    MINUTES_MAX,
    MINUTES_MIN,
    PHASE_NAME_MAX_LENGTH,
    TARGET_MAX,
    TEAM_NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    parse_minutes,
    parse_phase_name,
    parse_team_name,
    parse_title,
)


def _check(parse: Callable[..., Any]) -> Callable[[Any, Field], None]:
    """A form validator running one of the services' checks on the field's data."""

    def validator(_form: Any, field: Field) -> None:
        try:
            parse(field.data, field.name)
        except ServiceError as error:
            raise ValidationError(str(error.message)) from None

    return validator


def _optional_title(value: Any, field: str) -> None:
    if str(value or "").strip():
        parse_title(value, field)


NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", "size": 4}


class NewExerciseForm(FlaskForm):
    template = RadioField(_l("Start from"), choices=[], validate_choice=False)
    title = StringField(_l("Title (optional)"), validators=[_check(_optional_title)],
                        description=_l("Leave it empty to use the template’s name."),
                        render_kw={"maxlength": TITLE_MAX_LENGTH})


class TitleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[_check(parse_title)],
                        render_kw={"maxlength": TITLE_MAX_LENGTH})


class PhaseForm(FlaskForm):
    name = StringField(_l("Phase"), validators=[_check(parse_phase_name)],
                       render_kw={"maxlength": PHASE_NAME_MAX_LENGTH})
    minutes = StringField(_l("Minutes"), validators=[_check(parse_minutes)],
                          description=_l("From %(min)d to %(max)d.", min=MINUTES_MIN,
                                         max=MINUTES_MAX),
                          render_kw=NUMBER)


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(ROLE_LABELS[role])) for role in TeamRole]


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[_check(parse_team_name)],
                       render_kw={"maxlength": TEAM_NAME_MAX_LENGTH})
    role = SelectField(_l("The team’s role"), choices=[], validate_choice=False)
    company_id = SelectField(_l("Company played (recruiters)"), choices=[],
                             validate_choice=False)

    def with_choices(self, companies: list[tuple[str, str]]) -> TeamForm:
        self.role.choices = role_choices()
        self.company_id.choices = [("", str(_l("— none (candidates) —"))), *companies]
        return self


class MemberForm(FlaskForm):
    student_id = SelectField(_l("Student"), choices=[], validate_choice=False)
    team_id = SelectField(_l("Team"), choices=[], validate_choice=False)


class ObjectiveForm(FlaskForm):
    role = SelectField(_l("For"), choices=[], validate_choice=False)
    kind = SelectField(_l("What is counted"), choices=[], validate_choice=False)
    target = StringField(_l("Target to reach"), render_kw={**NUMBER, "max": TARGET_MAX})

    def with_choices(self) -> ObjectiveForm:
        self.role.choices = role_choices()
        self.kind.choices = [(kind.value, str(KIND_LABELS[kind])) for kind in ObjectiveKind]
        return self


class TargetForm(FlaskForm):
    target = StringField(_l("Target to reach"), render_kw=NUMBER)
