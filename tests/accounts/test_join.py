"""Students join a class with its code: no e-mail, clear messages, nothing half-written."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.activity.models import ActivityEvent
from sandbox.extensions import db


def _join(client, code, **fields):  # type: ignore[no-untyped-def]
    data = {
        "join_code": code,
        "first_name": "Mathieu",
        "last_name": "Dupré",
        "pseudonym": "",
        "username": "mathieu.dupre",
        "password": "un-mot-de-passe",
        "confirm": "un-mot-de-passe",
        **fields,
    }
    return client.post("/join", data=data, follow_redirects=True)


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_join_with_the_class_code(client, school):
    klass = school["class"]
    page = _join(client, klass.join_code.lower()).get_data(as_text=True)
    student = db.session.scalar(sa.select(User).where(User.username == "mathieu.dupre"))
    assert student is not None
    assert student.role is Role.STUDENT
    assert student.class_id == klass.id
    assert student.profile is not None
    assert "Bienvenue sur Tremplin" in page
    events = db.session.scalars(sa.select(ActivityEvent.kind).where(ActivityEvent.user_id == student.id))
    assert "joined_class" in list(events)


def test_code_with_spaces_is_accepted(client, school):
    code = school["class"].join_code
    _join(client, f" {code[:4]} {code[4:]} ")
    assert db.session.scalar(sa.select(User.id).where(User.username == "mathieu.dupre"))


def test_wrong_code_is_explained_and_nothing_is_written(client, school):
    before = _user_count()
    page = _join(client, "NOPE-NOPE").get_data(as_text=True)
    assert "Aucune classe n’a ce code" in page
    assert _user_count() == before


def test_taken_username_is_explained(client, school):
    before = _user_count()
    page = _join(client, school["class"].join_code, username="lea.martin").get_data(as_text=True)
    assert "lea.martin" in page and "déjà pris" in page
    assert _user_count() == before


def test_malformed_username_is_explained(client, school):
    page = _join(client, school["class"].join_code, username="Léa Martin!").get_data(as_text=True)
    assert "field__error" in page
    assert db.session.scalar(sa.select(User.id).where(User.first_name == "Mathieu")) is None


def test_pseudonym_refused_when_class_uses_real_names(client, school):
    klass = school["class"]
    klass.allow_pseudonyms = False
    db.session.commit()
    before = _user_count()
    page = _join(client, klass.join_code, pseudonym="Matt D.").get_data(as_text=True)
    assert "pseudonyme" in page.lower()
    assert _user_count() == before


def test_pseudonym_is_shown_to_classmates_and_the_real_name_to_teachers(client, school):
    _join(client, school["class"].join_code, pseudonym="Matt D.")
    student = db.session.scalar(sa.select(User).where(User.username == "mathieu.dupre"))
    assert student.public_name == "Matt D."
    assert student.name_for(school["classmate"]) == "Matt D."
    assert student.name_for(school["teacher"]) == "Matt D. (Mathieu Dupré)"


def test_passwords_must_match(client, school):
    page = _join(client, school["class"].join_code, confirm="something-else").get_data(as_text=True)
    assert "Les deux mots de passe sont différents." in page
    assert db.session.scalar(sa.select(User.id).where(User.username == "mathieu.dupre")) is None


def test_invisible_characters_in_a_name_are_refused(client, school):
    page = _join(client, school["class"].join_code, first_name="Mat\x00hieu").get_data(as_text=True)
    assert "caractères invisibles" in page
    assert db.session.scalar(sa.select(User.id).where(User.username == "mathieu.dupre")) is None


def test_two_students_taking_the_same_username_at_once(school, monkeypatch):
    """The second one gets the usual message, not an error page, and nothing is half-written."""
    from sandbox.classes import services as class_services
    from sandbox.core.errors import ServiceError

    # Both checked the name before either saved: skip the check to land in that window.
    monkeypatch.setattr(class_services, "validate_username", lambda username: username)
    before = _user_count()
    try:
        class_services.join_class(
            school["class"].join_code, username="lea.martin", password="un-mot-de-passe",
            first_name="Léa", last_name="Autre",
        )
    except ServiceError as error:
        assert error.field == "username"
        assert "lea.martin" in str(error.message)
    else:
        raise AssertionError("a duplicate username was accepted")
    assert _user_count() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent)) == 0
