"""Joining and leaving groups, answering requests, and naming the group's admins.

Every action first checks that the actor can find the group (NotFound otherwise), then that
they may act. A group always keeps an admin while it has members: the last admin names another
one before leaving.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.groups.models import (
    Group,
    GroupMembership,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
)
from sandbox.groups.services import (
    can_edit_group,
    membership_of,
    require_visible,
)
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify


def _count(group: Group, *conditions: sa.ColumnElement[bool]) -> int:
    query = sa.select(sa.func.count()).select_from(GroupMembership).where(
        GroupMembership.group_id == group.id, *conditions
    )
    return db.session.scalar(query) or 0


def admin_ids(group: Group) -> list[int]:
    """The ids of the group's active admins."""
    return list(db.session.scalars(
        sa.select(GroupMembership.user_id).where(
            GroupMembership.group_id == group.id,
            GroupMembership.role == MemberRole.ADMIN,
            GroupMembership.status == MembershipStatus.ACTIVE,
        ).order_by(GroupMembership.user_id)
    ))


def _require_group_admin(actor: User, group: Group) -> None:
    """Group admins run the group; the teachers of a class group's class and the school's
    admins may too (they moderate, and take over a group whose admins left)."""
    require_visible(actor, group)
    if not can_edit_group(actor, group):
        raise PermissionDenied(_l("Only the group's admins can do this."))


def _active_member(group: Group, user_id: int) -> GroupMembership:
    membership = db.session.get(GroupMembership, (group.id, user_id))
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise ServiceError(_l("This person is not a member of the group."))
    return membership


# ---- the member's own actions --------------------------------------------------------------


def join_group(actor: User, group: Group) -> GroupMembership:
    """Join an open group at once, or ask to join one on request (its admins are told).

    Asking twice, or joining a group one is already in, changes nothing.
    """
    require_visible(actor, group)
    existing = membership_of(actor, group)
    if existing is not None:
        return existing
    if group.join_policy is JoinPolicy.OPEN:
        status, kind = MembershipStatus.ACTIVE, "group_joined"
    else:
        status, kind = MembershipStatus.PENDING, "group_join_requested"
    membership = GroupMembership(
        group_id=group.id, user_id=actor.id, role=MemberRole.MEMBER, status=status
    )
    db.session.add(membership)
    if status is MembershipStatus.PENDING:
        for admin_id in admin_ids(group):
            notify(admin_id, "group_join_requested", actor=actor, subject=group, slug=group.slug)
    record_event(actor, kind, group, slug=group.slug)
    try:
        db.session.commit()
    except IntegrityError:  # the same click twice at once: the first one counts
        db.session.rollback()
        found = membership_of(actor, group)
        if found is None:
            raise
        return found
    return membership


def cancel_request(actor: User, group: Group) -> None:
    """Withdraw a request to join; the admins' notifications about it go too."""
    require_visible(actor, group)
    membership = membership_of(actor, group)
    if membership is None or membership.status is not MembershipStatus.PENDING:
        raise ServiceError(_l("You have no pending request for this group."))
    db.session.delete(membership)
    db.session.execute(sa.delete(Notification).where(
        Notification.kind == "group_join_requested",
        Notification.subject_type == "Group",
        Notification.subject_id == group.id,
        Notification.actor_id == actor.id,
    ))
    record_event(actor, "group_request_cancelled", group, slug=group.slug)
    db.session.commit()


def leave_group(actor: User, group: Group) -> None:
    """Leave a group. The last admin names another admin first, unless nobody else is left."""
    require_visible(actor, group)
    membership = membership_of(actor, group)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise ServiceError(_l("You are not a member of this group."))
    if membership.role is MemberRole.ADMIN:
        other_admins = _count(group, GroupMembership.role == MemberRole.ADMIN,
                              GroupMembership.status == MembershipStatus.ACTIVE,
                              GroupMembership.user_id != actor.id)
        if not other_admins:
            others = _count(group, GroupMembership.status == MembershipStatus.ACTIVE,
                            GroupMembership.user_id != actor.id)
            if others:
                raise ServiceError(_l(
                    "You are the group's last admin: make another member admin "
                    "(on the members page) before you leave."
                ))
            if _count(group, GroupMembership.status == MembershipStatus.PENDING):
                raise ServiceError(_l(
                    "You are the group's last admin: answer the pending requests before you "
                    "leave, nobody else could."
                ))
    db.session.delete(membership)
    record_event(actor, "group_left", group, slug=group.slug)
    db.session.commit()


# ---- the group admins' actions -------------------------------------------------------------


def accept_request(actor: User, group: Group, user_id: int) -> GroupMembership:
    """A group admin lets someone in; they are told."""
    _require_group_admin(actor, group)
    membership = db.session.get(GroupMembership, (group.id, user_id))
    if membership is None or membership.status is not MembershipStatus.PENDING:
        raise ServiceError(_l("This request has already been answered or withdrawn."))
    membership.status = MembershipStatus.ACTIVE
    notify(user_id, "group_request_accepted", actor=actor, subject=group, slug=group.slug)
    record_event(actor, "group_request_accepted", group, slug=group.slug, user_id=user_id)
    db.session.commit()
    return membership


def decline_request(actor: User, group: Group, user_id: int) -> None:
    """A group admin turns a request down (quietly, as real networks do)."""
    _require_group_admin(actor, group)
    membership = db.session.get(GroupMembership, (group.id, user_id))
    if membership is None or membership.status is not MembershipStatus.PENDING:
        raise ServiceError(_l("This request has already been answered or withdrawn."))
    db.session.delete(membership)
    record_event(actor, "group_request_declined", group, slug=group.slug, user_id=user_id)
    db.session.commit()


def make_admin(actor: User, group: Group, user_id: int) -> GroupMembership:
    """A group admin makes another member an admin too."""
    _require_group_admin(actor, group)
    membership = _active_member(group, user_id)
    if membership.role is not MemberRole.ADMIN:
        membership.role = MemberRole.ADMIN
        record_event(actor, "group_admin_added", group, slug=group.slug, user_id=user_id)
        if user_id != actor.id:
            notify(user_id, "group_admin_granted", actor=actor, subject=group, slug=group.slug)
        db.session.commit()
    return membership


def remove_admin(actor: User, group: Group, user_id: int) -> GroupMembership:
    """An admin becomes a plain member again (oneself included), if another admin remains."""
    _require_group_admin(actor, group)
    membership = _active_member(group, user_id)
    if membership.role is not MemberRole.ADMIN:
        raise ServiceError(_l("This member is not an admin."))
    if len(admin_ids(group)) <= 1:
        raise ServiceError(_l("A group keeps at least one admin: make someone else admin first."))
    membership.role = MemberRole.MEMBER
    record_event(actor, "group_admin_removed", group, slug=group.slug, user_id=user_id)
    db.session.commit()
    return membership


def remove_member(actor: User, group: Group, user_id: int) -> None:
    """A group admin takes someone out of the group (an admin leaves with "Leave")."""
    _require_group_admin(actor, group)
    if user_id == actor.id:
        raise ServiceError(_l("To leave the group yourself, use “Leave the group”."))
    membership = _active_member(group, user_id)
    db.session.delete(membership)
    record_event(actor, "group_member_removed", group, slug=group.slug, user_id=user_id)
    db.session.commit()
