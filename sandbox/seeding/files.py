"""The seed files: where they are, reading them, and refusing one that does not fit its schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sandbox.core.resources import resource_dir
from sandbox.seeding.schemas import CharterSeed, DemoClassSeed, GroupsSeed, NetworkSeed

SchemaT = TypeVar("SchemaT", bound=BaseModel)


class SeedError(Exception):
    """A seed file is missing or does not fit its schema; the message says where."""


def seed_dir() -> Path:
    return resource_dir("seed")


def _read(schema: type[SchemaT], data: object, source: str) -> SchemaT:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '(top)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise SeedError(f"{source}: {problems}") from None


def _read_yaml(name: str, directory: Path | None = None) -> object:
    path = (directory or seed_dir()) / name
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise SeedError(f"{path}: missing seed file") from None
    except yaml.YAMLError as error:
        raise SeedError(f"{path}: not valid YAML ({error})") from None


def read_network_seed(directory: Path | None = None) -> NetworkSeed:
    data = {
        "companies": _read_yaml("companies.yaml", directory),
        "personas": _read_yaml("personas.yaml", directory),
    }
    return _read(NetworkSeed, data, "seed/companies.yaml + seed/personas.yaml")


def read_demo_seed(directory: Path | None = None) -> DemoClassSeed:
    return _read(DemoClassSeed, _read_yaml("demo_class.yaml", directory), "seed/demo_class.yaml")


def read_groups_seed(directory: Path | None = None) -> GroupsSeed:
    """The groups, checked against the people and the class the other seed files define."""
    groups = _read(GroupsSeed, {"groups": _read_yaml("groups.yaml", directory)},
                   "seed/groups.yaml")
    demo = read_demo_seed(directory)
    known_people = {
        *(persona.username for persona in read_network_seed(directory).personas),
        demo.admin.username, demo.teacher.username,
        *(student.username for student in demo.students),
    }
    for group in groups.groups:
        unknown = sorted({*group.admins, *group.members} - known_people)
        if unknown:
            raise SeedError(f"seed/groups.yaml: group {group.slug}: unknown people {unknown}")
        if group.class_code is not None and group.class_code != demo.klass.join_code:
            raise SeedError(
                f"seed/groups.yaml: group {group.slug}: unknown class {group.class_code!r}"
            )
    return groups


@cache
def default_charter() -> CharterSeed:
    """The default class charter (seed/charter.yaml), read once per process."""
    return _read(CharterSeed, _read_yaml("charter.yaml"), "seed/charter.yaml")
