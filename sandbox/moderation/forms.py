"""The report form: why (one reason, required) and optional details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from sandbox.moderation.reports import DETAILS_MAX_LENGTH, REASON_LABELS


class ReportForm(FlaskForm):
    # The service checks the reason and the details, and says what is wrong in its own words.
    reason = RadioField(
        _l("Why do you report it?"),
        choices=[SelectChoice(reason.value, label) for reason, label in REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField(
        _l("Details (optional)"),
        description=_l("What should your teacher know? %(count)d characters at most.",
                       count=DETAILS_MAX_LENGTH),
        render_kw={"maxlength": DETAILS_MAX_LENGTH, "rows": 4},
    )
