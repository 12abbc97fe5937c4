"""Kept pages (sandbox/pagecache.py): served again while nothing they show changed, never after.

Each test keeps a page (a second reading runs only the login and the versions' queries), then
changes something the page shows in the way the app does it, and checks the next reading
shows the change. The whole suite runs with pages kept, so any page test reading after a
write checks the same; these name the paths one by one.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from sandbox import pagecache
from sandbox.classes import services as class_services
from sandbox.classes.models import NetworkScope
from sandbox.groups import views as group_views
from sandbox.groups.models import Group
from sandbox.moderation.models import ContentKind
from sandbox.moderation.services import flag_content
from sandbox.extensions import db
from sandbox.network.services import connect as add_connection
from sandbox.notifications.models import Notification
from sandbox.pagecache import ALL, PageVersion
from sandbox.posts.models import Audience, Post
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.groups.helpers import add_member, make_group

# Loading the reader and reading the versions: what a kept page costs in SQL.
KEPT_PAGE_QUERIES = 2


@pytest.fixture
def reading(count_queries):  # type: ignore[no-untyped-def]
    """`read(client, path)`: the page's text and how many SQL statements it took."""

    def read(client, path):  # type: ignore[no-untyped-def]
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.location)
        return response.get_data(as_text=True), counter.count

    return read


def _post(author, body, audience=Audience.NETWORK, group=None):  # type: ignore[no-untyped-def]
    post = Post(author_id=author.id, body=body, audience=audience,
                group_id=group.id if group is not None else None)
    db.session.add(post)
    db.session.commit()
    return post


def connect(first, second):  # type: ignore[no-untyped-def]
    add_connection(first, second)
    db.session.commit()


def _kept(read, client, path):  # type: ignore[no-untyped-def]
    """Read `path` until kept: the first reading after logging in gives the session its CSRF
    token (a page that changes the session is not kept), the next is kept, the third served
    from it. Returns the kept page's text."""
    read(client, path)
    first, _ = read(client, path)
    again, queries = read(client, path)
    assert queries <= KEPT_PAGE_QUERIES, f"{path} was not kept ({queries} queries)"
    assert _without_tokens(again) == _without_tokens(first)
    return again


def _without_tokens(page: str) -> str:
    return re.sub(r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]*"', r"\1", page)


def test_a_kept_home_page_shows_a_new_post_of_a_connection(client_as, school, reading):
    connect(school["student"], school["classmate"])
    client = client_as(school["student"])
    page = _kept(reading, client, "/")
    assert "Nouvelle du camarade" not in page
    client_as(school["classmate"]).post("/posts/", data={
        "body": "Nouvelle du camarade", "audience": "network"})
    page, _ = reading(client, "/")
    assert "Nouvelle du camarade" in page


def test_a_comment_and_a_like_reach_the_kept_page_of_every_reader(client_as, school,
                                                                  reading, factories):
    connect(school["student"], school["classmate"])
    post = _post(school["classmate"], "Qui connaît un maître de stage ?")
    reader = client_as(school["student"])
    _kept(reading, reader, "/")
    # A third person, connected to the author only, comments: the reader is told through the
    # post's readers, not through anything of their own.
    third = factories.make_student(school["class"])
    connect(third, school["classmate"])
    response = client_as(third).post(f"/posts/{post.id}/comments",
                                     data={"body": "Moi, je peux vous aider."})
    assert response.status_code in (200, 302)
    assert "1 commentaire" in reading(reader, "/")[0]
    before = reading(reader, "/")[0]
    assert client_as(third).post(f"/posts/{post.id}/like").status_code in (200, 302)
    assert reading(reader, "/")[0] != before


def test_a_new_notification_changes_the_kept_page_of_its_reader_only(client_as, school,
                                                                     reading, factories):
    actor = factories.make_student(school["class"])
    reader, other = client_as(school["student"]), client_as(school["classmate"])
    _kept(reading, reader, "/")
    kept_other = _kept(reading, other, "/")
    db.session.add(Notification(user_id=school["student"].id, kind="mention",
                                actor_id=actor.id, data={}))
    db.session.commit()
    _, queries = reading(reader, "/")
    assert queries > KEPT_PAGE_QUERIES  # rendered again
    again, queries = reading(other, "/")
    assert queries <= KEPT_PAGE_QUERIES and _without_tokens(again) == _without_tokens(kept_other)


def test_notifications_marked_read_in_bulk_change_the_kept_page(client_as, school, reading):
    db.session.add(Notification(user_id=school["student"].id, kind="mention",
                                actor_id=school["classmate"].id, data={}))
    db.session.commit()
    client = client_as(school["student"])
    assert 'data-bell-count="1"' in _kept(reading, client, "/")
    # An UPDATE … WHERE, as the app marks notifications read: placed by the rows it touches.
    assert client.post("/notifications/read", follow_redirects=True).status_code == 200
    assert 'data-bell-count="0"' in reading(client, "/")[0]


def test_a_new_name_shows_on_every_kept_page(client_as, school, reading):
    connect(school["student"], school["classmate"])
    _post(school["classmate"], "Bonjour à tous")
    reader = client_as(school["student"])
    _kept(reading, reader, "/")
    school["classmate"].pseudonym = "Hugo Pro"
    db.session.commit()
    assert "Hugo Pro" in reading(reader, "/")[0]


def test_an_endorsement_shows_on_the_kept_profile(client_as, school, reading, factories):
    owner, viewer = school["classmate"], school["student"]
    endorser = factories.make_student(school["class"])
    connect(owner, viewer)
    connect(owner, endorser)
    assert client_as(owner).post("/profile/edit", data={
        "headline": "Assistant export", "city": "Dijon", "skills": "Excel",
    }).status_code == 302
    skill = owner.profile.skills[0]
    client = client_as(viewer)
    path = f"/people/{owner.id}"
    _kept(reading, client, path)
    # The endorsement's row names the endorser and the skill, not the owner: the skill's row
    # leads to the profile it belongs to.
    response = client_as(endorser).post(f"/people/{owner.id}/skills/{skill.id}/endorse")
    assert response.status_code in (200, 302)
    _, queries = reading(client, path)
    assert queries > KEPT_PAGE_QUERIES


def test_a_group_post_reaches_the_kept_group_page(client_as, school, reading):
    group = make_group(school["teacher"], "Atelier réseau", class_id=school["class"].id)
    add_member(group, school["student"])
    add_member(group, school["classmate"])
    client = client_as(school["student"])
    path = f"/groups/{group.slug}"
    assert "Rendez-vous jeudi" not in _kept(reading, client, path)
    _post(school["classmate"], "Rendez-vous jeudi", Audience.GROUP, group)
    assert "Rendez-vous jeudi" in reading(client, path)[0]
    assert "Rendez-vous jeudi" in reading(client, "/")[0]


def test_a_deleted_post_leaves_the_kept_pages(client_as, school, reading):
    connect(school["student"], school["classmate"])
    post = _post(school["classmate"], "Message bientôt retiré")
    reader = client_as(school["student"])
    assert "bientôt retiré" in _kept(reading, reader, "/")
    assert client_as(school["classmate"]).post(f"/posts/{post.id}/delete").status_code == 302
    assert "bientôt retiré" not in reading(reader, "/")[0]


def test_the_dashboard_is_kept_until_a_student_of_the_class_acts(client_as, school, reading):
    teacher = client_as(school["teacher"])
    path = f"/classes/{school['class'].id}/dashboard"
    _kept(reading, teacher, path)
    client_as(school["student"]).post("/posts/", data={"body": "Mon premier message",
                                                       "audience": "network"})
    _, queries = reading(teacher, path)
    assert queries > KEPT_PAGE_QUERIES


def test_a_teacher_taken_off_the_class_loses_the_kept_dashboard(client_as, school, reading):
    teacher = client_as(school["teacher"])
    path = f"/classes/{school['class'].id}/dashboard"
    _kept(reading, teacher, path)
    school["class"].teachers.remove(school["teacher"])
    db.session.commit()
    assert teacher.get(path).status_code in (403, 404)


def test_each_reader_gets_their_own_page_and_language(client_as, school, reading):
    connect(school["student"], school["classmate"])
    _post(school["student"], "Écrit par Léa", Audience.CONNECTIONS)
    lea, hugo, nina = (client_as(school[name])
                       for name in ("student", "classmate", "other_student"))
    assert "Écrit par Léa" in _kept(reading, lea, "/")
    assert "Écrit par Léa" in reading(hugo, "/")[0]
    assert "Écrit par Léa" not in reading(nina, "/")[0]  # not connected: never Léa's page
    french = reading(lea, "/")[0]
    lea.post("/language", data={"locale": "en"})
    english = reading(lea, "/")[0]
    assert english != french and 'lang="en"' in english


def test_a_kept_page_is_never_served_to_a_session_that_ended(client_as, school, reading):
    client = client_as(school["student"])
    _kept(reading, client, "/")
    # The password changes elsewhere (a teacher resets it): every session of the student ends.
    school["student"].session_token = "rotated"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert 'action="/logout"' not in page and "/login" in page  # the welcome page


def test_a_kept_page_carries_the_csrf_token_of_its_reader(make_app, tmp_path):
    app = make_app(WTF_CSRF_ENABLED=True, INSTANCE_PATH=tmp_path / "instance")
    with app.app_context():
        factories = Factories(password=PASSWORD)
        student = factories.make_student(factories.make_class(factories.make_teacher()))
        first, second = app.test_client(), app.test_client()
        for client in (first, second):  # two sessions of the same student (phone, computer)
            login = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
            assert client.post("/login", data={"username": student.username,
                                               "password": PASSWORD,
                                               "csrf_token": token}).status_code == 302
        first.get("/")
        first.get("/")
        assert len(app.extensions["page_cache"].pages) == 1
        page = second.get("/").get_data(as_text=True)
        assert app.extensions["page_cache"].token_mark.decode() not in page
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        # The token in the kept page is the second session's own: its post is accepted.
        response = second.post("/posts/", data={"body": "Depuis mon téléphone",
                                                "audience": "network", "csrf_token": token})
        assert response.status_code == 302
        assert db.session.scalar(sa.select(Post.body)) == "Depuis mon téléphone"


def test_a_page_showing_a_flashed_message_is_not_kept(client_as, school, reading):
    client = client_as(school["student"])
    _kept(reading, client, "/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Message publié une fois")]
    assert "Message publié une fois" in reading(client, "/")[0]
    assert "Message publié une fois" not in reading(client, "/")[0]


def test_a_new_database_never_matches_an_old_kept_page(app, client_as, school, reading):
    client = client_as(school["student"])
    _kept(reading, client, "/")
    # Emptied and filled again (a restore, a test database): new random versions.
    db.session.execute(sa.delete(PageVersion))
    db.session.commit()
    _, queries = reading(client, "/")
    assert queries > KEPT_PAGE_QUERIES
    assert db.session.get(PageVersion, ALL) is not None


def test_another_process_sees_the_change_through_the_database(make_app, tmp_path, school,
                                                              client_as, reading):
    connect(school["student"], school["classmate"])
    client = client_as(school["student"])
    _kept(reading, client, "/")
    # Another process of the same school writes (its own app, the same database).
    other = make_app(INSTANCE_PATH=tmp_path / "other")
    with other.app_context():
        db.session.add(Post(author_id=school["classmate"].id, body="Écrit ailleurs",
                            audience=Audience.NETWORK))
        db.session.commit()
    assert "Écrit ailleurs" in reading(client, "/")[0]


def test_a_kept_page_expires(app, client_as, school, reading):
    client = client_as(school["student"])
    _kept(reading, client, "/")
    store = app.extensions["page_cache"]
    later = store.clock() + app.config["PAGE_CACHE_SECONDS"] + 1
    store.clock = lambda: later
    _, queries = reading(client, "/")
    assert queries > KEPT_PAGE_QUERIES


def test_the_store_drops_the_least_recently_used_beyond_its_size():
    store = pagecache.PageStore(max_bytes=80_000, seconds=60)
    for number in range(10):
        store.put(("page", number), pagecache.KeptPage(
            [ALL], (1,), b"x" * 9_000, "text/html", store.clock()))
        if number == 5:
            assert store.get(("page", 0)) is not None  # read: now the most recently used
    assert store.get(("page", 0)) is not None and store.get(("page", 1)) is None
    assert store.size <= 80_000 and store.get(("page", 9)) is not None


def test_writes_move_the_versions_of_their_readers_only(app, school):
    connect(school["student"], school["classmate"])
    versions = dict(db.session.execute(sa.select(PageVersion.scope, PageVersion.version)).all())
    _post(school["classmate"], "Pour mes relations")
    after = dict(db.session.execute(sa.select(PageVersion.scope, PageVersion.version)).all())
    moved = {scope for scope in after if after[scope] != versions.get(scope)}
    assert {f"u:{school['classmate'].id}", f"u:{school['student'].id}"} <= moved
    assert f"u:{school['other_student'].id}" not in moved and ALL not in moved


def _open_both(school):
    school["class"].network_scope = NetworkScope.SCHOOL
    school["other_class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()


# Found in review: class settings change what other classes see.

def test_closed_class_profile_still_served_to_other_class(client_as, school, reading):
    _open_both(school)
    reader = client_as(school["other_student"])
    path = f"/people/{school['student'].id}"
    _kept(reading, reader, path)
    a = school["class"]
    class_services.update_class_settings(school["teacher"], a, name=a.name,
                                         network_scope=NetworkScope.CLASS,
                                         allow_pseudonyms=a.allow_pseudonyms)
    kept = reader.get(path)  # read before logging in again (a login moves u:<reader>)
    fresh = client_as(school["other_student"]).get(path)
    assert fresh.status_code == 404
    assert kept.status_code == 404, kept.status_code  # 200: the kept profile


def test_closed_class_posts_stay_on_other_class_home(client_as, school, reading):
    _open_both(school)
    add_connection(school["other_student"], school["student"])
    db.session.add(Post(author_id=school["student"].id, body="Visible dans l'école",
                        audience=Audience.NETWORK))
    db.session.commit()
    reader = client_as(school["other_student"])
    assert "Visible dans l" in _kept(reading, reader, "/")
    a = school["class"]
    class_services.update_class_settings(school["teacher"], a, name=a.name,
                                         network_scope=NetworkScope.CLASS,
                                         allow_pseudonyms=a.allow_pseudonyms)
    kept = reader.get("/").get_data(as_text=True)
    fresh = client_as(school["other_student"]).get("/").get_data(as_text=True)
    assert "Visible dans l" not in fresh
    assert "Visible dans l" not in kept


def test_pseudonyms_turned_on_keep_the_real_name(client_as, school, reading):
    _open_both(school)
    school["class"].allow_pseudonyms = False
    owner = school["student"]
    owner.pseudonym = "Zorro Masque"
    db.session.commit()
    real = owner.full_name
    reader = client_as(school["other_student"])
    path = f"/people/{owner.id}"
    assert real in _kept(reading, reader, path)
    a = school["class"]
    class_services.update_class_settings(school["teacher"], a, name=a.name,
                                         network_scope=a.network_scope, allow_pseudonyms=True)
    kept = reader.get(path).get_data(as_text=True)
    fresh = client_as(school["other_student"]).get(path).get_data(as_text=True)
    assert real not in fresh and "Zorro Masque" in fresh
    assert real not in kept


# A teacher's menu counts the open cases of the classes they teach.

def test_flagged_text_misses_the_teachers_kept_badge(client_as, school, reading,
                                                     factories):
    third = factories.make_student(school["class"])
    post = Post(author_id=school["classmate"].id, body="Texte limite", audience=Audience.NETWORK)
    db.session.add(post)
    db.session.commit()
    teacher = client_as(school["teacher"])
    path = f"/people/{third.id}"
    assert "à examiner" not in _kept(reading, teacher, path)
    flag_content(school["classmate"], ContentKind.POST, post.id, post.body, [])  # the gate's flag
    db.session.commit()
    kept = teacher.get(path).get_data(as_text=True)
    fresh = client_as(school["teacher"]).get(path).get_data(as_text=True)
    assert "1 à examiner" in fresh
    assert "1 à examiner" in kept


# A write committed while a page is rendered.

def test_group_read_before_its_version(app, client_as, school, monkeypatch):
    group = make_group(school["teacher"], "Ancien nom", class_id=school["class"].id)
    add_member(group, school["student"])
    group_id, path = group.id, f"/groups/{group.slug}"
    client = client_as(school["student"])
    client.get(path)
    original, done = group_views.page_depends_on, []

    def racing(*scopes):  # another request renames the group in between
        if not done:
            done.append(1)
            with app.app_context():
                db.session.execute(sa.update(Group).where(Group.id == group_id)
                                   .values(name="Nouveau nom"))
                db.session.commit()
        return original(*scopes)

    monkeypatch.setattr(group_views, "page_depends_on", racing)
    client.get(path)  # rendered while the group was renamed
    assert "Nouveau nom" in client.get(path).get_data(as_text=True)


# Versions move in the writing transaction: no second connection.

def test_a_commit_needs_a_second_connection(make_app, tmp_path):
    app = make_app(INSTANCE_PATH=tmp_path / "i",
                   SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0,
                                              "pool_timeout": 1})
    with app.app_context():
        factories = Factories(password=PASSWORD)
        author = factories.make_student(factories.make_class(factories.make_teacher()))
        db.session.add(Post(author_id=author.id, body="x", audience=Audience.NETWORK))
        db.session.commit()  # with a second connection needed: a wait, then no versions
        assert db.session.get(PageVersion, f"u:{author.id}") is not None


# A hashtag moves its followers' versions, not every page's.

def test_a_post_with_a_hashtag_moves_all(client_as, school):
    client = client_as(school["student"])
    before = dict(db.session.execute(sa.select(PageVersion.scope, PageVersion.version)).all())
    assert client.post("/posts/", data={"body": "Salon de l'#export jeudi",
                                        "audience": "network"}).status_code == 302
    after = dict(db.session.execute(sa.select(PageVersion.scope, PageVersion.version)).all())
    assert ALL not in {s for s in after if after[s] != before.get(s)}
