"""Authorization matrix cases for the likes and comments routes (see tests/test_authorization).

lea (student) wrote a network post; hugo (her classmate) commented it, and lea has a comment of
her own. The teacher wrote a connections-only post nobody else may see (no connections).
Outside lea's network (nina, the other teacher) the post does not exist: 404, never 403.
"""

from __future__ import annotations

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.posts.models import Audience, Comment, Post
from tests.authz import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case, logged_in

# Who sees lea's network post: her class (lea), her teacher, the admin.
SEEN_BY_LEAS_NETWORK = {**logged_in(REDIRECT), "other_student": NOT_FOUND,
                        "other_teacher": NOT_FOUND}
TEACHERS_PRIVATE_POST = {**logged_in(NOT_FOUND), "teacher": REDIRECT, "admin": REDIRECT}
LEAS_OWN_COMMENT = {**logged_in(FORBIDDEN), "student": REDIRECT, "other_student": NOT_FOUND,
                    "other_teacher": NOT_FOUND}
BODY = {"body": "Très intéressant, merci !", "next": "/"}


def _post(entries: dict) -> int:
    return entries["reactions_post"].id


CASES: dict[str, list[Case]] = {
    "reactions.create_comment": [
        Case("POST", lambda s: f"/posts/{_post(s)}/comments", SEEN_BY_LEAS_NETWORK, data=BODY),
        Case("POST", lambda s: f"/posts/{s['reactions_private_post'].id}/comments",
             TEACHERS_PRIVATE_POST, data=BODY),
        Case("POST", lambda s: f"/posts/{s['reactions_deleted_post'].id}/comments",
             logged_in(NOT_FOUND), data=BODY),
        Case("POST", lambda s: "/posts/99999999/comments", logged_in(NOT_FOUND), data=BODY),
    ],
    "reactions.like_post": [
        Case("POST", lambda s: f"/posts/{_post(s)}/like", SEEN_BY_LEAS_NETWORK,
             data={"next": "/"}),
        Case("POST", lambda s: f"/posts/{s['reactions_private_post'].id}/like",
             TEACHERS_PRIVATE_POST, data={"next": "/"}),
        Case("POST", lambda s: f"/posts/{s['reactions_deleted_post'].id}/like",
             logged_in(NOT_FOUND)),
    ],
    "reactions.unlike_post": [
        Case("POST", lambda s: f"/posts/{_post(s)}/unlike", SEEN_BY_LEAS_NETWORK,
             data={"next": "/"}),
        Case("POST", lambda s: "/posts/99999999/unlike", logged_in(NOT_FOUND)),
    ],
    "reactions.like_comment": [
        Case("POST", lambda s: f"/comments/{s['reactions_comment'].id}/like",
             SEEN_BY_LEAS_NETWORK, data={"next": "/"}),
        Case("POST", lambda s: f"/comments/{s['reactions_private_comment'].id}/like",
             TEACHERS_PRIVATE_POST, data={"next": "/"}),
    ],
    "reactions.unlike_comment": [
        Case("POST", lambda s: f"/comments/{s['reactions_comment'].id}/unlike",
             SEEN_BY_LEAS_NETWORK, data={"next": "/"}),
        Case("POST", lambda s: "/comments/99999999/unlike", logged_in(NOT_FOUND)),
    ],
    "reactions.edit_comment": [
        Case("GET", lambda s: f"/comments/{s['reactions_own_comment'].id}/edit",
             {**LEAS_OWN_COMMENT, "student": OK}),
        Case("GET", lambda s: f"/comments/{s['reactions_private_comment'].id}/edit",
             {**logged_in(NOT_FOUND), "teacher": OK, "admin": FORBIDDEN}),
        Case("POST", lambda s: f"/comments/{s['reactions_own_comment'].id}/edit",
             LEAS_OWN_COMMENT, data=BODY),
        Case("POST", lambda s: f"/comments/{s['reactions_own_comment'].id}/edit",
             {**LEAS_OWN_COMMENT, "student": 400}, data={"body": " "}),
    ],
    "reactions.delete_comment": [  # last: it deletes lea's comment
        Case("POST", lambda s: f"/comments/{s['reactions_comment'].id}/delete",
             {**LEAS_OWN_COMMENT, "student": FORBIDDEN}, data={"next": "/"}),
        Case("POST", lambda s: f"/comments/{s['reactions_own_comment'].id}/delete",
             LEAS_OWN_COMMENT, data={"next": "/"}),
        Case("POST", lambda s: "/comments/99999999/delete", logged_in(NOT_FOUND)),
    ],
}


def add_entries(school: dict) -> dict:
    """lea's network post with hugo's and lea's comments; the teacher's private post."""
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    post = Post(author_id=lea.id, body="Mon stage commence lundi.", audience=Audience.NETWORK)
    private = Post(author_id=teacher.id, body="Note pour mes contacts.",
                   audience=Audience.CONNECTIONS)
    deleted = Post(author_id=lea.id, body="Supprimé.", deleted_at=utcnow())
    db.session.add_all([post, private, deleted])
    db.session.flush()
    comment = Comment(post_id=post.id, author_id=hugo.id, body="Bravo !")
    own = Comment(post_id=post.id, author_id=lea.id, body="Merci !")
    private_comment = Comment(post_id=private.id, author_id=teacher.id, body="Rappel.")
    db.session.add_all([comment, own, private_comment])
    db.session.commit()
    return {"reactions_post": post, "reactions_private_post": private,
            "reactions_deleted_post": deleted, "reactions_comment": comment,
            "reactions_own_comment": own, "reactions_private_comment": private_comment}
