"""The application factory: configuration, secret key, database settings, security headers."""

from __future__ import annotations

import stat

import pytest
import sqlalchemy as sa

from sandbox import create_app
from sandbox.config import load_secret_key, normalise_database_url


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    second = load_secret_key(tmp_path)
    assert first == second and len(first) >= 40
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "SANDBOX_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tremplin.sqlite3'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_locale_falls_back_to_french(tmp_path, monkeypatch):
    monkeypatch.setenv("SANDBOX_LOCALE", "klingon")
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"


def test_postgres_urls_get_the_psycopg_driver():
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("this run uses PostgreSQL; the SQLite run checks this")
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_reference_no_external_resource(client):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html
    assert "<script>" not in html  # no inline script: everything comes from /static


def test_session_cookie_is_httponly_and_samesite(client, school):
    response = client.post("/login", data={"username": "lea.martin", "password": "correct-horse-42"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_error_pages_look_like_the_app_in_french(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page
    assert 'class="site-header"' in page
