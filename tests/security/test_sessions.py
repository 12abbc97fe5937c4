"""Sessions: what a cookie set before login is worth after it, and what logging out leaves."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _session_cookie(client) -> str:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def test_a_session_planted_before_login_is_never_the_logged_in_one(app, school):
    """Session fixation: an attacker who gives a victim their own session cookie, then waits
    for the victim to log in, holds a cookie that is still anonymous."""
    app.config["WTF_CSRF_ENABLED"] = True
    attacker = app.test_client()
    form = attacker.get("/login").get_data(as_text=True)
    planted = _session_cookie(attacker)
    assert planted

    victim = app.test_client()
    victim.set_cookie("session", planted)
    token = TOKEN.search(form).group(1)  # the planted session's own token
    logged_in = victim.post("/login", data={"username": school["student"].username,
                                            "password": PASSWORD, "csrf_token": token})
    assert logged_in.status_code == 302
    assert _session_cookie(victim) != planted
    assert victim.get("/profile/edit").status_code == 200

    attacker.set_cookie("session", planted)
    still_anonymous = attacker.get("/profile/edit")
    assert still_anonymous.status_code == 302
    assert still_anonymous.headers["Location"].startswith("/login")


def test_logging_out_leaves_no_logged_in_cookie_behind(app, auth, client, school):
    auth.login(school["student"].username)
    assert client.get("/profile/edit").status_code == 200
    out = client.post("/logout")
    assert out.status_code == 302
    assert client.get("/profile/edit").headers["Location"].startswith("/login")
    assert "_user_id" not in _session_cookie(client)  # the cookie the browser keeps is anonymous


def test_session_cookies_are_secure_behind_https(make_app, school):
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"username": school["student"].username,
                                               "password": PASSWORD},
                               base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
