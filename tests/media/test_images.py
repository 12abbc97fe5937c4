"""Uploaded pictures: what is accepted, what comes out, and what never leaks through.

Every picture is made in memory with Pillow, so the tests show exactly what goes in.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from sandbox import create_app
from sandbox.media import images
from sandbox.media.images import (
    MAX_UPLOAD_BYTES,
    ImageKind,
    ImageRejected,
    delete_image,
    process_image,
    store_image,
    uploads_dir,
)

RED = (220, 20, 20)
BLUE = (20, 20, 220)
GREEN = (20, 160, 20)
SECRET_PLACE = "TREMPLIN-SECRET-PLACE"


@pytest.fixture
def english_app(tmp_path: Path) -> Iterator[Flask]:
    """A bare app in English, so that lazy messages can be read as the source text."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.sqlite3'}",
            "BABEL_DEFAULT_LOCALE": "en",
        }
    )
    with app.app_context():
        yield app


def encode(image: Image.Image, format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def halves(size: tuple[int, int], first: tuple[int, int, int], second: tuple[int, int, int],
           *, vertical_split: bool = True) -> Image.Image:
    """Left/right halves (or top/bottom ones) of two colours, to see where the picture went."""
    image = Image.new("RGB", size, first)
    width, height = size
    box = (width // 2, 0, width, height) if vertical_split else (0, height // 2, width, height)
    image.paste(second, box)
    return image


def webp_chunks(data: bytes) -> list[bytes]:
    """The RIFF chunk names of a WebP file: EXIF, XMP and ICCP chunks would carry metadata."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, offset = [], 12
    while offset + 8 <= len(data):
        name, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        names.append(name)
        offset += 8 + size + (size % 2)
    return names


def looks_like(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that only claims its size: enough to test refusals that must happen before decoding."""
    def chunk(name: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(name + body))
        return struct.pack(">I", len(body)) + name + body + checksum

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def phone_photo(size: tuple[int, int], orientation: int, image: Image.Image | None = None) -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS position and orientation, ICC profile, XMP."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)  # tag 0x8825
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.88)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    gps[ExifTags.GPS.GPSMapDatum] = SECRET_PLACE
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>xmp-secret-note</rdf:RDF></x:xmpmeta>'
    picture = image or halves(size, RED, BLUE)
    return encode(picture, "JPEG", quality=95, exif=exif, icc_profile=icc, xmp=xmp)


# --- What comes out ---------------------------------------------------------------------------


def test_phone_photo_comes_out_as_webp_without_any_metadata() -> None:
    source = phone_photo((900, 700), orientation=6)
    opened = Image.open(io.BytesIO(source))
    # The input really carries what must disappear, or the test would prove nothing.
    assert opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSMapDatum] == SECRET_PLACE
    assert {"exif", "icc_profile", "xmp"} <= opened.info.keys()

    output = process_image(source, ImageKind.AVATAR)

    result = Image.open(io.BytesIO(output))
    assert result.format == "WEBP"
    assert result.size == (400, 400)
    assert result.mode == "RGB"
    assert not {"exif", "xmp", "icc_profile"} & result.info.keys()
    assert len(result.getexif()) == 0
    assert set(webp_chunks(output)) <= {b"VP8 ", b"VP8L", b"VP8X"}
    for secret in (SECRET_PLACE.encode(), b"PhoneMaker", b"xmp-secret-note", b"GPS"):
        assert secret not in output


@pytest.mark.parametrize(
    ("kind", "expected_size"), [(ImageKind.POST, (600, 300)), (ImageKind.AVATAR, (400, 400))]
)
def test_rotated_phone_photo_is_stood_up_before_cropping(
    kind: ImageKind, expected_size: tuple[int, int]
) -> None:
    # Stored as a 300×600 portrait, left half red; orientation 6 means "turn 90° clockwise",
    # so it is seen as a 600×300 landscape with the red half on top.
    output = Image.open(io.BytesIO(process_image(phone_photo((300, 600), orientation=6), kind)))

    assert output.size == expected_size
    width, height = output.size
    assert looks_like(output.getpixel((width // 2, height // 4)), RED)
    assert looks_like(output.getpixel((width // 2, 3 * height // 4)), BLUE)


def test_unrotated_photo_keeps_its_layout() -> None:
    output = Image.open(io.BytesIO(process_image(phone_photo((300, 600), 1), ImageKind.POST)))

    assert output.size == (300, 600)
    assert looks_like(output.getpixel((75, 300)), RED)
    assert looks_like(output.getpixel((225, 300)), BLUE)


def test_transparent_png_is_flattened_on_white_and_loses_its_text() -> None:
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))  # transparent *black*: must not show
    image.paste((*GREEN, 255), (200, 0, 400, 400))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "png-secret-note")
    text.add_itxt("Author", "png-secret-author")
    source = encode(image, "PNG", pnginfo=text)
    assert Image.open(io.BytesIO(source)).text["Comment"] == "png-secret-note"

    output = process_image(source, ImageKind.AVATAR)

    result = Image.open(io.BytesIO(output))
    assert result.mode == "RGB"
    assert looks_like(result.getpixel((100, 200)), (255, 255, 255))
    assert looks_like(result.getpixel((300, 200)), GREEN)
    assert b"png-secret" not in output
    assert "Comment" not in result.info and "Author" not in result.info


def test_palette_png_with_a_transparent_colour_is_flattened_on_white() -> None:
    image = halves((300, 300), (0, 0, 0), GREEN).convert("P", palette=Image.Palette.ADAPTIVE)
    black_index = image.getpixel((10, 10))
    source = encode(image, "PNG", transparency=black_index)

    result = Image.open(io.BytesIO(process_image(source, ImageKind.AVATAR)))

    assert looks_like(result.getpixel((100, 200)), (255, 255, 255))
    assert looks_like(result.getpixel((300, 200)), GREEN)


def test_banner_is_a_centred_3_by_1_crop() -> None:
    # Thirds red / green / blue from top to bottom: a centred 3:1 crop keeps only the green.
    image = Image.new("RGB", (1800, 1800), RED)
    image.paste(GREEN, (0, 600, 1800, 1200))
    image.paste(BLUE, (0, 1200, 1800, 1800))

    result = Image.open(io.BytesIO(process_image(encode(image, "JPEG"), ImageKind.BANNER)))

    assert result.size == (1500, 500)
    for point in [(10, 10), (750, 250), (1490, 490)]:
        assert looks_like(result.getpixel(point), GREEN)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((800, 400), (800, 400)),  # never enlarged
        ((3200, 1600), (1600, 800)),
        ((1000, 4000), (400, 1600)),
        ((1600, 1600), (1600, 1600)),
        ((200, 200), (200, 200)),
    ],
)
def test_post_picture_fits_1600_keeping_its_shape(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    output = process_image(encode(halves(size, RED, BLUE), "JPEG"), ImageKind.POST)

    assert Image.open(io.BytesIO(output)).size == expected


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_the_three_accepted_formats(format: str) -> None:
    output = process_image(encode(halves((500, 300), RED, BLUE), format), ImageKind.POST)

    assert Image.open(io.BytesIO(output)).size == (500, 300)


def test_camera_mpo_is_a_still_photo_not_an_animation() -> None:
    # Some cameras and phones add a second view (3D, depth) to a JPEG: the first is the photo.
    source = encode(
        Image.new("RGB", (500, 300), RED), "MPO", save_all=True,
        append_images=[Image.new("RGB", (500, 300), BLUE)],
    )
    assert Image.open(io.BytesIO(source)).n_frames == 2

    result = Image.open(io.BytesIO(process_image(source, ImageKind.POST)))

    assert result.size == (500, 300)
    assert looks_like(result.getpixel((250, 150)), RED)


def test_smallest_accepted_pictures_are_brought_to_size() -> None:
    avatar = process_image(encode(Image.new("RGB", (200, 200), RED), "PNG"), ImageKind.AVATAR)
    banner = process_image(encode(Image.new("RGB", (600, 200), RED), "PNG"), ImageKind.BANNER)

    assert Image.open(io.BytesIO(avatar)).size == (400, 400)
    assert Image.open(io.BytesIO(banner)).size == (1500, 500)


def test_minimum_size_counts_the_picture_as_it_is_seen() -> None:
    # 200×600 as stored, 600×200 once stood up: wide enough for a banner.
    output = process_image(phone_photo((200, 600), orientation=6), ImageKind.BANNER)

    assert Image.open(io.BytesIO(output)).size == (1500, 500)


# --- What is refused --------------------------------------------------------------------------


def truncated_jpeg() -> bytes:
    noise = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))
    data = encode(noise, "JPEG", quality=90)
    return data[: len(data) // 2]


def animated(format: str) -> bytes:
    frames = [Image.new("RGB", (300, 300), colour) for colour in (RED, GREEN, BLUE)]
    return encode(frames[0], format, save_all=True, append_images=frames[1:], duration=100)


REFUSED = {
    "gif": lambda: encode(Image.new("RGB", (300, 300), RED), "GIF"),
    "bmp": lambda: encode(Image.new("RGB", (300, 300), RED), "BMP"),
    "tiff": lambda: encode(Image.new("RGB", (300, 300), RED), "TIFF"),
    "text renamed .jpg": lambda: b"Dear teacher, here is my homework.\n" * 20,
    "svg": lambda: (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
        b'<rect width="400" height="400" fill="red"/></svg>'
    ),
    "truncated jpeg": truncated_jpeg,
    "empty": lambda: b"",
    "animated webp": lambda: animated("WEBP"),
    "animated png": lambda: animated("PNG"),
}


@pytest.mark.parametrize("make", REFUSED.values(), ids=REFUSED.keys())
def test_refused_uploads(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImageRejected) as error:
        process_image(make(), ImageKind.POST)

    assert error.value.field == "image"


def test_messages_in_english(english_app: Flask) -> None:
    cases = {
        REFUSED["gif"](): "This file is not a JPEG, PNG or WebP picture.",
        REFUSED["truncated jpeg"](): "This file is not a JPEG, PNG or WebP picture.",
        REFUSED["animated webp"](): "Animated pictures cannot be used here.",
        REFUSED["animated png"](): "Animated pictures cannot be used here.",
    }
    for data, message in cases.items():
        with pytest.raises(ImageRejected) as error:
            process_image(data, ImageKind.POST)
        assert str(error.value.message) == message


def test_oversized_upload_is_refused_before_decoding(
    english_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversized upload must not reach the decoder")

    monkeypatch.setattr(Image, "open", no_decoding)
    payload = b"\xff\xd8\xff\xe0" + b"\0" * MAX_UPLOAD_BYTES

    with pytest.raises(ImageRejected) as error:
        process_image(payload, ImageKind.POST)

    assert str(error.value.message) == "The picture is too large: 8 MB at most."


def test_too_many_pixels_is_refused_from_the_header(
    english_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = encode(Image.new("1", (10_000, 5_000), 1), "PNG", optimize=True)
    assert len(source) < MAX_UPLOAD_BYTES  # small file, 50 million pixels once decoded

    def no_pixels(*args: object, **kwargs: object) -> None:
        raise AssertionError("pixels must not be loaded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_pixels)
    with pytest.raises(ImageRejected) as error:
        process_image(source, ImageKind.POST)

    assert str(error.value.message) == "The picture has too many pixels: take a smaller one."


@pytest.mark.parametrize(
    "size", [(10_000, 10_000), (20_000, 20_000)], ids=["pillow warning", "pillow error"]
)
def test_decompression_bombs_become_our_refusal(size: tuple[int, int]) -> None:
    limit = Image.MAX_IMAGE_PIXELS

    with pytest.raises(ImageRejected) as error:
        process_image(png_header_only(*size), ImageKind.POST)

    assert "too many pixels" in str(error.value.message)
    assert Image.MAX_IMAGE_PIXELS == limit  # left alone for the rest of the process


def test_pillow_bomb_warning_becomes_our_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whoever lowers Pillow's limit below ours: its warning (not only its error) is a refusal.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)

    with pytest.raises(ImageRejected) as error:
        process_image(encode(Image.new("RGB", (400, 400), RED), "PNG"), ImageKind.POST)

    assert "too many pixels" in str(error.value.message)


@pytest.mark.parametrize(
    ("kind", "size"),
    [
        (ImageKind.AVATAR, (199, 400)),
        (ImageKind.AVATAR, (400, 199)),
        (ImageKind.BANNER, (599, 200)),
        (ImageKind.BANNER, (600, 199)),
        (ImageKind.BANNER, (400, 400)),
        (ImageKind.POST, (150, 150)),
    ],
)
def test_too_small_pictures_are_refused(kind: ImageKind, size: tuple[int, int]) -> None:
    with pytest.raises(ImageRejected) as error:
        process_image(encode(Image.new("RGB", size, RED), "PNG"), kind)

    assert error.value.field == "image"


def test_too_small_message_names_the_minimum(english_app: Flask) -> None:
    with pytest.raises(ImageRejected) as error:
        process_image(encode(Image.new("RGB", (500, 500), RED), "PNG"), ImageKind.BANNER)

    assert str(error.value.message) == "The picture is too small: at least 600 × 200 pixels."


# --- Storing and deleting ---------------------------------------------------------------------


def test_store_image_writes_under_the_owner_folder(tmp_path: Path) -> None:
    data = process_image(encode(Image.new("RGB", (300, 300), RED), "PNG"), ImageKind.AVATAR)

    first = store_image(tmp_path, 12, ImageKind.AVATAR, data)
    second = store_image(tmp_path, 12, ImageKind.AVATAR, data)

    assert re.fullmatch(r"12/avatar-[0-9a-f]{16}\.webp", first)
    assert first != second
    assert uploads_dir(tmp_path) == tmp_path / "uploads"
    assert (tmp_path / "uploads" / first).read_bytes() == data
    # Nothing else is left in the folder: no temporary file.
    assert sorted(p.name for p in (tmp_path / "uploads" / "12").iterdir()) == sorted(
        [first.split("/")[1], second.split("/")[1]]
    )


def test_store_image_leaves_no_half_file_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(images.os, "replace", crash)

    with pytest.raises(OSError, match="disk full"):
        store_image(tmp_path, 7, ImageKind.POST, b"RIFF....WEBP")

    assert list((tmp_path / "uploads" / "7").iterdir()) == []


def test_delete_image_removes_the_file(tmp_path: Path) -> None:
    relative = store_image(tmp_path, 3, ImageKind.BANNER, b"webp bytes")
    stored = tmp_path / "uploads" / relative
    assert stored.is_file()

    delete_image(tmp_path, relative)
    delete_image(tmp_path, relative)  # already gone: nothing to do
    delete_image(tmp_path, None)

    assert not stored.exists()


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "3/../../x", "..", "3\\..\\..\\x", "."])
def test_delete_image_refuses_paths_outside_uploads(tmp_path: Path, path: str) -> None:
    outside = tmp_path / "x"
    outside.write_text("keep me")
    (tmp_path / "uploads").mkdir()

    with pytest.raises(ValueError):
        delete_image(tmp_path, path)

    assert outside.read_text() == "keep me"
