"""Every module that registers scheduled-action handlers (`@action_handler`).

A handler exists for the worker only once its module is imported; the worker (`sandbox worker`,
and the demo's worker thread) calls `import_all()` before it claims anything, and claims only
the kinds it then knows. A school's own plugins are loaded the same way with
`sandbox worker --import MODULE`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

# Dotted module paths, imported in this order.
HANDLER_MODULES: tuple[str, ...] = (
    "sandbox.personas.invitation_reactions",
    "sandbox.personas.replies",
    "sandbox.personas.social",
    "sandbox.personas.social_posts",
    "sandbox.jobs.processing",
)


def import_all(extra: Iterable[str] = ()) -> list[str]:
    """Import every handler module, then `extra` ones; returns the names imported.

    An import error propagates: a worker missing a handler would leave its actions waiting.
    """
    names = [*HANDLER_MODULES, *extra]
    for name in names:
        importlib.import_module(name)
    return names
