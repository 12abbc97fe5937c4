"""What people see when the database or Redis is gone for a moment, and that it passes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.multiprocess import servers


def _unreachable_database() -> str:
    return f"postgresql+psycopg://tremplin@127.0.0.1:{servers.free_port()}/tremplin"


def test_an_unreachable_database_gives_a_readable_page_that_retries(make_app, school):
    student_id = school["student"].get_id()
    app = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database())
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = student_id
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    page = response.get_data(as_text=True)
    assert "Tremplin est indisponible un instant" in page
    assert 'http-equiv="refresh"' in page
    assert "Traceback" not in page and "psycopg" not in page

    english = client.get("/", headers={"Accept": "application/json"})
    assert english.status_code == 503
    assert english.get_json()["error"] == "Tremplin est indisponible un instant"


def test_the_outage_page_speaks_the_language_chosen_in_the_session(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database())
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
        session["locale"] = "en"
    page = client.get("/").get_data(as_text=True)
    assert "Tremplin is unavailable for a moment" in page
    assert '<html lang="en">' in page


def test_a_query_that_fails_midway_is_the_same_readable_page(app, client_as, school,
                                                             monkeypatch):
    from sandbox.home import views

    import psycopg

    def lost(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise sa.exc.OperationalError("SELECT 1", {},
                                      psycopg.OperationalError("server closed the connection"))

    monkeypatch.setattr(views, "home_feed", lost)
    response = client_as(school["student"]).get("/")
    assert response.status_code == 503
    # The next request, with the database back, is served as usual.
    monkeypatch.undo()
    assert client_as(school["student"]).get("/").status_code == 200


def test_a_database_error_that_is_a_bug_is_not_called_an_outage(app, client_as, school,
                                                                 monkeypatch):
    import sqlite3

    from sandbox.home import views

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise sa.exc.OperationalError("SELECT nope FROM nowhere", {},
                                      sqlite3.OperationalError("no such table: nowhere"))

    monkeypatch.setattr(views, "home_feed", broken)
    response = client_as(school["student"]).get("/")
    assert response.status_code == 500
    assert "indisponible un instant" not in response.get_data(as_text=True)


def test_a_form_sent_during_an_outage_is_not_sent_again_by_the_page(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database())
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
    response = client.post("/follows/people/2")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page  # a reload would GET a POST-only address


@pytest.fixture
def limiter_restored():  # type: ignore[no-untyped-def]
    """The one Flask-Limiter object remembers that its storage died: forget it afterwards."""
    from sandbox.extensions import limiter

    yield
    limiter._storage_dead = False


def test_rate_limits_count_in_memory_while_redis_is_down(make_app, school, limiter_restored):
    app = make_app(RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{servers.free_port()}/0",
                   LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        answers = [client.post("/login", data={"username": school["student"].username,
                                               "password": "wrong-password"}).status_code
                   for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # counted, and limited, without Redis


def test_a_connection_lost_after_the_answer_is_dropped_quietly(app, client_as, school,
                                                               monkeypatch):
    """The database restarts just as a request ends: rolling its connection back fails too.
    The answer stands, and the next request gets a fresh connection."""
    from sqlalchemy.orm import Session

    client = client_as(school["student"])
    real_close = Session.close
    failures = []

    def close_once(self):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(True)
            raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection"))
        return real_close(self)

    monkeypatch.setattr(Session, "close", close_once)
    assert client.get("/").status_code == 200
    assert failures == [True]
    assert client.get("/").status_code == 200
