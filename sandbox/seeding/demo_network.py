"""The demo students' first ties: connections (to classmates and personas) and followed
companies, so that a demo student's news shows other people's posts from the first login."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.extensions import db
from sandbox.network.models import Connection, FollowedCompany
from sandbox.seeding.files import SeedError
from sandbox.seeding.schemas import DemoNetworkSeed


def seed_demo_network(seed: DemoNetworkSeed, summary) -> None:  # type: ignore[no-untyped-def]
    """Add the missing ties, both ways for a connection; runs in the caller's transaction."""
    usernames = sorted({name for pair in seed.connections for name in pair} | set(seed.follows))
    people = dict(db.session.execute(
        sa.select(User.username, User.id).where(User.username.in_(usernames))
    ).all())
    unknown = sorted(set(usernames) - set(people))
    if unknown:
        raise SeedError(f"the demo network names unknown people: {', '.join(unknown)} "
                        "(load the companies and personas first)")
    slugs = sorted({slug for followed in seed.follows.values() for slug in followed})
    companies = dict(db.session.execute(
        sa.select(Company.slug, Company.id).where(Company.slug.in_(slugs))
    ).all())
    if set(slugs) - set(companies):
        raise SeedError(f"the demo network follows unknown companies: "
                        f"{', '.join(sorted(set(slugs) - set(companies)))}")

    ids = list(people.values())
    existing = set(db.session.execute(
        sa.select(Connection.user_id, Connection.contact_id).where(Connection.user_id.in_(ids))
    ).all())
    for first, second in seed.connections:
        pair = (people[first], people[second])
        new = pair not in existing
        summary.count("connections", new)
        for user_id, contact_id in (pair, pair[::-1]):
            if (user_id, contact_id) not in existing:
                db.session.add(Connection(user_id=user_id, contact_id=contact_id))
                existing.add((user_id, contact_id))

    followed = set(db.session.execute(
        sa.select(FollowedCompany.follower_id, FollowedCompany.company_id)
        .where(FollowedCompany.follower_id.in_(ids))
    ).all())
    for username, slugs_followed in seed.follows.items():
        for slug in slugs_followed:
            key = (people[username], companies[slug])
            summary.count("follows", key not in followed)
            if key not in followed:
                db.session.add(FollowedCompany(follower_id=key[0], company_id=key[1]))
                followed.add(key)
