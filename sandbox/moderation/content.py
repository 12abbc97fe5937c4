"""What moderation knows about each kind of content: how to find it, read it, link to it, who may
report it, and how a teacher hides, restores or deletes it.

Posts, comments, direct messages and company reviews can be reported by the people who see them
and removed by a teacher (`hidden_at`, `deleted_at`). A cover letter (an application's) can be
removed too, but not reported: only its author and the recruiter read it, and the recruiter is a
persona, or a student playing one, who decides on the application instead. Invitation messages,
profiles, recommendations and group descriptions reach the queue only when the charter flags
them: a teacher approves them or warns their author (the author edits them), nothing else.

A direct message and an application have no `deleted_at`: a teacher's "delete" hides them for
good (the case says deleted, and it cannot be restored), so the thread or the recruiter shows
that a text was removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.jobs.models import Application
from sandbox.messages.models import Message
from sandbox.moderation.models import ContentKind
from sandbox.network.models import Introduction, Invitation, Recommendation
from sandbox.posts.models import Comment, Post
from sandbox.posts.visibility import can_view_comment, can_view_post
from sandbox.profiles.models import Profile
from sandbox.reviews.models import CompanyReview
from sandbox.reviews.summary import can_read_review

KIND_LABELS = {
    ContentKind.POST: _l("Post"),
    ContentKind.COMMENT: _l("Comment"),
    ContentKind.MESSAGE: _l("Direct message"),
    ContentKind.INVITATION: _l("Invitation message"),
    ContentKind.INTRODUCTION: _l("Introduction note"),
    ContentKind.PROFILE: _l("Profile"),
    ContentKind.RECOMMENDATION: _l("Recommendation"),
    ContentKind.GROUP: _l("Group description"),
    ContentKind.APPLICATION: _l("Cover letter"),
    ContentKind.REVIEW: _l("Company review"),
}

# What a teacher hides, restores and deletes, and the live removal event is about.
REMOVABLE = frozenset({ContentKind.POST, ContentKind.COMMENT, ContentKind.MESSAGE,
                       ContentKind.APPLICATION, ContentKind.REVIEW})
# What the people who read it may report (a cover letter: see the module's docstring).
REPORTABLE = frozenset({ContentKind.POST, ContentKind.COMMENT, ContentKind.MESSAGE,
                        ContentKind.REVIEW})
# Hidden for good when "deleted": they have no `deleted_at`.
_DELETED_BY_HIDING = frozenset({ContentKind.MESSAGE, ContentKind.APPLICATION})

_MODELS: dict[ContentKind, Any] = {
    ContentKind.POST: Post,
    ContentKind.COMMENT: Comment,
    ContentKind.MESSAGE: Message,
    ContentKind.INVITATION: Invitation,
    ContentKind.INTRODUCTION: Introduction,
    ContentKind.PROFILE: Profile,
    ContentKind.RECOMMENDATION: Recommendation,
    ContentKind.GROUP: Group,
    ContentKind.APPLICATION: Application,
    ContentKind.REVIEW: CompanyReview,
}

MAX_ID = 2**31 - 1


def parse_kind(value: str | None) -> ContentKind | None:
    try:
        return ContentKind(value or "")
    except ValueError:
        return None


def load(kind: ContentKind, content_id: int) -> Any | None:
    """The content row, whatever its state (hidden, deleted); None when it is gone for good."""
    if not 0 < content_id <= MAX_ID:
        return None
    return db.session.get(_MODELS[kind], content_id)


def load_many(refs: Iterable[tuple[ContentKind, int]]) -> dict[tuple[ContentKind, int], Any]:
    """Many contents at once: one query per kind present (so a page's count stays fixed)."""
    wanted: dict[ContentKind, set[int]] = {}
    for kind, content_id in refs:
        wanted.setdefault(kind, set()).add(content_id)
    found: dict[tuple[ContentKind, int], Any] = {}
    for kind, ids in sorted(wanted.items()):
        model = _MODELS[kind]
        key = model.user_id if kind is ContentKind.PROFILE else model.id
        query = sa.select(model).where(key.in_(ids))
        if kind is ContentKind.REVIEW:  # its link names its company's page
            query = query.options(joinedload(CompanyReview.company))
        for row in db.session.scalars(query):
            found[(kind, _id_of(kind, row))] = row
    return found


def _id_of(kind: ContentKind, row: Any) -> int:
    return int(row.user_id if kind is ContentKind.PROFILE else row.id)


def author_id_of(kind: ContentKind, row: Any) -> int:
    """Who wrote the text (and answers for it)."""
    if kind is ContentKind.MESSAGE or kind is ContentKind.INVITATION:
        return int(row.sender_id)
    if kind is ContentKind.PROFILE:
        return int(row.user_id)
    if kind is ContentKind.INTRODUCTION:
        return int(row.introducer_id)
    if kind is ContentKind.GROUP:
        return int(row.created_by_id or 0)
    if kind is ContentKind.APPLICATION:
        return int(row.student_id)
    return int(row.author_id)


def text_of(kind: ContentKind, row: Any) -> str:
    """The text a report is about, as it reads now."""
    if kind is ContentKind.INVITATION:
        return str(row.message or "")
    if kind is ContentKind.RECOMMENDATION:
        return str(row.text or "")
    if kind is ContentKind.INTRODUCTION:
        return str(row.note or "")
    if kind is ContentKind.PROFILE:
        return "\n\n".join(part for part in (row.headline, row.about) if part)
    if kind is ContentKind.GROUP:
        return "\n\n".join(part for part in (row.name, row.description) if part)
    if kind is ContentKind.APPLICATION:
        return str(row.cover_letter or "")
    if kind is ContentKind.REVIEW:  # the two answers, as the charter's flag joins them
        return "\n\n".join(part for part in (row.liked, row.advice) if part)
    return str(row.body or "")


def is_removed(kind: ContentKind, row: Any | None) -> bool:
    """Hidden by a teacher or deleted (by its author or a teacher): nobody sees it any more."""
    if row is None:
        return True
    hidden = getattr(row, "hidden_at", None) is not None
    return hidden or getattr(row, "deleted_at", None) is not None


def can_report(reporter: User, kind: ContentKind, row: Any) -> bool:
    """Reporters may report only what they can see: the same rule as the page showing it."""
    if kind is ContentKind.POST:
        return can_view_post(reporter, row)
    if kind is ContentKind.COMMENT:
        return can_view_comment(reporter, row)
    if kind is ContentKind.MESSAGE:  # its two people see it (the sender may not report it)
        return reporter.id in (row.sender_id, row.recipient_id) and row.hidden_at is None
    if kind is ContentKind.REVIEW:  # on the company's page, within the reporter's scope
        return can_read_review(reporter, row)
    return False


def reporter_link(kind: ContentKind, row: Any) -> str:
    """Where the reporter goes back to once the report is sent."""
    if kind is ContentKind.POST:
        return url_for("posts.show", post_id=row.id)
    if kind is ContentKind.COMMENT:
        return url_for("posts.show", post_id=row.post_id, _anchor=f"comment-{row.id}")
    if kind is ContentKind.REVIEW:
        return _review_link(row)
    return url_for("messages.thread", user_id=row.sender_id, _anchor=f"message-{row.id}")


def _review_link(review: CompanyReview) -> str:
    """A review is read on its company's page (its teachers read it there before the others)."""
    return url_for("companies.show", slug=review.company.slug, _anchor=f"review-{review.id}")


def _application_link(application: Application) -> str | None:
    """The teacher's page of an application (the jobs feature's), once it exists."""
    if "jobs.application" not in current_app.view_functions:
        return None
    return url_for("jobs.application", application_id=application.id)


def teacher_link(kind: ContentKind, row: Any | None) -> str | None:
    """Where a teacher reads the content in place; None when it is removed or has no page."""
    if row is None or is_removed(kind, row):
        return None
    if kind is ContentKind.POST:
        return url_for("posts.show", post_id=row.id)
    if kind is ContentKind.COMMENT:
        return url_for("posts.show", post_id=row.post_id, _anchor=f"comment-{row.id}")
    if kind is ContentKind.MESSAGE:
        return url_for("messages.student_thread", student_id=row.sender_id,
                       other_id=row.recipient_id, _anchor=f"message-{row.id}")
    if kind is ContentKind.PROFILE:
        return url_for("profiles.show", user_id=row.user_id)
    if kind is ContentKind.RECOMMENDATION:
        return url_for("profiles.show", user_id=row.recipient_id)
    if kind is ContentKind.INTRODUCTION:
        return url_for("profiles.show", user_id=row.student_id)
    if kind is ContentKind.GROUP:
        return url_for("groups.show", slug=row.slug)
    if kind is ContentKind.REVIEW:
        return _review_link(row)
    if kind is ContentKind.APPLICATION:
        return _application_link(row)
    return None


# ---- a teacher's decisions (no commit: the moderation service commits with its audit entry) --


def hide(kind: ContentKind, row: Any, now: datetime) -> None:
    if kind in REMOVABLE and row.hidden_at is None:
        row.hidden_at = now


def restore(kind: ContentKind, row: Any) -> None:
    if kind in REMOVABLE:
        row.hidden_at = None


def delete(kind: ContentKind, row: Any, now: datetime) -> None:
    """Soft delete: the row stays for the audit log and the activity history."""
    if kind in _DELETED_BY_HIDING:
        hide(kind, row, now)
    elif kind in REMOVABLE and row.deleted_at is None:
        row.deleted_at = now
