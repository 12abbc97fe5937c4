"""Photo and banner uploads through the profile pages: cleaned, stored, shown only to those allowed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from sandbox.extensions import db


def _jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    image = Image.new("RGB", (width, height), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(0x8825)[2] = (45.0, 46.0, 12.0)  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _upload(client, kind: str, data: bytes, name: str = "photo.jpg"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/profile/pictures/{kind}",
        data={f"{kind}-image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _status(client, url: str) -> int:  # type: ignore[no-untyped-def]
    """GET a picture and close the response (a served file stays open until then)."""
    response = client.get(url)
    response.close()
    return response.status_code


def _stored_file(app, relative: str) -> Path:  # type: ignore[no-untyped-def]
    return Path(app.instance_path) / "uploads" / relative


def test_photo_is_cleaned_stored_and_served(app, client_as, school):
    student = school["student"]
    client = client_as(student)
    raw = _jpeg_with_gps()
    assert b"PhoneMaker" in raw
    assert _upload(client, "avatar", raw).status_code == 302
    db.session.refresh(student.profile)
    stored = _stored_file(app, student.profile.photo_path)
    assert stored.is_file()
    content = stored.read_bytes()
    assert b"PhoneMaker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "WEBP" and image.size == (400, 400)
        assert not image.getexif()

    name = student.profile.photo_path.rsplit("/", 1)[-1]
    response = client_as(school["classmate"]).get(f"/pictures/{student.id}/{name}")
    response.close()
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    profile_page = client_as(school["classmate"]).get(f"/people/{student.id}")
    assert f"/pictures/{student.id}/{name}" in profile_page.get_data(as_text=True)


def test_replacing_a_photo_removes_the_old_file(app, client_as, school):
    student = school["student"]
    client = client_as(student)
    _upload(client, "avatar", _jpeg_with_gps())
    db.session.refresh(student.profile)
    first = _stored_file(app, student.profile.photo_path)
    _upload(client, "avatar", _jpeg_with_gps(800, 800))
    db.session.refresh(student.profile)
    assert not first.exists()
    assert _stored_file(app, student.profile.photo_path).is_file()


def test_a_photo_for_the_teacher_only_is_hidden_from_classmates(client_as, school):
    student = school["student"]
    _upload(client_as(student), "avatar", _jpeg_with_gps())
    db.session.refresh(student.profile)
    student.profile.visibility = {"photo": "teacher"}
    db.session.commit()
    name = student.profile.photo_path.rsplit("/", 1)[-1]
    url = f"/pictures/{student.id}/{name}"
    assert _status(client_as(school["classmate"]), url) == 404
    assert _status(client_as(school["other_student"]), url) == 404
    assert _status(client_as(school["teacher"]), url) == 200
    classmate_page = client_as(school["classmate"]).get(f"/people/{student.id}")
    assert name not in classmate_page.get_data(as_text=True)


@pytest.mark.parametrize("payload, name", [
    (b"GIF89a" + b"\x00" * 200, "photo.gif"),
    (b"not a picture at all", "photo.jpg"),
    (b"", "empty.png"),
])
def test_a_bad_file_is_explained_and_nothing_is_stored(app, client_as, school, payload, name):
    student = school["student"]
    response = _upload(client_as(student), "avatar", payload, name)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "field__error" in page
    db.session.refresh(student.profile)
    assert student.profile.photo_path is None
    uploads = Path(app.instance_path) / "uploads" / str(student.id)
    assert not uploads.exists() or not any(uploads.iterdir())


def test_banner_and_removal(app, client_as, school):
    student = school["student"]
    client = client_as(student)
    assert _upload(client, "banner", _jpeg_with_gps(1800, 600)).status_code == 302
    db.session.refresh(student.profile)
    stored = _stored_file(app, student.profile.banner_path)
    with Image.open(stored) as image:
        assert image.size == (1500, 500)
    assert client.post("/profile/pictures/banner/delete").status_code == 302
    db.session.refresh(student.profile)
    assert student.profile.banner_path is None and not stored.exists()


def test_photo_checklist_is_kept_for_the_teacher(client_as, school):
    student = school["student"]
    client_as(student).post("/profile/photo-checklist", data={"bed": "y", "hostile_face": "y"})
    db.session.refresh(student.profile)
    assert student.profile.photo_checklist == {
        "nightclub": False, "bed": True, "holiday": False, "couple_or_pet": False,
        "hostile_face": True,
    }


def test_default_avatar_shows_initials(client_as, school):
    student = school["student"]
    page = client_as(school["classmate"]).get(f"/people/{student.id}").get_data(as_text=True)
    assert f'aria-hidden="true">{student.initials}</span>' in page


def test_a_picture_whose_file_is_gone_is_not_found(app, client_as, school):
    student = school["student"]
    _upload(client_as(student), "avatar", _jpeg_with_gps())
    db.session.refresh(student.profile)
    _stored_file(app, student.profile.photo_path).unlink()
    name = student.profile.photo_path.rsplit("/", 1)[-1]
    assert _status(client_as(school["classmate"]), f"/pictures/{student.id}/{name}") == 404


def test_a_new_photo_asks_the_checklist_again(client_as, school):
    student = school["student"]
    client = client_as(student)
    client.post("/profile/photo-checklist", data={"bed": "y"})
    _upload(client, "avatar", _jpeg_with_gps())
    db.session.refresh(student.profile)
    assert student.profile.photo_checklist == {}


def test_the_teacher_sees_the_checklist_answers(client_as, school):
    student = school["student"]
    client_as(student).post("/profile/photo-checklist", data={"bed": "y"})
    teacher_page = client_as(school["teacher"]).get(f"/people/{student.id}").get_data(as_text=True)
    classmate_page = client_as(school["classmate"]).get(f"/people/{student.id}").get_data(
        as_text=True)
    assert "✔" in teacher_page and "✘" in teacher_page
    assert "✔" not in classmate_page


def test_an_oversized_upload_is_explained_in_the_form(client_as, school):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    payload = b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 10)
    # Encoded in memory: the test client would spool a body this large to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(
        {"avatar-image": FileStorage(io.BytesIO(payload), filename="big.jpg")}
    )
    response = client_as(school["student"]).post(
        "/profile/pictures/avatar", data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 200
    assert "L’image est trop volumineuse : 8 Mo au maximum." in response.get_data(as_text=True)
