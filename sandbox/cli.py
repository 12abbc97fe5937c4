"""The `sandbox` command line: demo, run, worker, init-db, db, seed, create-admin,
create-teacher, charter-check, export-class, import-class, doctor, backup, restore."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_migrate import upgrade as migrate_upgrade

from sandbox import __version__, create_app
from sandbox.accounts.models import Role
from sandbox.accounts.services import create_staff_account
from sandbox.backup.cli import backup_command, restore_command
from sandbox.charter.cli import charter_check_command
from sandbox.core.errors import ServiceError
from sandbox.doctor import STATUS_LABELS, Status, run_checks
from sandbox.extensions import db, socketio
from sandbox.media.images import uploads_dir
from sandbox.personas.handlers import import_all
from sandbox.personas.terminal import logging_to_terminal, start_beside_server, stopping_on_signals
from sandbox.personas.worker import (
    DEFAULT_BATCH,
    DEFAULT_BATCH_SECONDS,
    DEFAULT_INTERVAL,
    Worker,
    summary_line,
)
from sandbox.personas.worker import logger as worker_logger
from sandbox.serving import schema_is_current, warm_up_in_background
from sandbox.seeding.files import SeedError, read_demo_seed, read_groups_seed, read_network_seed
from sandbox.seeding.group_loader import groups_progress_length, seed_groups
from sandbox.seeding.loader import (
    SeedSummary,
    demo_progress_length,
    network_progress_length,
    seed_demo_class,
    seed_network,
)
from sandbox.seeding.demo_activity import read_demo_activity, seed_demo_activity
from sandbox.transfer.cli import export_class_command, import_class_command


def _create_app(*_args: object) -> object:
    return create_app()


class SandboxGroup(FlaskGroup):
    """Flask's command group, without its development `run` (ours serves Socket.IO too)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            create_app=_create_app, add_default_commands=False, add_version_option=False, **kwargs
        )
        # The app is always Tremplin, configured from the environment: hide Flask's --app,
        # --env-file and --debug, which would only confuse a school's IT person.
        self.params = [p for p in self.params if p.name not in {"app", "env_file", "debug"}]
        self.add_command(shell_command)
        self.add_command(routes_command)
        self.add_command(charter_check_command)
        self.add_command(export_class_command)
        self.add_command(import_class_command)
        self.add_command(backup_command)
        self.add_command(restore_command)


@click.group(cls=SandboxGroup, help="Tremplin: a classroom sandbox of a professional network.")
@click.version_option(__version__, prog_name="Tremplin")
def cli() -> None:
    pass


def main() -> None:
    cli.main(prog_name="sandbox")


def upgrade_database() -> None:
    """Create the tables, or bring them to the latest migration: a semester's data is kept."""
    migrate_upgrade(directory=current_app.extensions["migrate"].directory)


# What the seed summary counts, in the school's language.
SEED_KINDS = {
    "admins": _l("administrators"),
    "classes": _l("classes"),
    "companies": _l("companies"),
    "connections": _l("connections"),
    "follows": _l("followed companies"),
    "groups": _l("groups"),
    "memberships": _l("group memberships"),
    "demo_activity": _l("actions of the demo class's first weeks"),
    "offers": _l("job offers"),
    "personas": _l("fictional professionals"),
    "posts": _l("posts"),
    "schools": _l("school"),
    "students": _l("students"),
    "teachers": _l("teachers"),
}


def _summary_line(summary: SeedSummary) -> str:
    created = ", ".join(
        _("%(kind)s: %(count)d", kind=SEED_KINDS.get(kind, kind), count=number)
        for kind, number in sorted(summary.created.items())
    )
    return _(
        "Seed loaded: created %(created)s; %(count)d already there, brought up to date.",
        created=created or _("nothing"),
        count=sum(summary.updated.values()),
    )


def load_seed(with_demo_class: bool) -> SeedSummary:
    """Companies, personas, (optionally) the demo class, then the groups, with a progress bar."""
    try:
        network = read_network_seed()
        demo = read_demo_seed() if with_demo_class else None
        activity = read_demo_activity() if with_demo_class else []
        groups = read_groups_seed()
    except SeedError as error:
        raise click.ClickException(str(error)) from None
    total = (network_progress_length(network) + (demo_progress_length(demo) if demo else 0)
             + groups_progress_length(groups))
    with click.progressbar(length=total, label=_("Loading the fictional school")) as bar:
        summary = seed_network(network, progress=bar.update)
        if demo is not None:
            summary.merge(seed_demo_class(demo, progress=bar.update))
        # Groups last: the workshop group needs the demo class and its students.
        summary.merge(seed_groups(groups, progress=bar.update))
    if demo is not None:
        # The class's first weeks, through the charter's gate: the dashboard has data to show.
        replayed = seed_demo_activity(activity, demo.teacher.username)
        if replayed:
            summary.created["demo_activity"] = replayed
    return summary


@cli.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database, or upgrade it to the latest schema (same as `db upgrade`)."""
    upgrade_database()
    click.echo(_("Database ready: %(url)s", url=_safe_url()))


@cli.command("seed")
@click.option("--demo/--no-demo", "with_demo", default=False,
              help="Also create the demo class with its known passwords (never on a real school).")
@with_appcontext
def seed_command(with_demo: bool) -> None:
    """Load the fictional companies and personas (and the demo class), idempotently."""
    summary = load_seed(with_demo)
    click.echo(_summary_line(summary))


def _staff_command(role: Role):  # type: ignore[no-untyped-def]
    @click.option("--username", prompt=True, help="Login name (lowercase letters, digits, . - _).")
    @click.option("--first-name", prompt=True)
    @click.option("--last-name", prompt=True)
    @click.option("--password", envvar="SANDBOX_NEW_PASSWORD", default=None,
                  help="Read from SANDBOX_NEW_PASSWORD, or asked for (hidden) when not given.")
    @with_appcontext
    def command(username: str, first_name: str, last_name: str, password: str | None) -> None:
        if password is None:
            password = getpass.getpass(_("Password") + ": ")
            if getpass.getpass(_("Password again") + ": ") != password:
                raise click.ClickException(_("The two passwords differ."))
        try:
            user = create_staff_account(
                None,
                role=role,
                username=username,
                first_name=first_name,
                last_name=last_name,
                password=password,
                # The IT person hands a teacher their first password; the teacher then picks one.
                must_change_password=role is Role.TEACHER,
            )
        except ServiceError as error:
            raise click.ClickException(str(error.message)) from None
        if role is Role.ADMIN:
            click.echo(_("Administrator account “%(username)s” created.", username=user.username))
        else:
            click.echo(_("Teacher account “%(username)s” created.", username=user.username))

    return command


cli.command("create-admin", help="Create an administrator account.")(_staff_command(Role.ADMIN))
cli.command("create-teacher", help="Create a teacher account.")(_staff_command(Role.TEACHER))


def _safe_url() -> str:
    """The database URL without its password, to print."""
    return db.engine.url.render_as_string(hide_password=True)


def _serve(host: str, port: int) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(_("Tremplin is running at %(url)s (Ctrl+C to stop)", url=f"http://{host}:{port}/"))
    # Flask's CLI marks itself to stop app.run() from blocking a command; serving is this
    # command's whole purpose, so lift the mark.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    warm_up_in_background()
    if app.config.get("WORKER_IN_PROCESS"):
        start_beside_server(app)  # the demo's personas react from inside the server
    # The threaded Werkzeug server handles a classroom; a school deploys with gunicorn.
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve an existing deployment (run `sandbox db upgrade` after each upgrade)."""
    if not schema_is_current():
        raise click.ClickException(
            _("The database is not at the latest schema: run `sandbox db upgrade` first.")
        )
    _serve(host, port)


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--fresh", is_flag=True, help="Start again from an empty demo database.")
@with_appcontext
def demo_command(host: str, port: int, fresh: bool) -> None:
    """Create or migrate the database, load the demo school, print the logins and serve."""
    if fresh:
        _remove_sqlite_database()
    upgrade_database()
    summary = load_seed(with_demo_class=True)
    click.echo(_summary_line(summary))
    _print_demo_logins(host, port)
    # The demo has no separate `sandbox worker`: its personas react from inside the server.
    current_app.config["WORKER_IN_PROCESS"] = True
    _serve(host, port)


@cli.command("worker")
@click.option("--once", is_flag=True,
              help="Carry out what is due now, then exit (for cron, scripts and tests).")
@click.option("--batch", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 5000),
              help="How many actions are claimed, carried out and committed together.")
@click.option("--batch-seconds", default=DEFAULT_BATCH_SECONDS, show_default=True,
              type=click.FloatRange(min=0.05),
              help="A batch running longer hands back the actions it has not started (with "
                   "SQLite, the app's requests wait while a batch writes).")
@click.option("--interval", default=DEFAULT_INTERVAL, show_default=True,
              type=click.FloatRange(min=0.05), help="Seconds to wait when nothing is due.")
@click.option("--import", "modules", multiple=True, metavar="MODULE",
              help="Also import this Python module, whose @action_handler functions then "
                   "handle their kinds of actions (a school's own plugins). Repeatable.")
@click.option("--worker-id", default=None,
              help="Name written in the actions this worker claims (default: host:pid).")
@with_appcontext
def worker_command(once: bool, batch: int, batch_seconds: float, interval: float,
                   modules: tuple[str, ...], worker_id: str | None) -> None:
    """Carry out the personas' scheduled actions when they are due.

    Answers to invitations, replies, likes, applications processed: run one or several workers
    beside the app's processes, on the same database; each action is carried out once. Stops
    after its current batch on SIGTERM or Ctrl+C. `sandbox demo` runs one itself.
    """
    if not schema_is_current():
        raise click.ClickException(
            _("The database is not at the latest schema: run `sandbox db upgrade` first.")
        )
    try:
        import_all(modules)
    except ImportError as error:
        raise click.ClickException(
            _("A handler module cannot be imported: %(error)s", error=error)
        ) from None
    worker = Worker(current_app._get_current_object(),  # type: ignore[attr-defined]
                    worker_id=worker_id, batch=batch, batch_seconds=batch_seconds,
                    interval=interval, pause_gc=True)
    stop = threading.Event()
    worker.warm_up()
    with logging_to_terminal(), stopping_on_signals(stop):
        worker.announce()
        if once:
            worker_logger.info(summary_line(worker.run_until_idle(stop)))
        else:
            worker.run_forever(stop)
        worker_logger.info(_("Worker %(worker)s stopped.", worker=worker.worker_id))


@cli.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_appcontext
def doctor_command(as_json: bool) -> None:
    """Check this deployment and say what to fix (exit code 1 when a check fails).

    Database reachable and migrated, the personas' worker keeping up, Redis when configured,
    secret key, upload folder, French catalogue, the charter's spelling engines.
    """
    findings = run_checks()
    failed = any(finding.status is Status.FAILURE for finding in findings)
    if as_json:
        click.echo(json.dumps({"ok": not failed,
                               "findings": [finding.as_dict() for finding in findings]},
                              ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            label = str(STATUS_LABELS[finding.status])
            click.echo(f"[{label}] {finding.message}")
            if finding.fix:
                click.echo("    " + _("To fix: %(fix)s", fix=finding.fix))
        click.echo(_("Some checks failed.") if failed else _("Everything needed is in place."))
    if failed:
        raise SystemExit(1)


def _remove_sqlite_database() -> None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            _("--fresh only removes the embedded SQLite database; "
              "it never empties a server database.")
        )
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(url.database + suffix).unlink(missing_ok=True)
    shutil.rmtree(uploads_dir(Path(current_app.instance_path)), ignore_errors=True)
    click.echo(_("Previous demo database removed."))


def _print_demo_logins(host: str, port: int) -> None:
    demo = read_demo_seed()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo("")
    click.echo("  " + _("Tremplin demo: %(url)s", url=f"http://{shown}:{port}/"))
    click.echo("  " + _("Class code to join as a new student: %(code)s", code=demo.klass.join_code))
    click.echo("  " + _("Data folder: %(path)s", path=current_app.instance_path))
    click.echo("")
    rows = [
        (_("administrator"), demo.admin.username, demo.admin.password),
        (_("teacher"), demo.teacher.username, demo.teacher.password),
        *((_("student"), s.username, s.password) for s in demo.students[:4]),
    ]
    for role, username, password in rows:
        click.echo(f"  {role:<14} {username:<22} {password}")
    more = len(demo.students) - 4
    click.echo("  " + ngettext("(and %(num)d more student, same password)",
                               "(and %(num)d more students, same password)", more))
    click.echo("")
