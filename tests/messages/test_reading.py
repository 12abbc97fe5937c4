"""Reading: the inbox, a thread, unread counts; only the recipient marks a message read."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound
from sandbox.extensions import db
from sandbox.messages import services
from sandbox.messages.models import Message
from sandbox.network.services import connect
from sandbox.notifications.models import Notification
from sandbox.notifications.services import unread_count as unread_notifications


def _read_flags() -> dict[str, bool]:
    return {m.body: m.read_at is not None for m in db.session.scalars(sa.select(Message))}


def test_unread_counts_and_reading_by_the_recipient_only(school, lea):
    hugo = school["classmate"]
    services.send_message(hugo, lea.id, "Un")
    services.send_message(hugo, lea.id, "Deux")
    services.send_message(lea, hugo.id, "Trois")
    assert (services.unread_count(lea), services.unread_count(hugo)) == (2, 1)
    assert unread_notifications(lea) == 2

    # Hugo opens the thread: only what is addressed to him is read.
    page = services.thread(hugo, lea.id)
    assert [m.body for m in page.messages] == ["Un", "Deux", "Trois"]  # oldest first
    assert _read_flags() == {"Un": False, "Deux": False, "Trois": True}
    assert (services.unread_count(lea), services.unread_count(hugo)) == (2, 0)

    services.thread(lea, hugo.id)
    assert _read_flags() == {"Un": True, "Deux": True, "Trois": True}
    assert services.unread_count(lea) == 0
    assert unread_notifications(lea) == 0  # the bell's "new message" went with them


def test_reading_marks_only_what_was_shown(school, lea):
    hugo = school["classmate"]
    first = services.send_message(hugo, lea.id, "Un")
    services.send_message(hugo, lea.id, "Deux")
    page = services.thread(lea, hugo.id, after_id=first.id)  # a live update: only "Deux"
    assert [m.body for m in page.messages] == ["Deux"]
    assert _read_flags() == {"Un": False, "Deux": True}
    other_notifications = db.session.scalars(
        sa.select(Notification).where(Notification.read_at.is_(None))).all()
    assert [n.subject_id for n in other_notifications] == [first.id]


def test_the_inbox_lists_threads_newest_first_with_their_last_message(school, lea):
    hugo, claire, teacher = school["classmate"], school["persona"], school["teacher"]
    services.send_message(lea, claire.id, "Bonjour Madame")
    services.send_message(hugo, lea.id, "Salut")
    services.send_message(teacher, lea.id, "Pensez au dossier.")
    services.send_message(lea, hugo.id, "Coucou")

    threads = services.threads_of(lea)
    assert [t.other.id for t in threads] == [hugo.id, teacher.id, claire.id]
    assert [t.last_message.body for t in threads] == ["Coucou", "Pensez au dossier.",
                                                      "Bonjour Madame"]
    assert [t.unread for t in threads] == [1, 1, 0]
    assert [t.other.id for t in services.threads_of(hugo)] == [lea.id]
    assert services.threads_of(school["other_student"]) == []


def test_a_thread_with_someone_out_of_sight_does_not_exist(school, lea):
    with pytest.raises(NotFound):
        services.thread(lea, school["other_student"].id)
    with pytest.raises(NotFound):
        services.thread(school["other_teacher"], lea.id)
    with pytest.raises(NotFound):
        services.thread(lea, lea.id)


def test_a_disabled_correspondent_leaves_the_inbox_and_the_counts(school, lea):
    hugo = school["classmate"]
    services.send_message(hugo, lea.id, "Salut")
    hugo.is_disabled = True
    db.session.commit()
    assert services.threads_of(lea) == []
    assert services.unread_count(lea) == 0
    with pytest.raises(NotFound):
        services.thread(lea, hugo.id)


def test_a_thread_stays_readable_when_one_may_no_longer_write(school, lea):
    from sandbox.network.models import Connection

    hugo = school["classmate"]
    services.send_message(hugo, lea.id, "Salut")
    db.session.execute(sa.delete(Connection))
    db.session.commit()
    page = services.thread(lea, hugo.id)
    assert [m.body for m in page.messages] == ["Salut"]
    assert not page.can_write


def test_earlier_messages_come_a_page_at_a_time(school, lea, monkeypatch):
    from sandbox.messages import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    hugo = school["classmate"]
    sent = [services.send_message(hugo, lea.id, f"Message {n}") for n in range(5)]
    page = services.thread(lea, hugo.id)
    assert [m.id for m in page.messages] == [m.id for m in sent[2:]]
    assert page.has_older
    earlier = services.thread(lea, hugo.id, before_id=page.messages[0].id)
    assert [m.id for m in earlier.messages] == [m.id for m in sent[:2]]
    assert not earlier.has_older


def _fill(sender, recipient, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        services.send_message(sender, recipient.id, f"Message {n}")


def _fresh(user_id: int):  # type: ignore[no-untyped-def]
    """The user as a new request loads it: nothing of the previous requests in the session."""
    from sandbox.accounts.models import User

    db.session.expunge_all()
    return db.session.get(User, user_id)


def test_a_thread_runs_a_fixed_number_of_queries(school, lea, count_queries):
    lea_id, hugo_id = lea.id, school["classmate"].id
    _fill(school["classmate"], lea, 1)
    viewer = _fresh(lea_id)
    with count_queries() as one:
        assert len(services.thread(viewer, hugo_id).messages) == 1
    _fill(db.session.get(type(viewer), hugo_id), viewer, 30)
    viewer = _fresh(lea_id)
    with count_queries() as many:
        page = services.thread(viewer, hugo_id)
        # what the page then reads of them: names, dates, bodies
        assert [(m.body, m.sender_id, m.created_at is not None) for m in page.messages]
        page.other.name_for(viewer)
    assert len(page.messages) == 31
    assert many.count == one.count


def test_the_inbox_runs_a_fixed_number_of_queries(school, lea, factories, count_queries):
    class_id, lea_id = school["class"].id, lea.id
    services.send_message(school["classmate"], lea.id, "Salut")
    viewer = _fresh(lea_id)
    with count_queries() as one:
        assert len(services.threads_of(viewer)) == 1
    for n in range(12):
        friend = factories.make_student(db.session.get(SchoolClass, class_id),
                                        username=f"ami.{n}")
        connect(friend, viewer)
        db.session.commit()
        services.send_message(friend, lea_id, f"Bonjour {n}")
    viewer = _fresh(lea_id)
    with count_queries() as many:
        threads = services.threads_of(viewer)
        for entry in threads:  # what the page reads of each line
            entry.other.name_for(viewer), entry.other.initials, entry.last_message.body
    assert len(threads) == 13
    assert many.count == one.count


def test_the_unread_count_is_one_query(school, lea, count_queries):
    services.send_message(school["classmate"], lea.id, "Salut")
    lea.school_class  # loaded with the user on every page (the name in the header)
    with count_queries() as counter:
        assert services.unread_count(lea) == 1
    assert counter.count == 1
