"""Append-only rows that a worker's batch writes together, just before it commits.

A persona's scheduled action mostly leaves an activity event, a notification and its next
action: single-row INSERTs, each flushed by the ORM's unit of work on its own. While a batch of
scheduled actions runs (`sandbox.personas.batches`), `record_event`, `notify` and `schedule`
queue their row here instead (`defer`), and the batch writes each table's rows with one
statement (`write`) in its own transaction, before its commit: the rows are written with the
rest of the batch or not at all. The queue lives in `session.info`, which the batch saves before
each action and restores when one is rolled back, so a failed action takes its rows with it.

Outside a batch (a request, the command line, a test calling a handler) nothing is deferred.
A deferred row is not in the database until the batch's end: code that reads such rows back
within a batch looks at `pending` too (the gifts a persona already gave, for instance).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

_KEY = "tremplin_deferred_rows"
_ATTACHED_KEY = "tremplin_attached_rows"

T = TypeVar("T")


def start(session: Session) -> None:
    """From now on (in this session), `defer` queues rows rather than adding them."""
    session.info[_KEY] = []


def stop(session: Session) -> None:
    """Back to adding rows as they come (what was not written is dropped)."""
    session.info.pop(_KEY, None)
    session.info.pop(_ATTACHED_KEY, None)


def deferring(session: Session) -> bool:
    return _KEY in session.info


def defer(session: Session, instance: object, *, unique_on: str | None = None) -> None:
    """Queue `instance` (a new mapped object, its columns set) for the batch's end.

    `unique_on`: a unique column; a row whose value is already taken (in the table, or by an
    earlier row of the queue) is skipped, as `INSERT … ON CONFLICT DO NOTHING` would.
    """
    session.info[_KEY].append((instance, unique_on))


def pending(session: Session, model: type[T]) -> list[T]:
    """The rows of `model` queued and not written yet (in the order they were queued)."""
    return [instance for instance, _unique in session.info.get(_KEY, ())
            if type(instance) is model]


def update(session: Session, model: type[T], matching: Callable[[T], bool],
           **values: Any) -> int:
    """Give the queued rows of `model` for which `matching(row)` is true these values (each
    row is replaced by a changed copy: a batch that takes an action back restores the queue as
    it was, rows included); how many."""
    queue = session.info.get(_KEY)
    if not queue:
        return 0
    changed = 0
    for position, (instance, unique_on) in enumerate(queue):
        if type(instance) is model and matching(instance):  # type: ignore[arg-type]
            copy = model(**{**_attributes(instance), **values})
            queue[position] = (copy, unique_on)
            changed += 1
    return changed


def _attributes(instance: object) -> dict[str, Any]:
    state = instance.__dict__
    return {attribute: state[attribute] for attribute, _column, _skip in _columns(type(instance))
            if attribute in state}


def attach(session: Session, instance: object) -> None:
    """Put `instance`, whose row a statement just inserted, in the session as if it had been
    loaded; `detach_all` takes such objects out when the batch's transaction is rolled back
    (the unit of work would have, for a row it inserted itself)."""
    make_transient_to_detached(instance)
    session.add(instance)
    session.info.setdefault(_ATTACHED_KEY, []).append(instance)


def detach_all(session: Session) -> None:
    """After a rollback: the objects `attach` put in the session, whose rows are gone."""
    for instance in session.info.pop(_ATTACHED_KEY, ()):
        if instance in session:
            session.expunge(instance)


def write(session: Session) -> int:
    """Insert the queued rows, a statement per table (and unique column), in queue order;
    the queue is emptied. Returns how many rows were queued."""
    queue = session.info.get(_KEY)
    if not queue:
        return 0
    groups: dict[tuple[type, str | None], list[dict[str, Any]]] = {}
    for instance, unique_on in queue:
        groups.setdefault((type(instance), unique_on), []).append(_values(instance))
    count = len(queue)
    queue.clear()
    dialect = session.get_bind().dialect.name
    for (model, unique_on), rows in groups.items():
        table = sa.inspect(model).local_table
        for keys, same in _by_keys(rows).items():
            if unique_on is None:
                session.execute(sa.insert(table), same)
            elif dialect in ("sqlite", "postgresql"):
                insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
                session.execute(insert(table).on_conflict_do_nothing(index_elements=[unique_on]),
                                same)
            else:  # no multi-row ON CONFLICT: one savepoint per row
                for row in same:
                    try:
                        with session.begin_nested():
                            session.execute(sa.insert(table), [row])
                    except IntegrityError:
                        pass
    return count


def _by_keys(rows: list[dict[str, Any]]) -> dict[frozenset[str], list[dict[str, Any]]]:
    """Rows with the same columns go in one statement (they mostly all have the same)."""
    grouped: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(frozenset(row), []).append(row)
    return grouped


# model → (attribute, column name, skipped when None) for each column
_COLUMNS: dict[type, list[tuple[str, str, bool]]] = {}


def _columns(model: type) -> list[tuple[str, str, bool]]:
    known = _COLUMNS.get(model)
    if known is None:
        known = _COLUMNS[model] = [
            (attribute.key, column.key, bool(column.primary_key or column.default is not None
                                             or column.server_default is not None))
            for attribute in sa.inspect(model).column_attrs
            for column in attribute.columns[:1]]
    return known


def _values(instance: object) -> dict[str, Any]:
    """The instance's column values, by column, without an unset autoincrement key (the
    database numbers the rows) and without unset columns that have a default."""
    state = instance.__dict__
    values: dict[str, Any] = {}
    for attribute, column, skip_none in _columns(type(instance)):
        value = state.get(attribute)
        if value is None and skip_none:
            continue
        values[column] = value
    return values
