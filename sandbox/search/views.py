"""The search page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from sandbox.search.services import search

blueprint = Blueprint("search", __name__)


@blueprint.route("/search")
@login_required
def results():  # type: ignore[no-untyped-def]
    query = request.args.get("q", "")[:100]
    return render_template("search/results.html", query=query,
                           results=search(current_user, query) if query.strip() else None)
