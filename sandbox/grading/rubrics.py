"""Each class's rubric: made from the default one with the class, or on first use for a class
created before rubrics existed. Nothing here checks permissions: callers do."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.grading.models import Rubric, RubricCriterion
from sandbox.seeding.rubric import default_rubric


def add_default_rubric(klass: SchoolClass) -> Rubric:
    """Give a new class (already flushed, so with an id) a copy of the default rubric. The
    caller commits, with the class."""
    seed = default_rubric()
    rubric = Rubric(class_id=klass.id, scale=seed.scale, criteria=[
        RubricCriterion(
            key=criterion.key, measure=criterion.measure, weight=criterion.weight,
            label_fr=criterion.label_fr, label_en=criterion.label_en,
            description_fr=criterion.description_fr, description_en=criterion.description_en,
            position=position,
        )
        for position, criterion in enumerate(seed.criteria, start=1)
    ])
    db.session.add(rubric)
    return rubric


def _load(class_id: int) -> Rubric | None:
    return db.session.scalar(
        sa.select(Rubric).where(Rubric.class_id == class_id)
        .options(selectinload(Rubric.criteria))
    )


def rubric_for(klass: SchoolClass) -> Rubric:
    """The class's rubric with its criteria (two queries), made from the default on first use.

    Two first requests at once may both try to make it: the unique class_id lets one win, and
    the other reads the winner's.
    """
    rubric = _load(klass.id)
    if rubric is not None:
        return rubric
    add_default_rubric(klass)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    rubric = _load(klass.id)
    assert rubric is not None
    return rubric
