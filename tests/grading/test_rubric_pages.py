"""The rubric editor's pages, as a teacher uses them."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.extensions import db
from sandbox.grading.models import Grade
from sandbox.grading.rubrics import rubric_for
from sandbox.grading.services import GradeEntry, save_grades


def _teacher(school, client_as):  # type: ignore[no-untyped-def]
    """The new texts are translated by the lead later: tests read them in English."""
    school["teacher"].locale = "en"
    db.session.commit()
    return client_as(school["teacher"])


def _form(klass, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rubric = rubric_for(klass)
    data = {"scale": str(rubric.scale)}
    for index, c in enumerate(rubric.criteria):
        for name in ("id", "label_fr", "label_en", "description_fr", "description_en",
                     "weight", "position"):
            data[f"criteria-{index}-{name}"] = str(getattr(c, name))
    data.update(changes)
    return data


def test_the_editor_saves_and_shows_mistakes_beside_their_field(school, client_as):
    klass = school["class"]
    client = _teacher(school, client_as)
    url = f"/classes/{klass.id}/rubric"

    response = client.post(url, data=_form(klass, **{"criteria-2-weight": "12",
                                                     "criteria-0-label_en": "Identity"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="criteria-2-weight-error"' in page and "A whole number from 0 to 10" in page
    assert 'value="Identity"' in page  # what was typed stays
    assert rubric_for(klass).criteria[0].label_en == "Professional identity"

    response = client.post(url, data=_form(klass, scale="100", **{"criteria-2-weight": "0"}))
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Rubric saved" in page and '<option selected value="100">' in page
    assert rubric_for(klass).criteria[2].weight == 0


def test_adding_a_criterion_by_hand(school, client_as):
    klass = school["class"]
    client = _teacher(school, client_as)
    url = f"/classes/{klass.id}/rubric/criteria"

    response = client.post(url, data={"measure": "manual", "label_fr": "", "label_en": "Oral"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="label_fr-error"' in page
    assert 'name="criteria-4-label_en" type="text" value="Respect of the charter"' in page
    assert len(rubric_for(klass).criteria) == 5

    response = client.post(url, data={"measure": "manual", "label_fr": "Oral",
                                      "label_en": "Oral", "weight": "2"})
    assert response.status_code == 302
    assert [c.key for c in rubric_for(klass).criteria][-1] == "custom-1"
    page = client.get(f"/classes/{klass.id}/grades").get_data(as_text=True)
    assert "incomplete: 1 criterion to score" in page


def test_removing_asks_first_and_says_what_goes(school, client_as):
    klass = school["class"]
    network = rubric_for(klass).criteria[1]
    save_grades(school["teacher"], klass.id, school["student"].id,
                [GradeEntry(network.id, "11", "Bon début")])
    client = _teacher(school, client_as)
    url = f"/classes/{klass.id}/rubric/criteria/{network.id}/delete"

    page = client.get(url).get_data(as_text=True)
    assert "Remove the criterion “Network building”?" in page
    assert "The 1 score or comment you gave on it will be deleted too." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Grade)) == 1

    response = client.post(url)
    assert response.status_code == 302
    assert "Criterion “Network building” removed." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Grade)) == 0
    assert client.get(url).status_code == 404
