"""Connections: who is connected with whom. Invitations build on this with the network feature."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.network.models import Connection


def connect(first: User, second: User) -> None:
    """Record a mutual connection (both directions); the caller commits."""
    if first.id == second.id:
        raise ValueError("nobody connects with themselves")
    db.session.add_all(
        [Connection(user_id=first.id, contact_id=second.id),
         Connection(user_id=second.id, contact_id=first.id)]
    )


def connected_ids(user: User, among: Iterable[int] | None = None) -> set[int]:
    """The ids of `user`'s connections (only those in `among`, when given): one query."""
    query = sa.select(Connection.contact_id).where(Connection.user_id == user.id)
    if among is not None:
        wanted = list(among)
        if not wanted:
            return set()
        query = query.where(Connection.contact_id.in_(wanted))
    return set(db.session.scalars(query))


def are_connected(first: User, second: User) -> bool:
    return second.id in connected_ids(first, [second.id])
