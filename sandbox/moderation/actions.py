"""A teacher's decisions on a case: approve, hide, restore, delete, warn the author.

Each decision checks that the teacher reads the case (and, to hide, restore or delete, that they
teach its author), applies itself to the content, writes an audit entry (who, what, why, when)
and an activity event, tells the author, and commits once. Hiding and deleting also send the
content-free live removal event, after commit.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.models import CharterRule
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import clean_text
from sandbox.extensions import db
from sandbox.moderation import content
from sandbox.moderation.audit import record_audit
from sandbox.moderation.live import announce_removal
from sandbox.moderation.models import CaseStatus, ContentKind, ModerationCase
from sandbox.moderation.services import (
    ACTIONS,
    REASON_MAX_LENGTH,
    allowed_actions,
    audit_class_ids,
    can_moderate_author,
    case_for,
    case_of,
    require_moderator,
)
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.posts.models import Comment

REMOVALS = ("hide", "restore", "delete")


def decide(teacher: User, case_id: int, action: str, reason: str | None = None,
           rule: str | None = None) -> ModerationCase:
    """Apply one of `ACTIONS` to a case, with the teacher's reason (the warning's message)."""
    case = case_for(teacher, case_id)
    if action not in ACTIONS:
        raise NotFound(_l("This action does not exist."))
    if action == "warn":
        return _warn(teacher, case, reason, rule)
    if action in REMOVALS and not can_moderate_author(teacher, case.author):
        # A persona's or a teacher's text (or another class's student's): approve it, or tell
        # the author's own teachers; never remove a colleague's text.
        raise PermissionDenied(_l("You hide, restore or delete only your own students' texts."))
    reason = clean_text(reason, "reason", max_length=REASON_MAX_LENGTH, required=False)
    row = content.load(case.content_kind, case.content_id)
    if action not in allowed_actions(teacher, case, row, case.author):
        raise ServiceError(_not_allowed(case, row), field="reason")
    now = utcnow()
    if action == "hide":
        content.hide(case.content_kind, row, now)
        case.status = CaseStatus.HIDDEN
    elif action == "delete":
        content.delete(case.content_kind, row, now)
        case.status = CaseStatus.DELETED
    elif action == "restore":
        content.restore(case.content_kind, row)
        case.status = CaseStatus.APPROVED
    else:
        case.status = CaseStatus.APPROVED
    case.resolved_by_id, case.resolved_at, case.updated_at = teacher.id, now, now
    if action in ("hide", "delete"):
        _forget_notifications(case.content_kind, case.content_id)
        announce_removal(case.content_kind, case.content_id)
        if case.author.is_student:
            notify(case.author, f"content_{'hidden' if action == 'hide' else 'deleted'}",
                   actor=teacher, subject=case, case_id=case.id,
                   content_kind=case.content_kind.value)
    _record(teacher, case, action, reason)
    db.session.commit()
    return case


def _not_allowed(case: ModerationCase, row: Any | None) -> str:
    if case.content_kind in content.REMOVABLE and (
            row is None or getattr(row, "deleted_at", None) is not None):
        return _l("This content no longer exists: its author deleted it.")
    return _l("This is not possible for this case any more: reload the page.")


def _warn(teacher: User, case: ModerationCase, message: str | None,
          rule: str | None) -> ModerationCase:
    """Warn the author: they are told, with the rule explained and the teacher's message."""
    if not case.author.is_student:
        raise ServiceError(_l("Only students receive warnings."), field="reason")
    message = clean_text(message, "reason", max_length=REASON_MAX_LENGTH, required=True,
                         missing=_l("Write the message the student will read."))
    code = (rule or "").strip()
    if code and db.session.scalar(sa.select(CharterRule.id).where(
            CharterRule.class_id == case.class_id, CharterRule.code == code)) is None:
        raise ServiceError(_l("Choose a rule of the class charter."), field="rule")
    case.updated_at = utcnow()
    entry = _record(teacher, case, "warn", message, rule=code or None)
    db.session.flush()
    notify(case.author, "moderation_warning", actor=teacher, subject=entry, case_id=case.id,
           content_kind=case.content_kind.value)
    db.session.commit()
    return case


def _record(teacher: User, case: ModerationCase, action: str, reason: str, **data: Any) -> Any:
    """Audit the decision (once per class of the teacher's that reads the case) and its event."""
    entries = [
        record_audit(teacher, action, kind=case.content_kind, content_id=case.content_id,
                     author=case.author, class_id=class_id, reason=reason, case_id=case.id,
                     **data)
        for class_id in audit_class_ids(teacher, case)
    ]
    record_event(teacher, f"moderation_{action}", case, content_kind=case.content_kind.value,
                 content_id=case.content_id, author_id=case.author_id)
    return entries[0]


def _forget_notifications(kind: ContentKind, content_id: int) -> None:
    """Notifications about removed content would open a page that no longer exists.

    A hidden or deleted comment takes its replies with it, and their notifications too.
    """
    if kind is ContentKind.POST:
        about = sa.or_(
            sa.and_(Notification.subject_type == "Post", Notification.subject_id == content_id),
            Notification.data["post_id"].as_integer() == content_id,
        )
    elif kind is ContentKind.COMMENT:
        thread = sa.select(Comment.id).where(
            sa.or_(Comment.id == content_id, Comment.parent_id == content_id))
        about = sa.and_(Notification.subject_type == "Comment",
                        Notification.subject_id.in_(thread))
    else:
        return
    db.session.execute(sa.delete(Notification).where(about))


def hide_from_card(teacher: User, kind_value: str | None, content_id: int,
                   reason: str | None = None) -> ModerationCase:
    """A teacher hides a student's post, comment or message straight from where they read it."""
    require_moderator(teacher)
    kind = content.parse_kind(kind_value)
    row = content.load(kind, content_id) if kind in content.REMOVABLE else None
    if kind is None or row is None or content.is_removed(kind, row):
        raise NotFound(_l("This content does not exist."))
    author = db.session.get(User, content.author_id_of(kind, row))
    if author is None or not can_moderate_author(teacher, author):
        # Not one of their students' texts: as for a case of another class, nothing to see.
        raise NotFound(_l("This content does not exist."))
    case = case_of(kind, content_id)
    if case is None:
        case = ModerationCase(class_id=author.class_id, content_kind=kind, content_id=content_id,
                              author_id=author.id, excerpt=content.text_of(kind, row),
                              findings=[])
        db.session.add(case)
        db.session.flush()
    return decide(teacher, case.id, "hide", reason)


