"""What an erased student leaves in shared records, made anonymous or removed.

- Notifications: theirs, by them, and every one about something that goes with them.
- Moderation: cases about their content and the reports they made go; the audit log keeps each
  action without the student (actor/author emptied) nor any words of theirs or about them.
- Statistics: their activity events and charter findings stay, without person or text, so the
  class's figures keep their counts; other people's events lose what pointed at the student
  (a recruiter's decision on their application keeps its status, not whose it was; a persona's
  event done while the student played it no longer says who played).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, ClassCharter
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry, CaseStatus, ModerationCase, Report
from sandbox.notifications.models import Notification
from sandbox.transfer.references import DATA_REFERENCES

if TYPE_CHECKING:
    from sandbox.privacy.removal import Doomed

Delete = Callable[..., None]

# Keys of a notification's or an event's data that hold a person's id: the same list the class
# export translates, so that a key added for one is not forgotten by the other.
PERSON_KEYS = tuple(sorted(key for key, kind in DATA_REFERENCES.items() if kind == "User"))
# Free text an event may carry about the person it points at (a skill's name, a group's slug).
ABOUT_PERSON_TEXT = ("skill", "name", "slug")
PHOTO_NOTIFICATIONS = ("photo_tag_request", "photo_consent_given", "photo_consent_declined")


def _json_int(column: Any, key: str) -> Any:
    return column[key].as_integer()


def _subjects(doomed: Doomed, sid: int) -> dict[str, list[int]]:
    """What goes, by the class name notifications and events store as `subject_type`."""
    return {
        "Post": doomed.posts, "Comment": doomed.comments, "Message": doomed.messages,
        "Conversation": doomed.conversations, "Invitation": doomed.invitations,
        "Recommendation": doomed.recommendations, "Introduction": doomed.introductions,
        "ProfileSkill": doomed.skills, "ContactList": doomed.contact_lists,
        "Group": doomed.groups, "ModerationCase": doomed.cases, "User": [sid],
        "Application": doomed.applications, "CompanyReview": doomed.reviews,
    }


def forget_in_notifications(delete: Delete, sid: int, doomed: Doomed) -> None:
    """Delete the student's notifications, those they caused, and those about what goes."""
    data = Notification.data
    conditions = [Notification.user_id == sid, Notification.actor_id == sid]
    conditions += [_json_int(data, key) == sid for key in PERSON_KEYS]
    conditions += [sa.and_(Notification.subject_type == kind, Notification.subject_id.in_(ids))
                   for kind, ids in _subjects(doomed, sid).items() if ids]
    for key, ids in (("post_id", doomed.posts), ("conversation_id", doomed.conversations),
                     ("case_id", doomed.cases), ("application_id", doomed.applications)):
        if ids:
            conditions.append(_json_int(data, key).in_(ids))
    if doomed.pictured_posts:  # the picture is gone: so are the requests to appear in it
        conditions.append(sa.and_(Notification.kind.in_(PHOTO_NOTIFICATIONS),
                                  Notification.subject_type == "Post",
                                  Notification.subject_id.in_(doomed.pictured_posts)))
    delete(Notification, *conditions)


def forget_in_moderation(delete: Delete, sid: int, doomed: Doomed) -> None:
    """Reports by the student and cases about what goes are deleted; audit entries stay,
    anonymised. A case that only the student's report opened goes with it."""
    reported = list(db.session.scalars(
        sa.select(Report.case_id).where(Report.reporter_id == sid,
                                        Report.case_id.not_in(doomed.cases))
    ))
    delete(Report, Report.reporter_id == sid, Report.case_id.in_(doomed.cases))
    if reported:
        db.session.execute(
            sa.update(ModerationCase).where(ModerationCase.id.in_(reported))
            .values(report_count=sa.case((ModerationCase.report_count > 0,
                                          ModerationCase.report_count - 1), else_=0))
            .execution_options(synchronize_session=False)
        )
        orphans = sa.and_(ModerationCase.id.in_(reported), ModerationCase.report_count == 0,
                          ModerationCase.flagged.is_(False),
                          ModerationCase.status == CaseStatus.OPEN)
        delete(ModerationCase, orphans)
    delete(ModerationCase, ModerationCase.id.in_(doomed.cases))
    db.session.execute(
        sa.update(ModerationCase).where(ModerationCase.resolved_by_id == sid)
        .values(resolved_by_id=None).execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(AuditEntry)
        .where(sa.or_(AuditEntry.actor_id == sid, AuditEntry.author_id == sid))
        .values(
            actor_id=sa.case((AuditEntry.actor_id == sid, None), else_=AuditEntry.actor_id),
            author_id=sa.case((AuditEntry.author_id == sid, None), else_=AuditEntry.author_id),
            reason="", data={},
        )
        .execution_options(synchronize_session=False)
    )


def _content_keys(doomed: Doomed) -> dict[str, set[int]]:
    """Keys of an event's data that hold the id of content that goes."""
    posts = set(doomed.posts)
    return {"post_id": posts, "original_id": posts, "parent_id": set(doomed.comments),
            "conversation_id": set(doomed.conversations),
            "application_id": set(doomed.applications)}


def _strip_event(event: ActivityEvent, sid: int, doomed: Doomed) -> None:
    """Another person's event loses what points at the student or at what went with them
    (ids, and the text that came with them); its kind and date stay, so that person's own
    figures do not change. Ids are dropped, not just left dangling: SQLite may give a freed
    id to someone, or something, new."""
    data = dict(event.data or {})
    named = [key for key in PERSON_KEYS if data.get(key) == sid]
    gone = [key for key, ids in _content_keys(doomed).items() if data.get(key) in ids]
    kind = data.get("content_kind")
    if data.get("content_id") in doomed.content(sid).get(kind, []):
        gone.append("content_id")
    subjects = _subjects(doomed, sid)
    subject_gone = event.subject_id in subjects.get(event.subject_type or "", [])
    for key in named + gone:
        data.pop(key)
    if named or subject_gone:
        for key in ABOUT_PERSON_TEXT:
            data.pop(key, None)
    if subject_gone:
        event.subject_id = None
    event.data = data


def _forget_content_ids(sid: int, doomed: Doomed) -> None:
    """Audit entries and findings about content that went no longer point at its id."""
    for kind, ids in doomed.content(sid).items():
        if not ids:
            continue
        for model in (AuditEntry, CharterFinding):
            db.session.execute(
                sa.update(model).where(model.content_kind == kind.value,
                                       model.content_id.in_(ids))
                .values(content_id=None).execution_options(synchronize_session=False)
            )


def _forget_targets(sid: int, doomed: Doomed) -> None:
    """Others' findings no longer say what their text was aimed at when it was the student or
    what went with them ("user:7", "post:12"): a freed id may be given to something new, and
    a text aimed at it must not settle an old refused one."""
    targets = [f"user:{sid}"]
    for prefix, ids in (("post", doomed.posts), ("comment", doomed.comments),
                        ("group", doomed.groups)):
        targets += [f"{prefix}:{row_id}" for row_id in ids]
    target = CharterFinding.target
    db.session.execute(
        sa.update(CharterFinding)
        .where(sa.or_(target.in_(targets), target.startswith(f"user:{sid}:"),
                      target.endswith(f":{sid}") & target.startswith("user:")))
        .values(target="").execution_options(synchronize_session=False)
    )


def _forget_in_audit_data(sid: int, doomed: Doomed) -> None:
    """Others' audit entries (a teacher who, playing a persona, answered the student) lose
    the student's id and the ids of what went with them; the action itself stays."""
    content = {key: ids for key, ids in _content_keys(doomed).items() if ids}
    conditions = [_json_int(AuditEntry.data, key) == sid for key in PERSON_KEYS]
    conditions += [_json_int(AuditEntry.data, key).in_(ids) for key, ids in content.items()]
    query = sa.select(AuditEntry).where(sa.or_(*conditions))
    for entry in db.session.scalars(query.execution_options(populate_existing=True)):
        entry.data = {key: value for key, value in (entry.data or {}).items()
                      if not (key in PERSON_KEYS and value == sid)
                      and not (key in content and type(value) is int
                               and value in content[key])}


def anonymise_statistics(sid: int, doomed: Doomed) -> None:
    """Keep the student's events and findings as counts without a person or a text."""
    db.session.execute(
        sa.update(CharterFinding).where(CharterFinding.user_id == sid)
        .values(user_id=None, content_id=None, excerpt="", context="", context_start=0,
                context_end=0)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(ActivityEvent).where(ActivityEvent.user_id == sid)
        .values(user_id=None, subject_id=None, data={})
        .execution_options(synchronize_session=False)
    )
    _forget_content_ids(sid, doomed)
    _forget_targets(sid, doomed)
    _forget_in_audit_data(sid, doomed)
    points_at = [sa.and_(ActivityEvent.subject_type == kind, ActivityEvent.subject_id.in_(ids))
                 for kind, ids in _subjects(doomed, sid).items() if ids]
    points_at += [_json_int(ActivityEvent.data, key) == sid for key in PERSON_KEYS]
    points_at += [_json_int(ActivityEvent.data, key).in_(ids)
                  for key, ids in _content_keys(doomed).items() if ids]
    every_content = sorted({i for ids in doomed.content(sid).values() for i in ids})
    points_at.append(_json_int(ActivityEvent.data, "content_id").in_(every_content))
    query = sa.select(ActivityEvent).where(sa.or_(*points_at))
    for event in db.session.scalars(query.execution_options(populate_existing=True)):
        _strip_event(event, sid, doomed)
    db.session.execute(
        sa.update(ClassCharter).where(ClassCharter.updated_by_id == sid)
        .values(updated_by_id=None).execution_options(synchronize_session=False)
    )
    db.session.flush()
