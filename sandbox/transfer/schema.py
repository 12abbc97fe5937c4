"""The shape of a class document (format "tremplin-class", version 2), checked before import.

Every object refers to another by a stable key, never by a database id: people by username,
groups by slug, the class by "class", rubric criteria by their key, everything else by a key
made from its place in its sorted list ("post-3", "message-12"). A moderation case about a text
that is not in the document (deleted for good, or written to someone outside the class) refers
to it as "gone-N", so its findings and audit entries still point at the same case.

Version 2 added the class's offers, its students' applications, saved offers and company
reviews, its exercises, the part of the fictional world they refer to (`world`) and the class's
persona time compression. A version 1 document is read as a version 2 one without any of these
(`document.from_version_1`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from sandbox.transfer.schema_content import (
    CommentPart,
    ConversationPart,
    EventPart,
    FindingPart,
    GroupPart,
    ModerationPart,
    NetworkPart,
    PostPart,
)
from sandbox.transfer.schema_jobs import (
    ApplicationPart,
    ExercisePart,
    OfferPart,
    ReviewPart,
    SavedOfferPart,
    WorldPart,
)
from sandbox.transfer.schema_people import CharterPart, ClassPart, PersonPart, RubricPart
from sandbox.transfer.schema_types import Part


class ClassDocument(Part):
    """The whole document; `format` and `version` are checked first, with a clearer message."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    format: Literal["tremplin-class"]
    version: Literal[2]
    school_class: ClassPart = Field(alias="class")
    charter: CharterPart
    rubric: RubricPart | None
    people: list[PersonPart]
    groups: list[GroupPart]
    posts: list[PostPart]
    comments: list[CommentPart]
    network: NetworkPart
    conversations: list[ConversationPart]
    findings: list[FindingPart]
    moderation: ModerationPart
    events: list[EventPart]
    world: WorldPart
    offers: list[OfferPart]
    applications: list[ApplicationPart]
    saved_offers: list[SavedOfferPart]
    reviews: list[ReviewPart]
    exercises: list[ExercisePart]
