"""The demo class's first weeks: replayed through the services, dated back, loaded once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.seeding.demo_activity import read_demo_activity, seed_demo_activity
from sandbox.seeding.files import read_demo_seed, read_network_seed
from sandbox.seeding.loader import seed_demo_class, seed_network


def test_the_demo_class_has_weeks_of_activity_with_charter_slips(app):
    seed_network(read_network_seed())
    demo = read_demo_seed()
    seed_demo_class(demo)
    steps = read_demo_activity()

    assert seed_demo_activity(steps, demo.teacher.username) == len(steps)

    outcomes = set(db.session.scalars(sa.select(CharterFinding.outcome)))
    assert {FindingOutcome.FIXED, FindingOutcome.OVERRIDDEN} <= outcomes
    kinds = set(db.session.scalars(sa.select(ActivityEvent.kind)))
    assert {"commented", "invitation_sent", "outcome_recorded", "post_created"} <= kinds
    oldest = db.session.scalar(sa.select(sa.func.min(ActivityEvent.created_at)))
    assert oldest < utcnow() - timedelta(days=20)

    events = db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent))
    assert seed_demo_activity(steps, demo.teacher.username) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent)) == events


def test_a_step_the_database_does_not_allow_is_skipped_not_fatal(app):
    """An older demo database may already hold a connection a step would make."""
    from sandbox.accounts.models import User
    from sandbox.network.services import connect

    seed_network(read_network_seed())
    demo = read_demo_seed()
    seed_demo_class(demo)
    steps = read_demo_activity()
    inviting = next(step for step in steps if step.invite)
    people = {u.username: u for u in db.session.scalars(
        sa.select(User).where(User.username.in_([inviting.student, inviting.invite])))}
    connect(people[inviting.student], people[inviting.invite])
    db.session.commit()

    assert seed_demo_activity(steps, demo.teacher.username) == len(steps) - 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CharterFinding)) > 0
