"""Socket.IO: only logged-in sessions connect, and each user hears only their own rooms."""

from __future__ import annotations

import pytest

from sandbox.extensions import socketio
from sandbox.realtime import class_room, user_room


@pytest.fixture
def socket_as(app, client_as):  # type: ignore[no-untyped-def]
    """A Socket.IO test client sharing the login cookie of `user` (anonymous when None).

    Each connects in its own application context, as each connection does in production.
    """

    def connect(user):  # type: ignore[no-untyped-def]
        with app.app_context():
            return socketio.test_client(app, flask_test_client=client_as(user))

    return connect


def test_anonymous_socket_is_refused(socket_as):
    socket = socket_as(None)
    assert not socket.is_connected()


def test_logged_in_socket_joins_its_own_rooms(socket_as, school):
    student = school["student"]
    mine = socket_as(student)
    other = socket_as(school["other_student"])
    assert mine.is_connected() and other.is_connected()

    socketio.emit("notification", {"text": "pour toi"}, to=user_room(student.id))
    socketio.emit("class_news", {"text": "pour la classe"}, to=class_room(student.class_id))

    received = {message["name"] for message in mine.get_received()}
    assert received == {"notification", "class_news"}
    assert other.get_received() == []
    mine.disconnect()
    other.disconnect()


def test_a_teacher_socket_connects(socket_as, school):
    socket = socket_as(school["teacher"])
    assert socket.is_connected()
    socket.disconnect()
