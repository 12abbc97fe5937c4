from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange

from sandbox.classes.models import NetworkScope


def _scope_choices() -> list[SelectChoice]:
    return [
        SelectChoice(
            NetworkScope.CLASS.value,
            _l("Class only: students see their classmates and the professionals"),
        ),
        SelectChoice(
            NetworkScope.SCHOOL.value,
            _l("Whole school: students also see the other classes open to the school"),
        ),
    ]


class ClassForm(FlaskForm):
    name = StringField(
        _l("Class name"),
        description=_l("For example: BTS CI 1 – Networking workshop"),
        validators=[DataRequired(), Length(min=2, max=120)],
    )
    network_scope = RadioField(
        _l("Who students can see"), choices=_scope_choices(), default=NetworkScope.CLASS.value
    )
    allow_pseudonyms = BooleanField(
        _l("Students may use a pseudonym (you always see their real name)"), default=True
    )
    weekly_invitation_cap = IntegerField(
        _l("Invitations a student may send in seven days"),
        description=_l("Like on a real network: it makes students choose whom they invite."),
        default=25,
        validators=[DataRequired(), NumberRange(min=1, max=200)],
    )
    persona_time_compression = IntegerField(
        _l("How fast the fictional professionals react"),
        description=_l(
            "Like real professionals, they answer invitations and messages after a few hours. "
            "This number speeds them up: at 60, an answer that would take an hour comes within "
            "a minute, so that it arrives during the lesson. 1 is real time; 600 is the "
            "fastest (an hour in six seconds)."
        ),
        default=60,
        validators=[DataRequired(), NumberRange(
            min=1, max=600, message=_l("Choose a number between 1 (real time) and 600."))],
    )
    students_create_groups = BooleanField(
        _l("Students may create groups (each group they create belongs to the class)"),
        description=_l("Teachers can always create groups."),
        default=False,
    )


class RosterForm(FlaskForm):
    roster = FileField(
        _l("Roster file (CSV)"),
        description=_l(
            "One student per line: name, then an optional pseudonym. Comma or semicolon "
            "separated, as your spreadsheet saves it. A first line with column titles "
            "(Nom; Prénom; Pseudo) is recognised."
        ),
        validators=[FileRequired(_l("Choose a CSV file."))],
    )
