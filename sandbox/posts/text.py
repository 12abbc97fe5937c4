"""The text of a post: plain text in, links out. No user HTML is ever kept or rendered.

A body is stored exactly as typed. Shown, it is cut into pieces: URLs (http, https, www.),
#hashtags and @mentions become links built by the app, and every other piece is escaped. A
hashtag is normalised like profile hashtags ("#Export" and "#export" are one tag); a mention is
`@handle` (made from the name people see: "@lea.k") and resolves only to someone the author
may see: anything else stays plain text.

`index_post` stores what a body refers to (PostHashtag and PostMention rows), so that hashtag
pages, the feed and the cards read them without parsing or querying again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload
from markupsafe import Markup, escape

from sandbox.accounts.models import Role, User
from sandbox.core.errors import ServiceError
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.posts.models import Post, PostHashtag, PostMention
from sandbox.profiles.services import parse_hashtags

MAX_MENTIONS = 20  # people notified by one post at most: beyond, it is a mailing, not a mention
MAX_TAGS = 30
_TRAILING = ".,;:!?»)]}'\"’…"
# One pass, three kinds of token. URLs come first so that a "#" or "@" inside one stays in it.
# A hashtag or a mention starts after a space or punctuation, never inside a word or an e-mail.
_TOKENS = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?<![\w&#@/])#(?P<tag>\w(?:[\w-]*\w)?)"
    r"|(?<![\w@./])@(?P<user>[A-Za-z0-9][A-Za-z0-9._-]{1,39})",
    re.UNICODE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # "url", "tag" or "user"
    text: str  # exactly as written, without trailing punctuation
    value: str  # the URL to open, the normalised tag, or the lowercased @handle
    start: int
    end: int


def _normal_tag(raw: str) -> str | None:
    try:
        tags = parse_hashtags(raw)
    except ServiceError:
        return None
    return tags[0] if len(tags) == 1 else None


def tokens(body: str) -> list[Token]:
    """The links a body holds, in order; a "#" or "@" that is not a valid one is left out."""
    found: list[Token] = []
    for match in _TOKENS.finditer(body or ""):
        kind = match.lastgroup or ""
        text = match.group(kind)
        start = match.start(kind)
        if kind == "url":
            text = _trim_url(text)
            if text.lower() in {"http://", "https://", "www."}:
                continue
            value = text if text.lower().startswith("http") else f"https://{text}"
        elif kind == "tag":
            tag = _normal_tag(text)
            if tag is None:
                continue
            value = tag
            start -= 1  # the "#" belongs to the link
            text = "#" + text
        else:
            text = text.rstrip("._-")
            if len(text) < 3:
                continue
            value = text.lower()
            start -= 1
            text = "@" + text
        found.append(Token(kind, text, value, start, start + len(text)))
    return found


def _trim_url(url: str) -> str:
    """Punctuation ending a sentence is not part of the link; a closing bracket is, if opened."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def hashtags_in(body: str) -> list[str]:
    """The normalised tags of a body, each once, in order."""
    tags: list[str] = []
    for token in tokens(body):
        if token.kind == "tag" and token.value not in tags:
            tags.append(token.value)
    return tags[:MAX_TAGS]


def handles_in(body: str) -> list[str]:
    """The lowercased @handles a body holds, each once, in order."""
    handles: list[str] = []
    for token in tokens(body):
        if token.kind == "user" and token.value not in handles:
            handles.append(token.value)
    return handles


def resolve_mentions(author: User, body: str) -> list[User]:
    """The people a body mentions that its author may see; other handles stay text.

    A handle is made from the name people see (`User.mention_handle`), not stored, so it is
    matched here among the people in the author's scope (one query, only when the body holds
    a handle). Two people in scope with the same handle: neither is mentioned (ambiguous).
    """
    handles = handles_in(body)[:MAX_MENTIONS]
    if not handles:
        return []
    people = db.session.scalars(
        sa.select(User)
        .where(visible_people(author), User.id != author.id, User.role != Role.ADMIN)
        .options(joinedload(User.school_class))
    ).all()
    by_handle: dict[str, list[User]] = {}
    for person in people:
        by_handle.setdefault(person.mention_handle, []).append(person)
    return [by_handle[handle][0] for handle in handles if len(by_handle.get(handle, [])) == 1]


def index_post(post: Post, author: User) -> list[User]:
    """Store the post's hashtags and resolved mentions (replacing earlier ones); no commit.

    Returns the people mentioned. The post must have an id (flushed).
    """
    db.session.execute(sa.delete(PostHashtag).where(PostHashtag.post_id == post.id))
    db.session.execute(sa.delete(PostMention).where(PostMention.post_id == post.id))
    mentioned = resolve_mentions(author, post.body)
    db.session.add_all([PostHashtag(post_id=post.id, tag=tag) for tag in hashtags_in(post.body)])
    db.session.add_all([PostMention(post_id=post.id, user_id=person.id) for person in mentioned])
    db.session.flush()
    return mentioned


def render(body: str, mentions: Mapping[str, int] | None = None) -> Markup:
    """The body as safe HTML: escaped text, with links for URLs, hashtags and `mentions`.

    `mentions` maps a lowercased @handle to the id of the person it resolved to (and whom the
    reader may see); any other "@name" stays plain text.
    """
    mentions = mentions or {}
    pieces: list[str] = []
    position = 0
    for token in tokens(body):
        if token.kind == "user" and token.value not in mentions:
            continue
        pieces.append(str(escape(body[position:token.start])))
        pieces.append(_link(token, mentions))
        position = token.end
    pieces.append(str(escape(body[position:])))
    return Markup("".join(pieces))


def _link(token: Token, mentions: Mapping[str, int]) -> str:
    text = escape(token.text)
    if token.kind == "url":
        return f'<a href="{escape(token.value)}" rel="nofollow ugc noopener noreferrer">{text}</a>'
    if token.kind == "tag":
        href = url_for("posts.hashtag", tag=token.value)
        return f'<a class="hashtag" href="{escape(href)}">{text}</a>'
    href = url_for("profiles.show", user_id=mentions[token.value])
    return f'<a class="mention" href="{escape(href)}">{text}</a>'
