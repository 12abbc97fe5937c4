"""The exercises' blueprint; its routes live in `page_views` (the class's list, the exercise
page, the timer's buttons, the debrief) and `edit_views` (preparing a draft)."""

from flask import Blueprint
from flask_login import login_required

blueprint = Blueprint("exercises", __name__)

# Ids in URLs: beyond what the database stores there is no such row, so a 404 rather than a 500.
ID = "int(min=1, max=2147483647)"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None
