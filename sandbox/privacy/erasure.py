"""Erasing a student, for the teachers of their class and the admins.

The teacher first reads what goes and what stays (`erasure_preview`), then types the student's
username to confirm. `erase_student` then removes the student everywhere in ONE transaction
(`removal.remove_student`), blanks their name in what others wrote (`scrub`), and writes an
audit entry that keeps only counts, never who it was. Picture files are deleted from disk only
once that transaction has committed: a failure leaves both the database and the files intact.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import ServiceError
from sandbox.dashboard.access import student_for_staff
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.jobs.models import Application
from sandbox.media.images import delete_image, uploads_dir
from sandbox.messages.models import Message
from sandbox.moderation.audit import record_audit
from sandbox.network.models import Connection, Invitation, NetworkOutcome
from sandbox.posts.models import Comment, Post
from sandbox.privacy import scrub
from sandbox.privacy.removal import remove_student
from sandbox.reviews.models import CompanyReview

AUDIT_ACTION = "student_erased"


@dataclass(frozen=True)
class ErasurePreview:
    """What the confirmation page shows: the student and how much of each thing goes."""

    school_class: SchoolClass
    student: User
    counts: dict[str, int]


def _count(model: type, *conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect:
    return sa.select(sa.func.count()).select_from(model).where(*conditions).scalar_subquery()


def erasure_preview(viewer: User, class_id: int, student_id: int) -> ErasurePreview:
    """The student (for the class's teachers and the admins only) and their figures (one
    query)."""
    klass, student = student_for_staff(viewer, class_id, student_id)
    sid = student.id
    row = db.session.execute(sa.select(
        _count(Post, Post.author_id == sid).label("posts"),
        _count(Comment, Comment.author_id == sid).label("comments"),
        _count(Message, sa.or_(Message.sender_id == sid, Message.recipient_id == sid))
        .label("messages"),
        _count(Connection, Connection.user_id == sid).label("connections"),
        _count(Invitation, sa.or_(Invitation.sender_id == sid, Invitation.recipient_id == sid))
        .label("invitations"),
        _count(NetworkOutcome, NetworkOutcome.student_id == sid).label("outcomes"),
        _count(Group, Group.created_by_id == sid).label("groups"),
        _count(ActivityEvent, ActivityEvent.user_id == sid).label("events"),
        _count(CharterFinding, CharterFinding.user_id == sid).label("findings"),
        _count(Application, Application.student_id == sid).label("applications"),
        _count(CompanyReview, CompanyReview.author_id == sid).label("reviews"),
    )).one()
    return ErasurePreview(school_class=klass, student=student, counts=dict(row._mapping))


def _confirmed(student: User, typed: str | None) -> None:
    if (typed or "").strip().casefold() != student.username.casefold():
        raise ServiceError(
            _l("Type the student's username exactly as shown to confirm: nothing was erased."),
            field="username",
        )


def erase_student(viewer: User, class_id: int, student_id: int, typed: str | None) -> int:
    """Erase a student of the class once `typed` is their username; the rows removed.

    Raises NotFound/PermissionDenied as the dashboard does, ServiceError (nothing written) when
    the confirmation does not match.
    """
    klass, student = student_for_staff(viewer, class_id, student_id)
    _confirmed(student, typed)
    traces = scrub.traces_of(student)
    try:
        removal = remove_student(student)
        blanked = scrub.blank_everywhere(traces)
        # "A student": neither the name nor the username, only how much went.
        record_audit(viewer, AUDIT_ACTION, class_id=klass.id,
                     removed=dict(sorted(removal.removed.items())), texts_blanked=blanked)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    _delete_files(removal.files, student_id)
    return sum(removal.removed.values())


def _delete_files(paths: list[str], student_id: int) -> None:
    """Delete the pictures, then the student's own upload folder (leftovers included). The
    database no longer points at them: a file that cannot go is logged, not fatal."""
    instance = Path(current_app.instance_path)
    for path in paths:
        try:
            delete_image(instance, path)
        except (OSError, ValueError) as error:
            current_app.logger.warning("erasure: picture %r not deleted: %s", path, error)
    folder = uploads_dir(instance) / str(student_id)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            current_app.logger.warning("erasure: folder %s not entirely deleted", folder)
