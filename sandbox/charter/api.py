"""`POST /api/charter/check`: the charter engine for the composer, as the student types.

The answer is advice only: the server checks the text again when it is saved, and that verdict
counts. Each person is checked against their own class's charter, and sees only the findings of
the text they sent.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.engine import check_text
from sandbox.charter.policy import handle_checker, policy_for
from sandbox.charter.presenters import register_template_helpers
from sandbox.core.limits import per_person

blueprint = Blueprint("charter_api", __name__)
register_template_helpers(blueprint)

# The longest field the composer checks (a post is 3,000 characters, a profile's "about"
# 2,600): a longer text is no one's typing, and would only keep a worker busy.
MAX_TEXT = 3_000


@blueprint.route("/api/charter/check", methods=["POST"])
@login_required
@per_person("CHARTER_CHECK_RATE_LIMIT")
def check():  # type: ignore[no-untyped-def]
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return jsonify(error=_("Send the text to check as JSON: {\"text\": \"…\"}.")), 400
    text = payload["text"]
    if len(text) > MAX_TEXT:
        return jsonify(error=_("This text is too long to be checked (%(max)d characters at "
                               "most).", max=MAX_TEXT)), 413
    lang = payload.get("lang") if payload.get("lang") in ("fr", "en") else "auto"
    report = check_text(text, lang_code=lang, policy=policy_for(current_user),
                        handle_exists=handle_checker(current_user, text))
    return jsonify(report.as_json())
