"""The class feed: what a class's students publish, posts and comments, newest first, for the
class's teachers and the admins; paged by keyset, in a fixed number of queries; new items on
demand for the live page; hidden content as moderation shows it to teachers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from sandbox.core.errors import PermissionDenied
from sandbox.dashboard import class_feed as feed
from sandbox.extensions import db
from sandbox.moderation.actions import hide_from_card
from sandbox.network.lists import add_member, create_list
from sandbox.network.services import connect
from sandbox.posts.models import Audience, Comment, Post
from tests.authz import LOGIN
from tests.dashboard import authz_feed

T0 = datetime(2026, 11, 2, 8, 0)


def _post(author: Any, minutes: float, body: str | None = None,
          audience: Audience = Audience.NETWORK, **fields: Any) -> Post:
    post = Post(author_id=author.id, body=body or f"Publication {minutes}", audience=audience,
                created_at=T0 + timedelta(minutes=minutes), **fields)
    db.session.add(post)
    db.session.commit()
    return post


def _comment(author: Any, post: Post, minutes: float, body: str | None = None,
             **fields: Any) -> Comment:
    comment = Comment(post_id=post.id, author_id=author.id, body=body or f"Commentaire {minutes}",
                      created_at=T0 + timedelta(minutes=minutes), **fields)
    db.session.add(comment)
    db.session.commit()
    return comment


def _keys(page: feed.ClassFeedPage) -> list[tuple[str, int]]:
    return [(item.kind, item.row.id) for item in page.items]


def _url(klass: Any, query: str = "") -> str:
    return f"/classes/{klass.id}/dashboard/feed{query}"


def test_the_class_posts_and_comments_come_newest_first_whatever_their_audience(school):
    lea, hugo, nina = school["student"], school["classmate"], school["other_student"]
    connect(lea, hugo)
    db.session.commit()
    pro = create_list(lea, "Pro")
    add_member(lea, pro.id, hugo.id)
    persona_post = _post(school["persona"], 0, "Nous recrutons")
    public = _post(lea, 1)
    friends = _post(hugo, 2, audience=Audience.CONNECTIONS)
    listed = _post(lea, 3, audience=Audience.LIST, contact_list_id=pro.id)
    on_persona = _comment(hugo, persona_post, 4)
    _post(nina, 5)  # another class
    _post(lea, 6, deleted_at=T0)  # deleted by its author: gone
    _comment(nina, persona_post, 7)  # another class
    on_hugo = _comment(lea, friends, 8)
    _comment(school["persona"], public, 9)  # not a student

    expected = [("comment", on_hugo.id), ("comment", on_persona.id), ("post", listed.id),
                ("post", friends.id), ("post", public.id)]
    assert _keys(feed.class_feed(school["teacher"], school["class"].id)) == expected
    assert _keys(feed.class_feed(school["admin"], school["class"].id)) == expected


def test_only_the_class_staff_may_read_it(school):
    with pytest.raises(PermissionDenied):
        feed.class_feed(school["other_teacher"], school["class"].id)
    with pytest.raises(PermissionDenied):
        feed.class_feed(school["student"], school["class"].id)


def test_the_page_shows_cards_and_comments_with_what_they_answer(school, client_as):
    lea, hugo = school["student"], school["classmate"]
    post = _post(lea, 1, "Mon premier jour de #stage", audience=Audience.CONNECTIONS)
    _comment(hugo, post, 2, "Bravo, raconte-nous !")
    html = client_as(school["teacher"]).get(_url(school["class"])).get_data(as_text=True)
    assert html.index("Bravo, raconte-nous") < html.index(f'id="post-{post.id}"')
    # The comment quotes the post it answers; the card is the usual post card.
    assert html.count("Mon premier jour de") == 2
    assert f'data-post-id="{post.id}"' in html
    assert f'data-class-feed="{school["class"].id}"' in html
    assert "js/dashboard_live.js" in html and "js/feed.js" in html
    # Hiding from the feed comes back to the feed.
    assert f'value="{_url(school["class"])}"' in html


def test_paging_walks_every_item_once_even_at_the_same_instant(school):
    lea, hugo = school["student"], school["classmate"]
    posts = [_post(lea if n % 2 else hugo, n // 3) for n in range(7)]
    comments = [_comment(hugo if n % 2 else lea, posts[n % 7], n // 3) for n in range(6)]
    everything = _keys(feed.class_feed(school["teacher"], school["class"].id, limit=50))
    assert len(everything) == 13
    times = [row.created_at for row in (*posts, *comments)]
    assert sorted(times, reverse=True) == [
        item.row.created_at for item in feed.class_feed(
            school["teacher"], school["class"].id, limit=50).items]

    walked, before = [], None
    while True:
        page = feed.class_feed(school["teacher"], school["class"].id, before=before, limit=2)
        walked += _keys(page)
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert walked == everything


def test_the_older_link_pages_without_and_with_javascript(school, client_as, monkeypatch):
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    lea = school["student"]
    for minutes in range(5):
        _post(lea, minutes, f"Texte numéro {minutes}")
    teacher = client_as(school["teacher"])
    first = teacher.get(_url(school["class"])).get_data(as_text=True)
    assert "Texte numéro 4" in first and "Texte numéro 3" in first
    assert "Texte numéro 2" not in first
    older = re.search(r'href="([^"]+)" rel="next" data-more', first).group(1).replace("&amp;", "&")
    fragment = teacher.get(older, headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert "<html" not in fragment
    assert "Texte numéro 2" in fragment and "Texte numéro 1" in fragment
    assert "Texte numéro 3" not in fragment and "data-more" in fragment
    page = teacher.get(older).get_data(as_text=True)  # without JavaScript: a whole page
    assert "<html" in page and "Texte numéro 2" in page


def test_a_malformed_cursor_is_a_bad_request(school, client_as):
    teacher = client_as(school["teacher"])
    assert teacher.get(_url(school["class"], "?before=abc")).status_code == 400
    assert teacher.get(_url(school["class"], "?after=abc")).status_code == 400


def test_what_is_new_since_the_page_was_opened(school, client_as):
    lea, hugo = school["student"], school["classmate"]
    _post(lea, 1, "Déjà là")
    teacher = client_as(school["teacher"])
    html = teacher.get(_url(school["class"])).get_data(as_text=True)
    after = re.search(r'data-after="([^"]+)"', html).group(1)

    nothing = teacher.get(_url(school["class"], f"?after={after}")).get_json()
    assert nothing["count"] == 0 and nothing["cursor"] == after and "html" not in nothing

    new_post = _post(hugo, 2, "Tout nouveau")
    _comment(lea, new_post, 3, "Tout nouveau commentaire")
    _post(school["other_student"], 4, "Autre classe")
    news = teacher.get(_url(school["class"], f"?after={after}")).get_json()
    assert news["count"] == 2 and "html" not in news
    assert news["label"] in ("2 new contributions", "2 nouvelles contributions")
    with_cards = teacher.get(_url(school["class"], f"?after={after}&cards=1")).get_json()
    html = with_cards["html"]
    assert "<html" not in html and "Déjà là" not in html and "Autre classe" not in html
    assert html.index("Tout nouveau commentaire") < html.index(f'id="post-{new_post.id}"')
    # The page's forms come back to the page, never to this JSON.
    assert "?after=" not in html
    again = teacher.get(_url(school["class"], f"?after={with_cards['cursor']}")).get_json()
    assert again["count"] == 0


def test_hidden_content_shows_to_teachers_as_moderation_shows_it(school, client_as):
    lea, hugo = school["student"], school["classmate"]
    post = _post(lea, 1, "Appelle-moi au 06 12 34 56 78")
    comment = _comment(hugo, post, 2, "Quel texte ridicule")
    kept = _post(hugo, 3, "Un texte sans souci")
    case = hide_from_card(school["teacher"], "post", post.id, "Numéro de téléphone")
    comment_case = hide_from_card(school["teacher"], "comment", comment.id)

    page = feed.class_feed(school["teacher"], school["class"].id)
    assert _keys(page) == [("post", kept.id), ("comment", comment.id), ("post", post.id)]
    assert [item.hidden for item in page.items] == [False, True, True]
    assert [item.case_id for item in page.items] == [None, comment_case.id, case.id]
    html = client_as(school["teacher"]).get(_url(school["class"])).get_data(as_text=True)
    assert f"/moderation/cases/{case.id}" in html and "06 12 34 56 78" in html
    assert f"/moderation/cases/{comment_case.id}" in html
    # Admins do not moderate: what a teacher hid is gone from their feed.
    assert _keys(feed.class_feed(school["admin"], school["class"].id)) == [("post", kept.id)]


def _class_of(factories: Any, teacher: Any, size: int) -> Any:
    klass = factories.make_class(teacher, name=f"Classe de {size}")
    students = [factories.make_student(klass) for _ in range(size)]
    for number, student in enumerate(students):
        post = _post(student, number, audience=Audience.CONNECTIONS)
        _comment(students[(number + 1) % size], post, number + .5)
    # One share and one hidden post in each, so that both pages hold the same kinds of things.
    _post(students[0], size + 1, "Je partage", shared_post_id=post.id)
    hidden = _post(students[1], size + 2, "À masquer")
    hide_from_card(teacher, "post", hidden.id)
    return klass


def test_a_page_runs_a_fixed_number_of_queries(school, factories, client_as, count_queries):
    teacher = school["teacher"]
    small, large = _class_of(factories, teacher, 2), _class_of(factories, teacher, 6)
    urls = [_url(klass, query) for query in ("", "?after=&cards=1") for klass in (small, large)]
    client = client_as(teacher)
    client.get(urls[0])  # warm-up: whatever is read once per session
    counts = []
    for url in urls:
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[2] == counts[3]


@pytest.mark.parametrize("role", ["anonymous", "student", "other_student", "other_teacher",
                                  "teacher", "admin"])
def test_the_authorization_cases_hold(role, school, client_as):
    """The matrix's cases for the feed, run here too (tests/dashboard/authz_feed.py)."""
    entries = {**school, **authz_feed.add_entries(school)}
    user = None if role == "anonymous" else school[role]
    for cases in authz_feed.CASES.values():
        for case in cases:
            response = client_as(user).open(case.url(entries), method=case.method)
            expected = case.expected[role]
            where = f"{case.method} {case.url(entries)} as {role}"
            if expected == LOGIN:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code == expected, f"{where}: {response.status_code}"
