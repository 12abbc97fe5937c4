"""What post templates receive: card data, reactions, the composer's choices, and helpers.

Any page that shows post cards (home, feed, hashtag, group, post, search) passes
`**card_context(page)`; any page with a composer passes `**composer_context()`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from sandbox.groups.models import Group
from sandbox.groups.services import is_member
from sandbox.media.images import ACCEPTED_FORMATS
from sandbox.posts import reactions, text
from sandbox.posts.cards import Cards
from sandbox.posts.feed import FeedPage
from sandbox.posts.models import POST_MAX_LENGTH, Audience, Post
from sandbox.posts.services import composer_choices, may_post

AUDIENCE_LABELS = {
    Audience.NETWORK: _l("My network"),
    Audience.CONNECTIONS: _l("My connections only"),
    Audience.GROUP: _l("A group"),
    Audience.LIST: _l("A contact list"),
}
ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp"


def card_context(*pages: FeedPage, cards: Cards | None = None,
                 posts: list[Post] | None = None) -> dict[str, Any]:
    """`cards` and `reactions` for the posts of `pages` (and any extra `posts`/`cards`)."""
    merged = cards or Cards()
    shown: list[Post] = list(posts or [])
    for page in pages:
        merged = merged.merged(page.cards)
        shown.extend(page.posts)
    return {"cards": merged, "reactions": reactions.summaries_for(current_user, shown)}


def composer_context(group: Group | None = None) -> dict[str, Any]:
    """The composer's menus; with `group`, a composer fixed to that group (its page), offered
    to its active members only."""
    if not may_post(current_user):
        return {"composer": None}
    if group is not None:
        if not is_member(current_user, group):
            return {"composer": None}
        return {"composer": {"groups": [group], "lists": [], "fixed_group": group}}
    groups, lists = composer_choices(current_user)
    return {"composer": {"groups": groups, "lists": lists, "fixed_group": None}}


def wants_fragment() -> bool:
    """Is this "load more" asking for the next cards alone (feed.js sends this header)?"""
    return request.headers.get("X-Requested-With") == "fetch"


def feed_context(page: FeedPage, more_url: str | None) -> dict[str, Any]:
    """What `posts/_page.html` (a fragment) or a page including `posts/_cards.html` and
    `posts/_more.html` needs: the page, its "load more" link, the cards and reactions."""
    return {"page": page, "more_url": more_url, **card_context(page)}


def register_template_helpers(blueprint: Blueprint) -> None:
    """Helpers every template may call, wherever the card is included."""

    @blueprint.app_template_global()
    def post_html(post: Post, cards: Cards | None = None) -> Markup:
        """The body with its links; mentions resolved from the stored rows (no query)."""
        mentions = cards.mentions.get(post.id, {}) if cards is not None else {}
        return text.render(post.body, mentions)

    @blueprint.app_template_global()
    def group_url(group: Group) -> str | None:
        """The group's page, if the groups feature is installed."""
        try:
            return url_for("groups.show", slug=group.slug)
        except BuildError:
            return None

    @blueprint.app_template_global()
    def post_max_length() -> int:
        return POST_MAX_LENGTH

    @blueprint.app_template_global()
    def audience_label(audience: Audience) -> str:
        return str(AUDIENCE_LABELS[audience])

    @blueprint.app_template_global()
    def accepted_image_formats() -> str:
        return ", ".join(ACCEPTED_FORMATS).replace("WEBP", "WebP")

    @blueprint.app_template_global()
    def accepted_image_types() -> str:
        return ACCEPTED_IMAGE_TYPES
