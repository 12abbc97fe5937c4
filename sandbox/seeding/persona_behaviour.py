"""The personas' behaviour (seed/persona_behaviour.yaml) and replies (seed/persona_replies.yaml):
read, checked against the personas they name, and stored on `Persona.behaviour`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sandbox.accounts.models import User
from sandbox.seeding.files import SeedError, _read, _read_yaml
from sandbox.seeding.persona_schemas import PersonaBehaviourSeed, PersonaRepliesSeed
from sandbox.seeding.schemas import NetworkSeed

BEHAVIOUR_FILE = "persona_behaviour.yaml"
REPLIES_FILE = "persona_replies.yaml"


def read_behaviour_seed(network: NetworkSeed, directory: Path | None = None
                        ) -> PersonaBehaviourSeed:
    """The behaviour file, checked against the personas of `network`: every persona it names,
    and every friend, exists."""
    source = f"seed/{BEHAVIOUR_FILE}"
    behaviour = _read(PersonaBehaviourSeed, _read_yaml(BEHAVIOUR_FILE, directory), source)
    known = {persona.username for persona in network.personas}
    unknown = sorted(set(behaviour.personas) - known)
    if unknown:
        raise SeedError(f"{source}: unknown personas {unknown}")
    for username, seed in behaviour.personas.items():
        strangers = sorted(set(seed.friends or []) - known)
        if strangers:
            raise SeedError(f"{source}: {username}: unknown friends {strangers}")
    return behaviour


def apply_behaviour(people: dict[str, User], network: NetworkSeed,
                    behaviour: PersonaBehaviourSeed) -> None:
    """Store each persona's profile (its kind's defaults, then its own keys); a persona
    without topics of its own takes its profile's hashtags. Unchanged profiles are not
    rewritten, so seeding twice writes nothing."""
    for seed in network.personas:
        persona = people[seed.username].persona
        assert persona is not None
        profile = behaviour.profile_of(seed.username, seed.kind)
        if not profile.get("topics"):
            profile["topics"] = list(seed.hashtags)
        if persona.behaviour != profile:
            persona.behaviour = profile


@cache
def persona_replies() -> PersonaRepliesSeed:
    """What personas reply (seed/persona_replies.yaml), read once per process."""
    return _read(PersonaRepliesSeed, _read_yaml(REPLIES_FILE), f"seed/{REPLIES_FILE}")
