"""Socket.IO: a page of another site cannot open a socket with the student's cookie, and what
a client emits changes nothing (the server listens to no event but the connection)."""

from __future__ import annotations

from sandbox.extensions import socketio
from sandbox.realtime import class_staff_room, user_room


def _handshake(client, origin: str):  # type: ignore[no-untyped-def]
    return client.get("/socket.io/?EIO=4&transport=polling",
                      headers={"Origin": origin}, base_url="http://localhost")


def test_a_handshake_from_another_site_is_refused(client_as, school):
    client = client_as(school["student"])
    assert _handshake(client, "http://localhost").status_code == 200
    foreign = _handshake(client, "https://evil.example")
    assert foreign.status_code == 400


def test_events_a_client_sends_join_no_room(socket_as, school):
    student = socket_as(school["student"])
    assert student.is_connected()
    sid = student.eio_sid
    before = set(socketio.server.manager.get_rooms(socketio.server.manager.sid_from_eio_sid(
        sid, "/"), "/"))
    assert user_room(school["student"].id) in before
    staff_room = class_staff_room(school["class"].id)
    for event, payload in (("join", {"room": staff_room}), ("join_room", staff_room),
                           ("enter_room", {"room": staff_room}), ("message", staff_room)):
        student.emit(event, payload)
    after = set(socketio.server.manager.get_rooms(socketio.server.manager.sid_from_eio_sid(
        sid, "/"), "/"))
    assert after == before
    assert staff_room not in after
