"""The default grading rubric (seed/rubric.yaml): its shape, and reading it once per process."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from sandbox.grading.models import Measure
from sandbox.seeding.files import _read, _read_yaml
from sandbox.seeding.schemas import SeedModel, Text

CriterionKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
Label = Annotated[str, StringConstraints(min_length=2, max_length=120, strip_whitespace=True)]


class RubricCriterionSeed(SeedModel):
    key: CriterionKey
    measure: Measure
    weight: Annotated[int, Field(ge=0, le=10)] = 1
    label_fr: Label
    label_en: Label
    description_fr: Text = ""
    description_en: Text = ""


class RubricSeed(SeedModel):
    scale: Literal[10, 20, 100] = 20
    criteria: Annotated[list[RubricCriterionSeed], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def keys_and_measures_hold(self) -> RubricSeed:
        keys = [criterion.key for criterion in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate criterion key")
        measured = [c.measure for c in self.criteria if c.measure is not Measure.MANUAL]
        if len(set(measured)) != len(measured):
            raise ValueError("a measure other than manual may be used once")
        if not any(criterion.weight for criterion in self.criteria):
            raise ValueError("at least one criterion needs a weight above 0")
        return self


@cache
def default_rubric() -> RubricSeed:
    """The default rubric (seed/rubric.yaml), read once per process."""
    return _read(RubricSeed, _read_yaml("rubric.yaml"), "seed/rubric.yaml")
