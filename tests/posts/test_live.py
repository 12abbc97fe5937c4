"""Live news: after commit, a content-free "feed" event reaches the rooms of the feeds a post
enters; the page then asks /feed/new, which applies the visibility rule."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.extensions import db
from sandbox.network.lists import add_member, create_list
from sandbox.posts.services import create_post


def feed_events(socket: Any) -> list[Any]:
    return [message["args"] for message in socket.get_received() if message["name"] == "feed"]


def test_a_network_post_reaches_connections_followers_and_tag_followers(
        people, network, socket_as):
    lea = people["student"]
    network.follow(people["zoe"], lea)
    network.follow_tag(people["teacher"], "stage")
    network.follow_company(people["other_student"], people["persona"].persona.company)
    sockets = {name: socket_as(people[name]) for name in
               ("student", "classmate", "zoe", "teacher", "other_student")}
    create_post(lea, body="Je cherche un #stage", audience="network")
    received = {name: feed_events(socket) for name, socket in sockets.items()}
    # The payload says nothing: the page asks the server what is new and visible.
    assert received == {"student": [], "classmate": [[{}]], "zoe": [[{}]], "teacher": [[{}]],
                        "other_student": []}


def test_a_personas_post_reaches_the_followers_of_its_company(people, network, socket_as):
    network.follow_company(people["student"], people["persona"].persona.company)
    lea = socket_as(people["student"])
    create_post(people["persona"], body="Nous recrutons", audience="network")
    assert feed_events(lea) == [[{}]]


def test_nothing_is_announced_before_the_commit(people, socket_as, monkeypatch):
    hugo = socket_as(people["classmate"])

    def refuse() -> None:
        raise RuntimeError("no commit")

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(RuntimeError):
        create_post(people["student"], body="Perdu", audience="network")
    monkeypatch.undo()
    db.session.rollback()
    assert feed_events(hugo) == []


def test_a_connections_post_reaches_connections_only(people, network, socket_as):
    network.follow(people["zoe"], people["student"])
    hugo, zoe = socket_as(people["classmate"]), socket_as(people["zoe"])
    create_post(people["student"], body="Entre nous", audience="connections")
    assert feed_events(hugo) == [[{}]] and feed_events(zoe) == []


def test_a_list_post_reaches_the_list_members(people, network, factories, socket_as):
    lea, hugo = people["student"], people["classmate"]
    other = factories.make_student(people["class"])
    network.connect(lea, other)
    pro = create_list(lea, "Pro")
    add_member(lea, pro.id, hugo.id)
    in_list, outside = socket_as(hugo), socket_as(other)
    create_post(lea, body="Pour ma liste", audience="list", contact_list_id=pro.id)
    assert feed_events(in_list) == [[{}]] and feed_events(outside) == []


def test_a_group_post_goes_to_the_groups_room(people, network, socket_as):
    lea, zoe = people["student"], people["zoe"]
    group = network.group("Atelier", lea, zoe)
    member, connection = socket_as(zoe), socket_as(people["classmate"])
    create_post(lea, body="Au groupe", audience="group", group_id=group.id)
    assert feed_events(member) == [[{}]] and feed_events(connection) == []


def test_the_new_posts_endpoint_then_filters(people, network, socket_as, client_as):
    """Zoé follows Léa and hears about her connections-only post, but /feed/new shows nothing."""
    lea, zoe = people["student"], people["zoe"]
    network.follow(zoe, lea)
    network.follow_tag(zoe, "oral")
    socket = socket_as(zoe)
    create_post(lea, body="Réservé #oral", audience="connections")
    feed_events(socket)
    answer = client_as(zoe).get("/feed/new").get_json()
    assert answer["count"] == 0
