"""Live delivery: ids only, to the two participants' rooms, once the message is committed."""

from __future__ import annotations

import pytest

from sandbox.core.errors import ServiceError
from sandbox.extensions import db
from sandbox.messages import services


def _events(socket) -> list[tuple[str, list]]:  # type: ignore[no-untyped-def]
    """(event, arguments) received, in order."""
    return [(message["name"], message["args"]) for message in socket.get_received()]


def test_both_participants_hear_of_it_after_commit_without_its_text(
    school, lea, socket_as, monkeypatch
):
    hugo = school["classmate"]
    hugo_socket, lea_socket = socket_as(hugo), socket_as(lea)
    bystanders = [socket_as(school[role]) for role in ("teacher", "other_student", "admin")]

    monkeypatch.setattr(db.session, "commit", lambda: None)  # hold the transaction open
    message = services.send_message(lea, hugo.id, "Rendez-vous à 14 h devant le CDI")
    assert _events(hugo_socket) == [] and _events(lea_socket) == []  # not committed yet
    monkeypatch.undo()
    db.session.commit()

    payload = {"conversation_id": message.conversation_id, "message_id": message.id}
    assert _events(hugo_socket) == [
        ("notification", [{"kind": "message_received"}]), ("direct_message", [payload]),
    ]
    assert _events(lea_socket) == [("direct_message", [payload])]  # her other tabs
    for socket in bystanders:  # the class's staff hear only that the class was active
        assert [name for name, _ in _events(socket) if name != "class_activity"] == []


def test_a_refused_message_announces_nothing(school, lea, socket_as):
    hugo = school["classmate"]
    hugo_socket = socket_as(hugo)
    with pytest.raises(ServiceError):
        services.send_message(lea, hugo.id, "")
    db.session.rollback()
    db.session.commit()
    assert _events(hugo_socket) == []
