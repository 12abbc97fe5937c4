"""`sandbox backup [-o FILE]` and `sandbox restore FILE [--replace]`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from sandbox.backup.archive import (
    BackupError,
    BackupSummary,
    open_archive,
    read_manifest,
    restore_backup,
    write_backup,
)
from sandbox.core.time import utcnow
from sandbox.database import first_line
from sandbox.extensions import db


def _default_name() -> Path:
    return Path(f"tremplin-backup-{utcnow():%Y%m%d-%H%M%S}.zip")


def _total_rows() -> int:
    with db.engine.connect() as connection:
        return sum(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
                   for table in db.metadata.sorted_tables)


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The archive to write (default: tremplin-backup-DATE.zip here).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Back up the whole school: every table and every picture, in one ZIP archive.

    The archive restores on any database engine (`sandbox restore`). It holds the personal data
    of minors and the password hashes: it is created readable by its owner only; keep it as
    such, away from the server.
    """
    output = output or _default_name()
    if output.exists():
        raise click.ClickException(_("%(path)s already exists: choose another name.",
                                     path=output))
    try:
        with click.progressbar(length=_total_rows(), label=_("Backing up")) as bar:
            summary = write_backup(output, progress=bar.update)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except sa.exc.SQLAlchemyError as error:
        raise click.ClickException(_("The database cannot be read: %(error)s",
                                     error=first_line(error))) from None
    except OSError as error:
        raise click.ClickException(_("The backup could not be written: %(error)s",
                                     error=error)) from None
    click.echo(ngettext(
        "Backup written to %(path)s: %(rows)s rows in %(tables)d tables, %(num)d picture, "
        "schema %(schema)s.",
        "Backup written to %(path)s: %(rows)s rows in %(tables)d tables, %(num)d pictures, "
        "schema %(schema)s.", summary.files, path=output, rows=format_decimal(summary.rows),
        tables=summary.tables, schema=", ".join(summary.schema)))
    if summary.vanished:
        click.echo(ngettext("%(num)d picture deleted while the backup ran was left out.",
                            "%(num)d pictures deleted while the backup ran were left out.",
                            summary.vanished))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace everything the database holds (otherwise it must be empty).")
@with_appcontext
def restore_command(file: Path, replace: bool) -> None:
    """Restore a backup made by `sandbox backup`, on this server's database engine.

    Stop the app's processes and workers first. An empty database is created and migrated
    first. Everything is written in one transaction, or nothing. With --replace, what the
    database held is replaced, and the pictures that were there are moved aside (never deleted).
    """
    try:
        with open_archive(file) as archive:
            manifest = read_manifest(archive)
        total = sum(entry["rows"] for entry in manifest["tables"].values())
        with click.progressbar(length=total, label=_("Restoring")) as bar:
            summary = restore_backup(file, replace=replace, progress=bar.update)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except sa.exc.SQLAlchemyError as error:
        raise click.ClickException(_("The database cannot be reached: %(error)s",
                                     error=first_line(error))) from None
    click.echo(_restored_line(summary))
    if summary.set_aside:
        click.echo(_("The pictures that were there before are in %(path)s.",
                     path=summary.set_aside))


def _restored_line(summary: BackupSummary) -> str:
    return ngettext(
        "Restored %(rows)s rows in %(tables)d tables and %(num)d picture, from the backup of "
        "%(date)s (schema %(schema)s).",
        "Restored %(rows)s rows in %(tables)d tables and %(num)d pictures, from the backup of "
        "%(date)s (schema %(schema)s).", summary.files, rows=format_decimal(summary.rows),
        tables=summary.tables, date=format_datetime(datetime.fromisoformat(summary.created_at), "medium"),
        schema=", ".join(summary.schema))
