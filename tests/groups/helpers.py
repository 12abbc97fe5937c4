"""Small helpers for the group tests: groups made through the real services."""

from __future__ import annotations

from sandbox.accounts.models import User
from sandbox.groups import services
from sandbox.groups.models import Group, GroupMembership, JoinPolicy, MemberRole, MembershipStatus
from sandbox.extensions import db

DESCRIPTION = "Un groupe pour échanger sur nos recherches de stage."


def make_group(
    creator: User,
    name: str = "Commerce international",
    *,
    join_policy: JoinPolicy = JoinPolicy.OPEN,
    class_id: int | None = None,
    topics: str = "#export",
) -> Group:
    return services.create_group(creator, name, DESCRIPTION, topics, join_policy,
                                 class_id=class_id)


def add_member(group: Group, user: User, role: MemberRole = MemberRole.MEMBER,
               status: MembershipStatus = MembershipStatus.ACTIVE) -> None:
    """Put someone straight in a group (the membership rules are tested elsewhere)."""
    db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=role, status=status))
    db.session.commit()


def membership(group: Group, user: User) -> GroupMembership | None:
    db.session.expire_all()
    return db.session.get(GroupMembership, (group.id, user.id))
