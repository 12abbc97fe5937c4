"""Read, validate and upsert the seed files. Running it twice changes nothing the second time.

Natural keys make it idempotent: companies and offers by slug, people by username, classes by
join code, posts by author and text. Existing passwords are never overwritten.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.accounts.services import build_user
from sandbox.charter.services import copy_default_charter
from sandbox.charter.signing import mark_signed
from sandbox.classes.models import School, SchoolClass
from sandbox.companies.models import Company, JobOffer
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.personas.models import Persona
from sandbox.posts.models import Post
from sandbox.posts.text import index_post
from sandbox.profiles.models import ProfileHashtag, ProfileSkill
from sandbox.profiles.search_index import refresh_search_text
from sandbox.seeding.demo_network import seed_demo_network
from sandbox.seeding.files import SeedError
from sandbox.seeding.history import record_seeded_post
from sandbox.seeding.persona_behaviour import apply_behaviour, read_behaviour_seed
from sandbox.seeding.schemas import (
    DemoClassSeed,
    NetworkSeed,
    PersonaSeed,
    ProfileSeed,
    StudentSeed,
)

Progress = Callable[[int], None]
SeedFunction = TypeVar("SeedFunction", bound=Callable[..., "SeedSummary"])


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def merge(self, other: SeedSummary) -> SeedSummary:
        for kind, number in other.created.items():
            self.created[kind] = self.created.get(kind, 0) + number
        for kind, number in other.updated.items():
            self.updated[kind] = self.updated.get(kind, 0) + number
        return self


def _noop(_: int) -> None:
    return None


def _all_or_nothing(seed_function: SeedFunction) -> SeedFunction:
    """A seeding step that fails leaves the database as it found it."""

    @functools.wraps(seed_function)
    def wrapper(data, progress=_noop):  # type: ignore[no-untyped-def]
        try:
            return seed_function(data, progress)
        except BaseException:
            db.session.rollback()
            raise

    return wrapper  # type: ignore[return-value]


@_all_or_nothing
def seed_network(network: NetworkSeed, progress: Progress = _noop) -> SeedSummary:
    """Upsert every company, its offers, every persona (with their behaviour from
    seed/persona_behaviour.yaml) and their posts; commits once."""
    behaviour = read_behaviour_seed(network)  # a broken file stops the seeding before any write
    summary = SeedSummary()
    companies = _by_key(Company, Company.slug, [c.slug for c in network.companies])
    offers = _by_key(JobOffer, JobOffer.slug, [o.slug for c in network.companies for o in c.offers])
    for company_seed in network.companies:
        company = companies.get(company_seed.slug)
        summary.count("companies", company is None)
        if company is None:
            company = companies[company_seed.slug] = Company(slug=company_seed.slug)
            db.session.add(company)
        company.name = company_seed.name
        company.sector = company_seed.sector
        company.city = company_seed.city
        company.founded_year = company_seed.founded
        company.headcount = company_seed.headcount
        company.women_percent = company_seed.women_percent
        company.average_age = company_seed.average_age
        company.turnover_eur = company_seed.turnover_eur
        company.good_to_know = list(company_seed.good_to_know)
        company.description = company_seed.description
        for offer_seed in company_seed.offers:
            offer = offers.get(offer_seed.slug)
            summary.count("offers", offer is None)
            if offer is None:
                offer = JobOffer(slug=offer_seed.slug)
                company.offers.append(offer)
            offer.title = offer_seed.title
            offer.kind = offer_seed.kind
            offer.city = offer_seed.city
            offer.start_date = offer_seed.start
            offer.duration = offer_seed.duration
            offer.description = offer_seed.description
        progress(1)
    db.session.flush()

    people = _users_by_username([p.username for p in network.personas], Role.PERSONA)
    for persona_seed in network.personas:
        user = people.get(persona_seed.username)
        summary.count("personas", user is None)
        if user is None:
            user = people[persona_seed.username] = build_user(
                username=persona_seed.username,
                role=Role.PERSONA,
                first_name=persona_seed.first_name,
                last_name=persona_seed.last_name,
                password=None,
            )
            user.persona = Persona(
                company=companies[persona_seed.company],
                kind=persona_seed.kind,
                job_title=persona_seed.job_title,
            )
        _apply_persona(user, persona_seed, companies[persona_seed.company])
        progress(1)
    apply_behaviour(people, network, behaviour)
    db.session.flush()
    _seed_posts([(people[p.username], p) for p in network.personas], summary)
    db.session.commit()
    return summary


@_all_or_nothing
def seed_demo_class(demo: DemoClassSeed, progress: Progress = _noop) -> SeedSummary:
    """Upsert the demo school, its admin, teacher, class (with charter) and students."""
    summary = SeedSummary()
    school = db.session.scalar(sa.select(School).order_by(School.id).limit(1))
    if school is None:
        school = School(name=demo.school.name, city=demo.school.city)
        db.session.add(school)
        summary.count("schools", True)

    people = {
        **_users_by_username([demo.admin.username], Role.ADMIN),
        **_users_by_username([demo.teacher.username], Role.TEACHER),
        **_users_by_username([s.username for s in demo.students], Role.STUDENT),
    }
    staff = {}
    for person, role in ((demo.admin, Role.ADMIN), (demo.teacher, Role.TEACHER)):
        user = people.get(person.username)
        summary.count(role.value + "s", user is None)
        if user is None:
            user = build_user(
                username=person.username,
                role=role,
                first_name=person.first_name,
                last_name=person.last_name,
                password=person.password,
            )
        staff[role] = user
    progress(1)

    klass = db.session.scalar(
        sa.select(SchoolClass).where(SchoolClass.join_code == demo.klass.join_code)
    )
    summary.count("classes", klass is None)
    if klass is None:
        klass = SchoolClass(join_code=demo.klass.join_code, name=demo.klass.name)
        db.session.add(klass)
        db.session.flush()
        copy_default_charter(klass)
    klass.name = demo.klass.name
    klass.network_scope = demo.klass.network_scope
    klass.allow_pseudonyms = demo.klass.allow_pseudonyms
    if staff[Role.TEACHER] not in klass.teachers:
        klass.teachers.append(staff[Role.TEACHER])
    db.session.flush()
    progress(1)

    for student_seed in demo.students:
        user = people.get(student_seed.username)
        summary.count("students", user is None)
        if user is None:
            user = people[student_seed.username] = build_user(
                username=student_seed.username,
                role=Role.STUDENT,
                first_name=student_seed.first_name,
                last_name=student_seed.last_name,
                password=student_seed.password,
                class_id=klass.id,
            )
        user.pseudonym = student_seed.pseudonym
        _apply_profile(user, student_seed)
        progress(1)
    db.session.flush()
    # The demo's students signed their charter long ago; a version made since stays to sign.
    mark_signed([people[s.username] for s in demo.students], first_time_only=True)
    _seed_posts([(people[s.username], s) for s in demo.students], summary)
    seed_demo_network(demo.network, summary)
    db.session.commit()
    return summary


def demo_progress_length(demo: DemoClassSeed) -> int:
    return 2 + len(demo.students)


def network_progress_length(network: NetworkSeed) -> int:
    return len(network.companies) + len(network.personas)


def _by_key(model: type, column: sa.Column, keys: list[str]) -> dict[str, object]:
    rows = db.session.scalars(sa.select(model).where(column.in_(keys))).all() if keys else []
    return {getattr(row, column.key): row for row in rows}


def _users_by_username(usernames: list[str], role: Role | None = None) -> dict[str, User]:
    """Existing accounts with these usernames; one with another role stops the seeding.

    The seed never takes over a real account that happens to use a seeded username.
    """
    users: dict[str, User] = _by_key(User, User.username, usernames)  # type: ignore[assignment]
    if role is not None:
        for user in users.values():
            if user.role is not role:
                raise SeedError(
                    f"the seed wants '{user.username}' as a {role.value}, but an account with "
                    f"that username is a {user.role.value}: rename one of them"
                )
    return users


def _apply_persona(user: User, seed: PersonaSeed, company: Company) -> None:
    user.first_name = seed.first_name
    user.last_name = seed.last_name
    assert user.persona is not None
    user.persona.company = company
    user.persona.kind = seed.kind
    user.persona.job_title = seed.job_title
    user.profile.contact_email = seed.contact_email or ""
    _apply_profile(user, seed)


def _apply_profile(user: User, seed: ProfileSeed) -> None:
    profile = user.profile
    profile.headline = seed.headline
    profile.about = seed.about
    profile.city = seed.city
    if [skill.name for skill in profile.skills] != list(seed.skills):
        profile.skills = [ProfileSkill(name=name, position=i) for i, name in enumerate(seed.skills)]
    if sorted(tag.tag for tag in profile.hashtags) != sorted(set(seed.hashtags)):
        profile.hashtags = [ProfileHashtag(tag=tag) for tag in sorted(set(seed.hashtags))]
    refresh_search_text(user)


def _seed_posts(
    authors: list[tuple[User, PersonaSeed | StudentSeed]], summary: SeedSummary
) -> None:
    """Add the posts that are not there yet, spread over the last days so the feed looks lived in."""
    author_ids = [user.id for user, _ in authors]
    existing = set(
        db.session.execute(
            sa.select(Post.author_id, Post.body).where(Post.author_id.in_(author_ids))
        ).all()
    ) if author_ids else set()
    now = utcnow()
    rank = 0
    for user, seed in authors:
        for body in seed.posts:
            rank += 1
            if (user.id, body) in existing:
                continue
            # Deterministic spacing: about one post every hour and a half, going back in time.
            created_at = now - timedelta(minutes=53 * rank + 37 * (user.id % 7))
            post = Post(author_id=user.id, body=body, created_at=created_at)
            db.session.add(post)
            db.session.flush()
            # Its #hashtags and @mentions, as the composer stores them (nobody is notified).
            index_post(post, user)
            record_seeded_post(user, post)
            summary.count("posts", True)
