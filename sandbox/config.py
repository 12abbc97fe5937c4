"""Settings read from the environment, with defaults that are safe for a classroom laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SUPPORTED_LOCALES = ("fr", "en")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


def load_secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in the instance folder.

    Keeping it in a file (readable by its owner only) means sessions survive a restart without
    anyone ever writing a key into the code or the repository.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start together, one writes the key and both read it.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    return key_file.read_text(encoding="utf-8").strip()


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'tremplin.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Let IT staff write the usual postgres:// URL; SQLAlchemy wants the driver spelled out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def settings_from_environment(instance_path: Path) -> dict:
    """Everything configurable by an administrator; the README documents each variable."""
    locale = os.environ.get("SANDBOX_LOCALE", "fr").strip().lower()
    if locale not in SUPPORTED_LOCALES:
        locale = "fr"
    database_url = normalise_database_url(
        os.environ.get("DATABASE_URL") or default_database_url(instance_path)
    )
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: each process counts in its own memory until it is back, rather than
        # failing every request that has a limit (the first one to find it down included).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "BABEL_DEFAULT_LOCALE": locale,
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("SANDBOX_TIMEZONE", "Europe/Paris"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_I18N_ENABLED": True,
        # A little above the largest picture (8 MB): the upload form then explains the limit.
        "MAX_CONTENT_LENGTH": 9 * 1024 * 1024,
        "PASSWORD_HASH_METHOD": "scrypt",
        # Per account (address + username): slows password guessing on one account.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Per address: a whole class behind the school's one public address logs in at once.
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "300 per minute"),
        "JOIN_RATE_LIMIT": os.environ.get("JOIN_RATE_LIMIT", "60 per minute"),
        # Per person: what a student writes (a burst of posts, likes or mentions is stopped).
        "POST_RATE_LIMIT": os.environ.get("POST_RATE_LIMIT", "10 per minute"),
        "COMMENT_RATE_LIMIT": os.environ.get("COMMENT_RATE_LIMIT", "30 per minute"),
        "MESSAGE_RATE_LIMIT": os.environ.get("MESSAGE_RATE_LIMIT", "20 per minute"),
        "REACTION_RATE_LIMIT": os.environ.get("REACTION_RATE_LIMIT", "60 per minute"),
        "GROUP_RATE_LIMIT": os.environ.get("GROUP_RATE_LIMIT", "10 per minute"),
        "REPORT_RATE_LIMIT": os.environ.get("REPORT_RATE_LIMIT", "20 per minute"),
        # The composer asks the charter engine as the student types (debounced, ~1 per second).
        "CHARTER_CHECK_RATE_LIMIT": os.environ.get("CHARTER_CHECK_RATE_LIMIT", "90 per minute"),
        # Building a student's data archive reads every table and copies their pictures.
        "DATA_EXPORT_RATE_LIMIT": os.environ.get("DATA_EXPORT_RATE_LIMIT", "20 per hour"),
        # The personas' choices (whom to accept, what to reply) are drawn from a generator
        # seeded with this and the ids involved: the same situation, the same reaction.
        "PERSONA_RANDOM_SEED": _env_int("SANDBOX_PERSONA_RANDOM_SEED", 2027),
        # How many reverse proxies (nginx…) stand in front: their X-Forwarded-* headers are
        # trusted, so rate limits and printed addresses see the real client and host.
        "PROXY_COUNT": _env_int("SANDBOX_PROXY_COUNT", 0),
        # Busy pages kept as rendered for each reader while nothing they show changes
        # (sandbox/pagecache.py): for how long at most (0: never kept), and how much memory
        # each process gives them.
        "PAGE_CACHE_SECONDS": _env_int("SANDBOX_PAGE_CACHE_SECONDS", 120),
        "PAGE_CACHE_MAX_BYTES": _env_int("SANDBOX_PAGE_CACHE_MB", 48) * 1024 * 1024,
    }
