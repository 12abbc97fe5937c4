"""A person's charter: their class's rules and allowlists, as the engine reads them."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import g, has_app_context

from sandbox.accounts.models import User
from sandbox.charter.engine import CharterPolicy, CheckContext
from sandbox.charter.engine.core import default_policy
from sandbox.charter.models import CharterRule, ClassCharter
from sandbox.extensions import db


def policy_for_class(class_id: int | None) -> CharterPolicy:
    """The class's charter (two queries, once per request), or the default one without a class."""
    if class_id is None:
        return default_policy()
    cache: dict[int, CharterPolicy] | None = None
    if has_app_context():
        cache = g.setdefault("charter_policies", {})
        if class_id in cache:
            return cache[class_id]
    rules = db.session.scalars(
        sa.select(CharterRule).where(CharterRule.class_id == class_id)
        .order_by(CharterRule.position)
    ).all()
    charter = db.session.get(ClassCharter, class_id)
    policy = CharterPolicy.from_rules(rules, _context(charter)) if rules else default_policy()
    if cache is not None:
        cache[class_id] = policy
    return policy


def policy_for(user: User) -> CharterPolicy:
    return policy_for_class(user.class_id)


def _context(charter: ClassCharter | None) -> CheckContext:
    if charter is None:
        return CheckContext()
    return CheckContext(
        sms_allowlist=frozenset(word.lower() for word in charter.sms_allowlist or ()),
        school_domains=frozenset(domain.lower() for domain in charter.school_domains or ()),
        allowed_emails=frozenset(email.lower() for email in charter.allowed_emails or ()),
        school_address=charter.school_address or "",
        forbidden_words=tuple(word.lower() for word in charter.forbidden_words or ()),
    )


def handle_checker(author: User, text: str) -> Callable[[str], bool] | None:
    """Whether an @handle of `text` names someone `author` may see (one query, none without @)."""
    if "@" not in text:
        return None
    from sandbox.posts.text import resolve_mentions

    known = {person.mention_handle.lower() for person in resolve_mentions(author, text)}
    return lambda handle: handle.lower().lstrip("@") in known
