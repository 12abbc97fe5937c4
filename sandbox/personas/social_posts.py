"""Personas post now and then: sector news, advice for candidates, their company's open offers.

Each persona has one pending `persona_post` action at a time. Its handler writes the post
through the posts' own building block (`posts.services.write_post`: hashtags, live news, event)
and schedules the next one, `post_every_days` later with some jitter, so the chain keeps
itself going. `ensure_persona_posts_scheduled()` starts the chains, for the personas that have
none; the worker calls it when it looks after its claims (at start-up, then every minute), so
new personas and a chain broken by a failed action are picked up.

Whose clock? A persona's post goes to the whole network, seen by classes that may compress
time differently. The interval is divided by the *most* compressed class of the school: a
class in a one-hour lesson then sees the personas post during its lesson, and a slower class
merely sees a livelier network than real time would give, which costs it nothing. A floor
(`MIN_INTERVAL`) keeps an extreme setting from turning the feed into a stream of persona posts.

While a person plays the persona, or a recruiter team of a live exercise plays its company,
the persona posts nothing on its own, but its chain goes on, so it resumes when handed back.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import JobOffer
from sandbox.core.time import utcnow
from sandbox.exercises.models import Exercise, ExerciseTeam, TeamRole
from sandbox.exercises.access import LIVE
from sandbox.core import deferred
from sandbox.extensions import db
from sandbox.personas.behaviour import BehaviourProfile, persona_random
from sandbox.personas.models import ActionStatus, Persona, PersonaKind, ScheduledAction
from sandbox.personas.scheduler import ActionObsolete, action_handler, schedule
from sandbox.personas.social_content import fill, languages_of, persona_content
from sandbox.posts.models import Audience, Post
from sandbox.posts.services import write_post

KIND = "persona_post"
MIN_INTERVAL = timedelta(minutes=30)
FIRST_POST_AFTER = timedelta(minutes=5)  # a worker that starts does not post at once
JITTER = (0.7, 1.3)  # the interval is multiplied by a factor drawn in this range
# What each kind of professional tends to post about: weights out of 100.
MIX = {
    PersonaKind.RECRUITER: {"offers": 45, "tips": 35, "news": 20},
    PersonaKind.MANAGER: {"offers": 25, "tips": 25, "news": 50},
    PersonaKind.EMPLOYEE: {"offers": 15, "tips": 25, "news": 60},
    PersonaKind.ALUMNI: {"offers": 10, "tips": 50, "news": 40},
}


def network_compression() -> int:
    """The time compression of the school's most compressed class (60 with no class)."""
    fastest = db.session.scalar(sa.select(sa.func.max(SchoolClass.persona_time_compression)))
    return max(1, fastest or 60)


def post_interval(profile: BehaviourProfile, rng: random.Random, compression: int) -> timedelta:
    """How long until the persona's next post: `post_every_days` of real life, jittered,
    divided by the compression; never under `MIN_INTERVAL`."""
    days = max(0.1, float(profile.post_every_days or 7)) * rng.uniform(*JITTER)
    return max(MIN_INTERVAL, timedelta(days=days) / compression)


def ensure_persona_posts_scheduled(now: datetime | None = None) -> int:
    """Give every persona that has no pending post its first one; returns how many (no commit).

    Idempotent: a persona with a pending or running `persona_post` is left alone, and two
    workers starting in the same hour schedule one action (dedupe key per persona and hour).
    The first posts are spread over one interval (none in the first minutes), so the personas
    do not all post at once.
    """
    now = now or utcnow()
    waiting = sa.select(ScheduledAction.persona_id).where(
        ScheduledAction.kind == KIND, ScheduledAction.persona_id.is_not(None),
        ScheduledAction.status.in_((ActionStatus.PENDING, ActionStatus.RUNNING)))
    personas = db.session.scalars(
        sa.select(Persona).join(User, User.id == Persona.user_id)
        .where(User.is_disabled.is_(False), Persona.user_id.not_in(waiting))
        .order_by(Persona.user_id)
    ).all()
    compression = network_compression()
    hour = now.strftime("%Y%m%d%H")
    started = 0
    for persona in personas:
        rng = persona_random(KIND, persona.user_id, hour)
        spread = post_interval(BehaviourProfile.of(persona), rng, compression) * rng.random()
        action = schedule(KIND, now + max(FIRST_POST_AFTER, spread),
                          dedupe_key=f"{KIND}:{persona.user_id}:{hour}",
                          persona_id=persona.user_id)
        started += action is not None
    return started


@action_handler(KIND)
def post_as_persona(action: ScheduledAction) -> None:
    """Write the persona's next post (unless it is played), then schedule the one after."""
    user = db.session.get(User, action.persona_id,
                          options=[joinedload(User.persona).joinedload(Persona.company)])
    if user is None or user.persona is None or user.is_disabled:
        raise ActionObsolete("the persona is gone")
    persona = user.persona
    rng = persona_random(KIND, user.id, action.id)
    _schedule_next(action, persona, rng)
    if not persona.autopilot or persona.company_id in _companies_played_now():
        return
    body = next_post_text(persona, rng)
    if body is not None:
        write_post(user, body, Audience.NETWORK)


def _schedule_next(action: ScheduledAction, persona: Persona, rng: random.Random) -> None:
    """The next link of the chain, unless another is already waiting (two chains merge)."""
    other = db.session.scalar(sa.select(ScheduledAction.id).where(
        ScheduledAction.kind == KIND, ScheduledAction.persona_id == persona.user_id,
        ScheduledAction.id != action.id, ScheduledAction.status == ActionStatus.PENDING
    ).limit(1))
    if other is not None or any(
            queued.kind == KIND and queued.persona_id == persona.user_id
            for queued in deferred.pending(db.session(), ScheduledAction)):
        return  # (or one this batch scheduled, written at its end)
    interval = post_interval(BehaviourProfile.of(persona), rng, network_compression())
    # From the moment it was claimed (the `now` of the run: tests pass one in the future).
    schedule(KIND, max(action.claimed_at or utcnow(), action.run_at) + interval,
             dedupe_key=f"{KIND}:{persona.user_id}:after:{action.id}",
             persona_id=persona.user_id)


def _companies_played_now() -> set[int]:
    """Companies a recruiter team plays in a live exercise of any class: their personas keep
    quiet in the whole network, whose feed that class reads too."""
    return set(db.session.scalars(
        sa.select(ExerciseTeam.company_id).join(Exercise, Exercise.id == ExerciseTeam.exercise_id)
        .where(Exercise.status.in_(LIVE), ExerciseTeam.role == TeamRole.RECRUITER,
               ExerciseTeam.company_id.is_not(None))))


def next_post_text(persona: Persona, rng: random.Random) -> str | None:
    """A text the persona (or a colleague) has not posted yet, None when it has said it all.

    Its kind decides the mix (a recruiter talks offers, an alumni gives advice); an offer not
    yet advertised comes before one already advertised with other words.
    """
    company = persona.company
    language = rng.choice(languages_of(BehaviourProfile.of(persona)))
    pool = persona_content().posts[language]
    said = set(db.session.scalars(
        sa.select(Post.body).join(Persona, Persona.user_id == Post.author_id)
        .where(Persona.company_id == company.id)))
    weights = dict(MIX[persona.kind])
    while weights:
        kinds = list(weights)
        chosen = rng.choices(kinds, weights=[weights[kind] for kind in kinds])[0]
        del weights[chosen]
        if chosen == "offers":
            options = _offer_texts(persona, language, said)
        else:
            templates = pool.news[company.sector] if chosen == "news" else pool.tips[persona.kind]
            options = [fill(text, company=company.name, city=company.city) for text in templates]
        fresh = [text for text in options if text not in said]
        if fresh:
            return rng.choice(fresh)
    return None


def _offer_texts(persona: Persona, language: str, said: set[str]) -> list[str]:
    """Posts about the company's open offers that every class sees; the offers no colleague
    has advertised yet first (their texts only, when there are some)."""
    company = persona.company
    offers = db.session.scalars(
        sa.select(JobOffer).where(JobOffer.company_id == company.id, JobOffer.is_open.is_(True),
                                  JobOffer.class_id.is_(None)).order_by(JobOffer.id)).all()
    content = persona_content()
    texts: dict[bool, list[str]] = {True: [], False: []}
    for offer in offers:
        tags = " ".join(f"#{tag}" for tag in content.offer_tags[language][offer.kind])
        advertised = any(offer.title in body for body in said)
        texts[advertised].extend(
            fill(template, company=company.name, city=offer.city, title=offer.title, tags=tags)
            for template in content.posts[language].offers)
    fresh = [text for text in texts[False] if text not in said]
    return fresh or texts[True]
