"""The class's rubric: made with the class or on first use, and edited by its teachers."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
import sqlalchemy as sa

from sandbox.classes.services import create_class
from sandbox.core.errors import ServiceError
from sandbox.extensions import db
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.grading.rubric_edits import (
    CriterionEdit,
    RubricEdit,
    StaleRubric,
    add_criterion,
    remove_criterion,
    update_rubric,
)
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.services import GradeEntry, class_grades, save_grades
from sandbox.moderation.models import AuditEntry
from sandbox.seeding.rubric import default_rubric

DEFAULT_KEYS = ["identity", "network", "visibility", "watch", "charter"]


def _keys(klass) -> list[str]:  # type: ignore[no-untyped-def]
    return [criterion.key for criterion in rubric_for(klass).criteria]


def _edit(klass, scale=None, **changes: dict) -> RubricEdit:  # type: ignore[no-untyped-def]
    """The editor's form as it stands, with `changes` by criterion key."""
    rubric = rubric_for(klass)
    return RubricEdit(scale=str(scale or rubric.scale), criteria=[
        CriterionEdit(**{
            "id": c.id, "label_fr": c.label_fr, "label_en": c.label_en,
            "description_fr": c.description_fr, "description_en": c.description_en,
            "weight": str(c.weight), "position": str(c.position), **changes.get(c.key, {}),
        })
        for c in rubric.criteria
    ])


def _audits() -> list[dict]:
    return [entry.data for entry in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "rubric_edit").order_by(AuditEntry.id))]


def test_a_new_class_gets_the_default_rubric(school):
    klass = create_class(school["teacher"], "BTS NDRC 1")
    rubric = db.session.scalar(sa.select(Rubric).where(Rubric.class_id == klass.id))
    assert rubric is not None and rubric.scale == 20
    assert [c.key for c in rubric.criteria] == DEFAULT_KEYS
    assert [c.measure for c in rubric.criteria] == [
        Measure.IDENTITY, Measure.NETWORK, Measure.VISIBILITY, Measure.WATCH, Measure.CHARTER]
    seed = {c.key: c for c in default_rubric().criteria}
    assert all(c.label_fr == seed[c.key].label_fr and c.label_en == seed[c.key].label_en
               for c in rubric.criteria)


def test_an_older_class_gets_it_on_first_use_once(school):
    klass = school["class"]  # made by the factories, without a rubric
    assert db.session.scalar(sa.select(Rubric).where(Rubric.class_id == klass.id)) is None
    first = rubric_for(klass)
    assert rubric_for(klass).id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rubric)) == 1


def test_two_first_requests_at_once_make_one_rubric(school, monkeypatch):
    from sandbox.grading import rubrics

    klass = school["class"]
    # Another request made it between our look-up and our insert: ours fails on class_id.
    other = rubrics.add_default_rubric(klass)
    db.session.commit()
    other_id = other.id
    db.session.expunge(other)
    looks = []
    original = rubrics._load

    def first_look_finds_nothing(class_id: int):  # type: ignore[no-untyped-def]
        looks.append(class_id)
        return None if len(looks) == 1 else original(class_id)

    monkeypatch.setattr(rubrics, "_load", first_look_finds_nothing)
    assert rubric_for(klass).id == other_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rubric)) == 1


def test_texts_weights_and_order_are_saved_and_audited(school):
    klass, teacher = school["class"], school["teacher"]
    edit = _edit(klass, watch={"label_fr": "Veille", "weight": "3", "position": "1"},
                 charter={"description_en": "Findings, by severity."})

    assert update_rubric(teacher, klass.id, edit) is True

    assert _keys(klass) == ["watch", "identity", "network", "visibility", "charter"]
    watch = rubric_for(klass).criteria[0]
    assert (watch.label_fr, watch.weight, watch.position) == ("Veille", 3, 1)
    assert _audits()[-1]["change"] == "edit"
    assert sorted(_audits()[-1]["criteria"]) == sorted(DEFAULT_KEYS)  # all renumbered
    assert update_rubric(teacher, klass.id, _edit(klass)) is False  # nothing changed
    assert len(_audits()) == 1


@pytest.mark.parametrize("changes, field", [
    ({"network": {"weight": "11"}}, "criteria-1-weight"),
    ({"network": {"weight": "-1"}}, "criteria-1-weight"),
    ({"network": {"weight": "deux"}}, "criteria-1-weight"),
    ({"watch": {"label_en": " "}}, "criteria-3-label_en"),
    ({"watch": {"position": "0"}}, "criteria-3-position"),
])
def test_a_wrong_field_is_named_and_nothing_is_written(school, changes, field):
    klass = school["class"]
    before = [(c.label_en, c.weight, c.position) for c in rubric_for(klass).criteria]
    edit = _edit(klass, identity={"label_fr": "Changé"}, **changes)
    with pytest.raises(ServiceError) as raised:
        update_rubric(school["teacher"], klass.id, edit)
    assert raised.value.field == field
    db.session.rollback()
    assert [(c.label_en, c.weight, c.position) for c in rubric_for(klass).criteria] == before
    assert rubric_for(klass).criteria[0].label_fr == "Identité professionnelle"
    assert _audits() == []


def test_a_scale_outside_10_20_100_and_all_weights_at_0_are_refused(school):
    klass = school["class"]
    with pytest.raises(ServiceError) as raised:
        update_rubric(school["teacher"], klass.id, _edit(klass, scale=15))
    assert raised.value.field == "scale"
    zero = {key: {"weight": "0"} for key in DEFAULT_KEYS}
    with force_locale("en"), pytest.raises(ServiceError,
                                           match="At least one criterion must count"):
        update_rubric(school["teacher"], klass.id, _edit(klass, **zero))


def test_a_form_from_before_a_criterion_was_added_is_refused(school):
    klass = school["class"]
    edit = _edit(klass)
    add_criterion(school["teacher"], klass.id, "manual",
                  CriterionEdit(None, "Oral", "Oral presentation", weight="2"))
    with pytest.raises(StaleRubric):
        update_rubric(school["teacher"], klass.id, edit)


def test_weight_0_leaves_a_criterion_out_of_the_final_grade(school):
    klass, lea = school["class"], school["student"]
    # Léa has done nothing: 0 everywhere but the charter (20): (0 + 0 + 0 + 0 + 20) / 6 -> 3.25
    assert class_grades(school["teacher"], klass.id).sheets[0].final.value == 3.25
    update_rubric(school["teacher"], klass.id, _edit(klass, **{
        key: {"weight": "0"} for key in ("identity", "network", "visibility", "watch")}))
    sheet = next(s for s in class_grades(school["teacher"], klass.id).sheets
                 if s.student.id == lea.id)
    assert sheet.final.value == 20 and sheet.final.complete
    assert [entry.counted for entry in sheet.scores] == [False] * 4 + [True]


def test_a_criterion_scored_by_hand_leaves_the_grade_incomplete_until_scored(school):
    klass, lea, teacher = school["class"], school["student"], school["teacher"]
    criterion = add_criterion(teacher, klass.id, None, CriterionEdit(
        None, "Présentation orale", "Oral presentation", weight="4"))
    assert (criterion.key, criterion.measure, criterion.position) == ("custom-1", Measure.MANUAL,
                                                                      6)
    assert _audits()[-1] == {"change": "add", "criterion": "custom-1", "measure": "manual",
                             "weight": 4}
    sheet = class_grades(teacher, klass.id).sheets[0]
    assert (sheet.final.value, sheet.final.to_grade, sheet.final.complete) == (3.25, 1, False)

    entries = [GradeEntry(c.id, "17" if c.key == "custom-1" else "")
               for c in rubric_for(klass).criteria]
    save_grades(teacher, klass.id, lea.id, entries)

    sheet = next(s for s in class_grades(teacher, klass.id).sheets if s.student.id == lea.id)
    # (20 + 4 x 17) / 10 = 8.8 -> 8.75
    assert (sheet.final.value, sheet.final.complete) == (8.75, True)


def test_only_a_missing_automatic_measure_or_a_manual_one_can_be_added(school):
    klass = school["class"]
    with pytest.raises(ServiceError) as raised:
        add_criterion(school["teacher"], klass.id, "network",
                      CriterionEdit(None, "Réseau bis", "Network again"))
    assert raised.value.field == "measure"
    watch = next(c for c in rubric_for(klass).criteria if c.key == "watch")
    remove_criterion(school["teacher"], klass.id, watch.id)
    added = add_criterion(school["teacher"], klass.id, "watch",
                          CriterionEdit(None, "Veille", "Watch"))
    assert (added.key, added.measure) == ("watch", Measure.WATCH)


def test_removing_a_criterion_takes_its_grades_with_it(school):
    klass, lea, teacher = school["class"], school["student"], school["teacher"]
    criteria = rubric_for(klass).criteria
    save_grades(teacher, klass.id, lea.id, [GradeEntry(c.id, "10", "Bien") for c in criteria])
    network = criteria[1]

    removed = remove_criterion(teacher, klass.id, network.id)

    assert (removed.label_en, removed.grades) == ("Network building", 1)
    assert _keys(klass) == ["identity", "visibility", "watch", "charter"]
    assert [c.position for c in rubric_for(klass).criteria] == [1, 2, 3, 4]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Grade)) == 4
    assert db.session.get(RubricCriterion, network.id) is None
    assert _audits()[-1] == {"change": "remove", "criterion": "network", "grades_removed": 1}


def test_the_last_criterion_that_counts_stays(school):
    klass, teacher = school["class"], school["teacher"]
    for criterion in rubric_for(klass).criteria[:-1]:
        remove_criterion(teacher, klass.id, criterion.id)
    with pytest.raises(ServiceError):
        remove_criterion(teacher, klass.id, rubric_for(klass).criteria[0].id)
    assert _keys(klass) == ["charter"]


def test_changing_the_scale_converts_the_scores_given(school):
    klass, lea, teacher = school["class"], school["student"], school["teacher"]
    criteria = rubric_for(klass).criteria
    save_grades(teacher, klass.id, lea.id,
                [GradeEntry(criteria[0].id, "15"), GradeEntry(criteria[1].id, "12,75")])

    update_rubric(teacher, klass.id, _edit(klass, scale=100))

    scores = dict(db.session.execute(sa.select(Grade.criterion_id, Grade.score)).all())
    assert scores == {criteria[0].id: 75, criteria[1].id: 63.75}
    assert _audits()[-1]["scale"] == 100 and _audits()[-1]["previous_scale"] == 20
    update_rubric(teacher, klass.id, _edit(klass, scale=10))
    scores = dict(db.session.execute(sa.select(Grade.criterion_id, Grade.score)).all())
    assert scores == {criteria[0].id: 7.5, criteria[1].id: 6.5}  # 6.375 -> 6.5
    sheet = class_grades(teacher, klass.id).sheets[0]
    assert sheet.scores[4].score == 10  # the charter's suggestion, on the new scale
