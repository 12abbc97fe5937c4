"""Forms of the persona console: reply, post, publish a job offer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from sandbox.companies.labels import JOB_KIND_LABELS
from sandbox.companies.models import JobKind
from sandbox.jobs.offers import (
    CITY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    DURATION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from sandbox.messages.models import MESSAGE_MAX_LENGTH
from sandbox.posts.models import POST_MAX_LENGTH


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Write your message first.")),
                    Length(max=MESSAGE_MAX_LENGTH)],
        render_kw={"maxlength": MESSAGE_MAX_LENGTH, "rows": 4},
    )


class PersonaPostForm(FlaskForm):
    body = TextAreaField(
        _l("Post"),
        description=_l("Visible to the whole network, signed with the professional's name."),
        validators=[DataRequired(_l("Write something before publishing.")),
                    Length(max=POST_MAX_LENGTH)],
        render_kw={"maxlength": POST_MAX_LENGTH, "rows": 6},
    )


class OfferForm(FlaskForm):
    title = StringField(_l("Title of the offer"),
                        validators=[DataRequired(_l("Give the offer a title.")),
                                    Length(max=TITLE_MAX_LENGTH)],
                        render_kw={"maxlength": TITLE_MAX_LENGTH})
    kind = SelectField(_l("Contract"),
                       choices=[SelectChoice(kind.value, label)
                                for kind, label in JOB_KIND_LABELS.items()],
                       default=JobKind.INTERNSHIP.value)
    city = StringField(_l("City"),
                       validators=[DataRequired(_l("Say where the job is.")),
                                   Length(max=CITY_MAX_LENGTH)],
                       render_kw={"maxlength": CITY_MAX_LENGTH})
    start_date = DateField(_l("Start date"), validators=[Optional()])
    duration = StringField(_l("Duration"), description=_l("For example: 8 weeks, 2 years."),
                           validators=[Optional(), Length(max=DURATION_MAX_LENGTH)],
                           render_kw={"maxlength": DURATION_MAX_LENGTH})
    description = TextAreaField(
        _l("Description"),
        description=_l("The missions, the profile sought, how to apply."),
        validators=[DataRequired(_l("Describe the job.")), Length(max=DESCRIPTION_MAX_LENGTH)],
        render_kw={"maxlength": DESCRIPTION_MAX_LENGTH, "rows": 8},
    )
    class_id = SelectField(_l("Class that will see the offer"), coerce=int,
                           validators=[DataRequired()])
