"""The class feed page: what the class's students publish, for its teachers and the admins.

One URL answers three ways: the page (`?before=` for older items without JavaScript), the next
items alone for feed.js's "older" link (`X-Requested-With: fetch`), and, with `?after=`, how many
items arrived since (JSON; with `cards=1`, their HTML too) for dashboard_live.js.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from sandbox.dashboard import class_feed as feed
from sandbox.dashboard.blueprint import CLASS_ID, blueprint
from sandbox.posts.presenters import card_context, wants_fragment

TEMPLATE = "dashboard/feed.html"


def _context(page: feed.ClassFeedPage) -> dict[str, Any]:
    here = url_for("dashboard.class_feed", class_id=page.klass.id)
    older = (url_for("dashboard.class_feed", class_id=page.klass.id, before=page.next_cursor)
             if page.next_cursor else None)
    # Where a card's forms come back to without JavaScript (never the JSON or fragment URL).
    return {"page": page, "klass": page.klass, "more_url": older, "card_back": here,
            "reactions_next": here, **card_context(cards=page.cards, posts=page.card_posts)}


def _new_items(class_id: int, after: str) -> Any:
    page = feed.new_in_class_feed(current_user, class_id, after)
    count = len(page.items)
    answer: dict[str, Any] = {
        "count": count,
        "label": ngettext("%(num)d new contribution", "%(num)d new contributions", count),
        "cursor": page.newest_cursor if page.items else after,
    }
    if request.args.get("cards") == "1":
        answer["html"] = render_template(TEMPLATE, fragment=True, **_context(page))
    return jsonify(answer)


@blueprint.route(f"/classes/{CLASS_ID}/dashboard/feed")
@login_required
def class_feed(class_id: int):  # type: ignore[no-untyped-def]
    """The class feed, its older items, or what is new since `after`."""
    try:
        if "after" in request.args:
            return _new_items(class_id, request.args.get("after") or "")
        page = feed.class_feed(current_user, class_id, before=request.args.get("before"))
    except feed.InvalidCursor:
        abort(400)
    return render_template(TEMPLATE, fragment=wants_fragment(), **_context(page))
