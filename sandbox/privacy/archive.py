"""A student's data as a ZIP: `data.json` (every section) and the pictures in `images/`.

The student downloads it from their account; their teachers and the admins download the same
archive from the class. The archive is the student's own copy: other people appear only by the
name the student sees, and nothing of anyone's account secrets (password hash, session token)
is ever in it. It is built in a temporary file (pictures can weigh a few megabytes), deleted as
soon as it has been sent.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.core.errors import PermissionDenied
from sandbox.core.time import utcnow
from sandbox.dashboard.access import student_for_staff
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.privacy import archive_account as account
from sandbox.privacy import archive_content as content
from sandbox.privacy import archive_jobs as jobs
from sandbox.privacy.people import NameBook, iso

ARCHIVE_FORMAT = 1
STUDENTS_ONLY = _l("This page is for students: it gives them a copy of their data.")
# The sections of data.json, in the order the data page explains them.
SECTIONS = (
    "account", "profile", "posts", "comments", "likes", "conversations", "invitations",
    "connections", "follows", "contact_lists", "recommendations", "endorsements_given",
    "introductions", "network_outcomes", "groups", "groups_created", "applications",
    "saved_offers", "company_reviews", "exercises", "charter_signatures", "charter_findings",
    "grades", "moderation", "notifications", "activity",
)


@dataclass
class Archive:
    """The ZIP, open at its start, and the name to download it under."""

    file: IO[bytes]
    filename: str


@dataclass
class _Pictures:
    """The pictures to put in the archive: each stored file once, under images/."""

    folder: Path
    files: list[tuple[Path, str]] = field(default_factory=list)

    def __call__(self, relative: str | None, name: str) -> str | None:
        """Add the picture stored at `relative` (under uploads/) as images/<name>; its path in
        the archive, or None when there is no picture or its file is missing."""
        source = self._stored(relative)
        if source is None:
            return None
        target = f"images/{name}{source.suffix or '.webp'}"
        self.files.append((source, target))
        return target

    def _stored(self, relative: str | None) -> Path | None:
        if not relative or "\\" in relative:
            return None
        parts = PurePosixPath(relative)
        if parts.is_absolute() or ".." in parts.parts:
            return None
        base = self.folder.resolve()
        source = (base / parts).resolve()
        if not source.is_relative_to(base) or not source.is_file():
            return None
        return source


def own_archive(user: User) -> Archive:
    """A student's archive of their own data."""
    if not user.is_student:
        raise PermissionDenied(STUDENTS_ONLY)
    return build_archive(user, user)


def student_archive(viewer: User, class_id: int, student_id: int) -> Archive:
    """The archive of a student of the class, for its teachers and the admins."""
    _klass, student = student_for_staff(viewer, class_id, student_id)
    return build_archive(viewer, student)


def archive_data(student: User, pictures: _Pictures) -> dict[str, Any]:
    """Everything data.json holds (a fixed number of queries, whatever the student did)."""
    book = NameBook(student)
    profile = student.profile
    images = {
        "photo": pictures(profile.photo_path, "photo") if profile else None,
        "banner": pictures(profile.banner_path, "banner") if profile else None,
    }
    data: dict[str, Any] = {
        "account": account.account_section(student),
        "profile": account.profile_section(student, book, images),
        "posts": content.posts_section(student, book, pictures),
        "comments": content.comments_section(student),
        "likes": content.likes_section(student),
        "conversations": content.conversations_section(student, book),
        "invitations": account.invitations_section(student, book),
        "connections": account.connections_section(student, book),
        "follows": account.follows_section(student, book),
        "contact_lists": account.contact_lists_section(student, book),
        "recommendations": account.recommendations_section(student, book),
        "endorsements_given": account.endorsements_given_section(student, book),
        "introductions": account.introductions_section(student, book),
        "network_outcomes": account.outcomes_section(student, book),
        "groups": account.groups_section(student),
        "groups_created": account.groups_created_section(student),
        "charter_signatures": account.signatures_section(student),
        "charter_findings": content.findings_section(student),
        "grades": content.grades_section(student),
        "moderation": content.moderation_section(student, book),
        "notifications": content.notifications_section(student, book),
        "activity": content.activity_section(student),
        "applications": jobs.applications_section(student),
        "saved_offers": jobs.saved_offers_section(student),
        "company_reviews": jobs.reviews_section(student),
        "exercises": jobs.exercises_section(student, book),
    }
    data["archive"] = {"application": "Tremplin", "format": ARCHIVE_FORMAT,
                       "generated_at": iso(utcnow()), "sections": list(SECTIONS)}
    return data


def archive_filename(student: User) -> str:
    """tremplin-<username>-<yyyy-mm-dd>.zip, the date being the school's today."""
    today = to_user_timezone(utcnow()).date()
    username = re.sub(r"[^A-Za-z0-9._-]+", "-", student.username).strip(".-") or "student"
    return f"tremplin-{username}-{today:%Y-%m-%d}.zip"


def build_archive(requester: User, student: User) -> Archive:
    """Write the ZIP, then record who asked for it (`data_exported`, by the requester, about
    the student) and commit."""
    pictures = _Pictures(uploads_dir(Path(current_app.instance_path)))
    text = json.dumps(archive_data(student, pictures), indent=2, sort_keys=True,
                      ensure_ascii=False)
    handle = tempfile.TemporaryFile()
    try:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", text.encode("utf-8"))
            for source, target in pictures.files:
                # WebP is compressed already: stored as is.
                archive.write(source, target, compress_type=zipfile.ZIP_STORED)
        record_event(requester, "data_exported", student, asked_by=requester.role.value)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        handle.close()
        raise
    handle.seek(0)
    return Archive(file=handle, filename=archive_filename(student))
