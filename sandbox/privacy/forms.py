"""The confirmation a teacher types before a student is erased."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class ErasureForm(FlaskForm):
    # The service compares it with the student's username and explains a mismatch itself.
    username = StringField(
        _l("The student's username"),
        description=_l("Type it to confirm that this student's data must go."),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
