"""Keeping what the charter found in the texts students sent, and what became of it.

The gate records a refused text's findings at once (blocked, or coached and not sent yet); when the
author then saves that kind of text, the pending findings become *fixed*, or *overridden* when the
author published the same words anyway. Flagged findings are recorded when the text is saved; the
moderation case says what the teacher decided. Nothing is recorded while the student types.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.charter.engine import Finding
from sandbox.charter.models import CharterFinding, FindingOutcome
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.moderation.models import ContentKind

CONTEXT_MARGIN = 120  # characters kept on each side of the words found
PENDING = (FindingOutcome.BLOCKED, FindingOutcome.COACHED)


def _row(author: User, kind: ContentKind, target: str, field: str, finding: Finding, text: str,
         outcome: FindingOutcome, content_id: int | None = None) -> CharterFinding:
    start = max(0, finding.start - CONTEXT_MARGIN)
    end = min(len(text), finding.end + CONTEXT_MARGIN)
    resolved = None if outcome in PENDING else utcnow()
    return CharterFinding(
        user_id=author.id, class_id=author.class_id, content_kind=kind.value,
        content_id=content_id, target=target, field=field, category=finding.category.value,
        rule=finding.rule or "", severity=finding.severity, outcome=outcome,
        excerpt=finding.excerpt[:300], context=text[start:end],
        context_start=finding.start - start, context_end=finding.end - start,
        resolved_at=resolved,
    )


def _key(field: str, category: str, excerpt: str) -> tuple[str, str, str]:
    return field, category, excerpt.casefold()


def _pending(author: User, kind: ContentKind, target: str,
             fields: Iterable[str]) -> list[CharterFinding]:
    """The refused findings that a text of this kind, aimed at the same thing, settles."""
    return list(db.session.scalars(
        sa.select(CharterFinding).where(
            CharterFinding.user_id == author.id,
            CharterFinding.content_kind == kind.value,
            CharterFinding.target == target,
            CharterFinding.field.in_(list(fields)),
            CharterFinding.outcome.in_(PENDING),
        ).order_by(CharterFinding.id)
    ))


def _kept_for(author: User, kind: ContentKind, content_id: int) -> set[tuple[str, str, str]]:
    """What is already kept about this saved content: saving it again adds no second row."""
    rows = db.session.execute(
        sa.select(CharterFinding.field, CharterFinding.category, CharterFinding.excerpt).where(
            CharterFinding.user_id == author.id,
            CharterFinding.content_kind == kind.value,
            CharterFinding.content_id == content_id,
            CharterFinding.outcome.in_((FindingOutcome.OVERRIDDEN, FindingOutcome.FLAGGED)),
        )
    )
    return {_key(field, category, excerpt) for field, category, excerpt in rows}


def record_refused(author: User, kind: ContentKind, target: str, texts: dict[str, str],
                   found: list[tuple[str, Finding]], outcome: FindingOutcome) -> None:
    """Keep the findings of a text the gate sent back, then commit: nothing else of the action
    was written (the gate runs before any write), and the refusal must outlive the request.

    Sending the same words again is one finding, not one per attempt.
    """
    seen = {_key(row.field, row.category, row.excerpt)
            for row in _pending(author, kind, target, {name for name, _ in found})}
    for name, finding in found:
        key = _key(name, finding.category.value, finding.excerpt)
        if key not in seen:
            seen.add(key)
            db.session.add(_row(author, kind, target, name, finding, texts.get(name, ""),
                                outcome))
    db.session.commit()


def record_saved(author: User, kind: ContentKind, target: str, content_id: int,
                 texts: dict[str, str], overridden: list[tuple[str, Finding]],
                 flagged: list[tuple[str, Finding]]) -> None:
    """The text went out: settle the pending findings of these fields, and keep the overridden
    and flagged ones (once per saved content: an edit that keeps the same words adds nothing).
    No commit: the caller's action commits them with the content."""
    published = {_key(name, f.category.value, f.excerpt): (name, f) for name, f in overridden}
    kept = _kept_for(author, kind, content_id) if overridden or flagged else set()
    now = utcnow()
    for row in _pending(author, kind, target, texts):
        key = _key(row.field, row.category, row.excerpt)
        if key in published:
            published.pop(key)
            row.outcome = FindingOutcome.OVERRIDDEN
        else:
            row.outcome = FindingOutcome.FIXED
        row.content_id, row.resolved_at = content_id, now
    for outcome, found in ((FindingOutcome.OVERRIDDEN, list(published.values())),
                           (FindingOutcome.FLAGGED, flagged)):
        for name, finding in found:
            key = _key(name, finding.category.value, finding.excerpt)
            if key not in kept:
                kept.add(key)
                db.session.add(_row(author, kind, target, name, finding,
                                    texts.get(name, ""), outcome, content_id))
