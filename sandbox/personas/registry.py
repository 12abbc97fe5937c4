"""What the worker knows of scheduled actions: who carries out each kind, and its patience.

Handlers register here with `@action_handler("kind")` (through `sandbox.personas.scheduler`,
which re-exports all of this); `sandbox.personas.handlers` imports every module that has some.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sandbox.personas.models import ScheduledAction

Handler = Callable[[ScheduledAction], None]
# Given a batch's actions of one kind, loads what their handler will read, in a few queries.
Preloader = Callable[[list[ScheduledAction]], Iterable[object]]

# kind → the function that carries the action out (registered by each feature at import).
HANDLERS: dict[str, Handler] = {}
PRELOADERS: dict[str, Preloader] = {}

# A failing action is tried this many times in all, waiting longer after each failure.
MAX_ATTEMPTS = 3
RETRY_AFTER = (timedelta(seconds=30), timedelta(minutes=5))
# A claim older than this belongs to a worker that stopped (a batch takes well under a second).
STALE_AFTER = timedelta(minutes=5)

logger = logging.getLogger("sandbox.worker")

T = TypeVar("T")
# What the handlers of the batch being carried out keep for the whole batch (see batch_cached).
_BATCH_CACHE: ContextVar[dict[Hashable, Any] | None] = ContextVar("personas_batch_cache",
                                                                  default=None)


@contextmanager
def batch_scope() -> Iterator[dict[Hashable, Any]]:
    """A batch's cache, for the duration of `run_batch` (preloading included)."""
    cache: dict[Hashable, Any] = {}
    token = _BATCH_CACHE.set(cache)
    try:
        yield cache
    finally:
        _BATCH_CACHE.reset(token)


_CURRENT: ContextVar[ScheduledAction | None] = ContextVar("personas_current_action",
                                                         default=None)


@contextmanager
def running(action: ScheduledAction) -> Iterator[None]:
    """While `action`'s handler runs (`current_action` tells the building blocks)."""
    token = _CURRENT.set(action)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_action() -> ScheduledAction | None:
    """The scheduled action whose handler is running in this context, if any."""
    return _CURRENT.get()


def batch_cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per worker's batch, for what no handler changes within a batch (a
    class's live exercises, a persona's behaviour, what a preloader read); outside a batch
    (a request, a test calling a handler directly) it is computed every time."""
    cache = _BATCH_CACHE.get()
    if cache is None:
        return compute()
    try:
        return cache[key]  # type: ignore[no-any-return]
    except KeyError:
        value = cache[key] = compute()
        return value


def batch_value(key: Hashable, default: Any = None) -> Any:
    """What a preloader put in the batch's cache under `key` (`default` outside a batch)."""
    cache = _BATCH_CACHE.get()
    return default if cache is None else cache.get(key, default)


def batch_put(key: Hashable, value: Any) -> None:
    """For a preloader: keep `value` for the batch's handlers (nothing outside a batch)."""
    cache = _BATCH_CACHE.get()
    if cache is not None:
        cache[key] = value


class ActionObsolete(Exception):
    """Raised by a handler when its action no longer makes sense: it is cancelled, not retried.

    The message, if any, is kept in the action's `last_error` to say why.
    """


class ActionPostponed(Exception):
    """Raised by a handler when its action still makes sense, but not yet: it waits until
    `until`, pending again (its attempt not counted, its writes rolled back), and is then
    carried out, postponed or cancelled anew.

    `until` should be computed from the action's `claimed_at` (the `now` of the run that claimed
    it: tests pass one in the future); the worker never takes it earlier than a second after
    that. The reason, if any, is kept in `last_error`.
    """

    def __init__(self, until: datetime, reason: str = "") -> None:
        super().__init__(reason)
        self.until = until
        self.reason = reason


def action_handler(kind: str, *, preload: Preloader | None = None
                   ) -> Callable[[Handler], Handler]:
    """Register the function that carries out actions of `kind`.

    The handler runs in the worker's transaction, outside any request (no `current_user`): it
    writes through the usual services' building blocks without committing, and raises
    `ActionObsolete` when there is nothing left to do, `ActionPostponed` when it must wait (a
    person plays the persona for now). Anything else it raises rolls back its own writes only;
    the action is tried again later.

    `preload`, optional, is called once per batch with that batch's actions of `kind`, before
    any of them runs: it loads, in a few queries, what the handlers will read (the rows their
    payloads point at, with the relationships they touch), and returns those objects, which
    the session then keeps for the batch: each handler's `db.session.get` and lazy loads find
    them without a query. It must only read.
    """
    if not kind or len(kind) > 40:
        raise ValueError(f"an action kind has 1 to 40 characters: {kind!r}")

    def register(function: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not function:
            raise ValueError(f"two handlers for scheduled actions of kind {kind!r}")
        HANDLERS[kind] = function
        if preload is not None:
            PRELOADERS[kind] = preload
        return function

    return register
