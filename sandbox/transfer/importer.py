"""Importing a class document into this database, in one transaction.

Nothing is written unless everything is: the document is checked whole first (shape, then
clashes with what this database already holds), rows are written in the document's order, and
any problem rolls everything back, pictures included.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.media.images import (
    MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    ImageKind,
    delete_image,
    store_image,
)
from sandbox.transfer import (
    import_content,
    import_jobs,
    import_network,
    import_people,
    import_records,
)
from sandbox.transfer.document import decode_picture, read_document
from sandbox.transfer.references import ImportIds, TransferError
from sandbox.transfer.schema import ClassDocument

SHOWN_CLASHES = 10
# A cleaned picture carries none of these (media.images re-encodes from pixels alone).
_METADATA = ("exif", "xmp", "icc_profile")


@dataclass
class ImportContext:
    document: ClassDocument
    instance_path: Path
    class_id: int = 0
    ids: ImportIds = field(default_factory=ImportIds)
    written: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def user(self, username: str) -> int:
        return self.ids.id("User", username)

    def person(self, username: str | None) -> int | None:
        return self.ids.optional("User", username)

    def picture(self, owner_id: int, kind: ImageKind, encoded: str | None) -> str | None:
        """Store a picture of the document; it must be a clean WebP, as uploads leave them."""
        if encoded is None:
            return None
        data = decode_picture(encoded)
        _check_picture(data)
        path = store_image(self.instance_path, owner_id, kind, data)
        self.written.append(path)
        return path


def _check_picture(data: bytes) -> None:
    """Pictures are served to students as they are: refuse anything but a clean WebP.

    Its size is checked from the header, before any pixel is decoded: a small file can say it
    holds billions of pixels (Pillow's decompression bomb warning is an error here, as for
    uploads; uploads never keep more than MAX_PIXELS).
    """
    problem = TransferError(_("A picture in the document is not a clean WebP picture."))
    too_big = TransferError(_("A picture in the document has too many pixels to be opened "
                              "safely."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise problem
    with warnings.catch_warnings():
        # Pillow's other warnings are about metadata, which a clean picture does not have.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=["WEBP"]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise too_big
                image.load()
                if any(name in image.info for name in _METADATA):
                    raise problem
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise problem from None


@dataclass(frozen=True)
class ImportSummary:
    name: str
    join_code: str
    counts: Counter[str]


def _clashes(document: ClassDocument) -> list[str]:
    """What the database already has: usernames, the join code, group slugs."""
    problems = []
    usernames = [person.username for person in document.people]
    taken = db.session.scalars(
        sa.select(User.username).where(User.username.in_(usernames)).order_by(User.username)
    ).all()
    if taken:
        shown = ", ".join(taken[:SHOWN_CLASHES])
        if len(taken) > SHOWN_CLASHES:
            shown = _("%(usernames)s and %(count)d more", usernames=shown,
                      count=len(taken) - SHOWN_CLASHES)
        problems.append(ngettext("%(num)d username of the document is already taken here: "
                                 "%(usernames)s.",
                                 "%(num)d usernames of the document are already taken here: "
                                 "%(usernames)s.", len(taken), usernames=shown))
    code = document.school_class.join_code
    if db.session.scalar(sa.select(SchoolClass.id).where(
            sa.func.upper(SchoolClass.join_code) == code.upper())) is not None:
        problems.append(_("A class here already has the join code %(code)s.", code=code))
    slugs = [group.slug for group in document.groups]
    taken_slugs = db.session.scalars(
        sa.select(Group.slug).where(Group.slug.in_(slugs)).order_by(Group.slug)).all()
    if taken_slugs:
        problems.append(_("Groups here already have these addresses: %(slugs)s.",
                          slugs=", ".join(taken_slugs[:SHOWN_CLASHES])))
    return problems


def _check_people(document: ClassDocument) -> None:
    usernames = Counter(person.username for person in document.people)
    twice = sorted(name for name, count in usernames.items() if count > 1)
    if twice:
        raise TransferError(_("The document has several people called %(usernames)s.",
                              usernames=", ".join(twice)))
    teachers = {person.username for person in document.people if person.role == "teacher"}
    if teachers != set(document.school_class.teachers):
        raise TransferError(_("The class's list of teachers does not match the teachers among "
                              "its people."))


def import_class(raw: bytes) -> ImportSummary:
    """Check, then write the class of the document; TransferError says why nothing was written."""
    document = read_document(raw)
    _check_people(document)
    import_jobs.check_jobs(document)
    world, missing = import_jobs.find_world(document)
    problems = _clashes(document) + missing
    if problems:
        raise TransferError(" ".join(problems))
    context = ImportContext(document=document, instance_path=Path(current_app.instance_path))
    for type_name, found in world.items():
        for key, row_id in found.items():
            context.ids.add(type_name, key, row_id)
    try:
        import_people.write_class_and_people(context)
        import_content.write_groups_and_lists(context)
        import_content.write_posts_and_comments(context)
        import_network.write_network(context)
        import_network.write_conversations(context)
        import_jobs.write_jobs(context)
        import_jobs.write_exercises(context)
        import_records.write_records(context)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        for path in context.written:
            delete_image(context.instance_path, path)
        if isinstance(error, sa.exc.SQLAlchemyError):
            raise TransferError(_("The document does not fit this database: %(error)s",
                                  error=str(getattr(error, "orig", error)))) from None
        raise
    return ImportSummary(name=document.school_class.name,
                         join_code=document.school_class.join_code, counts=context.counts)
