"""Busy pages kept as rendered for each reader, and told out of date by what changed since.

A class of students reloads the same few pages all lesson: their home feed, a classmate's
profile, their group, and the teacher the dashboard. Rendering one costs tens of milliseconds;
serving it again, kept, costs about one. Correctness comes first, so a kept page is served only
while nothing it shows has changed:

- Every page depends on *scopes*: `all` (anything shown everywhere: names, photos, companies),
  `u:<id>` (a person: what they own, receive or take part in), `c:<id>` (a class), `g:<id>`
  (a group). Each scope has a version in the `page_versions` table, shared by every process.
- Every write moves the versions of the scopes it touches, found from the rows themselves: the
  session's flushed objects and its bulk statements are read for their foreign keys (a like on
  a post, a message to someone, a member of a class). A post, its comments and its likes move
  the versions of everyone whose feed may show it: its author, the author's connections and
  followers, the followers of its company and hashtags, its group's members. A row this module
  cannot place moves `all`, and so does a write touching more than a few thousand people (an
  import) and any change to what other people see of someone (a name, a photo, a class's
  privacy settings). Versions move in the writing transaction itself, just before it commits
  (on its own connection, in scope order: no deadlock), to a new random value each time: a
  database made again from nothing never matches an old copy, and a restored one only copies
  of the very state it restores (its versions are in the backup).
- A rendering reads the versions before reading what it shows, and again after: a page is kept
  only if they did not move meanwhile (a write that committed during the rendering).
- A kept page is also dropped after `PAGE_CACHE_SECONDS` (two minutes by default), which bounds
  any staleness that no write announces: what changes with the clock alone (an exercise's
  phase ending, the dashboard's "last 30 days"), or an SQL statement run outside the session.

Kept pages are per process (`PAGE_CACHE_MAX_BYTES`, least recently used first); the versions are
in the database, so several processes stay correct together. The CSRF token of the request that
rendered a page is replaced by the reader's own when it is served. Only GET requests of a logged
in reader without flashed messages are kept, and only whole 200 HTML answers that set nothing
in the session.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from sandbox.extensions import db

log = logging.getLogger(__name__)

ALL = "all"
# Beyond this many people to tell, a write moves `all` instead (a school-wide import).
MAX_PEOPLE_PER_WRITE = 3000
# Tables no cached page shows.
IGNORED_TABLES = frozenset({"scheduled_actions", "page_versions", "alembic_version"})
# Tables whose rows name a scope, or the readers of a post.
PLACED_TABLES = frozenset({"users", "profiles", "classes", "groups", "posts", "comments"})
# Columns whose change shows on other people's pages (a name on a card, who sees whom): any
# change to them moves `all`.
SHOWN_EVERYWHERE = {
    "users": frozenset({"first_name", "last_name", "pseudonym", "role", "is_disabled",
                        "class_id"}),
    # Who sees whom, and under which name; which teachers a class has.
    "classes": frozenset({"name", "network_scope", "allow_pseudonyms", "teachers"}),
    "profiles": frozenset({"headline", "photo_path", "visibility"}),
    "personas": frozenset({"job_title", "company_id", "kind"}),
}


class PageVersion(db.Model):
    """The version of one scope of pages: a random number, new at each change."""

    __tablename__ = "page_versions"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)


def _new_version() -> int:
    return secrets.randbits(62) + 1


# ---- what a write touches ---------------------------------------------------------------------


@dataclass
class Changes:
    """What a transaction touched, gathered while it runs, told just before it commits."""

    scopes: set[str]
    posts: set[int]
    comments: set[int]
    authors: set[int]
    groups: set[int]
    tags: set[str]
    # Rows of other tables referred to (a skill endorsed): placed by their own keys later.
    referred: dict[str, set[Any]]

    @classmethod
    def empty(cls) -> Changes:
        return cls(set(), set(), set(), set(), set(), set(), {})

    def __bool__(self) -> bool:
        return bool(self.scopes or self.posts or self.comments or self.authors or self.groups
                    or self.tags or self.referred)


def _changes(session: Session) -> Changes:
    found = session.info.get("page_changes")
    if found is None:
        found = session.info["page_changes"] = Changes.empty()
    return found


def _note_value(changes: Changes, column: sa.Column, value: Any) -> None:
    """Place one foreign key or primary key value of a written row."""
    if value is None:
        return
    for key in column.foreign_keys:
        _note_reference(changes, key.column.table.name, value)
    if column.table.name == "post_hashtags" and column.name == "tag":
        changes.tags.add(value)  # a tag added or taken off: its followers' feeds
    elif column.primary_key and not column.foreign_keys \
            and len(column.table.primary_key.columns) == 1:
        # A row named by its own key (a composite key's other columns place it).
        _note_reference(changes, column.table.name, value)


def _note_reference(changes: Changes, table: str, value: Any) -> None:
    if table in ("users", "profiles"):  # a profile's key is its user's
        changes.scopes.add(f"u:{value}")
    elif table == "classes":
        changes.scopes.add(f"c:{value}")
    elif table == "groups":
        changes.scopes.add(f"g:{value}")
    elif table == "posts":
        changes.posts.add(int(value))
    elif table == "comments":
        changes.comments.add(int(value))
    elif table not in IGNORED_TABLES:
        changes.referred.setdefault(table, set()).add(value)


def _placed(table: sa.Table) -> bool:
    """Can a row of `table` be placed by its keys (otherwise: `all`)?"""
    if table.name in PLACED_TABLES:
        return True
    return any(key.column.table.name in PLACED_TABLES
               for column in table.columns for key in column.foreign_keys)


def _note_object(changes: Changes, obj: Any, how: str) -> None:
    """Place a row the flush wrote (`how`: "inserted", "updated" or "deleted")."""
    state = sa.inspect(obj)
    table = state.mapper.local_table
    if not isinstance(table, sa.Table) or table.name in IGNORED_TABLES:
        return
    if not _placed(table):
        changes.scopes.add(ALL)
        return
    values: dict[str, Any] = {}
    for column in table.columns:
        if not (column.foreign_keys or column.primary_key):
            continue
        attribute = state.mapper.get_property_by_column(column).key
        # The value now (read without loading anything) and the one it replaced.
        current = state.dict.get(attribute)
        if current is None and state.identity is not None:
            for position, key_column in enumerate(state.mapper.primary_key):
                if key_column is column:
                    current = state.identity[position]
        values[column.name] = current
        _note_value(changes, column, current)
        for previous in state.attrs[attribute].history.deleted:
            _note_value(changes, column, previous)
    shown = SHOWN_EVERYWHERE.get(table.name)
    if shown is not None and (how == "deleted" or how == "updated" and any(
            state.attrs[name].history.has_changes() for name in shown if name in state.attrs)):
        changes.scopes.add(ALL)  # a name, a photo or a job shown on others' pages
    if table.name == "posts":
        _note_post(changes, values)
    elif table.name == "moderation_cases" and values.get("class_id") is None:
        changes.scopes.add(ALL)  # read by the teachers of whoever reported it
    elif table.name == "groups" and values.get("id") is not None:
        changes.groups.add(values["id"])  # its members show its name on their group posts


def _note_post(changes: Changes, values: dict[str, Any]) -> None:
    """A post's author and group, kept now: a deleted post is gone when its readers are
    looked for."""
    if values.get("author_id") is not None:
        changes.authors.add(values["author_id"])
    if values.get("group_id") is not None:
        changes.groups.add(values["group_id"])


def _after_flush(session: Session, _context: Any) -> None:
    changes = _changes(session)
    for obj in session.new:
        _note_object(changes, obj, "inserted")
    for obj in session.dirty:
        _note_object(changes, obj, "updated")
    for obj in session.deleted:
        _note_object(changes, obj, "deleted")


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """A post about to be deleted: note its hashtags' followers while its tags exist."""
    from sandbox.posts.models import Post, PostHashtag

    gone = [obj.id for obj in session.deleted if isinstance(obj, Post) and obj.id is not None]
    if gone:
        _changes(session).tags.update(session.scalars(
            sa.select(PostHashtag.tag).where(PostHashtag.post_id.in_(gone))))


def _statement_rows(state: Any) -> list[dict[str, Any]]:
    params = state.parameters
    if isinstance(params, list):
        return [row for row in params if isinstance(row, dict)]
    return [params] if isinstance(params, dict) else []


def _on_execute(state: Any) -> None:
    """A bulk INSERT, UPDATE or DELETE: place its rows by their keys.

    Never raises: a statement this cannot read moves `all` (on PostgreSQL a failed statement
    here would abort the caller's transaction, so the only SQL run is a plain read by the
    statement's own condition and parameters).
    """
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    statement = state.statement
    # The table itself (an ORM statement names an annotated copy of it).
    table = db.metadata.tables.get(getattr(getattr(statement, "table", None), "name", None))
    changes = _changes(state.session)
    if table is None:
        changes.scopes.add(ALL)
        return
    if table.name in IGNORED_TABLES:
        return
    if not _placed(table):
        changes.scopes.add(ALL)
        return
    rows = _statement_rows(state)
    if len(rows) > MAX_PEOPLE_PER_WRITE:  # an import
        changes.scopes.add(ALL)
        return
    try:
        if state.is_insert:
            _note_inserted(changes, statement, table, rows)
        else:
            _note_touched(changes, state, statement, table, rows)
    except Exception:  # noqa: BLE001  (a statement shape not foreseen: tell every page)
        log.debug("could not place a statement's rows", exc_info=True)
        changes.scopes.add(ALL)


def _keyed(table: sa.Table) -> list[sa.Column]:
    return [column for column in table.columns if column.foreign_keys or column.primary_key]


def _note_inserted(changes: Changes, statement: Any, table: sa.Table,
                   rows: list[dict[str, Any]]) -> None:
    given = {column.key: bind.value for column, bind in _set_values(statement)
             if bind is not None and bind.value is not None}
    for row in rows or [{}]:
        values = {**given, **row}
        for column in _keyed(table):
            if column.key in values:
                _note_value(changes, column, values[column.key])


def _pinned(where: Any, table: sa.Table, row: dict[str, Any]) -> dict[str, set[Any]]:
    """The values `where` (conditions joined by AND) pins columns of `table` to, by
    `column == value` or `column IN (values)`; `row` gives the execution's parameters."""
    clauses = list(where.clauses) if isinstance(where, sa.sql.elements.BooleanClauseList) \
        and where.operator is sa.sql.operators.and_ else [where]
    pinned: dict[str, set[Any]] = {}
    for clause in clauses:
        if not isinstance(clause, sa.sql.elements.BinaryExpression):
            continue
        left, right = clause.left, clause.right
        if not (isinstance(left, sa.Column) and getattr(left, "table", None) is table
                and isinstance(right, sa.BindParameter)):
            continue
        if clause.operator is sa.sql.operators.eq:
            values = [row.get(right.key, right.effective_value)]
        elif clause.operator is sa.sql.operators.in_op:
            values = list(row.get(right.key, right.effective_value) or ())
        else:
            continue
        if any(value is None for value in values):
            continue
        pinned.setdefault(left.name, set()).update(values)
    return pinned


def _note_touched(changes: Changes, state: Any, statement: Any, table: sa.Table,
                  rows: list[dict[str, Any]]) -> None:
    """An UPDATE or DELETE: its rows placed by the primary key its condition names (read
    after the commit), or else read first by its condition."""
    where = statement.whereclause
    if where is None or state.is_delete and table.name in SHOWN_EVERYWHERE:
        changes.scopes.add(ALL)
        return
    primary = list(table.primary_key.columns)
    # After a DELETE its rows are gone: only keys that place a row by themselves will do (a
    # post's readers are found from its author, group and tags: read them first).
    self_placing = table.name in PLACED_TABLES - {"posts"} or all(
        column.foreign_keys for column in primary)
    for row in rows or [{}]:
        pinned = _pinned(where, table, row)
        if primary and all(column.name in pinned for column in primary) and (
                state.is_update or self_placing):
            for column in primary:
                for value in pinned[column.name]:
                    _note_value(changes, column, value)
            continue
        keyed = _keyed(table)
        found = state.session.execute(sa.select(*keyed).where(where), row or None).all()
        if len(found) > MAX_PEOPLE_PER_WRITE:
            changes.scopes.add(ALL)
            return
        for values in found:
            for column, value in zip(keyed, values, strict=True):
                _note_value(changes, column, value)
            if table.name == "posts":
                _note_post(changes, dict(zip((column.name for column in keyed), values,
                                             strict=True)))
    if state.is_update:
        for column, bind in _set_values(statement):
            if column.foreign_keys:
                if bind is None:
                    changes.scopes.add(ALL)  # set to an expression: cannot tell to what
                else:
                    for row in rows or [{}]:
                        _note_value(changes, column, row.get(bind.key, bind.value))
            if column.name in SHOWN_EVERYWHERE.get(table.name, ()):
                changes.scopes.add(ALL)


def _set_values(statement: Any) -> Iterable[tuple[sa.Column, Any]]:
    """(column, bound parameter or None) for each value a statement sets in its text."""
    values = getattr(statement, "_values", None) or {}
    for key, value in values.items():
        column = key if isinstance(key, sa.Column) else statement.table.c.get(str(key))
        if column is None:
            continue
        yield column, value if isinstance(value, sa.BindParameter) else None


def _before_commit(session: Session) -> None:
    """Move the versions in the committing transaction itself, on its own connection: they
    change exactly when what they stand for does, and no second connection is needed."""
    session.flush()  # what is still pending is noted too
    changes = session.info.pop("page_changes", None)
    if changes:
        write_versions(session.connection(), changes)


def track_changes(session: Any) -> None:
    """Listen to `session` (the app's scoped session) for what its transactions write."""
    if sa.event.contains(session, "before_commit", _before_commit):
        return
    sa.event.listen(session, "before_flush", _before_flush)
    sa.event.listen(session, "after_flush", _after_flush)
    sa.event.listen(session, "do_orm_execute", _on_execute)
    # What a rolled back transaction noted is kept for the session's next commit: moving a
    # version for nothing costs one page rendered again, and a savepoint rolled back must not
    # make the session forget what the rest of its transaction wrote.
    sa.event.listen(session, "before_commit", _before_commit)


# ---- telling the versions --------------------------------------------------------------------


def _readers(connection: sa.Connection, changes: Changes) -> set[str]:
    """The scopes to move: those noted, and the readers of the posts and groups noted."""
    from sandbox.groups.models import GroupMembership
    from sandbox.network.models import (
        Connection,
        FollowedCompany,
        FollowedHashtag,
        FollowedPerson,
    )
    from sandbox.personas.models import Persona
    from sandbox.posts.models import Comment, Post, PostHashtag

    if ALL in changes.scopes or len(changes.posts) + len(changes.comments) + sum(
            len(keys) for keys in changes.referred.values()) > MAX_PEOPLE_PER_WRITE:
        return {ALL}
    _place_referred(connection, changes)
    scopes = set(changes.scopes)
    posts = set(changes.posts)
    if changes.comments:
        posts.update(connection.scalars(
            sa.select(Comment.post_id).where(Comment.id.in_(changes.comments))))
    authors, groups, tags = set(changes.authors), set(changes.groups), set(changes.tags)
    if posts:
        # The posts, and the shares that quote them.
        for author, group in connection.execute(sa.select(Post.author_id, Post.group_id).where(
                sa.or_(Post.id.in_(posts), Post.shared_post_id.in_(posts)))):
            authors.add(author)
            if group is not None:
                groups.add(group)
        tags.update(connection.scalars(
            sa.select(PostHashtag.tag).where(PostHashtag.post_id.in_(posts))))
    people: set[int] = set(authors)
    arms = []
    if authors:
        listed = sorted(authors)
        arms += [
            sa.select(Connection.user_id).where(Connection.contact_id.in_(listed)),
            sa.select(FollowedPerson.follower_id).where(FollowedPerson.followed_id.in_(listed)),
            sa.select(FollowedCompany.follower_id)
            .join(Persona, Persona.company_id == FollowedCompany.company_id)
            .where(Persona.user_id.in_(listed)),
        ]
    if tags:
        arms.append(sa.select(FollowedHashtag.follower_id)
                    .where(FollowedHashtag.tag.in_(sorted(tags))))
    if groups:
        scopes.update(f"g:{group}" for group in groups)
        arms.append(sa.select(GroupMembership.user_id)
                    .where(GroupMembership.group_id.in_(sorted(groups))))
    if arms:
        people.update(connection.scalars(sa.union(*arms)))
    if len(people) > MAX_PEOPLE_PER_WRITE:
        return {ALL}
    scopes.update(f"u:{person}" for person in people)
    return {ALL} if ALL in scopes else scopes


def _place_referred(connection: sa.Connection, changes: Changes) -> None:
    """The rows of other tables a write referred to, placed by their own keys (one step:
    an endorsed skill belongs to a profile, a list to its owner, an offer to a class)."""
    for name, keys in changes.referred.items():
        table = db.metadata.tables.get(name)
        if table is None or len(table.primary_key.columns) != 1:
            changes.scopes.add(ALL)
            continue
        keyed = [column for column in table.columns if column.foreign_keys]
        if not keyed:
            continue
        primary = next(iter(table.primary_key.columns))
        for row in connection.execute(sa.select(*keyed).where(primary.in_(sorted(keys)))):
            for column, value in zip(keyed, row, strict=True):
                for key in column.foreign_keys:
                    if value is not None and key.column.table.name in PLACED_TABLES:
                        _note_reference(changes, key.column.table.name, value)
    changes.referred.clear()


def _upsert(connection: sa.Connection) -> Any:
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return None
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = insert(PageVersion.__table__)
    return statement.on_conflict_do_update(
        index_elements=["scope"], set_={"version": statement.excluded.version})


def write_versions(connection: sa.Connection, changes: Changes | Iterable[str]) -> None:
    """Move the versions of what `changes` touched, in `connection`'s transaction.

    Rows are written last in the transaction and in the order of their scope, so that two
    writers never wait for each other's rows in opposite orders (no deadlock on PostgreSQL).
    """
    scopes = _readers(connection, changes) if isinstance(changes, Changes) else set(changes)
    rows = [{"scope": scope, "version": _new_version()} for scope in sorted(scopes)]
    if not rows:
        return
    upsert = _upsert(connection)
    if upsert is not None:
        connection.execute(upsert, rows)
        return
    table = PageVersion.__table__
    for row in rows:  # another engine: update, else insert
        if not connection.execute(table.update().where(table.c.scope == row["scope"])
                                  .values(version=row["version"])).rowcount:
            connection.execute(table.insert().values(**row))


# Built once: a kept page's whole cost is a few statements like this one.
_READ_VERSIONS = sa.select(PageVersion.__table__.c.scope, PageVersion.__table__.c.version).where(
    PageVersion.__table__.c.scope.in_(sa.bindparam("scopes", expanding=True)))


def versions(scopes: list[str]) -> tuple[int, ...] | None:
    """The current versions of `scopes` (0 for a scope never changed); None when the database
    has no `all` version yet (a new database: it gets one, and pages are kept from then on)."""
    found = dict(db.session.connection().execute(_READ_VERSIONS, {"scopes": scopes}).all())
    if ALL in scopes and ALL not in found:
        write_versions(db.session.connection(), [ALL])
        db.session.commit()
        return None
    return tuple(found.get(scope, 0) for scope in scopes)


# ---- the kept pages --------------------------------------------------------------------------


@dataclass
class KeptPage:
    scopes: list[str]
    versions: tuple[int, ...]
    body: bytes
    mimetype: str
    kept_at: float
    headers: list[tuple[str, str]] = field(default_factory=list)  # the view's own


class PageStore:
    """Rendered pages, least recently used dropped first beyond `max_bytes`."""

    def __init__(self, max_bytes: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.clock = clock
        self.size = 0
        self.pages: OrderedDict[tuple[Any, ...], KeptPage] = OrderedDict()
        self.lock = threading.Lock()
        # Stands for the CSRF token in a kept page: unguessable, so no text can contain it.
        self.token_mark = f"csrf-{secrets.token_hex(16)}".encode()

    def get(self, key: tuple[Any, ...]) -> KeptPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if self.clock() - page.kept_at > self.seconds:
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: KeptPage) -> None:
        if len(page.body) > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.pages:
                self._drop(key)
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.pages)))

    def discard(self, key: tuple[Any, ...]) -> None:
        with self.lock:
            if key in self.pages:
                self._drop(key)

    def _drop(self, key: tuple[Any, ...]) -> None:
        self.size -= len(self.pages.pop(key).body)


def _store() -> PageStore | None:
    return current_app.extensions.get("page_cache")


def _viewer_scopes() -> list[str]:
    """What every page of the reader shows: their menu (for a teacher, the open moderation
    cases of the classes they teach), their class."""
    scopes = [ALL, f"u:{current_user.id}"]
    if current_user.class_id is not None:
        scopes.append(f"c:{current_user.class_id}")
    if current_user.is_teacher:
        from sandbox.moderation.services import taught_class_ids

        scopes += [f"c:{taught}" for taught in db.session.scalars(taught_class_ids(current_user))]
    return scopes


def _key() -> tuple[Any, ...]:
    return (request.endpoint, request.full_path, current_user.id, str(get_locale()))


def _keepable_request() -> bool:
    return (request.method == "GET" and "X-Requested-With" not in request.headers
            and current_user.is_authenticated and "_flashes" not in session)


def serve_kept_page() -> Response | None:
    """Before anything else in a request: a kept page still up to date, if there is one.

    The checks the page's first rendering went through (logged in, the charter signed, the
    password changed, the role) depend on rows of the reader and their class, whose versions
    the page is kept under: while those are unchanged, so are the checks' answers.
    """
    store = _store()
    if store is None or request.endpoint not in _KEPT_ENDPOINTS or not _keepable_request():
        return None
    key = _key()
    page = store.get(key)
    if page is None:
        return None
    if versions(page.scopes) != page.versions:
        store.discard(key)
        return None
    body = page.body.replace(store.token_mark, generate_csrf().encode())
    return Response(body, mimetype=page.mimetype, headers=page.headers)


_KEPT_ENDPOINTS: set[str] = set()


def page_depends_on(*scopes: str) -> None:
    """Declare that the page also depends on `scopes`: before reading what it shows (or
    read it again after), as their versions are read now."""
    if "page_cache_scopes" not in g:
        return
    g.page_cache_scopes.extend(scopes)
    if g.page_cache_versions is not None:
        now = versions(list(scopes)) if scopes else ()
        g.page_cache_versions = None if now is None else g.page_cache_versions + now


def class_scopes(class_id: int) -> list[str]:
    """A class and each of its members: what a page about the whole class depends on."""
    from sandbox.accounts.models import User

    members = db.session.scalars(sa.select(User.id).where(User.class_id == class_id))
    return [f"c:{class_id}", *(f"u:{member}" for member in members)]


def kept_page(endpoint: str, scopes_of: Callable[..., list[str]] | None = None,
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Keep the answers of the view `endpoint` (see the module's docstring). Besides its
    reader's scopes, the page depends on `scopes_of(**view_args)`, and on any scope the view
    names with `page_depends_on`."""
    _KEPT_ENDPOINTS.add(endpoint)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def keeping(*args: Any, **kwargs: Any) -> Any:
            store = _store()
            if store is None or not _keepable_request():
                return view(*args, **kwargs)
            scopes = _viewer_scopes() + (scopes_of(**kwargs) if scopes_of else [])
            g.page_cache_scopes = scopes
            g.page_cache_versions = versions(scopes)
            # The reader was loaded before their versions were read: read their row again.
            reader = current_user._get_current_object()
            db.session.refresh(reader, [column.key for column in sa.inspect(reader).mapper
                                        .column_attrs])
            answer = current_app.make_response(view(*args, **kwargs))
            read = g.pop("page_cache_versions")
            if (read is None or answer.status_code != 200 or answer.mimetype != "text/html"
                    or session.modified or "Set-Cookie" in answer.headers
                    or answer.direct_passthrough):
                return answer
            # A write that committed while the page was read: what it shows may be older or
            # newer than the versions read first. Not kept; the next reading renders again.
            if versions(g.page_cache_scopes) != read:
                return answer
            body = answer.get_data()
            token = g.get("csrf_token")
            if token:
                body = body.replace(token.encode(), store.token_mark)
            headers = [(name, value) for name, value in answer.headers
                       if name not in ("Content-Type", "Content-Length")]
            store.put(_key(), KeptPage(list(g.page_cache_scopes), read, body, answer.mimetype,
                                       store.clock(), headers))
            return answer

        return keeping

    return decorate


def init_app(app: Flask) -> None:
    track_changes(db.session)
    if app.config.get("PAGE_CACHE_SECONDS", 0) > 0:
        app.extensions["page_cache"] = PageStore(app.config["PAGE_CACHE_MAX_BYTES"],
                                                 app.config["PAGE_CACHE_SECONDS"])
    # First of the app's checks: a kept page needs none of the others (see serve_kept_page).
    app.before_request_funcs.setdefault(None, []).insert(0, serve_kept_page)
