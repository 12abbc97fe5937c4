"""Forms for recommendations and the journal of network outcomes.

The rules (lengths, who can be chosen) are checked by the services, which explain them; the forms
only carry the input.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from sandbox.network.journal import NOTE_MAX_LENGTH, OUTCOME_LABELS
from sandbox.network.recommendations import TEXT_MAX_LENGTH

_MAX_ID = 2_147_483_647


def optional_id(value: object) -> int | None:
    """A chosen person's id, or None for "nobody"; anything else is not a choice."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.isdecimal() or not 0 < int(text) <= _MAX_ID:
        raise ValueError(text)
    return int(text)


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        _l("Your recommendation"),
        description=_l("What you appreciated working or studying with this person, with an "
                       "example: 30 to 1,500 characters. It appears on their profile once they "
                       "accept it."),
        render_kw={"maxlength": TEXT_MAX_LENGTH, "rows": 6},
    )


class RecipientForm(FlaskForm):
    """Choosing whom to recommend: a plain GET form, so no CSRF token."""

    class Meta:
        csrf = False

    to = SelectField(_l("Whom do you want to recommend?"), coerce=optional_id,
                     validate_choice=False)


class OutcomeForm(FlaskForm):
    kind = SelectField(
        _l("What this contact brought you"),
        choices=[SelectChoice(kind.value, label) for kind, label in OUTCOME_LABELS.items()],
        validate_choice=False,
    )
    contact = SelectField(_l("Which contact"), coerce=optional_id, validate_choice=False)
    occurred_on = DateField(_l("When (optional)"), validators=[Optional()])
    note = TextAreaField(
        _l("Note"),
        description=_l("What exactly: the date of the job fair, the advice received, the name of "
                       "the document… 500 characters at most."),
        render_kw={"maxlength": NOTE_MAX_LENGTH, "rows": 3},
    )
