from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from sandbox.accounts.services import MIN_PASSWORD_LENGTH


class TeacherForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=40)])
    password = PasswordField(
        _l("Initial password"),
        description=_l("At least %(count)d characters; give it to the teacher in person.",
                       count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
