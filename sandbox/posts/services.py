"""Writing posts: publish, share, edit, delete. Rules first, then one commit.

Every input is checked before anything is written, so a refused post leaves no row, no
notification and no stored picture behind. Reading posts (the feed, hashtag and group pages)
lives in `posts.feed`; who may see a post is decided by `posts.visibility` alone.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import Screening, require_posting_window, screen, settle
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.groups.services import groups_of, is_member
from sandbox.media.images import ImageKind, delete_image, process_image, store_image
from sandbox.moderation.models import ContentKind
from sandbox.network.lists import lists_of
from sandbox.network.models import ContactList
from sandbox.personas.social import schedule_reactions
from sandbox.posts import live
from sandbox.posts.consent import people_to_tag, tag_people
from sandbox.posts.models import POST_MAX_LENGTH, Audience, Post, PostMention
from sandbox.posts.notices import notify_reader
from sandbox.posts.text import index_post
from sandbox.posts.visibility import can_view_post

MAX_ID = 2**31 - 1


# ---- what the composer offers ---------------------------------------------------------------


def may_post(user: User) -> bool:
    """Students, teachers and personas post; the school's IT admin has nothing to say here."""
    return not user.is_admin


def composer_choices(author: User) -> tuple[list[Group], list[ContactList]]:
    """The groups and contact lists the composer's audience menu offers (two queries)."""
    return groups_of(author), lists_of(author)


# ---- checks -----------------------------------------------------------------------------------


def _checked_body(body: str | None, *, allow_empty: bool) -> str:
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_control_characters(body):
        raise ServiceError(_l("This text contains invisible characters: retype it."),
                           field="body")
    if not body and not allow_empty:
        raise ServiceError(_l("Write something before publishing."), field="body")
    if len(body) > POST_MAX_LENGTH:
        raise ServiceError(
            _l("A post has %(count)d characters at most (yours has %(length)d): be concise.",
               count=POST_MAX_LENGTH, length=len(body)),
            field="body",
        )
    return body


def _checked_audience(value: Audience | str | None) -> Audience:
    try:
        return Audience(value)
    except ValueError:
        raise ServiceError(_l("Choose who can read your post."), field="audience") from None


def _valid_id(value: int | None) -> int | None:
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def _checked_group(author: User, group_id: int | None) -> int:
    group_id = _valid_id(group_id)
    group = db.session.get(Group, group_id) if group_id is not None else None
    if group is None or not is_member(author, group):
        raise ServiceError(_l("You can only post in a group you have joined."), field="audience")
    return group_id


def _checked_list(author: User, list_id: int | None) -> int:
    list_id = _valid_id(list_id)
    contact_list = db.session.get(ContactList, list_id) if list_id is not None else None
    if contact_list is None or contact_list.owner_id != author.id:
        raise ServiceError(_l("Choose one of your own contact lists."), field="audience")
    return contact_list.id


def shareable_original(sharer: User, post_id: int | None) -> Post:
    """The post a share of `post_id` quotes: the root original when `post_id` is itself a share.

    NotFound when the sharer may not see it, deleted or not (a deleted post's existence is not
    revealed to someone who never could see it); a clear message when a share they see quotes a
    post deleted since.
    """
    post = db.session.get(Post, post_id) if _valid_id(post_id) is not None else None
    if post is None or not can_view_post(sharer, post):
        raise NotFound(_l("This post does not exist or is no longer available."))
    original = post.shared_post if post.shared_post_id is not None else post
    if original is None or original.is_deleted:
        raise ServiceError(_l("This post was deleted: it can no longer be shared."),
                           field="shared_post_id")
    if not can_view_post(sharer, original):
        raise NotFound(_l("This post does not exist or is no longer available."))
    return original


def _uploads_root() -> Path:
    return Path(current_app.instance_path)


def _notify_readers(post: Post, author: User, people: list[User], kind: str,
                    **data: object) -> None:
    """Tell each person who may see the post."""
    for person in people:
        notify_reader(person, kind, actor=author, post=post, subject=post, **data)


def _commit_with_image(path: str | None) -> None:
    """Commit; if it fails, the picture stored for this post goes too."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        delete_image(_uploads_root(), path)
        raise


# ---- writing ----------------------------------------------------------------------------------


def create_post(
    author: User,
    *,
    body: str | None,
    audience: Audience | str | None,
    group_id: int | None = None,
    contact_list_id: int | None = None,
    image: bytes | None = None,
    shared_post_id: int | None = None,
    charter_ack: bool = False,
    shows_people: bool = False,
    photo_tags: str | None = None,
) -> Post:
    """Publish a post (or share one, with an optional comment) to the chosen audience.

    The class charter checks the text last, once everything else is valid: `charter_ack` is
    the student's "publish anyway" after reading the coach's advice. A picture that
    `shows_people` names them in `photo_tags` (@names): they agree before others see the post.
    """
    if not may_post(author):
        raise PermissionDenied(_l("Administrators do not post in the network."))
    require_posting_window(author)
    original = shareable_original(author, shared_post_id) if shared_post_id is not None else None
    body = _checked_body(body, allow_empty=original is not None)
    chosen = _checked_audience(audience)
    group = _checked_group(author, group_id) if chosen is Audience.GROUP else None
    contact_list = _checked_list(author, contact_list_id) if chosen is Audience.LIST else None
    picture = process_image(image, ImageKind.POST) if image else None
    tagged = people_to_tag(author, photo_tags) if picture and shows_people else []
    screening = screen(author, body, kind=ContentKind.POST, acknowledged=charter_ack)

    path = store_image(_uploads_root(), author.id, ImageKind.POST, picture) if picture else None
    try:
        post, mentioned = write_post(author, body, chosen, group_id=group,
                                     contact_list_id=contact_list, image_path=path,
                                     original=original, screening=screening, tagged=tagged)
        # The personas it concerns will like it, maybe comment, a little later: scheduled in
        # this transaction, so a post that is not committed gets no reaction. A text the
        # charter flagged, or published against its advice, earns none.
        schedule_reactions(post, author, mentioned,
                           well_written=not (screening.flagged or screening.overridden))
    except BaseException:
        db.session.rollback()
        delete_image(_uploads_root(), path)
        raise
    _commit_with_image(path)
    return post


def write_post(
    author: User,
    body: str,
    audience: Audience = Audience.NETWORK,
    *,
    group_id: int | None = None,
    contact_list_id: int | None = None,
    image_path: str | None = None,
    original: Post | None = None,
    screening: Screening | None = None,
    tagged: list[User] | None = None,
) -> tuple[Post, list[User]]:
    """Write a post already checked, with all that goes with it, in the current transaction:
    the charter's verdict, photo tags, hashtags and mentions (the people mentioned are told),
    the activity event and the live news. No commit.

    Returns the post and the people it mentions. `create_post` checks the input first; a
    persona's scheduled post (`personas.social_posts`) writes its own text through it as is.
    """
    post = Post(author_id=author.id, body=body, audience=audience, group_id=group_id,
                contact_list_id=contact_list_id, image_path=image_path,
                shared_post_id=original.id if original is not None else None)
    db.session.add(post)
    db.session.flush()
    if screening is not None:
        settle(screening, author, ContentKind.POST, post.id)
    if tagged:
        tag_people(post, author, tagged)
    mentioned = index_post(post, author)
    _notify_readers(post, author, mentioned, "mentioned")
    if original is not None:
        _notify_readers(post, author, [original.author], "post_shared")
        record_event(author, "post_shared", post, original_id=original.id,
                     audience=audience.value)
    else:
        record_event(author, "post_created", post, audience=audience.value,
                     image=image_path is not None)
    live.announce(post, author)
    return post, mentioned


def own_post(author: User, post_id: int) -> Post:
    """A post `author` wrote, for editing or deleting it.

    A post one cannot see does not exist (404); someone else's that one can see is a 403.
    """
    post = db.session.get(Post, post_id) if _valid_id(post_id) is not None else None
    if post is None or post.is_deleted or not can_view_post(author, post):
        raise NotFound(_l("This post does not exist."))
    if post.author_id != author.id:
        raise PermissionDenied(_l("Only its author can change a post."))
    return post


def edit_post(author: User, post_id: int, body: str | None, *,
              charter_ack: bool = False) -> Post:
    """Change the text of one's post: it is marked edited; only newly mentioned people are told."""
    post = own_post(author, post_id)
    body = _checked_body(body, allow_empty=post.shared_post_id is not None)
    if body == post.body:
        return post
    screening = screen(author, body, kind=ContentKind.POST, target=f"post:{post.id}",
                       acknowledged=charter_ack)
    before = set(db.session.scalars(
        sa.select(PostMention.user_id).where(PostMention.post_id == post.id)
    ))
    post.body = body
    post.edited_at = utcnow()
    mentioned = index_post(post, author)
    _notify_readers(post, author, [p for p in mentioned if p.id not in before], "mentioned")
    settle(screening, author, ContentKind.POST, post.id)
    record_event(author, "post_edited", post)
    db.session.commit()
    return post


def delete_post(author: User, post_id: int) -> None:
    """Delete one's post. Softly: the teacher's review and the activity log keep their trace."""
    post = own_post(author, post_id)
    post.deleted_at = utcnow()
    record_event(author, "post_deleted", post)
    db.session.commit()


def image_file(viewer: User, post_id: int, name: str) -> Path:
    """The picture of a post `viewer` may see; NotFound otherwise (even when it exists)."""
    post = db.session.get(Post, post_id) if _valid_id(post_id) is not None else None
    if (post is None or not post.image_path or post.image_path.rsplit("/", 1)[-1] != name
            or not can_view_post(viewer, post)):
        raise NotFound(_l("This picture does not exist."))
    file = _uploads_root() / "uploads" / post.image_path
    if not file.is_file():
        raise NotFound(_l("This picture does not exist."))
    return file
