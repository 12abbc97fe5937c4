"""The network between the class's members, and their direct messages."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from sandbox.extensions import db
from sandbox.messages.models import Conversation, Message
from sandbox.network.models import (
    Connection,
    ContactList,
    ContactListMember,
    FollowedCompany,
    FollowedHashtag,
    FollowedPerson,
    Introduction,
    Invitation,
    NetworkOutcome,
    Recommendation,
)
from sandbox.transfer.document import Row, in_order, stamp

if TYPE_CHECKING:
    from sandbox.transfer.exporter import ExportContext


def _records(rows: list[Row]) -> list[dict[str, Any]]:
    return [record for record, _id in rows]


def _involving(context: ExportContext, *columns: Any) -> sa.ColumnElement[bool]:
    return sa.or_(*(column.in_(context.member_ids) for column in columns))


def contact_lists_part(context: ExportContext) -> list[dict[str, Any]]:
    """The members' contact lists (posts may be addressed to one); people outside leave them."""
    lists = db.session.scalars(
        sa.select(ContactList).where(ContactList.owner_id.in_(context.member_ids))).all()
    members: dict[int, list[str]] = defaultdict(list)
    for row in db.session.scalars(sa.select(ContactListMember).where(
            ContactListMember.list_id.in_([item.id for item in lists]))):
        if context.is_member(row.contact_id):
            members[row.list_id].append(context.username(row.contact_id))
        else:
            context.omitted["list_members"] += 1
    rows = [({"owner": context.username(item.owner_id), "name": item.name,
              "created_at": stamp(item.created_at), "members": sorted(members[item.id])},
             item.id) for item in lists]
    return _records(context.keyed(rows, "ContactList", "list", "owner", "name"))


def network_part(context: ExportContext, contact_lists: list[dict[str, Any]]) -> dict[str, Any]:
    person, username = context.person, context.username
    connections = []
    for row in db.session.scalars(sa.select(Connection).where(
            Connection.user_id.in_(context.member_ids))):
        if not context.is_member(row.contact_id):
            context.omitted["connections"] += 1
            continue
        connections.append(({"user": username(row.user_id), "contact": username(row.contact_id),
                             "created_at": stamp(row.created_at)}, 0))
    invitations = []
    for row in db.session.scalars(sa.select(Invitation).where(
            _involving(context, Invitation.sender_id, Invitation.recipient_id))):
        if not context.all_members(row.sender_id, row.recipient_id):
            context.omitted["invitations"] += 1
            continue
        invitations.append(({
            "sender": username(row.sender_id), "recipient": username(row.recipient_id),
            "message": row.message, "status": row.status.value,
            "created_at": stamp(row.created_at), "answered_at": stamp(row.answered_at),
            "answered_by": person(row.answered_by_id),
        }, row.id))
    follows = []
    for row in db.session.scalars(sa.select(FollowedPerson).where(
            _involving(context, FollowedPerson.follower_id, FollowedPerson.followed_id))):
        if not context.all_members(row.follower_id, row.followed_id):
            context.omitted["follows"] += 1
            continue
        follows.append(({"follower": username(row.follower_id),
                         "followed": username(row.followed_id),
                         "created_at": stamp(row.created_at)}, 0))
    # Companies are the school's, not the class's: following one is not exported.
    context.omitted["follows"] += db.session.scalar(
        sa.select(sa.func.count()).select_from(FollowedCompany).where(
            FollowedCompany.follower_id.in_(context.member_ids))) or 0
    hashtags = [({"follower": username(row.follower_id), "tag": row.tag,
                  "created_at": stamp(row.created_at)}, 0)
                for row in db.session.scalars(sa.select(FollowedHashtag).where(
                    FollowedHashtag.follower_id.in_(context.member_ids)))]
    return {
        "connections": in_order(connections, "user", "contact"),
        "invitations": _records(context.keyed(invitations, "Invitation", "invitation",
                                              "created_at", "sender", "recipient")),
        "follows": in_order(follows, "follower", "followed"),
        "hashtag_follows": in_order(hashtags, "follower", "tag"),
        "contact_lists": contact_lists,
        "recommendations": _recommendations(context),
        "introductions": _introductions(context),
        "outcomes": _outcomes(context),
    }


def _recommendations(context: ExportContext) -> list[dict[str, Any]]:
    rows = []
    for row in db.session.scalars(sa.select(Recommendation).where(
            _involving(context, Recommendation.author_id, Recommendation.recipient_id))):
        if not context.all_members(row.author_id, row.recipient_id):
            context.omitted["recommendations"] += 1
            continue
        rows.append(({
            "author": context.username(row.author_id),
            "recipient": context.username(row.recipient_id),
            "text": row.text, "status": row.status.value,
            "created_at": stamp(row.created_at), "answered_at": stamp(row.answered_at),
        }, row.id))
    return _records(context.keyed(rows, "Recommendation", "recommendation", "created_at",
                                  "author", "recipient"))


def _introductions(context: ExportContext) -> list[dict[str, Any]]:
    rows = []
    for row in db.session.scalars(sa.select(Introduction).where(_involving(
            context, Introduction.introducer_id, Introduction.student_id,
            Introduction.introduced_id))):
        if not context.all_members(row.introducer_id, row.student_id, row.introduced_id):
            context.omitted["introductions"] += 1
            continue
        rows.append(({
            "introducer": context.username(row.introducer_id),
            "student": context.username(row.student_id),
            "introduced": context.username(row.introduced_id),
            "note": row.note, "created_at": stamp(row.created_at),
        }, row.id))
    return _records(context.keyed(rows, "Introduction", "introduction", "created_at",
                                  "student", "introducer"))


def _outcomes(context: ExportContext) -> list[dict[str, Any]]:
    rows = [({
        "student": context.username(row.student_id),
        "contact": context.person(row.contact_id),
        "kind": row.kind.value, "note": row.note,
        "occurred_on": stamp(row.occurred_on), "created_at": stamp(row.created_at),
    }, row.id) for row in db.session.scalars(sa.select(NetworkOutcome).where(
        NetworkOutcome.student_id.in_(context.member_ids)))]
    return _records(context.keyed(rows, "NetworkOutcome", "outcome", "created_at", "student"))


def conversations_part(context: ExportContext) -> list[dict[str, Any]]:
    """Conversations between two members, with their messages; others are counted."""
    conversations = []
    for row in db.session.scalars(sa.select(Conversation).where(
            _involving(context, Conversation.first_user_id, Conversation.second_user_id))):
        if context.all_members(row.first_user_id, row.second_user_id):
            conversations.append(row)
        else:
            context.omitted["conversations"] += 1
    messages: dict[int, list[Row]] = defaultdict(list)
    for message in db.session.scalars(sa.select(Message).where(
            Message.conversation_id.in_([row.id for row in conversations]))):
        messages[message.conversation_id].append(({
            "sender": context.username(message.sender_id),
            "recipient": context.username(message.recipient_id),
            "body": message.body,
            "created_at": stamp(message.created_at),
            "read_at": stamp(message.read_at),
            "hidden_at": stamp(message.hidden_at),
        }, message.id))
    rows = [({
        "people": sorted([context.username(row.first_user_id),
                          context.username(row.second_user_id)]),
        "created_at": stamp(row.created_at),
        "last_message_at": stamp(row.last_message_at),
    }, row.id) for row in conversations]
    ordered = context.keyed(rows, "Conversation", "conversation", "people")
    for record, conversation_id in ordered:
        record["messages"] = _records(context.keyed(
            messages[conversation_id], "Message", "message", "created_at", "sender"))
    return _records(ordered)
