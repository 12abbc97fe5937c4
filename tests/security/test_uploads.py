"""Uploads: files that are two things at once, or too big, never reach another browser as such."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from sandbox.extensions import db

SCRIPT = b"<script>alert(document.cookie)</script>"


def _png(colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (420, 420), colour).save(out, "PNG")
    return out.getvalue()


def _jpeg_with_html_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (420, 420), (200, 40, 40)).save(out, "JPEG", comment=SCRIPT)
    return out.getvalue()


def _upload(client, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post("/profile/pictures/avatar",
                       data={"avatar-image": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("payload, name", [
    (_png() + SCRIPT, "photo.png"),                        # HTML after the image's end
    (_jpeg_with_html_comment(), "photo.jpg"),              # HTML in a JPEG comment
    (_png() + b"PK\x03\x04" + b"\x00" * 60, "photo.png"),  # an archive glued on (GIFAR-like)
])
def test_a_picture_carrying_something_else_is_re_encoded_without_it(app, client_as, school,
                                                                     payload, name):
    student = school["student"]
    assert _upload(client_as(student), payload, name).status_code == 302
    db.session.refresh(student.profile)
    stored = Path(app.instance_path) / "uploads" / student.profile.photo_path
    content = stored.read_bytes()
    assert SCRIPT not in content and b"PK\x03\x04" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "WEBP"
    served = client_as(school["classmate"]).get(
        f"/pictures/{student.id}/{student.profile.photo_path.rsplit('/', 1)[-1]}")
    served.close()
    assert served.mimetype == "image/webp"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("payload, name", [
    (b"<html><body>" + SCRIPT + b"</body></html>", "photo.png"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.svg"),
    (b"GIF89a/*" + b"\x00" * 20 + b"*/=alert(1);", "photo.gif"),
    (b"%PDF-1.4\n" + SCRIPT, "photo.jpg"),
])
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(app, client_as, school,
                                                                        payload, name):
    student = school["student"]
    response = _upload(client_as(student), payload, name)
    assert response.status_code == 200
    assert "field__error" in response.get_data(as_text=True)
    db.session.refresh(student.profile)
    assert student.profile.photo_path is None
    folder = Path(app.instance_path) / "uploads" / str(student.id)
    assert not folder.exists() or not any(folder.iterdir())


def test_a_body_over_the_limit_is_refused_before_it_is_read(app, client_as, school):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart(
        {"body": "Bonjour", "image": FileStorage(io.BytesIO(b"\xff\xd8" + b"0" * (10 * 2**20)),
                                                 filename="huge.jpg")})
    response = client_as(school["student"]).post(
        "/posts/", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "volumineu" in response.get_data(as_text=True)  # explained, in French
