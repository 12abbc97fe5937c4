"""Group rules: who finds a group, who creates and edits one, and the checks on what they type.

Membership actions (join, leave, requests, admins) live in `groups.membership`; the directory,
the group page and the member directory in `groups.directory`; the checks on names,
descriptions and topics in `groups.validation`.

A school-wide group (no class) is found by everyone logged in. A class group (the workshop
group) is found by that class's students, its teachers, the personas and its own members. Admins
find every group. A group someone cannot find does not exist for them (NotFound, a 404 page).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import changed_texts, screen_fields, settle
from sandbox.classes.models import SchoolClass, class_teachers
from sandbox.classes.permissions import teaches
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.groups.models import (
    Group,
    GroupMembership,
    GroupTopic,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
)
from sandbox.groups.validation import (
    clean_description,
    clean_join_policy,
    clean_name,
    clean_topics,
    unique_slug,
)
from sandbox.moderation.models import ContentKind

# ---- finding groups ------------------------------------------------------------------------


def visible_groups(viewer: User) -> sa.ColumnElement[bool]:
    """A WHERE clause on Group: True for the groups `viewer` may find."""
    if viewer.is_admin or viewer.is_persona:
        # Personas take part in every class's workshop group, as guests of the teachers.
        return sa.true()
    own_memberships = sa.select(GroupMembership.group_id).where(
        GroupMembership.user_id == viewer.id
    )
    found = [Group.class_id.is_(None), Group.id.in_(own_memberships)]
    if viewer.is_student and viewer.class_id is not None:
        found.append(Group.class_id == viewer.class_id)
    if viewer.is_teacher:
        taught = sa.select(class_teachers.c.class_id).where(
            class_teachers.c.teacher_id == viewer.id
        )
        found.append(Group.class_id.in_(taught))
    return sa.or_(*found)


def can_see_group(viewer: User, group: Group) -> bool:
    query = sa.select(sa.exists().where(Group.id == group.id, visible_groups(viewer)))
    return bool(db.session.scalar(query))


def get_visible_group(viewer: User, slug: str) -> Group:
    """The group with this slug, topics and class loaded; NotFound when `viewer` cannot see it."""
    group = db.session.scalar(
        sa.select(Group)
        .where(Group.slug == slug, visible_groups(viewer))
        .options(selectinload(Group.topics), joinedload(Group.school_class))
    )
    if group is None:
        raise NotFound(_l("This group does not exist."))
    return group


def require_visible(viewer: User, group: Group) -> None:
    if not can_see_group(viewer, group):
        raise NotFound(_l("This group does not exist."))


def membership_of(user: User, group: Group) -> GroupMembership | None:
    """`user`'s membership of `group`, active or pending, or None."""
    return db.session.get(GroupMembership, (group.id, user.id))


def is_member(user: User, group: Group) -> bool:
    """An active member (a pending request does not count)."""
    membership = membership_of(user, group)
    return membership is not None and membership.status is MembershipStatus.ACTIVE


def is_group_admin(user: User, group: Group) -> bool:
    membership = membership_of(user, group)
    return (
        membership is not None
        and membership.status is MembershipStatus.ACTIVE
        and membership.role is MemberRole.ADMIN
    )


def groups_of(user: User) -> list[Group]:
    """The groups `user` is an active member of, by name (the post composer's audience list)."""
    query = (
        sa.select(Group)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(
            GroupMembership.user_id == user.id,
            GroupMembership.status == MembershipStatus.ACTIVE,
        )
        .order_by(sa.func.lower(Group.name), Group.id)
    )
    return list(db.session.scalars(query))


# ---- who may do what -----------------------------------------------------------------------


def can_create_groups(user: User) -> bool:
    """Teachers and admins always; a student when their class allows it."""
    if user.is_admin or user.is_teacher:
        return True
    if user.is_student and user.school_class is not None:
        return user.school_class.students_create_groups
    return False


def can_edit_group(user: User, group: Group) -> bool:
    """The group's admins, the teachers of a class group's class, and the school's admins."""
    if user.is_admin or is_group_admin(user, group):
        return True
    return group.school_class is not None and teaches(user, group.school_class)


def class_choices(user: User) -> list[SchoolClass]:
    """The classes `user` may create a class group for (a student: none to choose)."""
    if user.is_admin:
        query = sa.select(SchoolClass)
    elif user.is_teacher:
        query = sa.select(SchoolClass).join(
            class_teachers, class_teachers.c.class_id == SchoolClass.id
        ).where(class_teachers.c.teacher_id == user.id)
    else:
        return []
    return list(db.session.scalars(query.order_by(SchoolClass.name, SchoolClass.id)))


def _class_of_new_group(actor: User, class_id: int | None) -> int | None:
    """Which class a new group belongs to, or PermissionDenied when `actor` may not create it."""
    if actor.is_student:
        if not can_create_groups(actor):
            raise PermissionDenied(
                _l("Your class does not allow students to create groups: ask your teacher.")
            )
        if class_id is not None and class_id != actor.class_id:
            raise PermissionDenied(_l("A group you create belongs to your class."))
        return actor.class_id
    if not (actor.is_teacher or actor.is_admin):
        raise PermissionDenied(_l("You may not create groups."))
    if class_id is None:
        return None
    klass = db.session.get(SchoolClass, class_id)
    if klass is None:
        raise ServiceError(_l("This class does not exist."), field="class_id")
    if actor.is_teacher and not teaches(actor, klass):
        raise PermissionDenied(_l("You can only create a group for a class you teach."))
    return klass.id


# ---- writing -------------------------------------------------------------------------------


def create_group(
    actor: User,
    name: str | None,
    description: str | None,
    topics: str | list[str] | None,
    join_policy: JoinPolicy | str | None,
    class_id: int | None = None,
    *,
    charter_ack: bool = False,
) -> Group:
    """Create a group; its creator becomes its first admin."""
    group_class_id = _class_of_new_group(actor, class_id)
    name = clean_name(name)
    description = clean_description(description)
    tags = clean_topics(topics)
    policy = clean_join_policy(join_policy)
    screening = screen_fields(actor, {"name": name, "description": description},
                              kind=ContentKind.GROUP,
                              acknowledged=charter_ack)
    actor_id = actor.id
    for _attempt in range(3):
        group = Group(
            slug=unique_slug(name), name=name, description=description, join_policy=policy,
            class_id=group_class_id, created_by_id=actor_id,
            topics=[GroupTopic(tag=tag) for tag in tags],
        )
        db.session.add(group)
        try:
            db.session.flush()
        except IntegrityError:  # another group took the same slug at the same moment
            db.session.rollback()
            continue
        db.session.add(GroupMembership(
            group_id=group.id, user_id=actor_id, role=MemberRole.ADMIN,
            status=MembershipStatus.ACTIVE,
        ))
        settle(screening, actor, ContentKind.GROUP, group.id)
        record_event(actor, "group_created", group, slug=group.slug, class_id=group_class_id)
        db.session.commit()
        return group
    raise ServiceError(_l("Something went wrong while saving: try again."))


def update_group(
    actor: User,
    group: Group,
    name: str | None,
    description: str | None,
    topics: str | list[str] | None,
    join_policy: JoinPolicy | str | None,
    *,
    charter_ack: bool = False,
) -> Group:
    """Change a group's name, description, topics or join policy (its address stays)."""
    require_visible(actor, group)
    if not can_edit_group(actor, group):
        raise PermissionDenied(_l("Only the group's admins and teachers can edit it."))
    name = clean_name(name)
    description = clean_description(description)
    tags = clean_topics(topics)
    policy = clean_join_policy(join_policy)
    # Only what changed is checked: changing the topics does not re-open the advice.
    screening = screen_fields(actor, changed_texts(group, name=name, description=description),
                              kind=ContentKind.GROUP, target=f"group:{group.id}",
                              acknowledged=charter_ack)
    settle(screening, actor, ContentKind.GROUP, group.id)
    group.name, group.description, group.join_policy = name, description, policy
    kept = [topic for topic in group.topics if topic.tag in tags]
    known = {topic.tag for topic in kept}
    group.topics = kept + [GroupTopic(tag=tag) for tag in tags if tag not in known]
    record_event(actor, "group_updated", group, slug=group.slug)
    db.session.commit()
    return group
