"""Per-person rate limits on what students write, as a real network limits bursts.

`per_person("POST_RATE_LIMIT")` limits a view by the logged-in person (by address before
login), with the limit read from the app's configuration at request time (see config.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from sandbox.extensions import limiter


def person_key() -> str:
    """Per person, wherever they write from (checked before the login check of the view)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def per_person(config_key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator limiting a view's POSTs to the `config_key` limit, e.g. "10 per minute".

    Every view decorated with the same key shares one allowance per person: liking and
    unliking, or posting, sharing and editing, count together.
    """
    return limiter.shared_limit(
        lambda: str(current_app.config[config_key]), scope=config_key.lower(),
        key_func=person_key, methods=["POST"],
    )
