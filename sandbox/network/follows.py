"""Following people, companies and hashtags: their news without a connection.

Following is one-sided and idempotent: following twice changes nothing, unfollowing what one does
not follow is not an error. A person can be followed only by someone who may see them at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import Company
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.validation import clean_line
from sandbox.core.writes import commit_unless_duplicate
from sandbox.extensions import db
from sandbox.network.models import FollowedCompany, FollowedHashtag, FollowedPerson
from sandbox.network.scope import visible_people
from sandbox.notifications.models import Notification
from sandbox.notifications.services import notify
from sandbox.profiles.services import parse_hashtags
from sandbox.profiles.visibility import Standing, standing

# ---- reading: for the feed, the search, the profile and company pages ----------------------


def followed_people_ids(user: User) -> set[int]:
    """Everyone `user` follows, in one query. Callers still check what they may see of each."""
    return set(db.session.scalars(
        sa.select(FollowedPerson.followed_id).where(FollowedPerson.follower_id == user.id)
    ))


def followed_company_ids(user: User) -> set[int]:
    return set(db.session.scalars(
        sa.select(FollowedCompany.company_id).where(FollowedCompany.follower_id == user.id)
    ))


def followed_hashtags(user: User) -> set[str]:
    """The normalised tags `user` follows, without "#"."""
    return set(db.session.scalars(
        sa.select(FollowedHashtag.tag).where(FollowedHashtag.follower_id == user.id)
    ))


def is_following_person(viewer: User, user_id: int) -> bool:
    return db.session.get(FollowedPerson, (viewer.id, user_id)) is not None


def is_following_company(viewer: User, company_id: int) -> bool:
    return db.session.get(FollowedCompany, (viewer.id, company_id)) is not None


@dataclass(frozen=True)
class Following:
    """What someone follows, loaded for their page in a fixed number of queries."""

    people: list[User]
    companies: list[Company]
    hashtags: list[str]

    @property
    def empty(self) -> bool:
        return not (self.people or self.companies or self.hashtags)


def following_of(viewer: User) -> Following:
    """People (only those still in the viewer's network), companies and hashtags followed."""
    people = db.session.scalars(
        sa.select(User)
        .join(FollowedPerson, FollowedPerson.followed_id == User.id)
        .where(FollowedPerson.follower_id == viewer.id, visible_people(viewer))
        # What `name_for` reads, so that the page does not query once per person.
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
        .order_by(FollowedPerson.created_at.desc(), User.id)
    )
    companies = db.session.scalars(
        sa.select(Company)
        .join(FollowedCompany, FollowedCompany.company_id == Company.id)
        .where(FollowedCompany.follower_id == viewer.id)
        .order_by(sa.func.lower(Company.name), Company.id)
    )
    return Following(
        people=list(people),
        companies=list(companies),
        hashtags=sorted(followed_hashtags(viewer)),
    )


# ---- writing -------------------------------------------------------------------------------


def _person_to_follow(viewer: User, user_id: int) -> User:
    if user_id == viewer.id:
        raise ServiceError(_l("You cannot follow yourself."))
    person = db.session.get(User, user_id)
    if person is None or standing(viewer, person) < Standing.NETWORK:
        raise NotFound(_l("This profile does not exist."))
    return person


def follow_person(viewer: User, user_id: int) -> User:
    """Follow someone of one's network; they are told, once, who follows them."""
    person = _person_to_follow(viewer, user_id)
    if is_following_person(viewer, person.id):
        return person
    db.session.add(FollowedPerson(follower_id=viewer.id, followed_id=person.id))
    record_event(viewer, "followed_person", person)
    # Following, unfollowing and following again must not flood the person with notifications.
    already_told = db.session.scalar(
        sa.select(Notification.id).where(
            Notification.user_id == person.id,
            Notification.kind == "new_follower",
            Notification.actor_id == viewer.id,
            Notification.read_at.is_(None),
        ).limit(1)
    )
    if already_told is None:
        notify(person, "new_follower", actor=viewer)
    commit_unless_duplicate()
    return person


def unfollow_person(viewer: User, user_id: int) -> bool:
    """Stop following someone, even someone no longer in one's network; False if not followed."""
    follow = db.session.get(FollowedPerson, (viewer.id, user_id))
    if follow is None:
        return False
    db.session.delete(follow)
    record_event(viewer, "unfollowed_person", db.session.get(User, user_id))
    db.session.commit()
    return True


def _company(slug: str) -> Company:
    company = db.session.scalar(sa.select(Company).where(Company.slug == slug))
    if company is None:
        raise NotFound(_l("This company does not exist."))
    return company


def follow_company(viewer: User, slug: str) -> Company:
    company = _company(slug)
    if not is_following_company(viewer, company.id):
        db.session.add(FollowedCompany(follower_id=viewer.id, company_id=company.id))
        record_event(viewer, "followed_company", company)
        commit_unless_duplicate()
    return company


def unfollow_company(viewer: User, slug: str) -> Company:
    company = _company(slug)
    follow = db.session.get(FollowedCompany, (viewer.id, company.id))
    if follow is not None:
        db.session.delete(follow)
        record_event(viewer, "unfollowed_company", company)
        db.session.commit()
    return company


def normalise_hashtag(raw: str | None) -> str:
    """One hashtag as profiles store it: "#Export", "export" and "#EXPORT" all give "export"."""
    typed = clean_line(raw, "tag", max_length=100)
    try:
        tags = parse_hashtags(typed)
    except ServiceError as error:
        raise ServiceError(error.message, field="tag") from error
    if len(tags) != 1:
        raise ServiceError(_l("Type one hashtag at a time, e.g. #export."), field="tag")
    return tags[0]


def follow_hashtag(viewer: User, raw_tag: str | None) -> str:
    tag = normalise_hashtag(raw_tag)
    if db.session.get(FollowedHashtag, (viewer.id, tag)) is None:
        db.session.add(FollowedHashtag(follower_id=viewer.id, tag=tag))
        record_event(viewer, "followed_hashtag", tag=tag)
        commit_unless_duplicate()
    return tag


def unfollow_hashtag(viewer: User, raw_tag: str | None) -> str:
    tag = normalise_hashtag(raw_tag)
    follow = db.session.get(FollowedHashtag, (viewer.id, tag))
    if follow is not None:
        db.session.delete(follow)
        record_event(viewer, "unfollowed_hashtag", tag=tag)
        db.session.commit()
    return tag
