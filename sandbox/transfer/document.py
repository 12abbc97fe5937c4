"""The class document as text: written deterministically, read with every problem named.

Written as UTF-8 JSON, keys sorted, indented, every list in a stable order: the same class gives
the same bytes, so an export can be compared with the export of its import.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError

from sandbox.transfer.references import TransferError
from sandbox.transfer.schema import ClassDocument

FORMAT = "tremplin-class"
VERSION = 2
# Version 1 (before offers, applications, reviews and exercises) is still read.
READABLE_VERSIONS = (1, VERSION)
SHOWN_PROBLEMS = 5  # a broken file may have thousands; the first few say what is wrong


def dump_document(document: dict[str, Any]) -> str:
    """The document as text; the same document always gives the same text."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def canonical(record: Any) -> str:
    """A compact, key-sorted form of a record, to order records by their whole content."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


Row = tuple[dict[str, Any], int]  # a record of the document, and the id of its database row


def sort_rows(rows: Iterable[Row], *fields: str) -> list[Row]:
    """Records sorted by `fields` (None first), then by their whole content.

    The database id only separates records identical in everything; the import writes records
    in the document's order, so their ids keep that order and a new export sorts them the same.
    """

    def sort_key(row: Row) -> tuple[Any, ...]:
        record, row_id = row
        values = tuple((record[name] is not None, "" if record[name] is None else record[name])
                       for name in fields)
        return values, canonical(record), row_id

    return sorted(rows, key=sort_key)


def in_order(rows: Iterable[Row], *fields: str) -> list[dict[str, Any]]:
    """The records of `sort_rows`, without their ids."""
    return [record for record, _row_id in sort_rows(rows, *fields)]


def stamp(value: datetime | date | None) -> str | None:
    """A date or a naive UTC datetime as ISO 8601 (microseconds kept when there are some)."""
    return value.isoformat() if value is not None else None


def encode_picture(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data is not None else None


def decode_picture(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise TransferError(_("A picture in the document is damaged.")) from None


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON does not have (and PostgreSQL refuses).
    raise TransferError(_("The document contains %(constant)s, which is not a number in JSON.",
                          constant=name))


def _finite(text: str) -> float:
    # 1e999 is JSON, but becomes infinity, which a database column or PostgreSQL's JSON refuses.
    number = float(text)
    if not math.isfinite(number):
        raise TransferError(_("The document contains the number %(number)s, which is too large.",
                              number=text[:40]))
    return number


def from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 document as version 2: nothing of what version 2 added, and the default
    time compression its classes had."""
    upgraded = {"world": {"companies": [], "offers": [], "personas": []}, "offers": [],
                "applications": [], "saved_offers": [], "reviews": [], "exercises": [],
                **data, "version": VERSION}
    if isinstance(data.get("class"), dict):
        upgraded["class"] = {"persona_time_compression": 60, **data["class"]}
    return upgraded


def read_document(raw: bytes) -> ClassDocument:
    """Parse and check a document; TransferError says what is wrong with it."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant,
                          parse_float=_finite)
    except UnicodeDecodeError:
        raise TransferError(_("This file is not UTF-8 text: it is not a class document."))
    except json.JSONDecodeError as error:
        raise TransferError(_("This file is not valid JSON (line %(line)d, column %(column)d).",
                              line=error.lineno, column=error.colno)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(_("This file is not a Tremplin class document (its “format” is "
                              "not “%(format)s”).", format=FORMAT))
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise TransferError(_("This class document has version %(version)s; this Tremplin "
                              "reads versions %(first)d to %(supported)d only.",
                              version=json.dumps(version), first=READABLE_VERSIONS[0],
                              supported=VERSION))
    if version == 1:
        data = from_version_1(data)
    try:
        return ClassDocument.model_validate(data)
    except ValidationError as error:
        problems = [
            "{}: {}".format(".".join(str(part) for part in item["loc"]) or "/", item["msg"])
            for item in error.errors(include_url=False)[:SHOWN_PROBLEMS]
        ]
        raise TransferError(
            _("This class document is not valid: %(problems)s", problems="; ".join(problems))
        ) from None
