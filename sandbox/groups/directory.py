"""Reading groups: the directory, one group's page and its member directory.

Each runs a fixed number of queries whatever the number of groups or members. People outside the
viewer's network scope are counted as members but never named.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, MemberRole, MembershipStatus
from sandbox.groups.services import can_create_groups, can_edit_group, visible_groups
from sandbox.network.scope import visible_people
from sandbox.personas.models import Persona

QUERY_MAX_LENGTH = 100


def _member_counts(group_ids: list[int]) -> dict[int, int]:
    if not group_ids:
        return {}
    rows = db.session.execute(
        sa.select(GroupMembership.group_id, sa.func.count())
        .where(
            GroupMembership.group_id.in_(group_ids),
            GroupMembership.status == MembershipStatus.ACTIVE,
        )
        .group_by(GroupMembership.group_id)
    )
    return dict(rows.all())


def _person_options(path):  # type: ignore[no-untyped-def]
    """What a person row and `name_for` read, loaded with the people themselves."""
    return (
        path.joinedload(User.profile),
        path.joinedload(User.persona).joinedload(Persona.company),
        path.joinedload(User.school_class).selectinload(SchoolClass.teachers),
    )


# ---- the directory -------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryEntry:
    group: Group
    member_count: int
    membership: GroupMembership | None  # the viewer's, active or pending

    @property
    def is_member(self) -> bool:
        return (self.membership is not None
                and self.membership.status is MembershipStatus.ACTIVE)

    @property
    def is_pending(self) -> bool:
        return (self.membership is not None
                and self.membership.status is MembershipStatus.PENDING)


@dataclass(frozen=True)
class Directory:
    query: str
    entries: list[DirectoryEntry]  # the groups matching the query, by name
    mine: list[DirectoryEntry]  # those the viewer is an active member of
    total: int  # every group the viewer can find, before the search
    can_create: bool

    @property
    def others(self) -> list[DirectoryEntry]:
        """The entries the viewer is not an active member of (pending requests included)."""
        return [entry for entry in self.entries if not entry.is_member]


def _matches(group: Group, words: list[str], tag: str | None) -> bool:
    topics = [topic.tag for topic in group.topics]
    if tag is not None:
        return any(topic.startswith(tag) for topic in topics)
    haystack = " ".join([fold(group.name), *topics])
    return all(word in haystack for word in words)


def directory(viewer: User, query: str | None = None) -> Directory:
    """The groups `viewer` can find, searched by name or topic ("#export"): four queries.

    A school has tens of groups, not thousands: they are all read, then matched in Python with
    the same accent-blind folding as the rest of the search ("generation" finds "Génération").
    """
    query = " ".join((query or "").split())[:QUERY_MAX_LENGTH]
    groups = list(db.session.scalars(
        sa.select(Group)
        .where(visible_groups(viewer))
        .options(selectinload(Group.topics), joinedload(Group.school_class))
    ).unique())
    groups.sort(key=lambda group: (fold(group.name), group.id))
    folded = fold(query)
    tag = fold(folded[1:]).replace("-", "_") if folded.startswith("#") else None
    matching = [g for g in groups if _matches(g, folded.split(), tag)] if folded else groups
    counts = _member_counts([group.id for group in matching])
    memberships = {
        membership.group_id: membership
        for membership in db.session.scalars(
            sa.select(GroupMembership).where(GroupMembership.user_id == viewer.id)
        )
    }
    entries = [
        DirectoryEntry(group, counts.get(group.id, 0), memberships.get(group.id))
        for group in matching
    ]
    return Directory(
        query=query,
        entries=entries,
        mine=[entry for entry in entries if entry.is_member],
        total=len(groups),
        can_create=can_create_groups(viewer),
    )


# ---- one group's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPage:
    group: Group
    member_count: int
    admins: list[User]  # the admins the viewer may see, by name
    membership: GroupMembership | None  # the viewer's
    is_admin: bool  # the viewer is one of the group's admins
    can_edit: bool
    pending_count: int  # requests waiting, for the group's admins (0 for anyone else)

    @property
    def is_member(self) -> bool:
        return (self.membership is not None
                and self.membership.status is MembershipStatus.ACTIVE)

    @property
    def is_pending(self) -> bool:
        return (self.membership is not None
                and self.membership.status is MembershipStatus.PENDING)


def group_page(viewer: User, group: Group) -> GroupPage:
    """What the group's page shows besides its feed. Callers found `group` as `viewer`."""
    counts = dict(db.session.execute(
        sa.select(GroupMembership.status, sa.func.count())
        .where(GroupMembership.group_id == group.id)
        .group_by(GroupMembership.status)
    ).all())
    admins = list(db.session.scalars(
        sa.select(User)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(
            GroupMembership.group_id == group.id,
            GroupMembership.role == MemberRole.ADMIN,
            GroupMembership.status == MembershipStatus.ACTIVE,
            visible_people(viewer),
        )
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
    ).unique())
    admins.sort(key=lambda person: (fold(person.name_for(viewer)), person.id))
    membership = db.session.get(GroupMembership, (group.id, viewer.id))
    is_admin = (membership is not None and membership.status is MembershipStatus.ACTIVE
                and membership.role is MemberRole.ADMIN)
    can_edit = is_admin or can_edit_group(viewer, group)
    return GroupPage(
        group=group,
        member_count=counts.get(MembershipStatus.ACTIVE, 0),
        admins=admins,
        membership=membership,
        is_admin=is_admin,
        can_edit=can_edit,
        pending_count=counts.get(MembershipStatus.PENDING, 0) if can_edit else 0,
    )


# ---- the member directory ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    user: User
    role: MemberRole

    @property
    def is_admin(self) -> bool:
        return self.role is MemberRole.ADMIN


@dataclass(frozen=True)
class Request:
    """Someone asking to join; `user` is None when they are outside the admin's network scope."""

    user_id: int
    user: User | None


@dataclass(frozen=True)
class MembersPage:
    group: Group
    members: list[MemberEntry]  # admins first, then by name; only people the viewer may see
    total: int  # every active member, seen or not
    viewer_is_admin: bool
    admin_count: int
    requests: list[Request]  # pending requests, for the group's admins only

    @property
    def hidden_count(self) -> int:
        return self.total - len(self.members)


def members_of(viewer: User, group: Group) -> MembersPage:
    """The member directory of a group the viewer found: three queries plus name loading."""
    in_scope = visible_people(viewer)
    rows = db.session.execute(
        sa.select(GroupMembership, in_scope.label("in_scope"))
        .join(GroupMembership.user)
        .where(GroupMembership.group_id == group.id)
        .options(*_person_options(contains_eager(GroupMembership.user)))
    ).unique().all()
    viewer_row = next((m for m, _seen in rows if m.user_id == viewer.id), None)
    viewer_is_admin = (viewer_row is not None and viewer_row.status is MembershipStatus.ACTIVE
                       and viewer_row.role is MemberRole.ADMIN) or can_edit_group(viewer, group)
    active = [(m, bool(seen)) for m, seen in rows if m.status is MembershipStatus.ACTIVE]
    members = [MemberEntry(m.user, m.role) for m, seen in active if seen]
    members.sort(key=lambda entry: (not entry.is_admin, fold(entry.user.name_for(viewer)),
                                    entry.user.id))
    requests: list[Request] = []
    if viewer_is_admin:
        pending = [(m, bool(seen)) for m, seen in rows if m.status is MembershipStatus.PENDING]
        pending.sort(key=lambda row: row[0].created_at)
        requests = [Request(m.user_id, m.user if seen else None) for m, seen in pending]
    return MembersPage(
        group=group,
        members=members,
        total=len(active),
        viewer_is_admin=viewer_is_admin,
        admin_count=sum(1 for m, _seen in active if m.role is MemberRole.ADMIN),
        requests=requests,
    )
