"""Erasing a student: nothing of them is left anywhere, the class keeps its figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import current_app

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.moderation.models import AuditEntry
from sandbox.network.models import NetworkOutcome
from sandbox.posts.models import Comment, Post
from sandbox.privacy.anonymise import PERSON_KEYS
from sandbox.privacy.removal import HANDLED_USER_COLUMNS
from tests.privacy.builders import MARKER, busy_student


def _erase_url(school: dict[str, Any], student: User | None = None) -> str:
    student = student or school["student"]
    return f"/classes/{school['class'].id}/students/{student.id}/erase"


def _every_row() -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-empty value of every table."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                if value is not None:
                    found.append((table.name, column, str(value)))
    return found


def _event_count(class_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent)
                             .where(ActivityEvent.class_id == class_id)) or 0


def _stored_files(lea: User) -> list[Path]:
    root = uploads_dir(Path(current_app.instance_path))
    profile = lea.profile
    posts = db.session.scalars(sa.select(Post.image_path).where(Post.author_id == lea.id,
                                                                Post.image_path.is_not(None)))
    return [root / path for path in (profile.photo_path, profile.banner_path, *posts)]


@pytest.fixture
def erased(school, client_as):  # type: ignore[no-untyped-def]
    """Léa after a busy term, then erased by her teacher; what the test needs to check."""
    made = busy_student(school)
    lea, klass = school["student"], school["class"]
    lea_id = lea.id
    ids = {f"{name}_id": made[name].id for name in ("lea_post", "share", "hugo_on_lea")}
    files = _stored_files(lea)
    tagged_picture = uploads_dir(Path(current_app.instance_path)) / made["hugo_photo"].image_path
    assert all(path.is_file() for path in [*files, tagged_picture])
    marked = {table for table, _column, value in _every_row() if MARKER.lower() in value.lower()}
    events = _event_count(klass.id)
    findings = db.session.scalar(sa.select(sa.func.count()).select_from(CharterFinding)
                                 .where(CharterFinding.user_id == lea.id))
    assert events > 20 and findings >= 1
    answer = client_as(school["teacher"]).post(_erase_url(school), data={"username": "lea.martin"})
    assert answer.status_code == 302
    db.session.expire_all()
    return {**made, **ids, "marked": marked, "files": files, "tagged_picture": tagged_picture,
            "events": events, "findings": findings, "lea_id": lea_id}


def test_the_student_is_nowhere_in_the_database(erased):
    # The marker was everywhere she wrote or was named before.
    assert erased["marked"] >= {
        "users", "profiles", "profile_skills", "profile_experiences", "profile_education",
        "profile_languages", "profile_links", "profile_hashtags", "posts", "comments",
        "messages", "invitations", "recommendations", "introductions", "network_outcomes",
        "contact_lists", "groups", "charter_findings", "moderation_cases", "reports",
        "audit_entries", "grades", "activity_events", "applications", "company_reviews",
        "job_offers", "exercises", "exercise_phases", "exercise_teams", "scheduled_actions",
    }
    leftovers = [(table, column) for table, column, value in _every_row()
                 if MARKER.lower() in value.lower() or "lea.martin" in value.lower()]
    assert leftovers == []
    assert db.session.get(User, erased["lea_id"]) is None


def test_the_pictures_are_gone_from_disk(erased):
    assert erased["files"] and not any(path.exists() for path in erased["files"])
    assert not (uploads_dir(Path(current_app.instance_path)) / str(erased["lea_id"])).exists()
    # A classmate's picture where Léa was tagged goes; his post stays.
    assert not erased["tagged_picture"].exists()
    photo = db.session.get(Post, erased["hugo_photo"].id)
    assert photo.body == "Photo de classe" and photo.image_path is None
    assert not photo.awaiting_consent


def test_the_class_keeps_its_figures_anonymised(erased, school):
    assert _event_count(school["class"].id) == erased["events"]
    anonymous = db.session.scalars(sa.select(ActivityEvent).where(
        ActivityEvent.user_id.is_(None), ActivityEvent.class_id == school["class"].id)).all()
    assert anonymous and all(event.data == {} and event.subject_id is None
                             for event in anonymous)
    kept = db.session.scalars(sa.select(CharterFinding).where(CharterFinding.user_id.is_(None)))
    findings = list(kept)
    assert len(findings) == erased["findings"]
    assert all(f.excerpt == "" and f.context == "" and f.category for f in findings)


def test_classmates_keep_their_own_content_without_hers(erased, school):
    hugo = school["classmate"]
    hugo_post = db.session.get(Post, erased["hugo_post"].id)
    assert hugo_post is not None and hugo_post.author_id == hugo.id
    assert hugo_post.body.startswith("Bravo @•") and hugo_post.body.endswith(" pour ton stage !")
    comments = db.session.scalars(sa.select(Comment).where(Comment.post_id == hugo_post.id))
    # Léa's comment and the reply to it are gone; Hugo's own comment stays.
    assert [c.id for c in comments] == [erased["hugo_top"].id]
    # Her post went, with Hugo's comment on it and his share of it.
    for gone in ("lea_post_id", "share_id"):
        assert db.session.get(Post, erased[gone]) is None
    assert db.session.get(Comment, erased["hugo_on_lea_id"]) is None
    # Hugo's journal keeps its line, without naming her.
    outcome = db.session.scalar(sa.select(NetworkOutcome).where(
        NetworkOutcome.student_id == hugo.id))
    assert outcome is not None and outcome.contact_id is None


def test_nothing_points_at_her_or_her_content_any_more(erased, school):
    lea_id, post_id = erased["lea_id"], erased["lea_post_id"]
    for event in db.session.scalars(sa.select(ActivityEvent)):
        data = event.data or {}
        assert lea_id not in [data.get(key) for key in PERSON_KEYS], (event.kind, data)
        assert not (event.subject_type == "User" and event.subject_id == lea_id), event.kind
        assert not (event.subject_type == "Post" and event.subject_id == post_id), event.kind
        assert data.get("post_id") != post_id, event.kind
    hugo_like = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "liked_post", ActivityEvent.user_id == school["classmate"].id,
        ActivityEvent.subject_id.is_(None)))
    assert hugo_like is not None  # Hugo's own figures keep his like
    for entry in db.session.scalars(sa.select(AuditEntry)):
        assert not (entry.content_kind == "post" and entry.content_id == post_id)


def test_the_audit_log_says_a_student_was_erased_without_saying_who(erased, school):
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "student_erased"))
    assert entry.actor_id == school["teacher"].id and entry.class_id == school["class"].id
    assert entry.author_id is None and entry.reason == ""
    assert entry.data["removed"]["posts"] >= 2 and entry.data["removed"]["users"] == 1
    warning = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "warn"))
    assert warning.actor_id == school["teacher"].id and warning.author_id is None
    assert warning.reason == "" and warning.data == {}


def test_every_foreign_key_to_users_is_handled():
    """A new table pointing at users must be taught to the erasure (sandbox/privacy)."""
    pointing = {
        f"{table.name}.{fk.parent.name}"
        for table in db.metadata.sorted_tables for fk in table.foreign_keys
        if fk.column.table.name == "users"
    }
    assert pointing - HANDLED_USER_COLUMNS == set()


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables}


def test_a_wrong_confirmation_erases_nothing(school, client_as):
    busy_student(school)
    before = _row_counts()
    answer = client_as(school["teacher"]).post(_erase_url(school), data={"username": "lea"})
    assert answer.status_code == 200
    assert 'aria-invalid="true"' in answer.get_data(as_text=True)  # the field says why
    db.session.expire_all()
    after = _row_counts()
    # Only the teacher's login wrote something (its event).
    assert {k: v for k, v in after.items() if v != before[k]} == {
        "activity_events": before["activity_events"] + 1}
    assert db.session.get(User, school["student"].id) is not None


@pytest.mark.parametrize("role", ["other_teacher", "student", "classmate", "other_student"])
def test_only_the_class_staff_erase(role, school, client_as):
    client = client_as(school[role])
    assert client.get(_erase_url(school)).status_code == 403
    answer = client.post(_erase_url(school), data={"username": "lea.martin"})
    assert answer.status_code == 403
    assert db.session.get(User, school["student"].id) is not None


def test_an_admin_erases_and_a_student_of_another_class_is_not_found(school, client_as):
    admin = client_as(school["admin"])
    wrong_class = f"/classes/{school['class'].id}/students/{school['other_student'].id}/erase"
    assert admin.get(wrong_class).status_code == 404
    page = admin.get(_erase_url(school))
    assert page.status_code == 200 and "lea.martin" in page.get_data(as_text=True)
    lea_id = school["student"].id
    answer = admin.post(_erase_url(school), data={"username": " Lea.Martin "})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, lea_id) is None


def test_the_erased_student_is_logged_out(school, client_as):
    lea = client_as(school["student"])
    assert lea.get("/account/data").status_code == 200
    client_as(school["teacher"]).post(_erase_url(school), data={"username": "lea.martin"})
    assert lea.get("/account/data").status_code == 302


def test_a_failure_midway_leaves_the_database_and_the_files_as_they_were(school, monkeypatch):
    from sandbox.privacy import erasure

    busy_student(school)
    lea = school["student"]
    files = _stored_files(lea)
    before = _row_counts()

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "record_audit", broken)
    with pytest.raises(RuntimeError):
        erasure.erase_student(school["teacher"], school["class"].id, lea.id, "lea.martin")
    db.session.expire_all()
    assert _row_counts() == before
    assert all(path.is_file() for path in files)
