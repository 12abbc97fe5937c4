"""The default rubric file: bilingual, every automatic measure once, refused when malformed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sandbox.grading.models import Measure
from sandbox.seeding.rubric import RubricSeed, default_rubric


def test_the_default_rubric_measures_the_five_things_of_the_issue_in_both_languages():
    rubric = default_rubric()
    assert rubric.scale == 20
    assert {c.measure for c in rubric.criteria} == set(Measure) - {Measure.MANUAL}
    assert all(c.label_fr and c.label_en and c.description_fr and c.description_en
               for c in rubric.criteria)
    assert all(0 < c.weight <= 10 for c in rubric.criteria)


@pytest.mark.parametrize("criteria, scale", [
    ([{"key": "a", "measure": "watch", "label_fr": "Aa", "label_en": "Aa"}], 20),  # bad key
    ([{"key": "one", "measure": "watch", "label_fr": "Aa", "label_en": "Aa"},
      {"key": "two", "measure": "watch", "label_fr": "Bb", "label_en": "Bb"}], 20),
    ([{"key": "one", "measure": "manual", "label_fr": "Aa", "label_en": "Aa", "weight": 0}],
     20),
    ([{"key": "one", "measure": "manual", "label_fr": "Aa", "label_en": "Aa"}], 15),
])
def test_a_malformed_rubric_is_refused(criteria, scale):
    with pytest.raises(ValidationError):
        RubricSeed.model_validate({"scale": scale, "criteria": criteria})
