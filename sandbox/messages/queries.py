"""The planned queries behind the messages pages: each page runs a fixed number of them.

No permission checks here: `sandbox.messages.services` decides who may read what, then calls
these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.notifications.models import Notification
from sandbox.personas.models import Persona
from sandbox.profiles.visibility import fields_seen_of

PAGE_SIZE = 100  # messages shown at once in a thread; earlier ones are a link away
INBOX_SIZE = 100  # conversations listed in an inbox, the most recent first


@dataclass(frozen=True)
class ThreadSummary:
    """One line of an inbox."""

    conversation: Conversation
    other: User
    last_message: Message | None
    unread: int
    show_photo: bool


def _pair(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def conversation_between(user_id: int, other_id: int) -> Conversation | None:
    first, second = _pair(user_id, other_id)
    return db.session.scalar(sa.select(Conversation).where(
        Conversation.first_user_id == first, Conversation.second_user_id == second
    ))


def insert_conversation_if_missing(user_id: int, other_id: int) -> None:
    """Create the pair's conversation unless it exists; safe when two requests race.

    The unique pair decides: the loser's insert does nothing (or fails inside a savepoint on
    engines without ON CONFLICT), and both then read the same row.
    """
    first, second = _pair(user_id, other_id)
    now = utcnow()
    values = {"first_user_id": first, "second_user_id": second, "created_at": now,
              "last_message_at": now}
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        db.session.execute(insert(Conversation).values(**values).on_conflict_do_nothing(
            index_elements=["first_user_id", "second_user_id"]
        ))
        return
    try:
        with db.session.begin_nested():
            db.session.add(Conversation(**values))
    except IntegrityError:
        pass


def people_options() -> list:  # type: ignore[type-arg]
    """What the messages pages read of a person: name (class, teachers), photo, company."""
    return [
        joinedload(User.school_class).selectinload(SchoolClass.teachers),
        joinedload(User.profile),
        joinedload(User.persona).joinedload(Persona.company),
    ]


def load_people(ids: Sequence[int], where: sa.ColumnElement[bool]) -> list[User]:
    """The users among `ids` matching `where`, ready to display."""
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(User).where(User.id.in_(list(ids)), where).options(*people_options())
    ).unique())


def messages_page(
    conversation_id: int, after_id: int | None, before_id: int | None,
    since: datetime | None = None,
) -> tuple[list[Message], bool]:
    """Messages oldest first, and whether older ones exist before them.

    `after_id`: the ones after it (live updates, at most a page); otherwise the latest page,
    before `before_id` when given. `since`: none sent before it (they do not exist here).
    """
    query = sa.select(Message).where(Message.conversation_id == conversation_id)
    if since is not None:
        query = query.where(Message.created_at >= since)
    if after_id is not None:
        newer = db.session.scalars(
            query.where(Message.id > after_id).order_by(Message.id).limit(PAGE_SIZE)
        )
        return list(newer), False
    if before_id is not None:
        query = query.where(Message.id < before_id)
    latest = list(db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE_SIZE + 1)))
    has_older = len(latest) > PAGE_SIZE
    return list(reversed(latest[:PAGE_SIZE])), has_older


def mark_thread_read(viewer: User, conversation_id: int, shown: Sequence[Message]) -> bool:
    """Mark read the shown messages addressed to `viewer` (one UPDATE), with their notifications.

    Returns whether anything changed (the caller then commits).
    """
    unread_ids = [
        message.id for message in shown
        if message.recipient_id == viewer.id and message.read_at is None
    ]
    if not unread_ids:
        return False
    now = utcnow()
    db.session.execute(
        sa.update(Message)
        .where(Message.conversation_id == conversation_id, Message.recipient_id == viewer.id,
               Message.id.in_(unread_ids), Message.read_at.is_(None))
        .values(read_at=now)
    )
    # The bell's "new message" notifications of what was just read are read too.
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == viewer.id, Notification.kind == "message_received",
               Notification.subject_type == "Message", Notification.subject_id.in_(unread_ids),
               Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return True


def commit_keeping_loaded() -> None:
    """Commit without expiring what was loaded: the page about to render it needs no reload."""
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


def summaries(
    owner: User, others: sa.ColumnElement[bool], viewer: User, count_unread: bool = True,
    since: datetime | None = None,
) -> list[ThreadSummary]:
    """`owner`'s conversations with the people matching `others`, newest first.

    Names and photos as `viewer` may see them. A fixed number of queries whatever the size.
    `since`: only the messages sent since then count (the last one, the unread ones), and a
    conversation without any is left out.
    """
    other_id = sa.case(
        (Conversation.first_user_id == owner.id, Conversation.second_user_id),
        else_=Conversation.first_user_id,
    )
    in_window = sa.true() if since is None else Message.created_at >= since
    query = (
        sa.select(Conversation)
        .where(sa.or_(Conversation.first_user_id == owner.id,
                      Conversation.second_user_id == owner.id),
               other_id.in_(sa.select(User.id).where(others)))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(INBOX_SIZE)
    )
    if since is not None:
        query = query.where(sa.exists().where(Message.conversation_id == Conversation.id,
                                              in_window))
    conversations = list(db.session.scalars(query))
    if not conversations:
        return []
    ids = [conversation.id for conversation in conversations]
    other_ids = [
        c.second_user_id if c.first_user_id == owner.id else c.first_user_id
        for c in conversations
    ]
    people = {person.id: person for person in load_people(other_ids, sa.true())}
    latest_ids = (
        sa.select(sa.func.max(Message.id))
        .where(Message.conversation_id.in_(ids), in_window)
        .group_by(Message.conversation_id)
    )
    last = {
        message.conversation_id: message
        for message in db.session.scalars(sa.select(Message).where(Message.id.in_(latest_ids)))
    }
    unread: dict[int, int] = {}
    if count_unread:
        unread = dict(db.session.execute(
            sa.select(Message.conversation_id, sa.func.count())
            .where(Message.recipient_id == owner.id, Message.read_at.is_(None),
                   Message.conversation_id.in_(ids), in_window)
            .group_by(Message.conversation_id)
        ).all())
    seen = fields_seen_of(viewer, people.values())
    return [
        ThreadSummary(
            conversation=conversation,
            other=people[other],
            last_message=last.get(conversation.id),
            unread=unread.get(conversation.id, 0),
            show_photo="photo" in seen[other],
        )
        for conversation, other in zip(conversations, other_ids, strict=True)
        if other in people
    ]
