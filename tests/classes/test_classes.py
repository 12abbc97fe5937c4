"""Teachers create and run classes: join codes, settings, charter copy, password resets."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from sandbox.charter.models import CharterRule, Severity
from sandbox.classes import services
from sandbox.classes.models import NetworkScope, SchoolClass
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.extensions import db


def test_teacher_creates_a_class_with_a_code_and_the_default_charter(school):
    teacher = school["teacher"]
    klass = services.create_class(teacher, "  BTS   NDRC 1 ", NetworkScope.CLASS, False)
    assert klass.name == "BTS NDRC 1"
    assert teacher in klass.teachers
    assert len(klass.join_code) == 9 and klass.join_code[4] == "-"
    rules = db.session.scalars(
        sa.select(CharterRule).where(CharterRule.class_id == klass.id).order_by(CharterRule.position)
    ).all()
    assert len(rules) == 11
    personal = next(rule for rule in rules if rule.code == "personal_information")
    assert set(personal.checks) == {"phone", "email", "address"}
    assert personal.severity is Severity.BLOCK
    assert personal.title("en") == "No personal information"
    assert personal.title("fr") == "Aucune information personnelle"


def test_students_cannot_create_classes(school):
    with pytest.raises(PermissionDenied):
        services.create_class(school["student"], "Ma classe")


def test_class_name_is_validated(school):
    with pytest.raises(ServiceError) as error:
        services.create_class(school["teacher"], " x ")
    assert error.value.field == "name"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolClass)) == 2


def test_create_class_page(client_as, school):
    client = client_as(school["teacher"])
    response = client.post(
        "/classes/new",
        data={"name": "BTS CI 2", "network_scope": "school", "allow_pseudonyms": "y"},
    )
    assert response.status_code == 302
    klass = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "BTS CI 2"))
    assert klass.network_scope is NetworkScope.SCHOOL
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert klass.join_code in page


def test_rotating_the_code_retires_the_old_one(school):
    klass = school["class"]
    old = klass.join_code
    new = services.rotate_join_code(school["teacher"], klass)
    assert new != old
    assert services.find_class_by_code(old) is None
    assert services.find_class_by_code(new.lower()) == klass


def test_another_teacher_cannot_touch_the_class(school):
    with pytest.raises(PermissionDenied):
        services.rotate_join_code(school["other_teacher"], school["class"])
    with pytest.raises(PermissionDenied):
        services.update_class_settings(
            school["other_teacher"], school["class"],
            name="Pirate", network_scope=NetworkScope.SCHOOL, allow_pseudonyms=True,
        )
    with pytest.raises(PermissionDenied):
        services.reset_student_password(school["other_teacher"], school["student"])


def test_settings_page_updates_the_class(client_as, school):
    client = client_as(school["teacher"])
    klass = school["class"]
    response = client.post(
        f"/classes/{klass.id}/settings",
        data={"name": "BTS CI 1 – groupe A", "network_scope": "school",
              "weekly_invitation_cap": "12"},
    )
    assert response.status_code == 302
    db.session.refresh(klass)
    assert klass.weekly_invitation_cap == 12
    assert klass.name == "BTS CI 1 – groupe A"
    assert klass.network_scope is NetworkScope.SCHOOL
    assert klass.allow_pseudonyms is False  # unchecked box


def test_admin_manages_every_class(school):
    card = services.reset_student_password(school["admin"], school["other_student"])
    assert card.username == "nina.roux"


def test_reset_password_gives_a_one_time_card(client_as, school, auth, client):
    teacher_client = client_as(school["teacher"])
    student = school["student"]
    response = teacher_client.post(f"/classes/{school['class'].id}/students/{student.id}/password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "lea.martin" in page
    db.session.refresh(student)
    assert student.must_change_password is True
    # the old password no longer works, the printed one does, and must then be changed
    assert auth.login("lea.martin").status_code == 200
    printed = re.search(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", page).group(1)
    assert auth.login("lea.martin", printed).status_code == 302
    assert client.get("/").headers["Location"] == "/account/password"


def test_reset_password_logs_the_student_out_everywhere(client_as, school):
    student_browser = client_as(school["student"])
    services.reset_student_password(school["teacher"], school["student"])
    assert student_browser.get("/").status_code == 200
    assert "Actualités" not in student_browser.get("/").get_data(as_text=True)  # welcome page


def test_reset_password_of_a_student_of_another_class_is_refused(client_as, school):
    client = client_as(school["teacher"])
    other = school["other_student"]
    response = client.post(f"/classes/{school['class'].id}/students/{other.id}/password")
    assert response.status_code == 404


def test_class_page_lists_students_with_real_names_behind_pseudonyms(client_as, school):
    student = school["student"]
    student.pseudonym = "Lélé"
    db.session.commit()
    page = client_as(school["teacher"]).get(f"/classes/{school['class'].id}").get_data(as_text=True)
    assert f"Lélé ({student.full_name})" in page


def test_join_poster_shows_the_code(client_as, school):
    page = client_as(school["teacher"]).get(f"/classes/{school['class'].id}/join-poster")
    assert school["class"].join_code in page.get_data(as_text=True)


def _csrf_field(page: str, action: str) -> str:
    """The CSRF token inside the form posting to `action` on a rendered page."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S).group(0)
    return re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)


def test_class_page_buttons_carry_their_csrf_token(make_app, school):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "prof.durand", "password": "correct-horse-42",
                                "csrf_token": token})
    klass, student = school["class"], school["student"]
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)

    rotate = f"/classes/{klass.id}/join-code"
    assert client.post(rotate).status_code == 400  # no token: refused
    assert client.post(rotate, data={"csrf_token": _csrf_field(page, rotate)}).status_code == 302

    reset = f"/classes/{klass.id}/students/{student.id}/password"
    response = client.post(reset, data={"csrf_token": _csrf_field(page, reset)})
    assert response.status_code == 200
