"""Forms for logging in, joining a class and changing one's password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from sandbox.accounts.services import MIN_PASSWORD_LENGTH
from sandbox.config import SUPPORTED_LOCALES


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class JoinClassForm(FlaskForm):
    join_code = StringField(
        _l("Class code"),
        description=_l("Your teacher gives you this code, for example K7QM-4XPD."),
        validators=[DataRequired(), Length(max=30)],
    )
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    pseudonym = StringField(
        _l("Pseudonym (optional)"),
        description=_l("If your class allows it, classmates and professionals see this name; "
                       "your teacher always sees your real name."),
        validators=[Optional(), Length(max=80)],
    )
    username = StringField(
        _l("Username"),
        description=_l("Lowercase letters, digits, dots, dashes or underscores, e.g. lea.martin"),
        validators=[DataRequired(), Length(min=3, max=40)],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
    )


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"), choices=[SelectChoice(code, code) for code in SUPPORTED_LOCALES]
    )
    next = HiddenField()
