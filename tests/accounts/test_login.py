"""Logging in and out, the forced password change, rate limits and CSRF on the login form."""

from __future__ import annotations

from sandbox.accounts.services import hash_password
from sandbox.extensions import db


def test_student_logs_in_and_reaches_home(client, auth, school):
    response = auth.login("lea.martin")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Actualités de ton réseau" in page


def test_username_is_case_insensitive(client, auth, school):
    assert auth.login("  Lea.Martin ").status_code == 302


def test_wrong_password_gets_a_french_message(client, auth, school):
    response = auth.login("lea.martin", "not-the-password", follow=True)
    page = response.get_data(as_text=True)
    assert "Identifiant ou mot de passe incorrect." in page
    assert client.get("/classes/").status_code == 302  # still anonymous


def test_unknown_user_gets_the_same_message(client, auth, school):
    page = auth.login("nobody.here", follow=True).get_data(as_text=True)
    assert "Identifiant ou mot de passe incorrect." in page


def test_personas_never_log_in(client, auth, school):
    persona = school["persona"]
    assert persona.password_hash is None
    page = auth.login(persona.username, "any-password", follow=True).get_data(as_text=True)
    assert "Identifiant ou mot de passe incorrect." in page


def test_disabled_account_cannot_log_in(client, auth, school):
    school["student"].is_disabled = True
    db.session.commit()
    page = auth.login("lea.martin", follow=True).get_data(as_text=True)
    assert "Identifiant ou mot de passe incorrect." in page


def test_logout_is_a_post_and_ends_the_session(client, auth, school):
    auth.login("lea.martin")
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/account/password").status_code == 302


def test_next_parameter_only_goes_to_this_site(client, school):
    external = client.post(
        "/login",
        data={"username": "prof.durand", "password": "correct-horse-42", "next": "//evil.example/"},
    )
    assert external.headers["Location"] == "/"
    client.post("/logout")
    internal = client.post(
        "/login",
        data={"username": "prof.durand", "password": "correct-horse-42", "next": "/classes/"},
    )
    assert internal.headers["Location"] == "/classes/"


def test_one_time_password_must_be_changed_first(client, auth, school):
    student = school["student"]
    student.password_hash = hash_password("abcd-efgh-jkmn")
    student.must_change_password = True
    db.session.commit()
    auth.login("lea.martin", "abcd-efgh-jkmn")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"

    refused = client.post(
        "/account/password",
        data={"current_password": "wrong", "new_password": "my-own-secret", "confirm": "my-own-secret"},
    )
    assert "Le mot de passe actuel est incorrect." in refused.get_data(as_text=True)
    client.post(
        "/account/password",
        data={
            "current_password": "abcd-efgh-jkmn",
            "new_password": "my-own-secret",
            "confirm": "my-own-secret",
        },
    )
    assert client.get("/").status_code == 200
    db.session.refresh(student)
    assert student.must_change_password is False
    client.post("/logout")
    assert auth.login("lea.martin", "my-own-secret").status_code == 302


def test_passwords_are_hashed(school):
    student = school["student"]
    assert "correct-horse-42" not in student.password_hash
    assert student.password_hash.startswith("pbkdf2:")  # the tests' fast method


def test_production_hashing_is_scrypt(tmp_path):
    from sandbox import create_app

    app = create_app({"INSTANCE_PATH": tmp_path})
    with app.app_context():
        assert hash_password("some-password").startswith("scrypt:")


def test_login_is_rate_limited_per_account(make_app, school):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        client.post("/login", data={"username": "lea.martin", "password": "wrong-password"})
    response = client.post("/login", data={"username": "lea.martin", "password": "correct-horse-42"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    # A classmate behind the same school address still logs in.
    classmate = client.post("/login", data={"username": "hugo.petit", "password": "correct-horse-42"})
    assert classmate.status_code == 302


def test_login_is_rate_limited_per_address(make_app, school):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ADDRESS_RATE_LIMIT="4 per minute")
    client = app.test_client()
    for number in range(4):
        client.post("/login", data={"username": f"someone{number}", "password": "guess-guess"})
    response = client.post("/login", data={"username": "lea.martin", "password": "correct-horse-42"})
    assert response.status_code == 429


def test_changing_the_password_logs_out_other_browsers(client_as, school):
    student = school["student"]
    here, elsewhere = client_as(student), client_as(student)
    response = here.post(
        "/account/password",
        data={"current_password": "correct-horse-42", "new_password": "a-new-secret-1",
              "confirm": "a-new-secret-1"},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/account/password").headers["Location"].startswith("/login")


def test_login_form_requires_a_csrf_token(make_app, school):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "lea.martin", "password": "correct-horse-42"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)


def test_json_posts_require_a_csrf_token_too(make_app, school):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/language", json={"language": "en"})
    assert response.status_code == 400
