"""What personas write on their own: the pool of seed/persona_posts.yaml, read once and checked.

The texts are fiction written per language ("fr", "en"), not interface strings: a persona
writes in its own language whatever the reader's, as a real professional does. The file is
validated when first read, so a missing sector, kind or a misspelt placeholder stops the
worker with the path of the problem rather than producing a broken post.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from sandbox.companies.models import JobKind, Sector
from sandbox.personas.behaviour import BehaviourProfile
from sandbox.personas.models import PersonaKind
from sandbox.posts.models import COMMENT_MAX_LENGTH
from sandbox.seeding.files import SeedError, seed_dir

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=1200)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{2,60}$")]
Texts = Annotated[list[Text], Field(min_length=1)]

# The placeholders each kind of text may use (filled by `fill`).
POST_FIELDS = {"company", "city"}
OFFER_FIELDS = {"company", "city", "title", "tags"}
COMMENT_FIELDS = {"company"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_fields(texts: list[str], allowed: set[str], where: str) -> None:
    for text in texts:
        unknown = _placeholders(text) - allowed
        if unknown:
            raise ValueError(f"{where}: unknown placeholder(s) {sorted(unknown)} in {text!r}")


class PostPool(_Model):
    news: dict[Sector, Texts]
    tips: dict[PersonaKind, Texts]
    offers: Texts

    @model_validator(mode="after")
    def _complete(self) -> PostPool:
        missing = [s.value for s in Sector if s not in self.news]
        missing += [k.value for k in PersonaKind if k not in self.tips]
        if missing:
            raise ValueError(f"nothing to post for {missing}")
        for texts in [*self.news.values(), *self.tips.values()]:
            _check_fields(texts, POST_FIELDS, "posts")
        _check_fields(self.offers, OFFER_FIELDS, "offers")
        return self


class CommentPool(_Model):
    mention: Texts
    topics: dict[Tag, Texts]
    kinds: dict[PersonaKind, Texts]

    @model_validator(mode="after")
    def _complete(self) -> CommentPool:
        missing = [k.value for k in PersonaKind if k not in self.kinds]
        if missing:
            raise ValueError(f"no comment for persona kinds {missing}")
        for texts in [self.mention, *self.topics.values(), *self.kinds.values()]:
            _check_fields(texts, COMMENT_FIELDS, "comments")
            if any(len(text) > COMMENT_MAX_LENGTH // 2 for text in texts):
                raise ValueError("a persona's comment is short: half a comment at most")
        return self


class PersonaContent(_Model):
    posts: dict[str, PostPool]
    offer_tags: dict[str, dict[JobKind, Annotated[list[Tag], Field(min_length=1)]]]
    comments: dict[str, CommentPool]

    @model_validator(mode="after")
    def _every_language(self) -> PersonaContent:
        for name, table in (("posts", self.posts), ("offer_tags", self.offer_tags),
                            ("comments", self.comments)):
            if sorted(table) != sorted(LANGUAGES):
                raise ValueError(f"{name}: exactly the languages {list(LANGUAGES)}")
        for language, tags in self.offer_tags.items():
            missing = [k.value for k in JobKind if k not in tags]
            if missing:
                raise ValueError(f"offer_tags.{language}: no hashtag for {missing}")
        return self


def read_persona_content(directory: Path | None = None) -> PersonaContent:
    """seed/persona_posts.yaml, validated (SeedError saying where the problem is)."""
    path = (directory or seed_dir()) / "persona_posts.yaml"
    try:
        with path.open(encoding="utf-8") as handle:
            return PersonaContent.model_validate(yaml.safe_load(handle))
    except FileNotFoundError:
        raise SeedError(f"{path}: missing seed file") from None
    except yaml.YAMLError as error:
        raise SeedError(f"{path}: not valid YAML ({error})") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '(top)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise SeedError(f"{path}: {problems}") from None


@cache
def persona_content() -> PersonaContent:
    """The pool, read once per process (it only changes with a new release)."""
    return read_persona_content()


def fill(template: str, **values: str) -> str:
    """The template with its placeholders filled (validated ones only, so never a KeyError)."""
    return template.format_map(values)


def languages_of(profile: BehaviourProfile) -> list[str]:
    """The languages a persona posts in: its behaviour's `languages` (e.g. ["fr", "en"]), the
    known ones, in order; French when it names none."""
    wanted = getattr(profile, "languages", None) or profile.extra.get("languages")
    if isinstance(wanted, str):
        wanted = [wanted]
    known = [lang for lang in wanted if lang in LANGUAGES] if isinstance(
        wanted, list | tuple) else []
    return known or [DEFAULT_LANGUAGE]


# A few frequent words of each language: enough to tell an English post from a French one.
_ENGLISH = frozenset("the and my i is are to for with this that looking we you your our of "
                     "in at on it am have has be will just from an".split())
_FRENCH = frozenset("le la les je et un une pour mon ma mes des est du avec de en au aux "
                    "sur dans ce cette nous vous suis à qui que pas".split())


def written_in(text: str) -> str:
    """"en" when a text reads as English, else "fr" (the default)."""
    words = [word.strip(".,;:!?«»\"'’()") for word in text.lower().split()]
    english = sum(word in _ENGLISH for word in words)
    french = sum(word in _FRENCH for word in words)
    return "en" if english > french else "fr"
