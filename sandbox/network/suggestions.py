"""People you may know: friends of friends, shared groups, hashtags and skills, your sectors.

Each suggestion says why. Nobody outside the viewer's scope is suggested, and a reason never
rests on something the viewer may not see (a hidden list of connections, hidden hashtags).
A fixed number of queries, whatever the size of the school.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import aliased, joinedload

from sandbox.accounts.models import Role, User
from sandbox.companies.labels import SECTOR_LABELS
from sandbox.companies.models import Company
from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, MembershipStatus
from sandbox.network.models import Connection, FollowedCompany, Invitation, InvitationStatus
from sandbox.network.scope import visible_people
from sandbox.network.services import connected_ids
from sandbox.personas.models import Persona
from sandbox.profiles.models import Profile, ProfileHashtag, ProfileSkill
from sandbox.profiles.visibility import Standing, field_visible

_POOL = 200  # candidates taken from each source before ranking

WEIGHTS = {"mutual": 3.0, "groups": 2.0, "hashtags": 2.0, "skills": 1.0, "sector": 2.0}


@dataclass
class Suggestion:
    user: User
    score: float = 0.0
    mutual: int = 0
    groups: int = 0
    hashtags: int = 0
    skills: int = 0
    sector: str | None = None
    reasons: list[str] = field(default_factory=list)


def _excluded(viewer: User, contacts: set[int]) -> set[int]:
    pending = db.session.execute(
        sa.select(Invitation.sender_id, Invitation.recipient_id).where(
            Invitation.status == InvitationStatus.PENDING,
            sa.or_(Invitation.sender_id == viewer.id, Invitation.recipient_id == viewer.id),
        )
    ).all()
    return contacts | {viewer.id} | {a for pair in pending for a in pair}


def _candidates(viewer: User, excluded: set[int]) -> sa.ColumnElement[bool]:
    """People who may be suggested: in the viewer's scope, students or personas, not excluded."""
    return sa.and_(visible_people(viewer), User.role.in_([Role.STUDENT, Role.PERSONA]),
                   User.id.not_in(excluded))


def _mutual_counts(viewer: User, contacts: set[int], people: sa.ColumnElement[bool]) -> dict[int, int]:
    """Through connections whose own list of connections the viewer may see (as a connection)."""
    visible_lists = [
        user_id for user_id, visibility in db.session.execute(
            sa.select(Profile.user_id, Profile.visibility).where(Profile.user_id.in_(contacts))
        )
        if (visibility or {}).get("connections", "connections") != "teacher"
    ]
    second = aliased(Connection)
    rows = db.session.execute(
        sa.select(second.contact_id, sa.func.count())
        .join(User, User.id == second.contact_id)
        .where(second.user_id.in_(visible_lists), people)
        .group_by(second.contact_id)
        .order_by(sa.func.count().desc(), second.contact_id)
        .limit(_POOL)
    )
    return dict(rows.all())


def _shared_counts(column: sa.Column, owner: sa.Column, values: sa.Select,
                   people: sa.ColumnElement[bool]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(owner, sa.func.count())
        .join(User, User.id == owner)
        .where(column.in_(values), people)
        .group_by(owner)
        .order_by(sa.func.count().desc(), owner)
        .limit(_POOL)
    )
    return dict(rows.all())


def suggestions_for(viewer: User, limit: int = 10) -> list[Suggestion]:
    contacts = connected_ids(viewer)
    excluded = _excluded(viewer, contacts)
    people = _candidates(viewer, excluded)
    found: dict[int, Suggestion] = {}
    counts: dict[str, dict[int, int]] = defaultdict(dict)

    counts["mutual"] = _mutual_counts(viewer, contacts, people)
    # Groups both are active members of: the viewer sees that membership in the group's
    # member directory (candidates are in scope), so the reason reveals nothing hidden.
    mine = aliased(GroupMembership)
    my_groups = sa.select(mine.group_id).where(
        mine.user_id == viewer.id, mine.status == MembershipStatus.ACTIVE
    )
    counts["groups"] = _shared_counts(
        GroupMembership.group_id, GroupMembership.user_id, my_groups,
        sa.and_(people, GroupMembership.status == MembershipStatus.ACTIVE),
    )
    my_tags = sa.select(ProfileHashtag.tag).where(ProfileHashtag.profile_id == viewer.id)
    counts["hashtags"] = _shared_counts(ProfileHashtag.tag, ProfileHashtag.profile_id, my_tags,
                                        people)
    lowered = sa.func.lower(ProfileSkill.name)
    my_skills = sa.select(lowered).where(ProfileSkill.profile_id == viewer.id)
    counts["skills"] = _shared_counts(lowered, ProfileSkill.profile_id, my_skills, people)
    followed_sectors = (
        sa.select(Company.sector)
        .join(FollowedCompany, FollowedCompany.company_id == Company.id)
        .where(FollowedCompany.follower_id == viewer.id)
    )
    sector_people = dict(db.session.execute(
        sa.select(Persona.user_id, Company.sector)
        .join(Company, Company.id == Persona.company_id)
        .join(User, User.id == Persona.user_id)
        .where(Company.sector.in_(followed_sectors), people)
        .order_by(Persona.user_id)
        .limit(_POOL)
    ).all())

    candidate_ids = set().union(*(set(c) for c in counts.values())) | set(sector_people)
    # Rank roughly first, then load only the best few (with their profiles) in one query.
    def rough(user_id: int) -> float:
        return (sum(WEIGHTS[kind] * counts[kind].get(user_id, 0) for kind in counts)
                + (WEIGHTS["sector"] if user_id in sector_people else 0))

    best = sorted(candidate_ids, key=lambda user_id: (-rough(user_id), user_id))[: limit * 3]
    chosen = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(best), people)
        .options(joinedload(User.profile), joinedload(User.school_class),
                 joinedload(User.persona).joinedload(Persona.company))
    ).unique()
    for person in chosen:
        profile = person.profile
        suggestion = Suggestion(user=person, mutual=counts["mutual"].get(person.id, 0),
                                groups=counts["groups"].get(person.id, 0))
        # A reason never rests on what the viewer may not see of a stranger's profile.
        if field_visible(profile, "hashtags", Standing.NETWORK):
            suggestion.hashtags = counts["hashtags"].get(person.id, 0)
        if field_visible(profile, "skills", Standing.NETWORK):
            suggestion.skills = counts["skills"].get(person.id, 0)
        if person.id in sector_people:
            suggestion.sector = str(SECTOR_LABELS[sector_people[person.id]])
        suggestion.score = (WEIGHTS["mutual"] * suggestion.mutual
                            + WEIGHTS["groups"] * suggestion.groups
                            + WEIGHTS["hashtags"] * suggestion.hashtags
                            + WEIGHTS["skills"] * suggestion.skills
                            + (WEIGHTS["sector"] if suggestion.sector else 0))
        if suggestion.score:
            suggestion.reasons = _reasons(suggestion)
            found[person.id] = suggestion
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.user.id))
    return ranked[:limit]


def _reasons(suggestion: Suggestion) -> list[str]:
    reasons = []
    if suggestion.mutual:
        reasons.append(ngettext("%(num)d connection in common", "%(num)d connections in common",
                                suggestion.mutual))
    if suggestion.groups:
        reasons.append(ngettext("%(num)d group in common", "%(num)d groups in common",
                                suggestion.groups))
    if suggestion.hashtags:
        reasons.append(ngettext("%(num)d hashtag in common", "%(num)d hashtags in common",
                                suggestion.hashtags))
    if suggestion.skills:
        reasons.append(ngettext("%(num)d skill in common", "%(num)d skills in common",
                                suggestion.skills))
    if suggestion.sector:
        reasons.append(str(_l("Works in a sector you follow: %(sector)s",
                              sector=suggestion.sector)))
    return reasons
