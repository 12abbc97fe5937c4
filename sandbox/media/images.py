"""Pictures people upload (avatars, banners, post images): checked, cleaned, stored.

Nothing from an upload is trusted or kept as is: the type comes from decoding, never from the file
name or the declared MIME type, and the stored file is re-encoded from pixel data alone, so no EXIF
(GPS position of a student's home), XMP, ICC profile or text comment can ever leak through.
"""

from __future__ import annotations

import enum
import io
import os
import secrets
import warnings
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from sandbox.core.errors import ServiceError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
WEBP_QUALITY = 82
WEBP_METHOD = 4  # libwebp's speed/size balance: 6 is barely smaller and several times slower
BACKGROUND = (255, 255, 255)  # transparency is flattened on white, like the pages it shows on


class ImageKind(enum.StrEnum):
    """Where a picture is shown, which decides its final shape."""

    AVATAR = "avatar"
    BANNER = "banner"
    POST = "post"


# Final size: exact for avatars and banners (centre crop), a bounding box for posts.
OUTPUT_SIZE: dict[ImageKind, tuple[int, int]] = {
    ImageKind.AVATAR: (400, 400),
    ImageKind.BANNER: (1500, 500),
    ImageKind.POST: (1600, 1600),
}
MINIMUM_SIZE: dict[ImageKind, tuple[int, int]] = {
    ImageKind.AVATAR: (200, 200),
    ImageKind.BANNER: (600, 200),
    ImageKind.POST: (200, 200),
}


class ImageRejected(ServiceError):
    """The upload cannot be used as a picture; the message tells the person why."""

    def __init__(self, message: str, field: str | None = "image") -> None:
        super().__init__(message, field=field)


def _not_a_picture() -> ImageRejected:
    return ImageRejected(_l("This file is not a JPEG, PNG or WebP picture."))


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(_l("The picture has too many pixels: take a smaller one."))


def process_image(raw: bytes, kind: ImageKind) -> bytes:
    """Check an upload and return it as a clean WebP of the shape `kind` needs.

    Raises ImageRejected for anything that is not a still JPEG, PNG or WebP of a sensible size.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageRejected(
            _l("The picture is too large: %(size)d MB at most.", size=MAX_UPLOAD_BYTES // 2**20)
        )
    # Scoped, not global: Image.MAX_IMAGE_PIXELS stays as it is for the rest of the process.
    # Pillow's other warnings are about metadata, which is thrown away anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = _decode(raw, kind)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            # Unknown formats (UnidentifiedImageError is an OSError), truncated or corrupt data.
            raise _not_a_picture() from error
    return _encode_webp(_reshape(_flatten_to_rgb(picture), kind))


def _decode(raw: bytes, kind: ImageKind) -> Image.Image:
    """Open, check what the header says, then load the pixels the right way up."""
    image = Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS)
    if image.format not in ACCEPTED_FORMATS and image.format != "MPO":
        raise _not_a_picture()
    # MPO is a camera JPEG carrying extra views (3D, depth); its first picture is the photo.
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise ImageRejected(_l("Animated pictures cannot be used here."))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    # JPEGs can be decoded at 1/2, 1/4 or 1/8 scale directly, sparing the memory of a full
    # 40-megapixel photo; the result stays at least as big as the output in both directions.
    side = max(OUTPUT_SIZE[kind])
    image.draft(None, (side, side))
    image.load()
    image = ImageOps.exif_transpose(image)  # a phone photo held upright stays upright
    min_width, min_height = MINIMUM_SIZE[kind]
    if image.width < min_width or image.height < min_height:
        raise ImageRejected(
            _l(
                "The picture is too small: at least %(width)d × %(height)d pixels.",
                width=min_width,
                height=min_height,
            )
        )
    return image


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """Plain RGB: transparent parts on white, 16-bit greys scaled rather than clipped to white."""
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _reshape(image: Image.Image, kind: ImageKind) -> Image.Image:
    """Centre crop to the exact size for avatars and banners; fit, never enlarge, for posts."""
    box = OUTPUT_SIZE[kind]
    if kind is not ImageKind.POST:
        return ImageOps.fit(image, box, method=Image.Resampling.LANCZOS)
    scale = min(1.0, box[0] / image.width, box[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS)


def _encode_webp(image: Image.Image) -> bytes:
    """Re-encode from pixel data alone: a fresh image has no `info` to carry metadata along."""
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    output = io.BytesIO()
    clean.save(output, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return output.getvalue()


def uploads_dir(instance_path: Path) -> Path:
    """The one folder every uploaded file lives under."""
    return Path(instance_path) / "uploads"


def store_image(instance_path: Path, owner_id: int, kind: ImageKind, data: bytes) -> str:
    """Write processed bytes under uploads/<owner>/ and return their path relative to uploads/.

    The name is random so that it cannot be guessed and a new picture never hits a cached old one.
    The bytes go to a temporary file first, then `os.replace`: a crash leaves no half picture.
    """
    if isinstance(owner_id, bool) or not isinstance(owner_id, int) or owner_id < 0:
        raise ValueError(f"owner_id must be a non-negative integer, not {owner_id!r}")
    folder = uploads_dir(instance_path) / str(owner_id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{ImageKind(kind).value}-{secrets.token_hex(8)}.webp"
    temporary = folder / f".{name}.tmp"
    # os.open rather than tempfile: the mode follows the umask like any other file written here.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return f"{owner_id}/{name}"


def delete_image(instance_path: Path, relative_path: str | None) -> None:
    """Remove a stored picture if it is still there; refuse any path leading out of uploads/."""
    if not relative_path:
        return
    parts = PurePosixPath(relative_path)
    if "\\" in relative_path or parts.is_absolute() or ".." in parts.parts:
        raise ValueError(f"not a path inside the uploads folder: {relative_path!r}")
    base = uploads_dir(instance_path).resolve()
    target = (base / parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise ValueError(f"not a path inside the uploads folder: {relative_path!r}")
    if target.is_dir():
        raise ValueError(f"not a picture: {relative_path!r}")
    target.unlink(missing_ok=True)
