"""Checks on what people type about a group, and the group's address (slug) from its name."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from sandbox.core.errors import ServiceError
from sandbox.core.text import fold
from sandbox.core.validation import clean_line, has_control_characters
from sandbox.extensions import db
from sandbox.groups.models import (
    GROUP_DESCRIPTION_MAX_LENGTH,
    GROUP_NAME_MAX_LENGTH,
    Group,
    JoinPolicy,
)
from sandbox.profiles.services import parse_hashtags

GROUP_NAME_MIN_LENGTH = 3
MAX_TOPICS = 10
SLUG_MAX_LENGTH = 60
# Paths of the groups blueprint that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})


def clean_name(name: str | None) -> str:
    name = clean_line(name, "name", max_length=GROUP_NAME_MAX_LENGTH)
    if len(name) < GROUP_NAME_MIN_LENGTH:
        raise ServiceError(
            _l("A group name has %(min)d to %(max)d characters.",
               min=GROUP_NAME_MIN_LENGTH, max=GROUP_NAME_MAX_LENGTH),
            field="name",
        )
    return name


def clean_description(description: str | None) -> str:
    """Several lines are fine; spaces are tidied and long runs of empty lines shortened."""
    text = (description or "").replace("\r\n", "\n").replace("\r", "\n")
    if has_control_characters(text):
        raise ServiceError(
            _l("This text contains invisible characters: retype it."), field="description"
        )
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        raise ServiceError(_l("Describe the group in a few words."), field="description")
    if len(text) > GROUP_DESCRIPTION_MAX_LENGTH:
        raise ServiceError(
            _l("%(count)d characters at most.", count=GROUP_DESCRIPTION_MAX_LENGTH),
            field="description",
        )
    return text


def clean_topics(topics: str | list[str] | None) -> list[str]:
    """Hashtags normalised as everywhere else ("#Export" -> "export"), each once."""
    raw = " ".join(topics) if isinstance(topics, list) else (topics or "")
    if has_control_characters(raw):
        raise ServiceError(_l("This text contains invisible characters: retype it."),
                           field="topics")
    try:
        tags = parse_hashtags(raw)
    except ServiceError as error:  # the same rule as profiles, said about this field
        raise ServiceError(error.message, field="topics") from None
    if len(tags) > MAX_TOPICS:
        raise ServiceError(_l("%(count)d topics at most.", count=MAX_TOPICS), field="topics")
    return tags


def clean_join_policy(join_policy: JoinPolicy | str | None) -> JoinPolicy:
    try:
        return JoinPolicy(join_policy)
    except ValueError:
        raise ServiceError(_l("Choose how people join the group."), field="join_policy") from None


def slug_base(name: str) -> str:
    """"Atelier réseau — 1re année" -> "atelier-reseau-1re-annee"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_MAX_LENGTH]
    return slug if len(slug) >= 2 else "groupe"


def unique_slug(name: str) -> str:
    """The name's slug, or the same with the first free suffix ("-2", "-3", ...)."""
    base = slug_base(name)
    taken = set(db.session.scalars(
        sa.select(Group.slug).where(sa.or_(Group.slug == base, Group.slug.like(f"{base}-%")))
    )) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
