"""`sandbox backup` and `sandbox restore`: the whole school in one archive, any engine to any engine.

The archive is a ZIP file:

    manifest.json           format, Tremplin's version, the schema's migration, when, and for
                            each table its columns and its number of rows
    tables/<table>.jsonl    one row per line, a JSON array in the manifest's column order,
                            ordered by primary key
    uploads/…               the pictures, as stored under the instance folder

Rows are read in one consistent snapshot (SQLite: the online backup API copies the database
first; PostgreSQL: one REPEATABLE READ transaction), so a backup taken while the school works is
coherent; the pictures are copied right after it, and one deleted in between (a photo replaced)
is left out and counted. A restore writes every row in one transaction, or none: it refuses an archive of
another schema, a damaged one, and a database that already holds data unless told to replace it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from sandbox import __version__
from sandbox.backup.codec import encode, row_decoder
from sandbox.core.time import utcnow
from sandbox.database import first_line
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.serving import schema_heads

FORMAT = "tremplin-backup"
VERSION = 1
MANIFEST = "manifest.json"
TABLES = "tables/"
UPLOADS = "uploads/"
READ_CHUNK = 2000
INSERT_CHUNK = 1000

Progress = Callable[[int], None]


class BackupError(Exception):
    """Why a backup or a restore cannot be done, in the school's language."""


@dataclass
class BackupSummary:
    rows: int = 0
    tables: int = 0
    files: int = 0
    schema: list[str] = field(default_factory=list)
    created_at: str = ""
    set_aside: Path | None = None  # where the pictures there before a restore were moved
    vanished: int = 0  # pictures deleted while the backup ran (no longer needed)


def _tables() -> list[sa.Table]:
    """Every table of the schema, parents before children."""
    return list(db.metadata.sorted_tables)


def _ordering(table: sa.Table) -> list[sa.Column]:
    return list(table.primary_key.columns) or list(table.columns)


# --- backup -------------------------------------------------------------------------------


@contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """A connection that sees the database as it was at one moment, whatever is written since."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="tremplin-backup-") as folder:
            copy = Path(folder) / "snapshot.sqlite3"
            source = engine.raw_connection()
            try:
                target = sqlite3.connect(copy)
                try:
                    source.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                source.close()
            snapshot_engine = sa.create_engine(f"sqlite:///{copy}")
            try:
                with snapshot_engine.connect() as connection:
                    yield connection
            finally:
                snapshot_engine.dispose()
    else:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            with connection.begin():
                # The snapshot is taken by a transaction's first statement: take it now.
                connection.execute(sa.text("SELECT 1"))
                yield connection


def write_backup(output: Path, progress: Progress | None = None) -> BackupSummary:
    """Write the whole database and the pictures into a new archive at `output` (mode 600)."""
    database_heads, code_heads = schema_heads()
    if database_heads != code_heads:
        raise BackupError(_("The database is not at the latest schema: run `sandbox db upgrade` "
                            "first."))
    summary = BackupSummary(schema=sorted(code_heads), created_at=utcnow().isoformat())
    manifest: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "tremplin": __version__,
        "schema": summary.schema, "created_at": summary.created_at,
        "engine": db.engine.dialect.name, "tables": {},
    }
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle, \
                zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                                compresslevel=6, allowZip64=True) as archive:
            with _snapshot() as connection:
                for table in _tables():
                    count = _write_table(archive, connection, table, progress)
                    manifest["tables"][table.name] = {
                        "columns": [column.name for column in table.columns], "rows": count,
                    }
                    summary.rows += count
                    summary.tables += 1
            manifest["uploads"] = _write_uploads(archive, summary)
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2,
                                                  sort_keys=True) + "\n")
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return summary


def _write_table(archive: zipfile.ZipFile, connection: sa.Connection, table: sa.Table,
                 progress: Progress | None) -> int:
    count = 0
    query = sa.select(*table.columns).order_by(*_ordering(table))
    result = connection.execution_options(yield_per=READ_CHUNK).execute(query)
    info = zipfile.ZipInfo(f"{TABLES}{table.name}.jsonl", date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        for rows in result.partitions():
            lines = [json.dumps([encode(value) for value in row], ensure_ascii=False,
                                separators=(",", ":")) for row in rows]
            member.write(("\n".join(lines) + "\n").encode("utf-8"))
            count += len(rows)
            if progress:
                progress(len(rows))
    return count


def _write_uploads(archive: zipfile.ZipFile, summary: BackupSummary) -> dict[str, int]:
    folder = uploads_dir(Path(current_app.instance_path))
    size = 0
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            name = UPLOADS + path.relative_to(folder).as_posix()
            try:
                # Pictures are compressed already: stored as they are.
                archive.write(path, name, compress_type=zipfile.ZIP_STORED)
            except FileNotFoundError:
                # Replaced or deleted since the snapshot (a new photo, an erasure).
                summary.vanished += 1
                continue
            summary.files += 1
            size += path.stat().st_size
    return {"files": summary.files, "bytes": size}


# --- restore ------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The archive's manifest, checked for the fields a restore relies on."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise BackupError(_("This file is not a Tremplin backup (%(error)s).", error=error)) \
            from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Tremplin backup."))
    if manifest.get("version") != VERSION:
        raise BackupError(_("This backup's format (version %(version)s) is not one this Tremplin "
                            "reads.", version=manifest.get("version")))
    tables = manifest.get("tables")
    well_formed = (
        isinstance(manifest.get("schema"), list)
        and _is_timestamp(manifest.get("created_at"))
        and isinstance(tables, dict)
        and all(isinstance(entry, dict) and isinstance(entry.get("rows"), int)
                and isinstance(entry.get("columns"), list) for entry in tables.values())
    )
    if not well_formed:
        raise BackupError(_("The backup is damaged: its manifest is incomplete."))
    return manifest


def _is_timestamp(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(_("This file is not a Tremplin backup (%(error)s).", error=error)) \
            from None


def restore_backup(path: Path, replace: bool = False,
                   progress: Progress | None = None) -> BackupSummary:
    """Restore the archive at `path` into this deployment's database and picture folder."""
    with open_archive(path) as archive:
        manifest = read_manifest(archive)
        _check_schema(manifest)
        tables = _tables()
        _check_tables(manifest, tables)
        if not replace:
            _refuse_existing_data(tables)
        summary = BackupSummary(schema=manifest["schema"], created_at=manifest["created_at"])
        instance = Path(current_app.instance_path)
        staged = Path(tempfile.mkdtemp(prefix="uploads.restoring-", dir=instance))
        # mkdtemp makes it private; the picture folder gets the usual mode.
        staged.chmod(0o777 & ~_umask())
        try:
            summary.files = _extract_uploads(archive, staged)
            _restore_rows(archive, manifest, tables, replace, summary, progress)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            shutil.rmtree(staged, ignore_errors=True)
            raise BackupError(_("The backup is damaged: %(error)s", error=error)) from None
        except OSError as error:
            shutil.rmtree(staged, ignore_errors=True)
            raise BackupError(_("The backup could not be read or written: %(error)s",
                                error=error)) from None
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    try:
        summary.set_aside = _swap_uploads(instance, staged)
    except OSError as error:
        raise BackupError(_("The rows are restored, but the pictures could not be put in place "
                            "(%(error)s): they are in %(path)s; move them to %(target)s.",
                            error=error, path=staged, target=uploads_dir(instance))) from None
    return summary


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _check_schema(manifest: dict[str, Any]) -> None:
    database_heads, code_heads = schema_heads()
    if not database_heads:
        _create_schema()
        database_heads, code_heads = schema_heads()
    archived = set(manifest["schema"])
    if archived != code_heads:
        raise BackupError(_(
            "This backup was made with the database at schema %(archived)s; this Tremplin is at "
            "%(code)s. Restore it with the version of Tremplin that made it, then upgrade.",
            archived=", ".join(sorted(archived)) or "?", code=", ".join(sorted(code_heads))))
    if database_heads != code_heads:
        raise BackupError(_("The database is not at the latest schema: run `sandbox db upgrade` "
                            "first."))


def _create_schema() -> None:
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


def _check_tables(manifest: dict[str, Any], tables: list[sa.Table]) -> None:
    for table in tables:
        entry = manifest["tables"].get(table.name)
        if entry is None or entry["columns"] != [column.name for column in table.columns]:
            raise BackupError(_("The backup's table %(table)s does not match this Tremplin's.",
                                table=table.name))


def _refuse_existing_data(tables: list[sa.Table]) -> None:
    with db.engine.connect() as connection:
        for table in tables:
            if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                raise BackupError(_(
                    "The database already holds data (table %(table)s): restore into an empty "
                    "database, or add --replace to replace everything it holds.",
                    table=table.name))


def _restore_rows(archive: zipfile.ZipFile, manifest: dict[str, Any], tables: list[sa.Table],
                  replace: bool, summary: BackupSummary, progress: Progress | None) -> None:
    engine = db.engine
    db.session.remove()
    with engine.begin() as connection:
        if replace:
            _empty(connection, tables)
        for table in tables:
            expected = manifest["tables"][table.name]["rows"]
            try:
                written = _restore_table(archive, connection, table, progress)
            except sa.exc.DBAPIError as error:
                # The database's reason, never the rows (they hold pupils' data).
                raise BackupError(_("The database refused the backup's table %(table)s: "
                                    "%(reason)s", table=table.name,
                                    reason=first_line(error))) from None
            if written != expected:
                raise BackupError(_("The backup is damaged: table %(table)s has %(found)d rows, "
                                    "its manifest says %(expected)d.", table=table.name,
                                    found=written, expected=expected))
            summary.rows += written
            summary.tables += 1
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection, tables)


def _empty(connection: sa.Connection, tables: list[sa.Table]) -> None:
    if connection.dialect.name == "postgresql":
        names = ", ".join(connection.dialect.identifier_preparer.quote(t.name) for t in tables)
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            connection.execute(table.delete())


def _restore_table(archive: zipfile.ZipFile, connection: sa.Connection, table: sa.Table,
                   progress: Progress | None) -> int:
    decode = row_decoder(list(table.columns))
    insert = table.insert()
    written = 0
    chunk: list[dict[str, Any]] = []
    try:
        member = archive.open(f"{TABLES}{table.name}.jsonl")
    except KeyError:
        raise BackupError(_("The backup is damaged: table %(table)s is missing.",
                            table=table.name)) from None
    with member:
        for number, line in enumerate(member, start=1):
            if not line.strip():
                continue
            try:
                values = json.loads(line)
                chunk.append(decode(values))
            except (ValueError, TypeError) as error:
                raise BackupError(_("The backup is damaged: table %(table)s, line %(line)d "
                                    "(%(error)s).", table=table.name, line=number,
                                    error=error)) from None
            if len(chunk) >= INSERT_CHUNK:
                written += _insert(connection, insert, chunk, progress)
        if chunk:
            written += _insert(connection, insert, chunk, progress)
    return written


def _insert(connection: sa.Connection, insert: sa.Insert, chunk: list[dict[str, Any]],
            progress: Progress | None) -> int:
    count = len(chunk)
    connection.execute(insert, chunk)
    chunk.clear()
    if progress:
        progress(count)
    return count


def _advance_sequences(connection: sa.Connection, tables: list[sa.Table]) -> None:
    """Rows came with their ids: each id sequence must start after the largest one."""
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not columns[0].autoincrement or \
                not isinstance(columns[0].type, sa.Integer):
            continue
        column = columns[0]
        sequence = connection.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        ).scalar()
        if sequence is None:
            continue
        largest = connection.execute(sa.select(sa.func.max(column))).scalar()
        # setval(seq, n, false): the next id is n.
        connection.execute(sa.text("SELECT setval(:sequence, :next, false)"),
                           {"sequence": sequence, "next": (largest or 0) + 1})


def _extract_uploads(archive: zipfile.ZipFile, staged: Path) -> int:
    count = 0
    for info in archive.infolist():
        if not info.filename.startswith(UPLOADS) or info.is_dir():
            continue
        relative = PurePosixPath(info.filename[len(UPLOADS):])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise BackupError(_("The backup is damaged: it names a file outside the picture "
                                "folder (%(name)s).", name=info.filename))
        target = staged.joinpath(*relative.parts)
        if target.is_dir() or any(parent.is_file() for parent in target.parents):
            raise BackupError(_("The backup is damaged: it names %(name)s twice.",
                                name=info.filename))
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        count += 1
    return count


def _swap_uploads(instance: Path, staged: Path) -> Path | None:
    """Put the restored pictures in place; those there before are moved aside, never deleted."""
    current = uploads_dir(instance)
    set_aside = None
    if current.exists():
        if any(current.iterdir()):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            set_aside = instance / f"uploads.before-restore-{stamp}"
            current.rename(set_aside)
        else:
            current.rmdir()
    staged.rename(current)
    return set_aside
