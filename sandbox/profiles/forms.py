"""Forms for editing one's profile, its lists, and its pictures."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import MonthField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from sandbox.profiles.models import FIELD_VISIBILITY_DEFAULTS, Visibility
from sandbox.profiles.services import LANGUAGE_LEVELS, PHOTO_MISTAKES

VISIBILITY_LABELS = {
    Visibility.NETWORK: _l("Everyone in my network"),
    Visibility.CONNECTIONS: _l("My connections only"),
    Visibility.TEACHER: _l("My teacher only"),
}

FIELD_LABELS = {
    "headline": _l("Headline"),
    "about": _l("About"),
    "city": _l("Town"),
    "photo": _l("Photo"),
    "banner": _l("Banner"),
    "skills": _l("Skills"),
    "experiences": _l("Experience"),
    "education": _l("Education"),
    "languages": _l("Languages"),
    "hashtags": _l("Hashtags"),
    "links": _l("Links"),
    "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Phone"),
    "connections": _l("My connections"),
}

PHOTO_MISTAKE_LABELS = {
    "nightclub": _l("It was not taken at a party or in a nightclub."),
    "bed": _l("I am not lying on a bed or a sofa."),
    "holiday": _l("It is not a holiday or garden snapshot."),
    "couple_or_pet": _l("I am alone on it: no partner, friend or pet."),
    "hostile_face": _l("My face is open and friendly, not hostile or sulky."),
}


def _visibility_choices() -> list[SelectChoice]:
    return [SelectChoice(value.value, label) for value, label in VISIBILITY_LABELS.items()]


class ProfileForm(FlaskForm):
    pseudonym = StringField(
        _l("Pseudonym"),
        description=_l("Shown instead of your name when your class allows it; your teacher always "
                       "sees your real name. Leave empty to use your name."),
        validators=[Optional(), Length(max=80)],
    )
    headline = StringField(
        _l("Headline"),
        description=_l("One line under your name, e.g. “BTS Commerce international student "
                       "looking for an internship in export”."),
        validators=[Optional(), Length(max=160)],
    )
    about = TextAreaField(_l("About"), validators=[Optional(), Length(max=2600)])
    city = StringField(
        _l("Town"), description=_l("The town only: never your street address."),
        validators=[Optional(), Length(max=80)],
    )
    skills = TextAreaField(
        _l("Skills"), description=_l("One per line, or separated by commas."),
        validators=[Optional(), Length(max=2000)],
    )
    hashtags = StringField(
        _l("Hashtags"),
        description=_l("Topics you care about, e.g. #export #logistique. "
                       "#i4emploi tells recruiters you are looking for a job."),
        validators=[Optional(), Length(max=600)],
    )
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    contact_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])


for _field in FIELD_VISIBILITY_DEFAULTS:
    setattr(
        ProfileForm,
        f"{_field}_visibility",
        SelectField(
            _l("Who can see it"),
            choices=_visibility_choices(),
            default=FIELD_VISIBILITY_DEFAULTS[_field].value,
        ),
    )


class ExperienceForm(FlaskForm):
    role = StringField(_l("Role"), validators=[DataRequired(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=120)])
    start_date = MonthField(_l("Start (month)"), validators=[Optional()])
    end_date = MonthField(
        _l("End (month)"), description=_l("Leave empty if it is still going on."),
        validators=[Optional()],
    )
    description = TextAreaField(_l("What you did"), validators=[Optional(), Length(max=2000)])


class EducationForm(FlaskForm):
    school = StringField(_l("School"), validators=[DataRequired(), Length(max=160)])
    diploma = StringField(_l("Diploma or course"), validators=[DataRequired(), Length(max=160)])
    start_year = IntegerField(_l("From (year)"),
                              validators=[Optional(), NumberRange(min=1950, max=2100)])
    end_year = IntegerField(_l("To (year)"),
                            validators=[Optional(), NumberRange(min=1950, max=2100)])


class LanguageForm(FlaskForm):
    language = StringField(_l("Language"), validators=[DataRequired(), Length(max=60)])
    level = SelectField(
        _l("Level"),
        choices=[SelectChoice("", _l("Not stated"))]
        + [SelectChoice(level, _l("Native") if level == "native" else level)
           for level in LANGUAGE_LEVELS],
        validators=[Optional()],
    )


class LinkForm(FlaskForm):
    label = StringField(_l("Name of the link"),
                        description=_l("e.g. Portfolio, GitHub, my blog"),
                        validators=[DataRequired(), Length(max=60)])
    url = StringField(_l("Address (https://…)"), validators=[DataRequired(), Length(max=500)])


ITEM_FORMS = {
    "experiences": ExperienceForm,
    "education": EducationForm,
    "languages": LanguageForm,
    "links": LinkForm,
}


class PictureForm(FlaskForm):
    image = FileField(
        _l("Picture (JPEG, PNG or WebP)"),
        validators=[FileRequired(_l("Choose a picture."))],
        # Narrows the phone's file picker; the server still decides by decoding the file.
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


class PhotoChecklistForm(FlaskForm):
    """The workshop's "photo mistakes to avoid": the student ticks what their photo respects."""


for _key in PHOTO_MISTAKES:
    setattr(PhotoChecklistForm, _key, BooleanField(PHOTO_MISTAKE_LABELS[_key]))
