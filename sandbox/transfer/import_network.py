"""Writing the network between the class's members, and their conversations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.network.models import (
    Connection,
    FollowedHashtag,
    FollowedPerson,
    Introduction,
    Invitation,
    NetworkOutcome,
    Recommendation,
)
from sandbox.transfer.references import TransferError

if TYPE_CHECKING:
    from sandbox.transfer.importer import ImportContext


def write_network(context: ImportContext) -> None:
    network, user, person = context.document.network, context.user, context.person
    db.session.add_all(Connection(user_id=user(row.user), contact_id=user(row.contact),
                                  created_at=row.created_at) for row in network.connections)
    db.session.add_all(FollowedPerson(follower_id=user(row.follower),
                                      followed_id=user(row.followed), created_at=row.created_at)
                       for row in network.follows)
    db.session.add_all(FollowedHashtag(follower_id=user(row.follower), tag=row.tag,
                                       created_at=row.created_at)
                       for row in network.hashtag_follows)
    invitations = [Invitation(sender_id=user(row.sender), recipient_id=user(row.recipient),
                              message=row.message, status=row.status,
                              created_at=row.created_at, answered_at=row.answered_at,
                              answered_by_id=person(row.answered_by))
                   for row in network.invitations]
    recommendations = [Recommendation(author_id=user(row.author),
                                      recipient_id=user(row.recipient), text=row.text,
                                      status=row.status, created_at=row.created_at,
                                      answered_at=row.answered_at)
                       for row in network.recommendations]
    introductions = [Introduction(introducer_id=user(row.introducer),
                                  student_id=user(row.student),
                                  introduced_id=user(row.introduced), note=row.note,
                                  created_at=row.created_at)
                     for row in network.introductions]
    outcomes = [NetworkOutcome(student_id=user(row.student), contact_id=person(row.contact),
                               kind=row.kind, note=row.note, occurred_on=row.occurred_on,
                               created_at=row.created_at)
                for row in network.outcomes]
    db.session.add_all([*invitations, *recommendations, *introductions, *outcomes])
    db.session.flush()
    for type_name, parts, rows in (
        ("Invitation", network.invitations, invitations),
        ("Recommendation", network.recommendations, recommendations),
        ("Introduction", network.introductions, introductions),
        ("NetworkOutcome", network.outcomes, outcomes),
    ):
        for part, row in zip(parts, rows, strict=True):
            context.ids.add(type_name, part.key, row.id)
    context.counts["connections"] += len(network.connections) // 2


def write_conversations(context: ImportContext) -> None:
    """Conversations (their pair stored lowest id first) and their messages."""
    parts = context.document.conversations
    rows = []
    for part in parts:
        first, second = sorted(context.user(username) for username in part.people)
        if first == second:
            raise TransferError(_("A conversation in the document has one person twice."))
        rows.append(Conversation(first_user_id=first, second_user_id=second,
                                 created_at=part.created_at,
                                 last_message_at=part.last_message_at))
    db.session.add_all(rows)
    db.session.flush()
    messages: list[tuple[str, Message]] = []
    for part, conversation in zip(parts, rows, strict=True):
        context.ids.add("Conversation", part.key, conversation.id)
        for message in part.messages:
            if sorted([message.sender, message.recipient]) != sorted(part.people):
                raise TransferError(_("The message “%(key)s” is not between the two people of "
                                      "its conversation.", key=message.key))
            messages.append((message.key, Message(
                conversation_id=conversation.id, sender_id=context.user(message.sender),
                recipient_id=context.user(message.recipient), body=message.body,
                created_at=message.created_at, read_at=message.read_at,
                hidden_at=message.hidden_at)))
    db.session.add_all(row for _key, row in messages)
    db.session.flush()
    for key, row in messages:
        context.ids.add("Message", key, row.id)
    context.counts["messages"] += len(messages)
