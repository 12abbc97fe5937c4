"""Who sees which field of a profile: the one permission check for profiles.

A viewer stands at one level towards a profile's owner (a stranger outside their network scope,
someone in the network, a connection, a teacher of the owner, the owner). A field shows when the
viewer's level reaches the level the owner chose for that field.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.models import class_teachers
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.network.services import connected_ids
from sandbox.profiles.models import FIELD_VISIBILITY_DEFAULTS, Profile, Visibility


class Standing(enum.IntEnum):
    """What the viewer is to the owner, from farthest to closest."""

    STRANGER = 0  # outside the viewer's network scope: the profile does not exist for them
    NETWORK = 1
    CONNECTION = 2
    TEACHER = 3  # a teacher of the owner's class, or an admin
    SELF = 4


_REQUIRED = {
    Visibility.NETWORK: Standing.NETWORK,
    Visibility.CONNECTIONS: Standing.CONNECTION,
    Visibility.TEACHER: Standing.TEACHER,
}


def standings(viewer: User, owners: Iterable[User]) -> dict[int, Standing]:
    """The viewer's standing towards each owner, in a fixed number of queries (three at most)."""
    owners = list(owners)
    ids = [owner.id for owner in owners if owner.id != viewer.id]
    visible = set(
        db.session.scalars(sa.select(User.id).where(User.id.in_(ids), visible_people(viewer)))
    ) if ids else set()
    taught_classes: set[int] = set()
    if viewer.is_teacher:
        taught_classes = set(
            db.session.scalars(
                sa.select(class_teachers.c.class_id).where(class_teachers.c.teacher_id == viewer.id)
            )
        )
    contacts = connected_ids(viewer, [i for i in ids if i in visible])
    result: dict[int, Standing] = {}
    for owner in owners:
        if owner.id == viewer.id:
            result[owner.id] = Standing.SELF
        elif viewer.is_admin or (owner.is_student and owner.class_id in taught_classes):
            result[owner.id] = Standing.TEACHER
        elif owner.id not in visible:
            result[owner.id] = Standing.STRANGER
        elif owner.id in contacts:
            result[owner.id] = Standing.CONNECTION
        else:
            result[owner.id] = Standing.NETWORK
    return result


def standing(viewer: User, owner: User) -> Standing:
    return standings(viewer, [owner])[owner.id]


def field_visible(profile: Profile, field: str, standing: Standing) -> bool:
    return standing >= _REQUIRED[profile.visibility_of(field)]


def visible_fields(profile: Profile, standing: Standing) -> frozenset[str]:
    """The profile fields someone at `standing` may see (none for a stranger)."""
    if standing is Standing.STRANGER:
        return frozenset()
    return frozenset(
        field for field in FIELD_VISIBILITY_DEFAULTS if field_visible(profile, field, standing)
    )


def fields_seen_of(viewer: User, owners: Iterable[User]) -> dict[int, frozenset[str]]:
    """For lists of people (feeds, results): the fields `viewer` may see of each, in one go."""
    unique = {owner.id: owner for owner in owners}
    levels = standings(viewer, unique.values())
    return {
        owner_id: visible_fields(owner.profile, levels[owner_id])
        for owner_id, owner in unique.items()
    }
