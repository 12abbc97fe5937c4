"""`sandbox doctor`: checks a deployment, and says what to fix.

Each check returns a `Finding`: its status (ok, warning, failure), what was found, and when
something is wrong, what to do, in the school's language. The command prints them and exits 1
when one failed (a warning alone exits 0), so that a release script or a monitoring probe can
call it.
"""

from __future__ import annotations

import enum
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from babel.support import Translations
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from sandbox.core.resources import resource_dir
from sandbox.core.time import utcnow
from sandbox.database import first_line
from sandbox.extensions import db
from sandbox.i18n import compiled_catalogue_is_current
from sandbox.media.images import uploads_dir
from sandbox.serving import schema_heads

# A key shorter than this can be guessed; `secrets.token_urlsafe(48)` gives 64 characters.
MIN_SECRET_KEY_LENGTH = 32
REDIS_TIMEOUT_SECONDS = 2.0
# Actions due longer ago than this, and still waiting: no worker is carrying them out.
WORKER_LATE_AFTER = timedelta(minutes=10)


class Status(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILURE = "failure"


@dataclass(frozen=True)
class Finding:
    check: str  # a stable name, for --json
    status: Status
    message: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "status": self.status.value, "message": self.message,
                "fix": self.fix}


STATUS_LABELS = {
    Status.OK: _l("OK"),
    Status.WARNING: _l("WARNING"),
    Status.FAILURE: _l("FAILURE"),
}


def check_database() -> Iterator[Finding]:
    """Reachable, then at the latest migration (and the personas' worker keeping up)."""
    url = db.engine.url
    shown = url.render_as_string(hide_password=True)
    if (url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:"
            and not Path(url.database).is_file()):
        # Connecting would create an empty file: say so instead.
        yield Finding("database", Status.FAILURE,
                      _("The database file %(path)s does not exist.", path=url.database),
                      _("Run `sandbox db upgrade` to create it, or correct DATABASE_URL."))
        return
    try:
        # A host that drops packets would hold a monitoring probe for minutes: 5 s at most.
        options = {"connect_args": {"connect_timeout": 5}} if url.get_backend_name() == \
            "postgresql" else {}
        probe = sa.create_engine(url, poolclass=sa.pool.NullPool, **options)
        try:
            with probe.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        finally:
            probe.dispose()
        database, code = schema_heads()
    except sa.exc.SQLAlchemyError as error:
        yield Finding("database", Status.FAILURE,
                      _("The database %(url)s cannot be reached: %(error)s", url=shown,
                        error=first_line(error)),
                      _("Check DATABASE_URL, that the database server is running, and that "
                        "this user may connect to it."))
        return
    yield Finding("database", Status.OK, _("The database %(url)s answers.", url=shown))
    if database == code:
        yield Finding("migrations", Status.OK,
                      _("The database is at the latest schema (%(revision)s).",
                        revision=", ".join(sorted(code))))
        yield from check_worker()
    elif not database:
        yield Finding("migrations", Status.FAILURE, _("The database has no tables yet."),
                      _("Run `sandbox db upgrade`, then `sandbox seed`."))
    else:
        yield Finding("migrations", Status.FAILURE,
                      _("The database is at schema %(database)s; this version of Tremplin "
                        "needs %(code)s.", database=", ".join(sorted(database)),
                        code=", ".join(sorted(code))),
                      _("Run `sandbox db upgrade` (data is kept), then restart the app's "
                        "processes and workers."))


def check_worker() -> Iterator[Finding]:
    """Persona actions long overdue mean no `sandbox worker` is running."""
    from sandbox.personas.models import ActionStatus, ScheduledAction

    late = db.session.scalar(
        sa.select(sa.func.count()).select_from(ScheduledAction).where(
            ScheduledAction.status == ActionStatus.PENDING,
            ScheduledAction.run_at < utcnow() - WORKER_LATE_AFTER,
        )
    ) or 0
    db.session.remove()
    if late:
        yield Finding("worker", Status.WARNING,
                      ngettext("%(num)d action of the fictional professionals is over "
                               "%(minutes)d minutes late.",
                               "%(num)d actions of the fictional professionals are over "
                               "%(minutes)d minutes late.", late,
                               minutes=int(WORKER_LATE_AFTER.total_seconds() // 60)),
                      _("Start `sandbox worker` (the tremplin-worker@ unit): without it the "
                        "professionals never answer."))
    else:
        yield Finding("worker", Status.OK,
                      _("No action of the fictional professionals is waiting for a worker."))


def check_redis() -> Iterator[Finding]:
    """Each Redis URL configured answers a PING; none configured is one process only."""
    urls = {
        "SOCKETIO_MESSAGE_QUEUE": current_app.config.get("SOCKETIO_MESSAGE_QUEUE") or "",
        "RATELIMIT_STORAGE_URI": current_app.config.get("RATELIMIT_STORAGE_URI") or "",
    }
    configured = {name: url for name, url in urls.items()
                  if url.startswith(("redis", "rediss", "unix://"))}
    if not configured:
        yield Finding("redis", Status.OK,
                      _("No Redis configured: one app process only (live updates and rate "
                        "limits are kept in that process)."))
        return
    try:
        import redis
    except ImportError:
        yield Finding("redis", Status.FAILURE, _("Redis is configured but its client library "
                                                 "is not installed."),
                      _("Install it: pip install \"tremplin-sandbox[school]\"."))
        return
    for name, url in configured.items():
        shown = _hide_password(url)
        try:
            if name == "RATELIMIT_STORAGE_URI":
                # The rate limiter's own URL forms (redis+unix://, redis+sentinel://…).
                from limits.storage import storage_from_string

                if not storage_from_string(url, socket_timeout=REDIS_TIMEOUT_SECONDS).check():
                    raise ConnectionError(_("no answer"))
            else:
                client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                              socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
                client.ping()
                client.close()
        except Exception as error:  # noqa: BLE001 - whatever it is, that Redis is not usable
            yield Finding("redis", Status.FAILURE,
                          _("%(name)s: Redis at %(url)s does not answer: %(error)s", name=name,
                            url=shown, error=first_line(error)),
                          _("Start the Redis server (systemctl start redis-server), or correct "
                            "%(name)s.", name=name))
        else:
            yield Finding("redis", Status.OK,
                          _("%(name)s: Redis at %(url)s answers.", name=name, url=shown))


def check_secret_key() -> Iterator[Finding]:
    key = current_app.config.get("SECRET_KEY") or ""
    key_file = Path(current_app.instance_path) / "secret_key"
    generated = key_file.is_file() and key_file.read_text(encoding="utf-8").strip() == key
    if len(key) < MIN_SECRET_KEY_LENGTH:
        yield Finding("secret_key", Status.FAILURE,
                      _("SECRET_KEY is only %(count)d characters long: sessions could be forged.",
                        count=len(key)),
                      _("Set SECRET_KEY to a long random value, for example the output of: "
                        "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"))
    elif not generated:
        yield Finding("secret_key", Status.OK, _("SECRET_KEY is set."))
    elif current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        yield Finding("secret_key", Status.WARNING,
                      _("SECRET_KEY is not set: the key generated in %(path)s is used. Processes "
                        "on another machine would not accept this one's logins.", path=key_file),
                      _("Set the same SECRET_KEY for every process of the school."))
    else:
        yield Finding("secret_key", Status.OK,
                      _("The secret key was generated once and is kept in %(path)s.",
                        path=key_file))


def check_uploads() -> Iterator[Finding]:
    """Pictures can be written: a file is created, then removed."""
    folder = uploads_dir(Path(current_app.instance_path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-") as probe:
            probe.write(secrets.token_bytes(16))
            probe.flush()
    except OSError as error:
        yield Finding("uploads", Status.FAILURE,
                      _("Pictures cannot be saved in %(path)s: %(error)s", path=folder,
                        error=error.strerror or error),
                      _("Give the user running Tremplin the right to write there, or choose "
                        "another folder with SANDBOX_INSTANCE_PATH."))
        return
    yield Finding("uploads", Status.OK, _("Pictures are saved in %(path)s.", path=folder))


def check_translations(folder: Path | None = None) -> Iterator[Finding]:
    """The French catalogue is compiled, and holds what its source says (in a checkout)."""
    folder = folder or resource_dir("translations")
    compiled = folder / "fr" / "LC_MESSAGES" / "messages.mo"
    source = compiled.with_suffix(".po")
    fix = _("Reinstall Tremplin (the install compiles it), or run: pybabel compile -d "
            "sandbox/translations")
    if not compiled.is_file():
        yield Finding("translations", Status.FAILURE,
                      _("The French catalogue is not compiled (%(path)s is missing): pages "
                        "would show in English.", path=compiled), fix)
    elif Translations.load(str(folder), ["fr"]).gettext("Log in") == "Log in":
        yield Finding("translations", Status.FAILURE,
                      _("The French catalogue %(path)s cannot be read.", path=compiled), fix)
    elif source.is_file() and not compiled_catalogue_is_current(source, compiled):
        yield Finding("translations", Status.WARNING,
                      _("The French catalogue was compiled before its source %(path)s was "
                        "last changed: some translations are missing.", path=source), fix)
    else:
        yield Finding("translations", Status.OK, _("The French catalogue is compiled."))


def check_spelling() -> Iterator[Finding]:
    """The charter's spelling check: Grammalecte (French), hunspell (English). Optional."""
    from sandbox.charter.engine.spelling import is_available

    missing = [name for lang, name in (("fr", "Grammalecte"), ("en", "hunspell"))
               if not is_available(lang)]
    if missing:
        yield Finding("spelling", Status.WARNING,
                      _("The charter's spelling check is off for lack of %(engines)s; the other "
                        "checks run.", engines=", ".join(missing)),
                      _("On Debian: apt-get install python3-grammalecte hunspell-en-gb "
                        "hunspell-en-us"))
    else:
        yield Finding("spelling", Status.OK,
                      _("The charter's spelling check is on (Grammalecte, hunspell)."))


CHECKS: tuple[Callable[[], Iterator[Finding]], ...] = (
    check_database,
    check_redis,
    check_secret_key,
    check_uploads,
    check_translations,
    check_spelling,
)


def run_checks() -> list[Finding]:
    return [finding for check in CHECKS for finding in check()]


def _hide_password(url: str) -> str:
    return str(sa.engine.make_url(url).render_as_string(hide_password=True)) \
        if "@" in url else url
