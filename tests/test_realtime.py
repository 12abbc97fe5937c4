"""Socket.IO: only logged-in sessions connect, and each user hears only their own rooms."""

from __future__ import annotations

import pytest

from sandbox.extensions import socketio
from sandbox.realtime import class_room, user_room


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


def test_a_notification_is_pushed_only_after_commit(socket_as, school):
    from sandbox.extensions import db
    from sandbox.notifications.services import notify

    hugo = school["classmate"]
    socket = socket_as(hugo)
    socket.get_received()  # whatever came with the connection
    notify(hugo, "new_follower", school["student"])
    assert socket.get_received() == []  # not yet: nothing is committed
    db.session.rollback()
    assert socket.get_received() == []  # rolled back: never announced
    notify(hugo, "new_follower", school["student"])
    db.session.commit()
    received = socket.get_received()
    assert [(m["name"], m["args"]) for m in received] == [("notification", [{"kind": "new_follower"}])]
    other = socket_as(school["student"])
    assert other.get_received() == []
    socket.disconnect()
    other.disconnect()


def test_the_bell_shows_the_unread_count(client_as, school):
    from sandbox.extensions import db
    from sandbox.notifications.services import notify

    hugo = school["classmate"]
    for _ in range(2):
        notify(hugo, "new_follower", school["student"])
    db.session.commit()
    page = client_as(hugo).get("/").get_data(as_text=True)
    assert 'data-bell-count="2"' in page
    client_as(hugo).post("/notifications/read")
    assert 'data-bell-count="0"' in client_as(hugo).get("/").get_data(as_text=True)


def test_active_group_members_join_the_group_room_and_pending_ones_do_not(socket_as, school):
    from sandbox.extensions import db
    from sandbox.groups.models import GroupMembership, JoinPolicy, MembershipStatus
    from sandbox.groups.services import create_group
    from sandbox.realtime import group_room

    group = create_group(school["teacher"], "Stages et alternances", "Pour trouver un stage.",
                         "#stage", JoinPolicy.REQUEST)
    lea, hugo = school["student"], school["classmate"]
    db.session.add_all([
        GroupMembership(group_id=group.id, user_id=lea.id, status=MembershipStatus.ACTIVE),
        GroupMembership(group_id=group.id, user_id=hugo.id, status=MembershipStatus.PENDING),
    ])
    db.session.commit()
    member, pending = socket_as(lea), socket_as(hugo)
    for socket in (member, pending):
        socket.get_received()  # whatever came with the connection

    socketio.emit("group_post", {"group_id": group.id}, to=group_room(group.id))

    assert [m["name"] for m in member.get_received()] == ["group_post"]
    assert pending.get_received() == []
    member.disconnect()
    pending.disconnect()
