"""Direct messages: who may write to whom, sending, the inbox, a thread, unread counts.

One rule decides who may write to whom (`can_message`). Reading follows the network scope: a
thread with someone the viewer may not see does not exist for them. A student's teachers (and the
admins) may read the student's messages, read-only, and every such reading is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import Role, User
from sandbox.activity.services import record_event
from sandbox.charter.gate import screen, settle
from sandbox.classes.models import class_teachers
from sandbox.classes.permissions import can_manage_student
from sandbox.core import deferred
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.messages.models import MESSAGE_MAX_LENGTH, Conversation, Message
from sandbox.messages.queries import (
    PAGE_SIZE,
    ThreadSummary,
    commit_keeping_loaded,
    conversation_between,
    insert_conversation_if_missing,
    load_people,
    mark_thread_read,
    messages_page,
    summaries,
)
from sandbox.moderation.models import ContentKind
from sandbox.network.models import Connection
from sandbox.network.scope import visible_people
from sandbox.notifications.publisher import publish, user_room
from sandbox.notifications.services import notify
from sandbox.personas.triggers import schedule_reply
from sandbox.profiles.visibility import fields_seen_of

__all__ = [
    "MESSAGE_MAX_LENGTH", "PAGE_SIZE", "Thread", "ThreadSummary", "can_message", "clean_body",
    "messageable", "send_message", "student_thread", "student_threads", "thread", "threads_of",
    "unread_count", "who_may_write", "write_message",
]


# ---- who may write to whom ------------------------------------------------------------------


def messageable(sender: User) -> sa.ColumnElement[bool]:
    """A WHERE clause on User: the people `sender` may write to.

    In the sender's network scope, active, not oneself, and: a connection, or a teacher and a
    student of one of their classes (either way), or two teachers of a same class.
    """
    connections = sa.select(Connection.contact_id).where(Connection.user_id == sender.id)
    reasons: list[sa.ColumnElement[bool]] = [User.id.in_(connections)]
    if sender.is_teacher:
        taught = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == sender.id
        )
        colleagues = sa.select(class_teachers.c.teacher_id).where(
            class_teachers.c.class_id.in_(taught)
        )
        reasons.append(sa.and_(User.role == Role.STUDENT, User.class_id.in_(taught)))
        reasons.append(sa.and_(User.role == Role.TEACHER, User.id.in_(colleagues)))
    if sender.is_student and sender.class_id is not None:
        own_teachers = sa.select(class_teachers.c.teacher_id).where(
            class_teachers.c.class_id == sender.class_id
        )
        reasons.append(sa.and_(User.role == Role.TEACHER, User.id.in_(own_teachers)))
    return sa.and_(
        visible_people(sender),
        User.id != sender.id,
        User.is_disabled.is_(False),
        sa.or_(*reasons),
    )


def can_message(sender: User, recipient: User) -> bool:
    """May `sender` write to `recipient`? One query."""
    if recipient.id == sender.id or recipient.is_disabled:
        return False
    found = db.session.scalar(
        sa.select(User.id).where(User.id == recipient.id, messageable(sender))
    )
    return found is not None


def who_may_write(sender: User) -> str:
    """Whom `sender` may write to, in words: why a thread has no form, why a message is refused."""
    if sender.is_student:
        return _l("You can write to your connections and your teachers only: invite this "
                  "person to connect first.")
    return _l("You can write to your connections, your students and the other teachers of "
              "your classes only.")


def _visible_person(viewer: User, user_id: int) -> User:
    """Someone in the viewer's network scope, names and photo ready; anyone else is NotFound."""
    if user_id == viewer.id:
        raise NotFound(_l("This person does not exist."))
    people = load_people([user_id], sa.and_(visible_people(viewer), User.is_disabled.is_(False)))
    if not people:
        raise NotFound(_l("This person does not exist."))
    return people[0]


# ---- writing --------------------------------------------------------------------------------


def clean_body(body: str | None) -> str:
    """The message as typed, its line endings tidied; a clear message when it cannot be sent."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_control_characters(body):
        raise ServiceError(_l("This text contains invisible characters: retype it."),
                           field="body")
    if not body:
        raise ServiceError(_l("Write your message first."), field="body")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ServiceError(
            _l("%(count)d characters at most.", count=MESSAGE_MAX_LENGTH), field="body"
        )
    return body


def send_message(sender: User, recipient_id: int, body: str | None, *,
                 charter_ack: bool = False) -> Message:
    """Send a message: one transaction, then a content-free live event to both participants."""
    recipient = _visible_person(sender, recipient_id)
    if not can_message(sender, recipient):
        raise PermissionDenied(who_may_write(sender))
    body = clean_body(body)
    screening = screen(sender, body, kind=ContentKind.MESSAGE, target=f"user:{recipient.id}",
                       acknowledged=charter_ack)
    message = write_message(sender, recipient, body)
    settle(screening, sender, ContentKind.MESSAGE, message.id)
    # A persona reads its messages and replies on its own (a person playing it replies first).
    schedule_reply(message, sender, recipient)
    db.session.commit()
    return message


def write_message(sender: User, recipient: User, body: str, *,
                  conversation: Conversation | None = None, **event_data: object) -> Message:
    """The writes of a message already checked: its conversation, event, notification and live
    events (sent once committed); no commit, so a persona's reply joins the worker's
    transaction. `event_data` adds to the recorded event (what a persona's reply answered).
    `conversation`: the pair's conversation, when the caller has it loaded (a reply to a
    message of the thread), saving its query."""
    if conversation is None or {conversation.first_user_id, conversation.second_user_id} != {
            sender.id, recipient.id}:
        conversation = conversation_between(sender.id, recipient.id)
    if conversation is None:
        # Both first messages at once: the unique pair lets only one row in; both then use it.
        insert_conversation_if_missing(sender.id, recipient.id)
        conversation = conversation_between(sender.id, recipient.id)
        assert conversation is not None
    session = db.session()
    if deferred.deferring(session):
        message = _insert_message(conversation, sender, recipient, body)
    else:
        now = utcnow()
        conversation.last_message_at = now
        message = Message(conversation_id=conversation.id, sender_id=sender.id,
                          recipient_id=recipient.id, body=body, created_at=now)
        session.add(message)
        session.flush()
    session.info.setdefault(_WRITTEN_KEY, []).append(message)
    record_event(sender, "message_sent", message, recipient_id=recipient.id,
                 conversation_id=conversation.id, **event_data)
    notify(recipient, "message_received", sender, message, conversation_id=conversation.id)
    # Ids only: each open page asks for the new messages, where the usual checks apply.
    payload = {"conversation_id": conversation.id, "message_id": message.id}
    publish("direct_message", payload, user_room(recipient.id))
    publish("direct_message", payload, user_room(sender.id))  # the sender's other tabs
    return message


_WRITTEN_KEY = "messages.written"  # session.info: the messages this transaction wrote


def written_in_transaction(conversation_id: int) -> list[Message]:
    """The messages of the conversation written in the current transaction (a worker's batch
    reads threads it preloaded: these are what it wrote since). Kept in `session.info`, which
    a batch restores when it rolls an action back."""
    return [message for message in db.session.info.get(_WRITTEN_KEY, ())
            if message.conversation_id == conversation_id]


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _forget_written(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_WRITTEN_KEY, None)


# In a worker's batch (`core.deferred`), a message's row and its conversation's date are written
# without the ORM's unit of work: the batch sends hundreds of persona replies, and a flush for
# each cost three times the two statements (benchmarks/README.md, worker).
_INSERT_MESSAGE = sa.insert(Message.__table__).returning(Message.__table__.c.id)
_DATE_CONVERSATION = (
    sa.update(Conversation.__table__)
    .where(Conversation.__table__.c.id == sa.bindparam("conversation"))
    .values(last_message_at=sa.bindparam("at"))
)


def _insert_message(conversation: Conversation, sender: User, recipient: User,
                    body: str) -> Message:
    """Write the message and date its conversation; the message returned is in the session,
    as if it had been loaded (`deferred.attach`: a batch rolled back takes it out)."""
    values = {"conversation_id": conversation.id, "sender_id": sender.id,
              "recipient_id": recipient.id, "body": body, "created_at": utcnow()}
    message_id = db.session.execute(_INSERT_MESSAGE, values).scalar_one()
    db.session.execute(_DATE_CONVERSATION, {"conversation": conversation.id,
                                            "at": values["created_at"]})
    db.session.expire(conversation, ["last_message_at"])  # read again if anyone asks
    message = Message(id=message_id, read_at=None, hidden_at=None, **values)
    deferred.attach(db.session(), message)
    return message


# ---- reading one's own messages -------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    other: User
    conversation: Conversation | None
    messages: list[Message]  # oldest first
    has_older: bool
    can_write: bool
    show_photo: bool  # may the reader see the other person's photo


def threads_of(user: User) -> list[ThreadSummary]:
    """The inbox: conversations with people `user` may see, newest first, a fixed query count."""
    return summaries(user, sa.and_(visible_people(user), User.is_disabled.is_(False)), user)


def thread(
    viewer: User, other_user_id: int, after_id: int | None = None,
    before_id: int | None = None,
) -> Thread:
    """The messages between `viewer` and someone they may see, oldest first.

    The ones addressed to the viewer are marked read (only those returned). With `after_id`,
    only the newer ones (live updates); with `before_id`, an earlier page.
    """
    other = _visible_person(viewer, other_user_id)
    conversation = conversation_between(viewer.id, other.id)
    messages: list[Message] = []
    has_older = False
    if conversation is not None:
        messages, has_older = messages_page(conversation.id, after_id, before_id)
        if mark_thread_read(viewer, conversation.id, messages):
            commit_keeping_loaded()
    return Thread(other=other, conversation=conversation, messages=messages,
                  has_older=has_older, can_write=can_message(viewer, other),
                  show_photo=_shows_photo(viewer, other))


def _shows_photo(viewer: User, other: User) -> bool:
    return "photo" in fields_seen_of(viewer, [other])[other.id]


def unread_count(user: User) -> int:
    """Messages waiting for `user`, from people they may still see: one query."""
    query = sa.select(sa.func.count()).select_from(Message).where(
        Message.recipient_id == user.id, Message.read_at.is_(None)
    )
    if not user.is_admin:
        senders = sa.select(User.id).where(visible_people(user))
        query = query.where(Message.sender_id.in_(senders))
    return db.session.scalar(query) or 0


# ---- the teachers' review (read-only) -------------------------------------------------------


def _reviewed_student(reviewer: User, student_id: int) -> User:
    student = db.session.get(User, student_id)
    if student is None or not can_manage_student(reviewer, student):
        raise NotFound(_l("This student does not exist."))
    return student


def student_threads(reviewer: User, student_id: int) -> tuple[User, list[ThreadSummary]]:
    """A student's conversations, for their teachers and the admins; the reading is recorded."""
    student = _reviewed_student(reviewer, student_id)
    threads = summaries(student, sa.true(), reviewer, count_unread=False)
    record_event(reviewer, "student_messages_reviewed", student, student_id=student.id,
                 class_id=student.class_id)
    commit_keeping_loaded()
    return student, threads


def student_thread(reviewer: User, student_id: int, other_id: int,
                   before_id: int | None = None) -> tuple[User, Thread]:
    """One of a student's threads, read-only: nothing is marked read; the reading is recorded."""
    student = _reviewed_student(reviewer, student_id)
    conversation = conversation_between(student.id, other_id) if other_id != student.id else None
    if conversation is None:
        raise NotFound(_l("This conversation does not exist."))
    [other] = load_people([other_id], sa.true())
    messages, has_older = messages_page(conversation.id, None, before_id)
    record_event(reviewer, "student_thread_reviewed", conversation, student_id=student.id,
                 other_id=other.id, class_id=student.class_id)
    commit_keeping_loaded()
    return student, Thread(other=other, conversation=conversation, messages=messages,
                           has_older=has_older, can_write=False,
                           show_photo=_shows_photo(reviewer, other))
