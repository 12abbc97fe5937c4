"""The shape of the personas' behaviour and replies files (seed/persona_behaviour.yaml,
seed/persona_replies.yaml). A file that does not fit is refused with the path of the problem."""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from sandbox.personas.behaviour import GiftKind, Rudeness
from sandbox.personas.intents import Intent, Tone
from sandbox.personas.models import PersonaKind
from sandbox.seeding.schemas import Hashtag, SeedModel, Username, _no_duplicates

Percent = Annotated[int, Field(ge=0, le=100)]
Minutes = Annotated[int, Field(ge=1, le=60 * 24 * 30)]


class BehaviourSeed(SeedModel):
    """A behaviour profile (`personas.behaviour.BehaviourProfile`); a key left out is inherited
    (a persona's from its kind's defaults, a kind's from the profile's own defaults)."""

    reply_delay: tuple[Minutes, Minutes] | None = None
    min_completeness: Percent | None = None
    wants_personal_message: bool | None = None
    wants_professional_photo: bool | None = None
    leniency: Percent | None = None
    ignore_rather_than_decline: bool | None = None
    generosity: Percent | None = None
    post_every_days: Annotated[int, Field(ge=1, le=365)] | None = None
    topics: list[Hashtag] | None = None
    likes_per_week: Annotated[int, Field(ge=0, le=100)] | None = None
    friends: list[Username] | None = None
    gifts: list[GiftKind] | None = None
    rudeness: Rudeness | None = None

    @model_validator(mode="after")
    def delays_in_order(self) -> BehaviourSeed:
        if self.reply_delay is not None and self.reply_delay[0] > self.reply_delay[1]:
            raise ValueError("reply_delay: the shortest delay comes first")
        _no_duplicates(list(self.friends or []), "friend")
        return self

    def values(self) -> dict[str, object]:
        """The keys it sets, as stored on `Persona.behaviour` (JSON)."""
        return self.model_dump(mode="json", exclude_none=True)


class PersonaBehaviourSeed(SeedModel):
    defaults: dict[PersonaKind, BehaviourSeed]
    personas: dict[Username, BehaviourSeed] = {}

    @model_validator(mode="after")
    def every_kind_has_defaults(self) -> PersonaBehaviourSeed:
        missing = sorted(kind.value for kind in PersonaKind if kind not in self.defaults)
        if missing:
            raise ValueError(f"defaults missing for {missing}")
        for username, seed in self.personas.items():
            if username in (seed.friends or []):
                raise ValueError(f"persona {username}: is not their own friend")
        return self

    def profile_of(self, username: str, kind: PersonaKind) -> dict[str, object]:
        """The kind's defaults, overridden by the persona's own keys."""
        values = self.defaults[kind].values()
        if username in self.personas:
            values.update(self.personas[username].values())
        return values


# ---- what personas reply (seed/persona_replies.yaml) ----------------------------------------

ReplyText = Annotated[str, StringConstraints(min_length=2, max_length=900)]
SAID_BY = {"first_name", "me", "me_full", "job_title", "company", "city"}
GIFT_FIELDS: dict[GiftKind, set[str]] = {
    GiftKind.APPOINTMENT: {"when"},
    GiftKind.INTRODUCTION: {"friend", "friend_job", "friend_company"},
    GiftKind.KEY_DATE: {"event", "when"},
    GiftKind.RECRUITMENT: {"offer", "offer_city"},
    GiftKind.DOCUMENT: {"document_title", "document_body"},
    GiftKind.ADVICE: set(),
    GiftKind.SUPPORT: set(),
}


class Variants(SeedModel):
    """Several ways of saying one thing, in French and in English."""

    fr: Annotated[list[ReplyText], Field(min_length=2)]
    en: Annotated[list[ReplyText], Field(min_length=2)]

    def texts(self) -> list[str]:
        return [*self.fr, *self.en]


class KindVariants(Variants):
    """Variants, with their own for some kinds of persona (an alumni speaks of their studies)."""

    by_kind: dict[PersonaKind, Variants] = {}

    def texts(self) -> list[str]:
        return [*super().texts(), *(t for v in self.by_kind.values() for t in v.texts())]


class GiftReplies(SeedModel):
    message: KindVariants  # the sentence of the reply
    again: Variants  # asked again, once given (a persona gives each kind of gift once)
    note: Variants  # the line of the student's journal


class Bilingual(SeedModel):
    fr: Annotated[str, StringConstraints(min_length=2, max_length=900)]
    en: Annotated[str, StringConstraints(min_length=2, max_length=900)]


class DocumentSeed(SeedModel):
    title: Bilingual
    body: Bilingual


class PersonaRepliesSeed(SeedModel):
    openings: Variants
    closings: Variants
    welcome: Variants
    intents: dict[Intent, KindVariants]
    gifts: dict[GiftKind, GiftReplies]
    cool: dict[Tone, Variants]
    events: Annotated[list[Bilingual], Field(min_length=2)]
    documents: Annotated[list[DocumentSeed], Field(min_length=2)]

    @model_validator(mode="after")
    def complete_and_known_fields(self) -> PersonaRepliesSeed:
        for what, mapping, expected in (("intents", self.intents, set(Intent)),
                                        ("gifts", self.gifts, set(GiftKind)),
                                        ("cool", self.cool, set(Tone) - {Tone.NORMAL})):
            missing = sorted(str(key) for key in expected - set(mapping))
            if missing:
                raise ValueError(f"{what}: missing {missing}")
        plain = [*self.openings.texts(), *self.closings.texts(), *self.welcome.texts(),
                 *(t for v in self.intents.values() for t in v.texts()),
                 *(t for v in self.cool.values() for t in v.texts())]
        _fields_known(plain, SAID_BY, "a reply")
        for kind, gift in self.gifts.items():
            _fields_known(gift.message.texts(), SAID_BY | GIFT_FIELDS[kind], f"gifts.{kind}")
            _fields_known(gift.again.texts(), SAID_BY, f"gifts.{kind}.again")
            _fields_known(gift.note.texts(), SAID_BY | GIFT_FIELDS[kind] | {"said"},
                          f"gifts.{kind}.note")
        named = [text for item in self.events for text in (item.fr, item.en)]
        named += [text for doc in self.documents
                  for part in (doc.title, doc.body) for text in (part.fr, part.en)]
        _fields_known(named, {"company", "city"}, "events and documents")
        return self



def _fields_known(texts: list[str], known: set[str], where: str) -> None:
    """Every {field} of the texts is one the reply fills in (a typo would show as "{compny}")."""
    for text in texts:
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError as error:
            raise ValueError(f"{where}: {text!r}: {error}") from None
        unknown = sorted(fields - known)
        if unknown:
            raise ValueError(f"{where}: {text!r} uses unknown fields {unknown}")
