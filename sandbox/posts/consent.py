"""Photo consent (charter rule 6): people shown in a post's picture agree before others see it.

On publishing a picture, the author says whether it shows other people and tags them by their
@name. The post is then seen only by its author, their teachers and the people tagged
(`Post.awaiting_consent`, read by `posts.visibility`) until every tagged person has confirmed.
People outside the network cannot confirm, so a picture of them cannot be published here.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.notifications.services import notify
from sandbox.posts import live
from sandbox.posts.models import ConsentStatus, PhotoTag, Post
from sandbox.posts.text import handles_in, resolve_mentions

MAX_TAGS = 10


def people_to_tag(author: User, raw: str | None) -> list[User]:
    """The people named by @handles in `raw`, among those the author may see.

    Personas are fiction and cannot agree to anything: only students and teachers are tagged.
    A handle that names nobody gets a clear message rather than being dropped.
    """
    raw = raw or ""
    handles = handles_in(raw)
    if not handles:
        raise ServiceError(
            _l("Tag each person in the picture with their @name: they will be asked to agree "
               "before others see it. People outside Tremplin cannot agree here: choose a "
               "picture without them."),
            field="photo_tags",
        )
    if len(handles) > MAX_TAGS:
        raise ServiceError(_l("Tag %(count)d people at most.", count=MAX_TAGS),
                           field="photo_tags")
    found = {person.mention_handle: person for person in resolve_mentions(author, raw)}
    unknown = [handle for handle in handles if handle not in found]
    if unknown:
        raise ServiceError(
            _l("Nobody you can see is called @%(handle)s: check the name.", handle=unknown[0]),
            field="photo_tags",
        )
    people = [found[handle] for handle in handles]
    if any(person.persona is not None for person in people):
        raise ServiceError(
            _l("Fictional professionals cannot be in your pictures: tag only real people."),
            field="photo_tags",
        )
    return people


def tag_people(post: Post, author: User, people: list[User]) -> None:
    """Ask each tagged person to agree; no commit (the post's own transaction)."""
    post.shows_people = True
    post.awaiting_consent = bool(people)
    for person in people:
        db.session.add(PhotoTag(post_id=post.id, user_id=person.id))
        notify(person, "photo_tag_request", actor=author, subject=post, post_id=post.id)


def answer_photo_tag(person: User, post_id: int, agree: bool) -> Post:
    """A tagged person agrees to appear in the picture, or refuses.

    Once everyone tagged has agreed, the post reaches its readers (a live "feed" ping).
    A refusal keeps it out of sight; the author is told either way.
    """
    tag = db.session.get(PhotoTag, (post_id, person.id)) if 0 < post_id < 2**31 else None
    post = db.session.get(Post, post_id) if tag is not None else None
    if tag is None or post is None or post.is_deleted or post.is_hidden:
        raise NotFound(_l("This post does not exist or is no longer available."))
    if tag.status is not ConsentStatus.PENDING:
        raise ServiceError(_l("You have already answered for this picture."))
    tag.status = ConsentStatus.CONFIRMED if agree else ConsentStatus.DECLINED
    tag.answered_at = utcnow()
    db.session.flush()
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(PhotoTag).where(
        PhotoTag.post_id == post.id, PhotoTag.status != ConsentStatus.CONFIRMED
    ))
    if agree and not waiting:
        post.awaiting_consent = False
        live.announce(post, post.author)
    notify(post.author, "photo_consent_given" if agree else "photo_consent_declined",
           actor=person, subject=post, post_id=post.id)
    record_event(person, "photo_consent_given" if agree else "photo_consent_declined", post)
    db.session.commit()
    return post
