"""Throwaway review repros (to be deleted)."""
from __future__ import annotations

import html

from sandbox.classes.models import NetworkScope
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, JoinPolicy, MemberRole
from sandbox.network.services import connect
from sandbox.posts.models import Audience, Post


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def test_group_join_request_names_out_of_scope_student(school, factories, client_as, network):
    # Léa (class A, class-only scope) admin of a school-wide request-only group.
    lea = school["student"]
    nina = school["other_student"]
    nina.pseudonym = None
    nina.first_name, nina.last_name = "Ninaxyz", "Rouxxyz"
    db.session.commit()
    group = network.group("Stages", klass=None)
    group.join_policy = JoinPolicy.REQUEST
    db.session.add(GroupMembership(group_id=group.id, user_id=lea.id, role=MemberRole.ADMIN))
    db.session.commit()
    nina_client = client_as(nina)
    assert nina_client.post(f"/groups/{group.slug}/join").status_code == 302
    lea_client = client_as(lea)
    members = _text(lea_client.get(f"/groups/{group.slug}/members"))
    assert "Ninaxyz" not in members  # the members page hides her...
    page = _text(lea_client.get("/notifications/"))
    assert "Ninaxyz" in page  # ...the notification names her


def test_teacher_notified_with_name_of_student_out_of_scope(school, factories, client_as):
    teacher = school["teacher"]
    school["class"].network_scope = NetworkScope.SCHOOL
    school["other_class"].network_scope = NetworkScope.SCHOOL
    nina = school["other_student"]
    nina.first_name, nina.last_name = "Ninaxyz", "Rouxxyz"
    db.session.commit()
    post = Post(author_id=teacher.id, body="Bienvenue", audience=Audience.NETWORK)
    db.session.add(post)
    db.session.commit()
    nina_client = client_as(nina)
    assert nina_client.get(f"/posts/{post.id}").status_code == 200  # she sees the teacher's post
    r = nina_client.post(f"/posts/{post.id}/comments", data={"body": "Merci beaucoup"})
    assert r.status_code == 302
    nina_client.post(f"/posts/{post.id}/like")
    teacher_client = client_as(teacher)
    assert "Merci beaucoup" not in _text(teacher_client.get(f"/posts/{post.id}"))  # hidden
    page = _text(teacher_client.get("/notifications/"))
    assert "Ninaxyz" in page  # but named in the bell
    assert teacher_client.get(f"/profiles/{nina.id}").status_code == 404


def test_mention_autocomplete_reveals_real_name_username(school, factories, client_as):
    from sandbox.classes.roster import import_roster
    klass = school["class"]
    klass.allow_pseudonyms = True
    db.session.commit()
    csv = "prénom;nom;pseudonyme\nCamille;Dubois;Cam la Pro\n".encode()
    import_roster(school["teacher"], klass, csv)
    db.session.commit()
    from sandbox.accounts.models import User
    camille = db.session.scalar(db.select(User).where(User.last_name == "Dubois"))
    print("username", camille.username, "public", camille.public_name)
    assert camille.public_name == "Cam la Pro"
    hugo = client_as(school["classmate"])
    answer = hugo.get("/posts/mentions?q=cam").get_json()
    print(answer)
    assert any("dubois" in p["username"] for p in answer["people"])
    # and searching by the hidden real surname works too (username prefix)
    answer = hugo.get("/posts/mentions?q=camille.d").get_json()
    print(answer)
    assert answer["people"]


def test_author_cannot_delete_own_share_after_disconnect(school, factories, client_as, people):
    lea, hugo = people["student"], people["classmate"]
    original = Post(author_id=hugo.id, body="Pour mes contacts", audience=Audience.CONNECTIONS)
    db.session.add(original)
    db.session.commit()
    lea_client = client_as(lea)
    r = lea_client.post(f"/posts/{original.id}/share", data={"body": "A lire", "audience": "network"})
    assert r.status_code == 302, r.status_code
    share = db.session.scalar(db.select(Post).where(Post.shared_post_id == original.id))
    hugo_client = client_as(hugo)
    r = hugo_client.post(f"/network/connections/{lea.id}/delete")
    assert r.status_code == 302
    r = lea_client.post(f"/posts/{share.id}/delete")
    print("delete own share ->", r.status_code)
    assert r.status_code == 404
    r = lea_client.get(f"/posts/{share.id}/edit")
    assert r.status_code == 404
    db.session.expire_all()
    assert db.session.get(Post, share.id).deleted_at is None


def _setup_many(school, factories, n):
    from sandbox.notifications.services import notify
    lea = school["student"]
    klass = school["class"]
    posts = []
    for i in range(n):
        s = factories.make_student(klass, username=f"qq{n}x{i}", pseudonym=f"Pseudo{i}")
        other = factories.make_student(klass, username=f"rr{n}x{i}")
        orig = Post(author_id=other.id, body=f"origine #quizz {i}", audience=Audience.NETWORK)
        db.session.add(orig)
        db.session.flush()
        p = Post(author_id=s.id, body=f"quizz #quizz @lea.martin {i}", audience=Audience.NETWORK,
                 shared_post_id=orig.id)
        db.session.add(p)
        db.session.flush()
        notify(lea, "mentioned", actor=s, subject=p, post_id=p.id)
        notify(lea, "post_liked", actor=other, subject=p, post_id=p.id)
        posts.append(p)
    db.session.commit()
    return posts


def test_query_counts(school, factories, client_as, count_queries):
    lea = school["student"]
    c = client_as(lea)
    results = {}
    for n in (3, 9):
        _setup_many(school, factories, n)
        for url in ("/notifications/", "/search?q=quizz", "/hashtags/quizz", "/"):
            with count_queries() as counter:
                r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)
            results.setdefault(url, []).append(counter.count)
    print(results)
    for url, counts in results.items():
        assert counts[0] == counts[1], (url, counts)


def test_no_rate_limit_on_posts_and_mentions(make_app, school, tmp_path):
    from sandbox.accounts.models import User
    from sandbox.notifications.models import Notification
    from tests.conftest import login_client

    lea_id, hugo_id = school["student"].id, school["classmate"].id
    limited = make_app(RATELIMIT_ENABLED=True, INSTANCE_PATH=tmp_path / "limited")
    with limited.app_context():
        client = login_client(limited, db.session.get(User, lea_id))
        statuses = {client.post("/posts/", data={"body": f"Coucou @hugo.petit {n}",
                                                  "audience": "network"}).status_code
                    for n in range(200)}
        statuses2 = {client.post("/groups/new", data={"name": f"Groupe {n}", "description": "x",
                                                       "topics": "", "join_policy": "open"}).status_code
                     for n in range(5)}
        count = db.session.scalar(db.select(db.func.count()).select_from(Notification)
                                  .where(Notification.user_id == hugo_id))
    print(statuses, statuses2, count)
    assert statuses == {302}
    assert count == 200


def test_teacher_cannot_see_own_students_share(school, client_as):
    from sandbox.posts.visibility import can_view_post
    school["class"].network_scope = NetworkScope.SCHOOL
    school["other_class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()
    lea, nina, teacher = school["student"], school["other_student"], school["teacher"]
    original = Post(author_id=nina.id, body="Stage à Lyon", audience=Audience.NETWORK)
    db.session.add(original)
    db.session.commit()
    r = client_as(lea).post(f"/posts/{original.id}/share",
                            data={"body": "texte injurieux que le prof ne verra pas",
                                  "audience": "network"})
    assert r.status_code == 302
    share = db.session.scalar(db.select(Post).where(Post.shared_post_id == original.id))
    assert can_view_post(school["classmate"], share)
    assert not can_view_post(teacher, share)  # Léa's own teacher cannot review it
    t = client_as(teacher)
    assert t.get(f"/posts/{share.id}").status_code == 404
