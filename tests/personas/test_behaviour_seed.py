"""The personas' behaviour and replies seed files: valid, complete, loaded idempotently."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
import sqlalchemy as sa
import yaml
from pydantic import ValidationError

from sandbox.accounts.models import User
from sandbox.extensions import db
from sandbox.personas.behaviour import BehaviourProfile, GiftKind
from sandbox.personas.models import Persona, PersonaKind
from sandbox.seeding.files import SeedError, read_network_seed, seed_dir
from sandbox.seeding.loader import seed_network
from sandbox.seeding.persona_behaviour import persona_replies, read_behaviour_seed
from sandbox.seeding.persona_schemas import BehaviourSeed, PersonaRepliesSeed


def test_every_seeded_persona_has_a_believable_profile():
    network = read_network_seed()
    behaviour = read_behaviour_seed(network)
    companies = {persona.username: persona.company for persona in network.personas}
    assert set(behaviour.personas) == set(companies)  # nobody forgotten
    for persona in network.personas:
        profile = BehaviourProfile(**{
            key: tuple(value) if isinstance(value, list) else value
            for key, value in behaviour.profile_of(persona.username, persona.kind).items()})
        friends = profile.friends
        assert len(friends) >= 3, persona.username
        assert any(companies[f] == persona.company for f in friends), "a colleague"
        assert any(companies[f] != persona.company for f in friends), "someone elsewhere"
        assert profile.topics, persona.username
        assert profile.reply_delay[0] <= profile.reply_delay[1]
        if persona.kind is PersonaKind.RECRUITER:
            assert GiftKind.RECRUITMENT.value in profile.gifts  # recruiters point to offers


def test_the_seed_schema_and_the_profile_know_the_same_keys():
    profile_keys = {f.name for f in dataclasses.fields(BehaviourProfile)} - {"extra"}
    assert set(BehaviourSeed.model_fields) == profile_keys


def test_seeding_stores_each_persona_s_profile_once(app):
    network = read_network_seed()
    seed_network(network)
    claire = db.session.scalar(sa.select(User).where(User.username == "claire.morvan"))
    profile = BehaviourProfile.of(claire.persona)
    assert profile.generosity == 75 and profile.min_completeness == 70  # her own, her kind's
    assert profile.friends == ("thomas.vuillermoz", "ines.belkacem", "sandrine.chassaing")
    assert profile.extra == {}  # every stored key is one the profile knows
    stored = {p.user_id: dict(p.behaviour) for p in db.session.scalars(sa.select(Persona))}
    assert all(stored.values())

    seed_network(network)
    db.session.expire_all()
    assert {p.user_id: p.behaviour for p in db.session.scalars(sa.select(Persona))} == stored


def test_a_behaviour_file_naming_unknown_people_is_refused(tmp_path):
    for name in ("companies.yaml", "personas.yaml", "persona_behaviour.yaml"):
        shutil.copy(seed_dir() / name, tmp_path / name)
    path = tmp_path / "persona_behaviour.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("friends: [thomas.vuillermoz,", "friends: [personne.inconnue,",
                                 1), encoding="utf-8")
    network = read_network_seed(tmp_path)
    with pytest.raises(SeedError, match="claire.morvan: unknown friends"):
        read_behaviour_seed(network, tmp_path)

    path.write_text(text + "  fantome.persona:\n    generosity: 10\n", encoding="utf-8")
    with pytest.raises(SeedError, match="unknown personas"):
        read_behaviour_seed(network, tmp_path)

    path.write_text(text.replace("generosity: 75", "generosity: 175", 1), encoding="utf-8")
    with pytest.raises(SeedError, match="persona_behaviour.yaml: personas.claire.morvan"):
        read_behaviour_seed(network, tmp_path)


def test_the_replies_file_is_complete_in_french_and_english(app):
    replies = persona_replies()
    fields = {name: "x" for name in ("first_name", "me", "me_full", "job_title", "company",
                                      "city", "when", "friend", "friend_job", "friend_company",
                                      "event", "offer", "offer_city", "document_title",
                                      "document_body", "said")}
    texts = [*replies.openings.texts(), *replies.closings.texts(), *replies.welcome.texts()]
    for variants in [*replies.intents.values(), *replies.cool.values()]:
        texts += variants.texts()
    for gift in replies.gifts.values():
        texts += [*gift.message.texts(), *gift.again.texts(), *gift.note.texts()]
    for text in texts:
        text.format(**fields)  # every field is one a reply fills in
        assert text.strip() == text


def test_a_typo_in_a_reply_field_is_refused():
    data = yaml.safe_load((seed_dir() / "persona_replies.yaml").read_text(encoding="utf-8"))
    data["openings"]["fr"][0] = "Bonjour {frist_name},"
    with pytest.raises(ValidationError, match="unknown fields"):
        PersonaRepliesSeed.model_validate(data)
    del data["intents"]["advice"]
    with pytest.raises(ValidationError, match="missing"):
        PersonaRepliesSeed.model_validate(data)
