"""The messages pages: inbox, thread, sending with and without JavaScript, live fetches."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_login import login_user

from sandbox.activity.models import ActivityEvent
from sandbox.extensions import db
from sandbox.messages import services
from sandbox.messages.models import Message
from sandbox.messages.views import unread_messages

NOTE = "Your teacher can read the messages in this sandbox."


@pytest.fixture
def english(school, lea):  # type: ignore[no-untyped-def]
    """Everybody reads English here, so the texts checked do not depend on the catalogue."""
    for role in ("student", "classmate", "teacher", "other_teacher", "admin"):
        school[role].locale = "en"
    db.session.commit()
    return school


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def _bodies() -> list[str]:
    return list(db.session.scalars(sa.select(Message.body).order_by(Message.id)))


def test_the_inbox_lists_the_threads_and_tells_the_teacher_can_read(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    services.send_message(hugo, lea.id, "Tu viens au forum des métiers ?")
    page = _page(client_as(lea).get("/messages/"))
    assert NOTE in page
    assert f'href="/messages/{hugo.id}"' in page
    assert "Tu viens au forum des métiers ?" in page
    assert "1 unread" in page
    empty = _page(client_as(english["classmate"]).get("/messages/"))
    assert NOTE in empty


def test_a_thread_shows_the_messages_the_note_and_a_form_with_a_counter(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    services.send_message(hugo, lea.id, "Salut Léa,\non révise ?")
    page = _page(client_as(lea).get(f"/messages/{hugo.id}"))
    assert NOTE in page
    assert "Salut Léa,\non révise ?" in page
    assert 'id="body"' in page and 'maxlength="2000"' in page
    assert 'id="body-counter"' in page and "of 2000 characters" in page
    assert "js/messages.js" in page and 'role="log"' in page
    assert services.unread_count(lea) == 0  # opened: read


def test_user_text_is_escaped(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    services.send_message(hugo, lea.id, "<script>alert(1)</script>")
    raw = client_as(lea).get(f"/messages/{hugo.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_sending_without_javascript_redirects_back_to_the_thread(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    response = client_as(lea).post(f"/messages/{hugo.id}", data={"body": "On se voit demain ?"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/messages/{hugo.id}#message-form"
    assert _bodies() == ["On se voit demain ?"]


def test_a_bad_message_comes_back_with_its_text_and_the_reason(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    too_long = "a" * 2001
    response = client_as(lea).post(f"/messages/{hugo.id}", data={"body": too_long})
    assert response.status_code == 200
    page = _page(response)
    assert "2000 characters at most." in page and too_long in page
    assert 'aria-invalid="true"' in page
    assert _bodies() == []


def test_sending_with_javascript_answers_json(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    client = client_as(lea)
    json = {"Accept": "application/json"}
    response = client.post(f"/messages/{hugo.id}", data={"body": "Coucou"}, headers=json)
    [message] = db.session.scalars(sa.select(Message))
    assert response.get_json() == {"message_id": message.id,
                                   "conversation_id": message.conversation_id}
    response = client.post(f"/messages/{hugo.id}", data={"body": " "}, headers=json)
    assert response.status_code == 400
    assert response.get_json() == {"error": "Write your message first."}


def test_writing_to_someone_one_may_not_is_refused(english, client_as):
    hugo, claire = english["classmate"], english["persona"]
    response = client_as(hugo).post(f"/messages/{claire.id}", data={"body": "Bonjour"})
    assert response.status_code == 403
    page = _page(client_as(hugo).get(f"/messages/{claire.id}"))  # visible, but not a contact
    assert 'id="body"' not in page
    assert "You can write to your connections and your teachers only" in page
    refused = _page(client_as(english["admin"]).post(f"/messages/{hugo.id}", data={"body": "Hé"}))
    assert "your students and the other teachers of your classes only" in refused
    assert _bodies() == []


def test_the_live_endpoint_gives_the_new_messages_and_marks_them_read(english, client_as):
    lea, hugo = english["student"], english["classmate"]
    first = services.send_message(hugo, lea.id, "Un")
    second = services.send_message(hugo, lea.id, "Deux")
    data = client_as(lea).get(f"/messages/{hugo.id}/since/{first.id}").get_json()
    assert f'data-message-id="{second.id}"' in data["html"]
    assert "Deux" in data["html"] and "Un" not in data["html"]
    assert data["last_id"] == second.id
    assert data["conversation_id"] == second.conversation_id
    assert data["unread_notifications"] == 1  # "Un" was not shown here
    assert services.unread_count(lea) == 1
    nothing = client_as(lea).get(f"/messages/{hugo.id}/since/{second.id}").get_json()
    assert (nothing["html"], nothing["last_id"]) == ("", second.id)
    assert client_as(english["other_student"]).get(
        f"/messages/{hugo.id}/since/0").status_code == 404


def test_the_menu_count_of_unread_messages(app, english):
    lea, hugo = english["student"], english["classmate"]
    services.send_message(hugo, lea.id, "Un")
    services.send_message(hugo, lea.id, "Deux")
    with app.test_request_context():
        login_user(lea)
        assert unread_messages() == {"unread_messages": 2}
    lea.must_change_password = True
    with app.test_request_context():
        login_user(lea)
        assert unread_messages() == {"unread_messages": 0}


BUTTON = '{% include "messages/_message_button.html" %}'


@pytest.mark.parametrize(("viewer", "person", "write", "review"), [
    ("student", "classmate", True, False),
    ("classmate", "persona", False, False),
    ("teacher", "student", True, True),
    ("admin", "student", False, True),
    ("other_teacher", "other_student", True, True),
    ("student", "teacher", True, False),
    ("teacher", "persona", False, False),
])
def test_the_profile_buttons(app, english, viewer, person, write, review):
    with app.test_request_context():
        login_user(english[viewer])
        html = render_template_string(BUTTON, person=english[person])
    target = english[person].id
    assert (f'href="/messages/{target}"' in html) is write
    assert (f'href="/messages/students/{target}"' in html) is review


def test_the_teacher_reads_a_student_s_thread_without_a_form(english, client_as):
    lea, hugo, teacher = english["student"], english["classmate"], english["teacher"]
    services.send_message(hugo, lea.id, "Tu as fini le CV ?")
    listing = _page(client_as(teacher).get(f"/messages/students/{lea.id}"))
    assert f'href="/messages/students/{lea.id}/{hugo.id}"' in listing
    assert "Tu as fini le CV ?" in listing
    page = _page(client_as(teacher).get(f"/messages/students/{lea.id}/{hugo.id}"))
    assert "Tu as fini le CV ?" in page
    assert "<form" not in page.split('<main', 1)[1].split("</main>")[0]
    assert services.unread_count(lea) == 1
    kinds = set(db.session.scalars(sa.select(ActivityEvent.kind)))
    assert {"student_messages_reviewed", "student_thread_reviewed"} <= kinds


def test_sending_is_rate_limited_per_person(make_app, english, tmp_path):
    from tests.conftest import login_client

    limited = make_app(RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="2 per minute",
                       INSTANCE_PATH=tmp_path / "limited")
    lea_id, hugo_id = english["student"].id, english["classmate"].id
    with limited.app_context():
        from sandbox.accounts.models import User

        client = login_client(limited, db.session.get(User, lea_id))
        statuses = [client.post(f"/messages/{hugo_id}", data={"body": f"Spam {n}"}).status_code
                    for n in range(3)]
    assert statuses == [302, 302, 429]
