"""Upsert the seeded groups (seed/groups.yaml), their members and their posts, idempotently.

Natural keys: groups by slug, memberships by (group, person), posts by (group, author, text).
It links only what exists: without the demo class, the class group is skipped, and so are the
demo people's memberships and posts; loading again once the demo class exists adds them. Nobody
who joined a seeded group in the app is taken out of it.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership, GroupTopic, MemberRole, MembershipStatus
from sandbox.posts.models import Audience, Post
from sandbox.posts.text import index_post
from sandbox.seeding.history import record_seeded_post
from sandbox.seeding.loader import Progress, SeedSummary, _all_or_nothing, _by_key, _noop
from sandbox.seeding.schemas import GroupSeed, GroupsSeed


def groups_progress_length(seed: GroupsSeed) -> int:
    return len(seed.groups)


@_all_or_nothing
def seed_groups(seed: GroupsSeed, progress: Progress = _noop) -> SeedSummary:
    """Upsert every group whose class exists, with the members and posts that exist; one commit."""
    summary = SeedSummary()
    usernames = sorted({name for g in seed.groups for name in (*g.admins, *g.members)})
    people: dict[str, User] = _by_key(User, User.username, usernames)  # type: ignore[assignment]
    codes = sorted({g.class_code for g in seed.groups if g.class_code is not None})
    classes: dict[str, SchoolClass] = _by_key(  # type: ignore[assignment]
        SchoolClass, SchoolClass.join_code, codes
    )
    groups: dict[str, Group] = _by_key(  # type: ignore[assignment]
        Group, Group.slug, [g.slug for g in seed.groups]
    )
    for position, group_seed in enumerate(seed.groups):
        progress(1)
        klass = classes.get(group_seed.class_code) if group_seed.class_code else None
        if group_seed.class_code is not None and klass is None:
            continue  # its class is not loaded (no demo class): nobody could find it anyway
        group = groups.get(group_seed.slug)
        summary.count("groups", group is None)
        if group is None:
            creator = people.get(group_seed.admins[0])
            group = Group(slug=group_seed.slug, created_by_id=creator.id if creator else None)
            db.session.add(group)
        _apply_group(group, group_seed, klass)
        db.session.flush()
        _seed_memberships(group, group_seed, people, summary)
        _seed_group_posts(group, group_seed, people, position, summary)
    db.session.commit()
    return summary


def _apply_group(group: Group, seed: GroupSeed, klass: SchoolClass | None) -> None:
    group.name = seed.name
    group.description = seed.description
    group.join_policy = seed.join_policy
    group.class_id = klass.id if klass is not None else None
    kept = [topic for topic in group.topics if topic.tag in seed.topics]
    known = {topic.tag for topic in kept}
    group.topics = kept + [GroupTopic(tag=tag) for tag in seed.topics if tag not in known]


def _seed_memberships(group: Group, seed: GroupSeed, people: dict[str, User],
                      summary: SeedSummary) -> None:
    existing = {
        membership.user_id: membership
        for membership in db.session.scalars(
            sa.select(GroupMembership).where(GroupMembership.group_id == group.id)
        )
    }
    wanted = [(name, MemberRole.ADMIN) for name in seed.admins]
    wanted += [(name, MemberRole.MEMBER) for name in seed.members]
    for username, role in wanted:
        user = people.get(username)
        if user is None:
            continue
        membership = existing.get(user.id)
        if membership is None:
            db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=role,
                                           status=MembershipStatus.ACTIVE))
            summary.count("memberships", True)
            continue
        # A seeded admin stays an admin; someone promoted in the app is never demoted here.
        membership.status = MembershipStatus.ACTIVE
        if role is MemberRole.ADMIN:
            membership.role = MemberRole.ADMIN
    db.session.flush()


def _seed_group_posts(group: Group, seed: GroupSeed, people: dict[str, User], position: int,
                      summary: SeedSummary) -> None:
    """Add the posts not there yet, the group's first post the oldest, over the last days."""
    existing = set(db.session.execute(
        sa.select(Post.author_id, Post.body).where(Post.group_id == group.id)
    ).all())
    now = utcnow()
    count = len(seed.posts)
    for index, post_seed in enumerate(seed.posts):
        author = people.get(post_seed.author)
        if author is None or (author.id, post_seed.body) in existing:
            continue
        # Deterministic spacing: a few hours between posts, groups shifted from one another.
        created_at = now - timedelta(minutes=197 * (count - index) + 41 * position)
        post = Post(author_id=author.id, body=post_seed.body, audience=Audience.GROUP,
                    group_id=group.id, created_at=created_at)
        db.session.add(post)
        db.session.flush()
        index_post(post, author)  # its hashtags and mentions, as if posted in the app
        record_seeded_post(author, post)
        summary.count("posts", True)
