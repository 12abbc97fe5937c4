"""`sandbox backup` / `sandbox restore`: the whole school, from one engine to another and back.

The suite's database is SQLite, or PostgreSQL on the PostgreSQL run (DATABASE_URL); the second
deployment is always a fresh SQLite file. On the PostgreSQL run the round trips below go from
SQLite to PostgreSQL and back, and from PostgreSQL to SQLite and back.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.backup.archive import BackupError, restore_backup, write_backup
from sandbox.cli import cli, load_seed
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.posts.models import Post
from tests.conftest import PASSWORD, login_client
from tests.factories import Factories
from tests.transfer.semester import build_semester


def contents(archive: Path) -> dict[str, bytes]:
    """Every table and picture of an archive (the manifest says when and where: left out)."""
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist() if name != "manifest.json"}


def manifest(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as opened:
        return json.loads(opened.read("manifest.json"))


def row_count() -> int:
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
               for table in db.metadata.sorted_tables)


def rewrite(archive: Path, target: Path, changes: dict[str, bytes | None]) -> None:
    """A copy of `archive` with some members replaced (or added); None removes one."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            if name in changes:
                continue
            copy.writestr(name, source.read(name))
        for name, data in changes.items():
            if data is not None:
                copy.writestr(name, data)


def test_a_school_goes_from_sqlite_to_the_suites_database_and_back(app, second_app, inside,
                                                                   make_app, tmp_path):
    """SQLite → the suite's engine (PostgreSQL on its run) → a new SQLite: nothing changes."""
    first, second, third = (tmp_path / f"{name}.zip" for name in ("first", "second", "third"))
    with inside(second_app):
        load_seed(with_demo_class=True)
        picture = uploads_dir(second_app.instance_path) / "7" / "photo-test.jpg"
        picture.parent.mkdir(parents=True)
        picture.write_bytes(bytes(range(256)) * 20)
        rows = row_count()
        summary = write_backup(first)
    assert summary.rows == rows > 1000 and summary.files == 1
    assert manifest(first)["engine"] == "sqlite"

    restored = restore_backup(first)  # the suite's database (app's context), empty
    assert restored.rows == rows
    assert (uploads_dir(app.instance_path) / "7" / "photo-test.jpg").read_bytes() \
        == picture.read_bytes()
    write_backup(second)
    assert contents(second) == contents(first)

    # New rows after a restore get ids of their own (PostgreSQL's sequences were moved on).
    newcomer = Factories(PASSWORD).make_teacher(username="prof.nouvelle")
    assert newcomer.id > max(db.session.scalars(
        sa.select(User.id).where(User.username != "prof.nouvelle")))
    db.session.delete(newcomer)
    db.session.commit()

    third_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'third.sqlite3'}",
                         INSTANCE_PATH=tmp_path / "third-instance")
    with inside(third_app):
        restore_backup(second)  # no tables yet: the restore migrates the new database first
        write_backup(third)
        # The school works there: the demo's teacher logs in and sees the class's feed.
        teacher = third_app.test_client()
        response = teacher.post("/login", data={"username": "prof.martin",
                                                "password": "tremplin-prof"})
        assert response.status_code == 302
        assert teacher.get("/feed").status_code == 200
    assert contents(third) == contents(first)


def test_a_rich_semester_goes_to_sqlite_and_back(app, school, factories, second_app, inside,
                                                 tmp_path):
    """The suite's engine → SQLite → the suite's engine, with something in nearly every table."""
    made = build_semester(school, factories, lambda user: login_client(app, user))
    first, second, third = (tmp_path / f"{name}.zip" for name in ("first", "second", "third"))
    write_backup(first)
    filled = [name for name, entry in manifest(first)["tables"].items() if entry["rows"]]
    assert len(filled) >= 45, sorted(set(manifest(first)["tables"]) - set(filled))
    photo_path = made["photo"].image_path

    with inside(second_app):
        restore_backup(first)
        write_backup(second)
        photo = db.session.scalars(sa.select(Post).where(Post.image_path == photo_path)).one()
        assert (uploads_dir(second_app.instance_path) / photo.image_path).is_file()
    assert contents(second) == contents(first)

    restored = restore_backup(second, replace=True)
    assert restored.set_aside is not None and (restored.set_aside / photo_path).is_file()
    write_backup(third)
    assert contents(third) == contents(first)


def test_a_database_holding_data_is_only_replaced_when_asked(app, school, second_app, inside,
                                                             tmp_path):
    archive = tmp_path / "school.zip"
    write_backup(archive)
    with inside(second_app):
        Factories(PASSWORD).make_teacher(username="prof.deja.la")
        with pytest.raises(BackupError, match="--replace"):
            restore_backup(archive)
        assert db.session.scalars(sa.select(User.username)).all() == ["prof.deja.la"]
        assert not any(Path(second_app.instance_path).glob("uploads.restoring-*"))
        restore_backup(archive, replace=True)
        assert "prof.deja.la" not in db.session.scalars(sa.select(User.username)).all()
        assert school["student"].username in db.session.scalars(sa.select(User.username)).all()


def test_a_damaged_archive_writes_nothing(app, school, second_app, inside, tmp_path):
    archive = tmp_path / "school.zip"
    uploaded = uploads_dir(app.instance_path) / "1" / "avatar.jpg"
    uploaded.parent.mkdir(parents=True)
    uploaded.write_bytes(b"\xff\xd8picture")
    write_backup(archive)
    with zipfile.ZipFile(archive) as opened:
        users = opened.read("tables/users.jsonl")
        lines = users.splitlines()
    broken = tmp_path / "broken.zip"
    # A damaged line in a table restored after many others: everything before it is undone.
    rewrite(archive, broken, {"tables/users.jsonl": b"\n".join([*lines[:-1], b"[1, 2"]) + b"\n"})
    short = tmp_path / "short.zip"
    rewrite(archive, short, {"tables/users.jsonl": b"\n".join(lines[:-1]) + b"\n"})
    with inside(second_app):
        with pytest.raises(BackupError, match="users"):
            restore_backup(broken)
        with pytest.raises(BackupError, match="users"):
            restore_backup(short)  # fewer rows than the manifest counts
        assert row_count() == 0
        assert not uploads_dir(second_app.instance_path).exists()
        assert not any(Path(second_app.instance_path).glob("uploads.restoring-*"))


def test_archives_that_are_not_backups_of_this_schema_are_refused(app, school, second_app,
                                                                  inside, tmp_path):
    archive = tmp_path / "school.zip"
    write_backup(archive)
    older = dict(manifest(archive), schema=["0123456789ab"])
    other_schema = tmp_path / "other.zip"
    rewrite(archive, other_schema, {"manifest.json": json.dumps(older).encode()})
    incomplete = tmp_path / "incomplete.zip"
    rewrite(archive, incomplete, {"manifest.json": json.dumps(
        dict(manifest(archive), created_at="yesterday")).encode()})
    escaping = tmp_path / "escaping.zip"
    rewrite(archive, escaping, {"uploads/../../outside.txt": b"no"})
    not_zip = tmp_path / "notes.zip"
    not_zip.write_bytes(b"just some notes")
    other_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(other_zip, "w") as opened:
        opened.writestr("photo.jpg", b"\xff\xd8")
    with inside(second_app):
        with pytest.raises(BackupError, match="0123456789ab"):
            restore_backup(other_schema)
        with pytest.raises(BackupError, match="manifest"):
            restore_backup(incomplete)
        with pytest.raises(BackupError, match="outside.txt"):
            restore_backup(escaping)
        for wrong in (not_zip, other_zip):
            with pytest.raises(BackupError, match="not a Tremplin backup|n’est pas une sauvegarde"):
                restore_backup(wrong)
        assert row_count() == 0
    # The staging folder is second-instance/uploads.restoring-…: "../.." would land in tmp_path.
    assert not (tmp_path / "outside.txt").exists()
    assert not (tmp_path / "second-instance" / "outside.txt").exists()


def test_the_commands_speak_the_schools_language_and_keep_the_archive_private(
        app, school, second_app, inside, tmp_path):
    archive = tmp_path / "sauvegarde.zip"
    result = app.test_cli_runner().invoke(cli, ["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite dans" in result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    again = app.test_cli_runner().invoke(cli, ["backup", "-o", str(archive)])
    assert again.exit_code == 1 and "existe déjà" in again.output

    with inside(second_app):
        restored = second_app.test_cli_runner().invoke(cli, ["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert f"lignes restaurées dans {len(db.metadata.sorted_tables)} tables" in restored.output
        refused = second_app.test_cli_runner().invoke(cli, ["restore", str(archive)])
        assert refused.exit_code == 1 and "--replace" in refused.output


def test_a_backup_made_while_the_school_writes_is_one_moment(app, school, factories, monkeypatch,
                                                             tmp_path):
    """What is written once the backup has started is not in the archive, even mid-backup."""
    from sandbox.backup import archive as backup_archive

    original = backup_archive._write_table
    written_meanwhile: list[str] = []

    def write_then_back_up(zip_file, connection, table, progress):  # type: ignore[no-untyped-def]
        if not written_meanwhile:  # before the first table: another request signs a student up
            with app.app_context():
                written_meanwhile.append(
                    factories.make_student(school["class"], username="arrivee.pendant").username)
                db.session.remove()
        return original(zip_file, connection, table, progress)

    monkeypatch.setattr(backup_archive, "_write_table", write_then_back_up)
    archive = tmp_path / "school.zip"
    write_backup(archive)
    assert written_meanwhile == ["arrivee.pendant"]
    assert db.session.scalar(sa.select(User.id).where(User.username == "arrivee.pendant"))
    users = contents(archive)["tables/users.jsonl"]
    assert b"arrivee.pendant" not in users
    assert b"lea.martin" in users


def test_what_the_database_refuses_is_said_without_the_rows(app, school, second_app, inside,
                                                           tmp_path):
    username = school["student"].username
    archive = tmp_path / "school.zip"
    write_backup(archive)
    with zipfile.ZipFile(archive) as opened:
        users = opened.read("tables/users.jsonl").splitlines()
    doubled = tmp_path / "doubled.zip"  # the same user twice: the primary key refuses it
    rewrite(archive, doubled, {"tables/users.jsonl": b"\n".join([*users, users[0]]) + b"\n"})
    with zipfile.ZipFile(doubled) as opened:
        changed = dict(manifest(doubled))
        changed["tables"]["users"]["rows"] += 1
    rewrite(doubled, tmp_path / "doubled2.zip", {"manifest.json": json.dumps(changed).encode()})
    with inside(second_app):
        with pytest.raises(BackupError) as refused:
            restore_backup(tmp_path / "doubled2.zip")
        message = str(refused.value)
        assert "users" in message
        assert username not in message and "pbkdf2" not in message
        assert row_count() == 0


def test_a_corrupted_member_is_refused_and_nothing_is_written(app, school, second_app, inside,
                                                             tmp_path):
    archive = tmp_path / "school.zip"
    write_backup(archive)
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("tables/users.jsonl")
    # A byte in the middle of the member's compressed data: its CRC no longer matches.
    name_length, extra_length = (int.from_bytes(data[info.header_offset + n:info.header_offset
                                                     + n + 2], "little") for n in (26, 28))
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    with inside(second_app):
        with pytest.raises(BackupError, match="damaged|abîmée"):
            restore_backup(damaged)
        assert row_count() == 0
        assert not any(Path(second_app.instance_path).glob("uploads.restoring-*"))


def test_a_picture_deleted_while_the_backup_runs_is_left_out(app, school, monkeypatch,
                                                            tmp_path):
    folder = uploads_dir(app.instance_path) / "5"
    folder.mkdir(parents=True)
    (folder / "kept.webp").write_bytes(b"kept")
    (folder / "gone.webp").write_bytes(b"gone")
    real_write = zipfile.ZipFile.write

    def delete_first(self, filename, arcname=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(filename).endswith("gone.webp"):
            Path(filename).unlink()  # a new photo replaced it just now
        return real_write(self, filename, arcname, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", delete_first)
    archive = tmp_path / "school.zip"
    summary = write_backup(archive)
    assert (summary.files, summary.vanished) == (1, 1)
    assert set(contents(archive)) >= {"uploads/5/kept.webp"}
    assert "uploads/5/gone.webp" not in contents(archive)


def test_restored_pictures_get_the_usual_folder_mode(app, school, second_app, inside,
                                                     tmp_path):
    picture = uploads_dir(app.instance_path) / "3" / "photo.webp"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"photo")
    archive = tmp_path / "school.zip"
    write_backup(archive)
    with inside(second_app):
        restore_backup(archive)
        mode = uploads_dir(second_app.instance_path).stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o777 & ~umask
