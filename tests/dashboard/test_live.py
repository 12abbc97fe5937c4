"""The dashboard live: a class's teachers (and the admins) hear, after the commit, that something
happened in the class, never what; nobody else hears it; one signal per transaction."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.activity.services import record_event
from sandbox.charter.engine import Category, Finding
from sandbox.charter.findings import record_refused
from sandbox.charter.models import FindingOutcome, Severity
from sandbox.dashboard.live import class_staff_room
from sandbox.extensions import db, socketio
from sandbox.moderation.models import ContentKind
from sandbox.network.services import connect
from sandbox.posts import reactions
from sandbox.posts.services import create_post

STAFF_EVENTS = ("class_activity", "class_post")
ROLES = ("student", "classmate", "other_student", "teacher", "other_teacher", "admin")


def staff_events(socket: Any) -> list[tuple[str, Any]]:
    return [(message["name"], message["args"]) for message in socket.get_received()
            if message["name"] in STAFF_EVENTS]


@pytest.fixture
def sockets(school: dict[str, Any], socket_as: Any) -> dict[str, Any]:
    """A socket for each person, with whatever came with the connection already read."""
    opened = {role: socket_as(school[role]) for role in ROLES}
    for socket in opened.values():
        socket.get_received()
    return opened


def test_a_students_post_tells_their_teachers_and_the_admins_only(school, sockets):
    create_post(school["student"], body="Mon premier jour de stage", audience="connections")
    signal = [{"class_id": school["class"].id}]
    expected = [("class_activity", signal), ("class_post", signal)]
    received = {role: staff_events(socket) for role, socket in sockets.items()}
    assert received == {"student": [], "classmate": [], "other_student": [],
                        "teacher": expected, "other_teacher": [], "admin": expected}


def test_a_comment_enters_the_class_feed_and_a_like_only_the_overview(school, sockets):
    lea, hugo = school["student"], school["classmate"]
    connect(lea, hugo)
    db.session.commit()
    post = create_post(hugo, body="Je cherche une alternance", audience="connections")
    sockets["teacher"].get_received()
    reactions.add_comment(lea, post.id, "Regarde les offres de la semaine !")
    assert [name for name, _ in staff_events(sockets["teacher"])] == [
        "class_activity", "class_post"]
    reactions.like_post(lea, post.id)
    assert staff_events(sockets["teacher"]) == [
        ("class_activity", [{"class_id": school["class"].id}])]


def test_several_events_in_one_commit_make_one_signal_each(school, sockets):
    lea, hugo = school["student"], school["classmate"]
    for person, kind in ((lea, "post_created"), (hugo, "commented"), (lea, "liked_post"),
                         (hugo, "followed_hashtag")):
        record_event(person, kind)
    record_event(school["other_student"], "logged_in")
    db.session.commit()
    mine = [{"class_id": school["class"].id}]
    assert staff_events(sockets["teacher"]) == [("class_activity", mine), ("class_post", mine)]
    assert staff_events(sockets["other_teacher"]) == [
        ("class_activity", [{"class_id": school["other_class"].id}])]
    # The next transaction signals again.
    record_event(lea, "logged_in")
    db.session.commit()
    assert staff_events(sockets["teacher"]) == [("class_activity", mine)]


def test_nothing_leaves_before_the_commit_nor_after_a_rollback(school, sockets):
    record_event(school["student"], "post_created")
    db.session.flush()
    assert staff_events(sockets["teacher"]) == []
    db.session.rollback()
    assert staff_events(sockets["teacher"]) == []
    # A rolled-back transaction does not stop the next one from signalling.
    record_event(school["student"], "post_created")
    db.session.commit()
    assert len(staff_events(sockets["teacher"])) == 2


def test_staff_and_persona_actions_are_not_class_activity(school, sockets):
    record_event(school["teacher"], "moderation_hide")
    record_event(school["admin"], "staff_account_created")
    record_event(school["persona"], "post_created")
    db.session.commit()
    assert staff_events(sockets["teacher"]) == [] and staff_events(sockets["admin"]) == []


def test_a_charter_finding_moves_the_overview_even_without_an_event(school, sockets):
    text = "Appelle-moi au 06 12 34 56 78"
    start = text.index("06")
    finding = Finding(category=Category.PHONE, rule="personal_information", start=start,
                      end=len(text), excerpt=text[start:], message="Pas de numéro.", fix=None,
                      severity=Severity.BLOCK)
    # The gate refused the text: only the finding is written (and committed) for it.
    record_refused(school["student"], ContentKind.POST, "", {"body": text},
                   [("body", finding)], FindingOutcome.BLOCKED)
    assert staff_events(sockets["teacher"]) == [
        ("class_activity", [{"class_id": school["class"].id}])]
    assert staff_events(sockets["student"]) == []


def test_only_staff_join_the_staff_rooms(school, sockets):
    """Teachers hear the classes they teach, admins every class, students none."""
    for klass in (school["class"], school["other_class"]):
        socketio.emit("class_activity", {"class_id": klass.id}, to=class_staff_room(klass.id))
    heard = {role: [args[0]["class_id"] for _, args in staff_events(socket)]
             for role, socket in sockets.items()}
    mine, other = school["class"].id, school["other_class"].id
    assert heard == {"student": [], "classmate": [], "other_student": [], "teacher": [mine],
                     "other_teacher": [other], "admin": [mine, other]}


def test_the_live_script_needs_only_the_page(school, client_as):
    """The feed page carries what dashboard_live.js reads; the script is served."""
    html = client_as(school["teacher"]).get(
        f"/classes/{school['class'].id}/dashboard/feed").get_data(as_text=True)
    assert "data-class-feed-new" in html and "data-after=" in html
    script = client_as(None).get("/static/js/dashboard_live.js")
    body = script.get_data(as_text=True)
    script.close()
    assert script.status_code == 200
    assert 'on("class_activity"' in body and 'on("class_post"' in body
    assert 'fragment", "rows"' in body and "overview-rows" in body
