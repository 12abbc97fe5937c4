"""The class feed in the authorization matrix (tests/test_authorization.py).

Only the teachers of a class and the admins read its feed, in all three forms (the page, the
"older" fragment, the JSON of what is new): a student, even of that class, or the teacher of
another class is refused (403); an unknown class is a 404 for everyone logged in. A malformed
cursor is a bad request, but only once the viewer is known to be allowed (403 first).
"""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.posts.models import Audience, Comment, Post
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, Case, logged_in, staff_of_the_class


def add_entries(school: dict) -> dict:
    post = Post(author_id=school["student"].id, body="Mon premier jour de stage",
                audience=Audience.CONNECTIONS)
    db.session.add(post)
    db.session.flush()
    db.session.add(Comment(post_id=post.id, author_id=school["classmate"].id, body="Bravo !"))
    db.session.commit()
    return {"feed_post": post}


def _feed(school: dict, query: str = "") -> str:
    return f"/classes/{school['class'].id}/dashboard/feed{query}"


BAD_REQUEST = 400

CASES: dict[str, list[Case]] = {
    "dashboard.class_feed": [
        Case("GET", lambda s: _feed(s), staff_of_the_class()),
        Case("GET", lambda s: _feed(s, "?after="), staff_of_the_class()),
        Case("GET", lambda s: _feed(s, "?after=&cards=1"), staff_of_the_class()),
        Case("GET", lambda s: _feed(s, "?before=bm90LWEtY3Vyc29y"),
             staff_of_the_class(BAD_REQUEST)),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/dashboard/feed",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/dashboard/feed",
             logged_in(NOT_FOUND, anonymous=LOGIN)),
    ],
}
