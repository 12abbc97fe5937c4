"""The likes and comments routes: without JavaScript (redirects) and with it (JSON)."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.posts.models import COMMENT_MAX_LENGTH, Audience, Comment, CommentLike, PostLike

from tests.reactions.conftest import PARTIALS_PAGE

JSON = {"Accept": "application/json"}


def _rows(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_commenting_comes_back_to_the_new_comment(school, make_post, client_as):
    post = make_post(school["student"])
    client = client_as(school["classmate"])
    response = client.post(f"/posts/{post.id}/comments", data={"body": "Bravo !"})
    comment = db.session.scalar(sa.select(Comment))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    page = client.get(PARTIALS_PAGE.format(post_id=post.id)).get_data(as_text=True)
    assert "Bravo !" in page
    assert "Comment published." in page or "Commentaire publié." in page


def test_a_local_next_is_followed_and_another_site_never(school, make_post, client_as):
    post = make_post(school["student"])
    client = client_as(school["classmate"])
    response = client.post(f"/posts/{post.id}/like", data={"next": "/?page=2#reactions-7"})
    assert response.headers["Location"] == "/?page=2#reactions-7"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/posts/{post.id}/unlike", data={"next": evil})
        assert response.headers["Location"] == f"/posts/{post.id}#reactions-{post.id}"


def test_a_refused_comment_is_explained_and_nothing_is_written(school, make_post, client_as):
    post = make_post(school["student"])
    client = client_as(school["classmate"])
    response = client.post(f"/posts/{post.id}/comments",
                           data={"body": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert response.headers["Location"] == f"/posts/{post.id}#comments"
    page = client.get(PARTIALS_PAGE.format(post_id=post.id)).get_data(as_text=True)
    assert f"{COMMENT_MAX_LENGTH + 1}" in page  # the flashed message says how long it was
    assert _rows(Comment) == 0
    answer = client.post(f"/posts/{post.id}/comments", data={"body": ""}, headers=JSON)
    assert answer.status_code == 400 and answer.get_json()["error"]
    assert _rows(Comment) == 0


def test_an_invisible_or_deleted_post_answers_404_and_writes_nothing(
    school, make_post, client_as
):
    hidden = make_post(school["teacher"], audience=Audience.CONNECTIONS)
    deleted = make_post(school["student"], deleted_at=utcnow())
    client = client_as(school["student"])
    for post in (hidden, deleted):
        assert client.post(f"/posts/{post.id}/comments", data={"body": "?"}).status_code == 404
        assert client.post(f"/posts/{post.id}/like").status_code == 404
        answer = client.post(f"/posts/{post.id}/like", headers=JSON)
        assert answer.status_code == 404 and answer.get_json()["error"]
    assert _rows(Comment) == _rows(PostLike) == 0


def test_liking_with_javascript_answers_the_new_state(school, make_post, client_as):
    post = make_post(school["student"])
    client = client_as(school["classmate"])
    first = client.post(f"/posts/{post.id}/like", headers=JSON).get_json()
    again = client.post(f"/posts/{post.id}/like", headers=JSON).get_json()  # a double click
    assert first["liked"] is again["liked"] is True
    assert again["like_count"] == 1
    assert again["action"] == f"/posts/{post.id}/unlike"
    assert "1" in again["count_label"] and again["message"]
    undone = client.post(f"/posts/{post.id}/unlike", headers=JSON).get_json()
    assert (undone["liked"], undone["like_count"]) == (False, 0)
    assert undone["action"] == f"/posts/{post.id}/like"


def test_liking_a_comment_with_javascript(school, make_post, make_comment, client_as):
    post = make_post(school["student"])
    comment = make_comment(school["classmate"], post)
    client = client_as(school["student"])
    answer = client.post(f"/comments/{comment.id}/like", headers=JSON).get_json()
    assert (answer["liked"], answer["like_count"]) == (True, 1)
    assert answer["action"] == f"/comments/{comment.id}/unlike"
    assert _rows(CommentLike) == 1
    response = client.post(f"/comments/{comment.id}/unlike")
    assert response.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    assert _rows(CommentLike) == 0


def test_only_the_author_edits_a_comment(school, make_post, make_comment, client_as):
    post = make_post(school["student"])
    comment = make_comment(school["classmate"], post, "Bravo")
    assert client_as(school["student"]).get(f"/comments/{comment.id}/edit").status_code == 403
    author = client_as(school["classmate"])
    form = author.get(f"/comments/{comment.id}/edit")
    assert form.status_code == 200 and "Bravo" in form.get_data(as_text=True)
    refused = author.post(f"/comments/{comment.id}/edit", data={"body": "   "})
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    done = author.post(f"/comments/{comment.id}/edit", data={"body": "Bravo Léa"})
    assert done.headers["Location"] == f"/posts/{post.id}#comment-{comment.id}"
    db.session.refresh(comment)
    assert comment.body == "Bravo Léa" and comment.edited_at is not None


def test_only_the_author_deletes_a_comment(school, make_post, make_comment, client_as):
    post = make_post(school["student"])
    comment = make_comment(school["classmate"], post)
    assert client_as(school["student"]).post(f"/comments/{comment.id}/delete").status_code == 403
    response = client_as(school["classmate"]).post(f"/comments/{comment.id}/delete")
    assert response.headers["Location"] == f"/posts/{post.id}#comments"
    db.session.refresh(comment)
    assert comment.deleted_at is not None


def test_the_page_shows_threads_escaped_with_working_forms(
    school, make_post, make_comment, client_as
):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    top = make_comment(hugo, post, "<script>alert(1)</script>")
    make_comment(lea, post, "Merci Hugo, voir https://example.org/stage #alternance",
                 parent=top, edited_at=utcnow())
    db.session.add(PostLike(post_id=post.id, user_id=lea.id))
    db.session.commit()
    html = client_as(lea).get(PARTIALS_PAGE.format(post_id=post.id)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/stage"' in html  # links made by the app, as in posts
    assert 'href="/hashtags/alternance"' in html
    assert f'action="/posts/{post.id}/unlike"' in html and 'aria-pressed="true"' in html
    assert f'action="/comments/{top.id}/like"' in html
    assert f'name="parent_id" value="{top.id}"' in html
    assert f'maxlength="{COMMENT_MAX_LENGTH}"' in html
    assert 'id="comments"' in html and f'id="comment-{top.id}"' in html
    assert f"/posts/{post.id}/share" in html
    assert "/static/js/reactions.js" in html
    # lea may edit her reply only, not hugo's comment
    assert f"/comments/{top.id}/edit" not in html
    assert html.count("/edit\"") == 1


def test_commenting_is_rate_limited_per_person(make_app, school, make_post, tmp_path):
    from sandbox.accounts.models import User
    from tests.conftest import login_client

    post_id, hugo_id = make_post(school["student"]).id, school["classmate"].id
    limited = make_app(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="2 per minute",
                       INSTANCE_PATH=tmp_path / "limited")
    with limited.app_context():
        client = login_client(limited, db.session.get(User, hugo_id))
        statuses = [client.post(f"/posts/{post_id}/comments",
                                data={"body": f"Message {n}", "next": "/"}).status_code
                    for n in range(3)]
    assert statuses == [302, 302, 429]
    assert _rows(Comment) == 2


def test_the_comments_render_in_a_fixed_number_of_queries(
    school, factories, make_post, make_comment, client_as, count_queries
):
    lea = school["student"]
    few, many = make_post(lea), make_post(lea)
    make_comment(school["classmate"], few)
    for number in range(10):
        top = make_comment(factories.make_student(school["class"]), many, f"Avis {number}")
        make_comment(factories.make_student(school["class"]), many, "Oui", parent=top)
        db.session.add(CommentLike(comment_id=top.id, user_id=lea.id))
    db.session.commit()
    client = client_as(lea)
    few_url, many_url = (PARTIALS_PAGE.format(post_id=post.id) for post in (few, many))
    client.get(few_url)  # warm up what every page loads once
    with count_queries() as one:
        assert client.get(few_url).status_code == 200
    with count_queries() as twenty:
        html = client.get(many_url).get_data(as_text=True)
    assert html.count('class="comment"') == 20
    assert one.count == twenty.count
