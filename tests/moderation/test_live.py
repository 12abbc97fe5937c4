"""Live removal: after the teacher's commit, every open page hears which card to drop, and
nothing else (no text, no author, no reason)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.extensions import db
from sandbox.moderation.actions import decide
from sandbox.moderation.reports import report_content


def removals(socket: Any) -> list[Any]:
    return [message["args"] for message in socket.get_received()
            if message["name"] == "content_removed"]


def test_hiding_a_comment_tells_every_open_page_without_its_content(people, content,
                                                                      socket_as):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(hugo, "Mon stage commence lundi")
    comment = content.comment(lea, post, "Quel stage ridicule")
    report = report_content(hugo, "comment", comment.id, "insult")
    sockets = {role: socket_as(people[role]) for role in
               ("student", "classmate", "other_student", "teacher")}
    for socket in sockets.values():
        socket.get_received()
    decide(people["teacher"], report.case_id, "hide", "Moquerie")
    expected = [[{"kind": "comment", "id": comment.id}]]
    assert {role: removals(socket) for role, socket in sockets.items()} == dict.fromkeys(
        sockets, expected)


def test_hiding_and_deleting_posts_and_messages_are_announced(people, content, socket_as):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, "Texte")
    message = content.message(lea, hugo, "Message")
    post_case = report_content(hugo, "post", post.id, "spam").case_id
    message_case = report_content(hugo, "message", message.id, "spam").case_id
    reader = socket_as(hugo)
    reader.get_received()
    decide(people["teacher"], post_case, "delete")
    decide(people["teacher"], message_case, "hide")
    assert removals(reader) == [[{"kind": "post", "id": post.id}],
                                [{"kind": "message", "id": message.id}]]


def test_nothing_is_announced_before_the_commit_nor_for_a_restore(people, content, socket_as,
                                                                  monkeypatch):
    lea, hugo = people["student"], people["classmate"]
    post = content.post(lea, "Texte")
    case_id = report_content(hugo, "post", post.id, "spam").case_id
    reader = socket_as(hugo)
    reader.get_received()

    def refuse() -> None:
        raise RuntimeError("no commit")

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(RuntimeError):
        decide(people["teacher"], case_id, "hide")
    monkeypatch.undo()
    db.session.rollback()
    assert removals(reader) == []

    decide(people["teacher"], case_id, "hide")
    assert len(removals(reader)) == 1
    decide(people["teacher"], case_id, "restore")
    assert removals(reader) == []


def test_the_live_script_is_offered_to_logged_in_pages(app):
    """The partial the lead includes in base.html: the texts come translated, no inline JS."""
    from flask import current_app, render_template

    with current_app.test_request_context():
        html = render_template("moderation/_live.html")
    assert "js/moderation.js" in html and 'data-post-removed="' in html
    assert 'aria-live="polite"' in html and "<script>" not in html
