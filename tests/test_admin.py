"""The administrator creates teachers from a page; teachers then choose their own password."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.accounts.models import Role, User
from sandbox.extensions import db


def test_admin_creates_a_teacher_who_must_choose_a_password(client_as, school, auth):
    admin = client_as(school["admin"])
    response = admin.post(
        "/admin/teachers",
        data={"first_name": "Anne", "last_name": "Leroy", "username": "prof.leroy",
              "password": "given-in-person"},
        follow_redirects=True,
    )
    assert "Compte enseignant « prof.leroy » créé." in response.get_data(as_text=True)
    teacher = db.session.scalar(sa.select(User).where(User.username == "prof.leroy"))
    assert teacher.role is Role.TEACHER
    assert teacher.must_change_password is True
    auth.login("prof.leroy", "given-in-person")
    assert auth._client.get("/classes/").headers["Location"] == "/account/password"


def test_a_taken_username_is_shown_next_to_the_field(client_as, school):
    admin = client_as(school["admin"])
    page = admin.post(
        "/admin/teachers",
        data={"first_name": "Anne", "last_name": "Leroy", "username": "prof.durand",
              "password": "given-in-person"},
    ).get_data(as_text=True)
    assert "prof.durand" in page and "déjà pris" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.last_name == "Leroy")) == 0


def test_overview_counts_people_by_role(client_as, school):
    page = client_as(school["admin"]).get("/admin/").get_data(as_text=True)
    assert "Professionnels fictifs" in page
