"""How a persona behaves: its profile (seed/persona_behaviour.yaml, stored on `Persona.behaviour`),
how long it takes to react in a given class, and the seeded randomness of its choices.

Every choice a persona makes draws from `persona_random(...)`, seeded by the app's
`PERSONA_RANDOM_SEED` and the ids of what it reacts to: the same situation gets the same
reaction, so tests can assert replies, and two workers agree on them.
"""

from __future__ import annotations

import enum
import hashlib
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app

from sandbox.classes.models import SchoolClass
from sandbox.personas.models import Persona


class GiftKind(enum.StrEnum):
    """What a persona may give a student; each becomes an entry of the student's journal."""

    APPOINTMENT = "appointment"  # a coffee, a call, a visit
    INTRODUCTION = "introduction"  # the name of a colleague or friend
    KEY_DATE = "key_date"  # a forum, an open day, a recruitment session
    RECRUITMENT = "recruitment"  # one of the company's open offers
    DOCUMENT = "document"  # a CV template, the company's brochure…
    ADVICE = "advice"
    SUPPORT = "support"


class Rudeness(enum.StrEnum):
    """How a persona meets a rude message, spam or SMS language."""

    COOL = "cool"  # one short, cool answer, then silence if it goes on
    SILENT = "silent"  # no answer at all


@dataclass(frozen=True)
class BehaviourProfile:
    """A persona's temperament. Delays are in minutes of real life, before the class's
    time compression."""

    # How long before answering an invitation or a message.
    reply_delay: tuple[int, int] = (30, 240)
    # What makes them accept an invitation.
    min_completeness: int = 60  # the sender's profile completeness, in %
    wants_personal_message: bool = True  # a message that mentions them or their company
    wants_professional_photo: bool = True  # a photo with its checklist ticked
    # Out of 100: how often they still accept when only one wish is missed; else decline/ignore.
    leniency: int = 30
    ignore_rather_than_decline: bool = True
    # How chatty: chance (out of 100) of offering a gift (appointment, introduction…) when asked.
    generosity: int = 60
    # How often (days of real life, before compression) they post, and what about.
    post_every_days: int = 7
    topics: tuple[str, ...] = ()  # hashtags they react to (like, comment)
    likes_per_week: int = 3
    # Colleagues and friends (usernames of other personas) they may introduce a student to.
    friends: tuple[str, ...] = ()
    # What they may give (GiftKind values), and how they meet rudeness.
    gifts: tuple[str, ...] = ("advice", "support")
    rudeness: str = Rudeness.COOL.value
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, persona: Persona) -> BehaviourProfile:
        """The stored profile, each missing key taking its default."""
        data = dict(persona.behaviour or {})
        known = {name for name in cls.__dataclass_fields__ if name != "extra"}
        values: dict[str, Any] = {}
        for name in known:
            if name in data:
                value = data.pop(name)
                values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**values, extra=data)


def persona_random(*parts: object) -> random.Random:
    """A random generator seeded by the app's seed and `parts` (ids, kinds): reproducible."""
    seed = current_app.config.get("PERSONA_RANDOM_SEED", 2027)
    text = "|".join(str(part) for part in (seed, *parts))
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


def compression_of(klass: SchoolClass | None) -> int:
    """The class's time compression (1 = real time); 60 when there is no class."""
    if klass is None:
        return 60
    return max(1, klass.persona_time_compression or 1)


def reaction_delay(profile: BehaviourProfile, klass: SchoolClass | None,
                   rng: random.Random, span: tuple[int, int] | None = None) -> timedelta:
    """A delay drawn in `span` (default: the profile's reply delay), in minutes of real life,
    divided by the class's compression; never under five seconds."""
    low, high = span or profile.reply_delay
    minutes = rng.uniform(min(low, high), max(low, high))
    seconds = minutes * 60 / compression_of(klass)
    return timedelta(seconds=max(5.0, seconds))
