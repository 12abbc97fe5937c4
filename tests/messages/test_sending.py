"""Sending: validated before anything is written, one conversation per pair, told live."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.messages import services
from sandbox.messages.models import MESSAGE_MAX_LENGTH, Conversation, Message
from sandbox.messages.queries import conversation_between, insert_conversation_if_missing
from sandbox.notifications.models import Notification


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _nothing_written() -> bool:
    return (_count(Message), _count(Conversation), _count(Notification)) == (0, 0, 0) and not \
        db.session.scalar(sa.select(ActivityEvent).where(ActivityEvent.kind == "message_sent"))


def test_sending_writes_the_message_the_event_and_the_notification(school, lea):
    hugo = school["classmate"]
    message = services.send_message(lea, hugo.id, "  Salut Hugo,\r\non révise l'oral ?  ")

    assert message.body == "Salut Hugo,\non révise l'oral ?"
    assert (message.sender_id, message.recipient_id, message.read_at) == (lea.id, hugo.id, None)
    conversation = db.session.get(Conversation, message.conversation_id)
    assert {conversation.first_user_id, conversation.second_user_id} == {lea.id, hugo.id}
    assert conversation.first_user_id < conversation.second_user_id
    assert conversation.last_message_at == message.created_at
    [event] = db.session.scalars(
        sa.select(ActivityEvent).where(ActivityEvent.kind == "message_sent"))
    assert (event.user_id, event.subject_type, event.subject_id) == (lea.id, "Message", message.id)
    assert event.data == {"recipient_id": hugo.id, "conversation_id": conversation.id}
    [notification] = db.session.scalars(sa.select(Notification))
    assert (notification.user_id, notification.kind, notification.actor_id) == (
        hugo.id, "message_received", lea.id)
    assert (notification.subject_type, notification.subject_id) == ("Message", message.id)
    assert notification.data == {"conversation_id": conversation.id}


@pytest.mark.parametrize(("body", "expected"), [
    ("", "Write your message first."),
    ("   \n\t ", "Write your message first."),
    ("x" * (MESSAGE_MAX_LENGTH + 1), f"{MESSAGE_MAX_LENGTH} characters at most."),
    ("Bonjour\x00", "This text contains invisible characters: retype it."),
])
def test_a_bad_message_writes_nothing(school, lea, body, expected):
    with pytest.raises(ServiceError) as raised:
        services.send_message(lea, school["classmate"].id, body)
    with force_locale("en"):
        assert str(raised.value.message) == expected
    assert raised.value.field == "body"
    db.session.rollback()
    assert _nothing_written()


def test_the_longest_message_allowed_is_sent(school, lea):
    # Not a word: the charter coach says so, and Léa sends it anyway.
    message = services.send_message(lea, school["classmate"].id, "é" * MESSAGE_MAX_LENGTH,
                                    charter_ack=True)
    assert len(message.body) == MESSAGE_MAX_LENGTH


def test_writing_to_someone_not_allowed_writes_nothing(school, lea):
    with pytest.raises(PermissionDenied):
        services.send_message(school["classmate"], school["persona"].id, "Bonjour Madame")
    with pytest.raises(NotFound):  # outside her network: does not exist for her
        services.send_message(lea, school["other_student"].id, "Salut")
    with pytest.raises(NotFound):
        services.send_message(lea, lea.id, "Note à moi-même")
    with pytest.raises(NotFound):
        services.send_message(lea, 99999999, "Allô ?")
    db.session.rollback()
    assert _nothing_written()


def test_one_conversation_per_pair_whoever_writes_first(school, lea):
    hugo = school["classmate"]
    first = services.send_message(hugo, lea.id, "Salut Léa")
    second = services.send_message(lea, hugo.id, "Salut Hugo")
    third = services.send_message(hugo, lea.id, "Ça va ?")

    assert first.conversation_id == second.conversation_id == third.conversation_id
    assert _count(Conversation) == 1
    conversation = db.session.get(Conversation, first.conversation_id)
    assert conversation.last_message_at == third.created_at


def test_two_first_messages_at_once_share_the_conversation(school, lea):
    """The second request finds the pair taken by the first: its insert does nothing."""
    hugo = school["classmate"]
    insert_conversation_if_missing(lea.id, hugo.id)
    insert_conversation_if_missing(hugo.id, lea.id)  # the other one, a moment later
    db.session.commit()
    assert _count(Conversation) == 1
    message = services.send_message(hugo, lea.id, "On a écrit en même temps !")
    assert message.conversation_id == conversation_between(lea.id, hugo.id).id


def test_a_persona_s_messages_wait_for_whoever_plays_it(school, lea):
    message = services.send_message(lea, school["persona"].id, "Bonjour, je cherche un stage.")
    assert message.recipient_id == school["persona"].id
    assert message.read_at is None
