"""Forms for inviting and introducing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sandbox.network.invitations import MAX_MESSAGE, MAX_NOTE


class InvitationForm(FlaskForm):
    message = TextAreaField(
        _l("Personal message"),
        description=_l("Up to %(count)d characters. Say who you are and why you want to connect.",
                       count=MAX_MESSAGE),
        validators=[Optional(), Length(max=MAX_MESSAGE)],
        render_kw={"maxlength": MAX_MESSAGE, "rows": 5},
    )
    send_anyway = BooleanField(_l("Send it as it is"))


class IntroductionForm(FlaskForm):
    student_id = SelectField(_l("Introduce"), coerce=int, validators=[DataRequired()])
    introduced_id = SelectField(_l("To"), coerce=int, validators=[DataRequired()])
    note = TextAreaField(
        _l("A word for both of them"),
        description=_l("Why they should meet, e.g. “Léa is looking for an export internship; "
                       "Karim recruits for one.”"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )
