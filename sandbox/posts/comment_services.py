"""Comments and replies (one level): write, edit, delete softly.

Every service takes the acting user, checks what they may see through the one visibility rule,
validates, writes, records the activity event and notifies, then commits once: bad input leaves
nothing written. Re-exported by `sandbox.posts.reactions`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import Screening, require_posting_window, screen, settle
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import has_control_characters
from sandbox.extensions import db
from sandbox.moderation.models import ContentKind
from sandbox.posts.models import COMMENT_MAX_LENGTH, Comment, Post
from sandbox.posts.notices import notify_reader
from sandbox.posts.visibility import can_view_comment, can_view_post


def visible_post(user: User, post_id: int) -> Post:
    """The post, when `user` may see it; otherwise the same NotFound whether it exists or not."""
    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(user, post):
        raise NotFound(_l("This post does not exist or is no longer available."))
    return post


def visible_comment(user: User, comment_id: int) -> Comment:
    """The comment, when `user` may see it (not deleted, on a post they see)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_view_comment(user, comment):
        raise NotFound(_l("This comment does not exist or is no longer available."))
    return comment


def clean_comment_body(raw: str | None) -> str:
    """The text of a comment, tidied; a clear message when it is empty or too long."""
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_control_characters(text):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field="body")
    if not text:
        raise ServiceError(_l("Write your comment before sending it."), field="body")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ServiceError(
            _l("A comment is %(max)d characters at most (this one has %(count)d).",
               max=COMMENT_MAX_LENGTH, count=len(text)),
            field="body",
        )
    return text


def _thread_parent(user: User, post: Post, parent_id: int) -> tuple[Comment, Comment]:
    """(the top-level comment the reply goes under, the comment answered)."""
    answered = db.session.get(Comment, parent_id)
    if answered is None or answered.post_id != post.id:
        raise ServiceError(_l("You can only reply to a comment of this post."))
    if not can_view_comment(user, answered):
        raise ServiceError(_l("This comment has been deleted: it can no longer be answered."))
    # One level of replies: answering a reply adds to the thread of its top-level comment.
    top = answered.parent if answered.parent is not None else answered
    return top, answered


def _notify_if_allowed(recipient: User, actor: User, post: Post, kind: str, subject: object,
                       told: set[int]) -> None:
    """Never oneself, never twice for one action, never someone who may not see the post."""
    if recipient.id not in told and notify_reader(recipient, kind, actor=actor, post=post,
                                                  subject=subject):
        told.add(recipient.id)


def add_comment(author: User, post_id: int, body: str | None,
                parent_id: int | None = None, *, charter_ack: bool = False) -> Comment:
    """Comment a post the author may see, or reply to one of its comments.

    Told: the author of the comment answered and the author of its thread ("comment_replied"),
    and the post's author ("post_commented", unless already told by a reply notification).
    """
    post = visible_post(author, post_id)
    require_posting_window(author)
    text = clean_comment_body(body)
    top = answered = None
    if parent_id is not None:
        top, answered = _thread_parent(author, post, parent_id)
    screening = screen(author, text, kind=ContentKind.COMMENT, target=f"post:{post.id}",
                       acknowledged=charter_ack)
    comment = write_comment(author, post, text, top=top, answered=answered,
                            screening=screening)
    db.session.commit()
    return comment


def write_comment(author: User, post: Post, text: str, *, top: Comment | None = None,
                  answered: Comment | None = None,
                  screening: Screening | None = None) -> Comment:
    """Write a checked comment on `post` (which `author` may see), or a reply to `answered`
    under its thread's `top` comment, in the current transaction: the comment, the charter's
    verdict, the event and the notifications. No commit (a persona's scheduled comment uses
    it as is)."""
    comment = Comment(post_id=post.id, author_id=author.id, body=text,
                      parent_id=top.id if top is not None else None)
    db.session.add(comment)
    db.session.flush()
    if screening is not None:
        settle(screening, author, ContentKind.COMMENT, comment.id)
    record_event(author, "commented", comment, post_id=post.id,
                 parent_id=comment.parent_id)
    told: set[int] = set()
    for replied in (answered, top):
        if replied is not None:
            _notify_if_allowed(replied.author, author, post, "comment_replied", comment, told)
    _notify_if_allowed(post.author, author, post, "post_commented", comment, told)
    return comment


def _own_comment(author: User, comment_id: int, refusal: str) -> Comment:
    comment = visible_comment(author, comment_id)
    if comment.author_id != author.id:
        raise PermissionDenied(refusal)
    return comment


def comment_to_edit(author: User, comment_id: int) -> Comment:
    """The comment its author is about to edit (for the edit form)."""
    return _own_comment(author, comment_id, _l("Only the author of a comment can edit it."))


def edit_comment(author: User, comment_id: int, body: str | None, *,
                 charter_ack: bool = False) -> Comment:
    """Change the text of one's own comment; it then shows an "edited" mark."""
    comment = comment_to_edit(author, comment_id)
    text = clean_comment_body(body)
    if text == comment.body:
        return comment
    screening = screen(author, text, kind=ContentKind.COMMENT, target=f"comment:{comment.id}",
                       acknowledged=charter_ack)
    settle(screening, author, ContentKind.COMMENT, comment.id)
    comment.body = text
    comment.edited_at = utcnow()
    record_event(author, "comment_edited", comment, post_id=comment.post_id)
    db.session.commit()
    return comment


def delete_comment(author: User, comment_id: int) -> Comment:
    """Delete one's own comment (softly). Its replies, if any, are hidden with it."""
    comment = _own_comment(author, comment_id, _l("Only the author of a comment can delete it."))
    comment.deleted_at = utcnow()
    record_event(author, "comment_deleted", comment, post_id=comment.post_id)
    db.session.commit()
    return comment
