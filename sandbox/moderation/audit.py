"""The audit log: one row per moderation action and per coach override, in the action's commit."""

from __future__ import annotations

from typing import Any

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, ContentKind


def record_audit(
    actor: User,
    action: str,
    *,
    kind: ContentKind | None = None,
    content_id: int | None = None,
    author: User | None = None,
    class_id: int | None = None,
    reason: str = "",
    **data: Any,
) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits with its action).

    `class_id` defaults to the author's class, else the actor's: the class whose teachers read
    the entry.
    """
    if class_id is None:
        class_id = (author.class_id if author is not None else None) or actor.class_id
    entry = AuditEntry(
        class_id=class_id,
        actor_id=actor.id,
        action=action,
        content_kind=kind.value if kind is not None else None,
        content_id=content_id,
        author_id=author.id if author is not None else None,
        reason=reason,
        data=data,
    )
    db.session.add(entry)
    return entry
