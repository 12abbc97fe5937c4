"""Joining (open or on request), leaving, answering requests and naming admins."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.groups import membership as rules
from sandbox.groups.models import GroupMembership, JoinPolicy, MemberRole, MembershipStatus
from sandbox.notifications.models import Notification
from tests.groups.helpers import add_member, make_group, membership


def _notifications(kind: str) -> list[tuple[int, int | None, str | None, int | None, dict]]:
    rows = db.session.scalars(sa.select(Notification).where(Notification.kind == kind))
    return sorted((n.user_id, n.actor_id, n.subject_type, n.subject_id, n.data) for n in rows)


def _events(kind: str) -> list[int]:
    return list(db.session.scalars(
        sa.select(ActivityEvent.user_id).where(ActivityEvent.kind == kind)
    ))


def test_joining_an_open_group_is_immediate(school):
    group = make_group(school["teacher"])
    lea = school["student"]
    joined = rules.join_group(lea, group)
    assert joined.status is MembershipStatus.ACTIVE and joined.role is MemberRole.MEMBER
    assert rules.join_group(lea, group).status is MembershipStatus.ACTIVE  # twice: no change
    assert _events("group_joined") == [lea.id]
    assert _notifications("group_join_requested") == []


def test_asking_to_join_tells_every_admin(school):
    teacher, persona, lea = school["teacher"], school["persona"], school["student"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    add_member(group, persona, role=MemberRole.ADMIN)
    add_member(group, school["admin"], role=MemberRole.ADMIN, status=MembershipStatus.PENDING)
    asked = rules.join_group(lea, group)
    assert asked.status is MembershipStatus.PENDING
    expected = {"slug": group.slug}
    assert _notifications("group_join_requested") == sorted([
        (teacher.id, lea.id, "Group", group.id, expected),
        (persona.id, lea.id, "Group", group.id, expected),
    ])
    rules.join_group(lea, group)  # asking again neither duplicates nor re-notifies
    assert len(_notifications("group_join_requested")) == 2
    assert _events("group_join_requested") == [lea.id]


def test_withdrawing_a_request_takes_back_the_notifications(school):
    group = make_group(school["teacher"], join_policy=JoinPolicy.REQUEST)
    lea = school["student"]
    rules.join_group(lea, group)
    rules.cancel_request(lea, group)
    assert membership(group, lea) is None
    assert _notifications("group_join_requested") == []
    with pytest.raises(ServiceError):
        rules.cancel_request(lea, group)  # nothing left to withdraw


def test_a_group_one_cannot_find_cannot_be_joined(school):
    workshop = make_group(school["teacher"], "Atelier", class_id=school["class"].id)
    nina = school["other_student"]
    with pytest.raises(NotFound):
        rules.join_group(nina, workshop)
    assert membership(workshop, nina) is None


def test_accepting_a_request_lets_them_in_and_tells_them(school):
    teacher, lea = school["teacher"], school["student"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    rules.join_group(lea, group)
    rules.accept_request(teacher, group, lea.id)
    assert membership(group, lea).status is MembershipStatus.ACTIVE
    assert _notifications("group_request_accepted") == [
        (lea.id, teacher.id, "Group", group.id, {"slug": group.slug})
    ]
    with pytest.raises(ServiceError):
        rules.accept_request(teacher, group, lea.id)  # already answered
    assert _events("group_request_accepted") == [teacher.id]


def test_declining_a_request_is_quiet(school):
    teacher, lea = school["teacher"], school["student"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    rules.join_group(lea, group)
    rules.decline_request(teacher, group, lea.id)
    assert membership(group, lea) is None
    assert _notifications("group_request_accepted") == []


def test_only_group_admins_answer_requests(school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    add_member(group, hugo)
    rules.join_group(lea, group)
    for outsider in (hugo, school["other_teacher"]):
        with pytest.raises(PermissionDenied):
            rules.accept_request(outsider, group, lea.id)
        with pytest.raises(PermissionDenied):
            rules.decline_request(outsider, group, lea.id)
    assert membership(group, lea).status is MembershipStatus.PENDING


def test_the_school_admin_takes_over_a_group_whose_admins_left(school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    add_member(group, hugo)
    rules.make_admin(teacher, group, hugo.id)
    rules.leave_group(teacher, group)
    rules.leave_group(hugo, group)  # nobody runs the group any more
    rules.join_group(lea, group)

    rules.accept_request(school["admin"], group, lea.id)
    rules.make_admin(school["admin"], group, lea.id)

    assert membership(group, lea).role is MemberRole.ADMIN


def test_the_last_admin_names_another_before_leaving(school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    group = make_group(teacher)
    rules.join_group(lea, group)
    with pytest.raises(ServiceError) as error:
        rules.leave_group(teacher, group)
    assert "admin" in str(error.value.message)
    assert membership(group, teacher) is not None
    rules.make_admin(teacher, group, lea.id)
    rules.leave_group(teacher, group)
    assert membership(group, teacher) is None
    rules.join_group(hugo, group)
    rules.leave_group(hugo, group)  # a plain member leaves freely
    assert membership(group, hugo) is None
    rules.leave_group(lea, group)  # the last admin of an empty group may leave
    assert membership(group, lea) is None
    with pytest.raises(ServiceError):
        rules.leave_group(lea, group)  # not a member any more


def test_the_last_admin_answers_the_requests_before_leaving(school):
    teacher, lea = school["teacher"], school["student"]
    group = make_group(teacher, join_policy=JoinPolicy.REQUEST)
    rules.join_group(lea, group)
    with pytest.raises(ServiceError):
        rules.leave_group(teacher, group)
    rules.decline_request(teacher, group, lea.id)
    rules.leave_group(teacher, group)


def test_admins_promote_demote_and_remove(school):
    teacher, lea, hugo = school["teacher"], school["student"], school["classmate"]
    group = make_group(teacher)
    for student in (lea, hugo):
        rules.join_group(student, group)
    with pytest.raises(PermissionDenied):
        rules.make_admin(hugo, group, hugo.id)  # a member cannot promote themself
    rules.make_admin(teacher, group, lea.id)
    assert membership(group, lea).role is MemberRole.ADMIN
    told = _notifications("group_admin_granted")
    assert [(row[0], row[1]) for row in told] == [(lea.id, teacher.id)]
    rules.make_admin(teacher, group, lea.id)  # already an admin: nothing more to say
    assert len(_notifications("group_admin_granted")) == 1
    rules.remove_admin(lea, group, teacher.id)  # admins are equals
    assert membership(group, teacher).role is MemberRole.MEMBER
    with pytest.raises(ServiceError):
        rules.remove_admin(lea, group, lea.id)  # the group keeps one admin
    with pytest.raises(ServiceError):
        rules.remove_member(lea, group, lea.id)  # an admin leaves with "leave"
    rules.remove_member(lea, group, hugo.id)
    assert membership(group, hugo) is None
    with pytest.raises(ServiceError):
        rules.make_admin(lea, group, hugo.id)  # no longer a member
    with pytest.raises(PermissionDenied):
        rules.remove_member(teacher, group, lea.id)  # no longer an admin
    assert set(_events("group_admin_added")) == {teacher.id}
    assert set(_events("group_member_removed")) == {lea.id}


def test_a_pending_member_is_not_a_member(school):
    group = make_group(school["teacher"], join_policy=JoinPolicy.REQUEST)
    lea = school["student"]
    rules.join_group(lea, group)
    with pytest.raises(ServiceError):
        rules.leave_group(lea, group)
    with pytest.raises(ServiceError):
        rules.make_admin(school["teacher"], group, lea.id)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(GroupMembership).where(
        GroupMembership.status == MembershipStatus.ACTIVE))
    assert count == 1
