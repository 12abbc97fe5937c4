"""The application form: a cover letter, and the recruiter's e-mail when the student found it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from sandbox.jobs.models import COVER_LETTER_MAX_LENGTH
from sandbox.jobs.services import EMAIL_MAX_LENGTH


class ApplicationForm(FlaskForm):
    # Lengths and the address are checked by the service, which says what is wrong.
    cover_letter = TextAreaField(
        _l("Your cover letter"),
        description=_l("Say who you are, why this offer and why this company. Your profile "
                       "serves as your CV."),
        render_kw={"maxlength": COVER_LETTER_MAX_LENGTH, "rows": 10, "required": True},
    )
    recruiter_email = StringField(
        _l("The recruiter’s e-mail (optional)"),
        description=_l("If you found the e-mail of the right person on a profile of this "
                       "company, your application goes to them."),
        render_kw={"maxlength": EMAIL_MAX_LENGTH, "type": "email", "inputmode": "email",
                   "autocomplete": "off"},
    )
