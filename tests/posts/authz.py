"""The posts routes in the authorization matrix (tests/test_authorization.py).

Léa (student) and Hugo (classmate) are connected. Léa's post is for her connections, with a
picture: Hugo, her teacher and the admin may read it; Nina (another class) and the other class's
teacher may not even know it exists (404). Only authors edit or delete (others who may read: 403).
"""

from __future__ import annotations

from sandbox.posts.services import create_post
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case, everyone, logged_in
from tests.posts.conftest import png


def _readers_of_lea(ok: int | str, author: int | str | None = None) -> dict[str, int | str]:
    """Who may read Léa's connections-only post (Hugo, her teacher, the admin)."""
    return {
        "anonymous": LOGIN, "student": ok if author is None else author,
        "other_student": NOT_FOUND, "other_teacher": NOT_FOUND, "teacher": ok, "admin": ok,
    }


def _not_the_author(author: int) -> dict[str, int | str]:
    """Edit/delete someone's post: 403 for those who may read it, 404 for the others."""
    return _readers_of_lea(FORBIDDEN, author)


def add_entries(school: dict) -> dict:
    lea, hugo = school["student"], school["classmate"]
    lea_post = create_post(lea, body="Mon stage #logistique", audience="connections",
                           image=png())
    spare = create_post(lea, body="À supprimer", audience="connections")
    hugo_post = create_post(hugo, body="Le post de Hugo", audience="connections")
    persona_post = create_post(school["persona"], body="Nous recrutons #alternance",
                               audience="network")
    tagged = create_post(hugo, body="Au salon de l'alternance", audience="network", image=png(),
                         shows_people=True, photo_tags=f"@{lea.mention_handle}")
    name = lea_post.image_path.rsplit("/", 1)[-1]
    return {"lea_post": lea_post, "lea_spare_post": spare, "hugo_post": hugo_post,
            "lea_tagged_post": tagged,
            "persona_post": persona_post, "lea_image_url": f"/posts/{lea_post.id}/images/{name}"}


def _no_admin(status: int) -> dict[str, int | str]:
    return {**logged_in(status), "admin": FORBIDDEN}


CASES: dict[str, list[Case]] = {
    "posts.create": [
        Case("POST", lambda s: "/posts/", _no_admin(REDIRECT),
             data={"body": "Bonjour", "audience": "network"}),
        Case("POST", lambda s: "/posts/", _no_admin(422),
             data={"body": "", "audience": "network"}),
    ],
    # Only the person tagged in the picture answers; for anyone else there is nothing to answer.
    "posts.photo_consent": [
        Case("POST", lambda s: f"/posts/{s['lea_tagged_post'].id}/photo-consent",
             {**logged_in(NOT_FOUND), "student": REDIRECT}, data={"answer": "agree"}),
    ],
    "posts.show": [
        Case("GET", lambda s: f"/posts/{s['lea_post'].id}", _readers_of_lea(OK)),
        Case("GET", lambda s: f"/posts/{s['persona_post'].id}", logged_in(OK)),
        Case("GET", lambda s: "/posts/99999999", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/posts/99999999999999999999", everyone(NOT_FOUND)),
    ],
    "posts.edit": [
        Case("GET", lambda s: f"/posts/{s['lea_post'].id}/edit", _not_the_author(OK)),
        Case("GET", lambda s: f"/posts/{s['hugo_post'].id}/edit", _not_the_author(FORBIDDEN)),
        Case("POST", lambda s: f"/posts/{s['hugo_post'].id}/edit", _not_the_author(FORBIDDEN),
             data={"body": "Modifié"}),
        Case("POST", lambda s: f"/posts/{s['lea_post'].id}/edit", _not_the_author(REDIRECT),
             data={"body": "Mon stage #logistique, modifié"}),
    ],
    "posts.share": [
        Case("GET", lambda s: f"/posts/{s['persona_post'].id}/share", _no_admin(OK)),
        Case("GET", lambda s: f"/posts/{s['lea_post'].id}/share",
             {**_readers_of_lea(OK), "admin": FORBIDDEN}),
        Case("POST", lambda s: f"/posts/{s['persona_post'].id}/share", _no_admin(REDIRECT),
             data={"body": "À lire", "audience": "network"}),
        Case("GET", lambda s: "/posts/99999999/share", _no_admin(NOT_FOUND)),
    ],
    "posts.image": [
        Case("GET", lambda s: s["lea_image_url"], _readers_of_lea(OK)),
        Case("GET", lambda s: f"/posts/{s['lea_post'].id}/images/post-0000000000000000.webp",
             logged_in(NOT_FOUND)),
    ],
    "posts.mentions": [Case("GET", lambda s: "/posts/mentions?q=hu", logged_in(OK))],
    "posts.hashtag": [
        Case("GET", lambda s: "/hashtags/logistique", logged_in(OK)),
        Case("GET", lambda s: "/hashtags/Logistique", logged_in(301)),
        Case("GET", lambda s: "/hashtags/a%20b", logged_in(NOT_FOUND)),
    ],
    "posts.feed_page": [
        Case("GET", lambda s: "/feed", logged_in(OK)),
        Case("GET", lambda s: "/feed?before=nonsense", logged_in(400)),
    ],
    "posts.new_posts": [Case("GET", lambda s: "/feed/new", logged_in(OK))],
    "posts.delete": [  # last: it deletes
        Case("POST", lambda s: f"/posts/{s['hugo_post'].id}/delete", _not_the_author(FORBIDDEN)),
        Case("POST", lambda s: f"/posts/{s['lea_spare_post'].id}/delete",
             _not_the_author(REDIRECT)),
    ],
}
