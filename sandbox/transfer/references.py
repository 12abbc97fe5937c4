"""Stable keys in place of database ids, both ways.

Exporting, each object the document holds gets a key (`ExportKeys`); a reference to an object the
document does not hold becomes None. Importing, each key gets the id of the row just written
(`ImportIds`); a key nobody wrote makes the document invalid.

Activity events and audit entries keep ids inside their free-form `data` ("post_id",
"recipient_id"…): `DATA_REFERENCES` says what each such name refers to, so those are
translated too. A document holds keys only: a number where a key belongs would be an id of some
row of the new database, so the import refuses it.

The fictional world every server loads from its seed (companies, their seeded offers, the
personas) is referred to by slug or username: exporting, `ExportKeys.world` knows them all and
notes those the document uses; importing, the ones this server has are added as keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask_babel import gettext as _


class TransferError(Exception):
    """The class cannot be exported or imported; the message says why, for the person."""


# What a moderation case, a finding or an audit entry is about (every ContentKind), as the type
# of the row.
CONTENT_TYPES = {
    "post": "Post",
    "comment": "Comment",
    "message": "Message",
    "invitation": "Invitation",
    "introduction": "Introduction",
    "profile": "User",  # a profile's id is its owner's
    "recommendation": "Recommendation",
    "group": "Group",
    "application": "Application",
    "review": "CompanyReview",
}

# Names of ids inside events' and audit entries' data, and the type of row each refers to.
DATA_REFERENCES = {
    "application_id": "Application",
    "company_id": "Company",
    "exercise_id": "Exercise",
    "offer_id": "JobOffer",
    "persona_id": "Persona",  # a persona of the world (see ExportKeys.world)
    "post_id": "Post",
    "original_id": "Post",
    "comment_id": "Comment",
    "parent_id": "Comment",
    "message_id": "Message",
    "conversation_id": "Conversation",
    "invitation_id": "Invitation",
    "case_id": "ModerationCase",
    "group_id": "Group",
    "class_id": "SchoolClass",
    "author_id": "User",
    "contact_id": "User",
    "introduced_id": "User",
    "other_id": "User",
    "owner_id": "User",
    "person_id": "User",
    "played_by": "User",
    "recipient_id": "User",
    "sender_id": "User",
    "student_id": "User",
    "user_id": "User",
}

CLASS_KEY = "class"
_GONE = re.compile(r"^gone-([1-9][0-9]{0,8})$")


def gone_key(number: int) -> str:
    """The key of the n-th text a moderation case is about that the document does not hold."""
    return f"gone-{number}"


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ExportKeys:
    """Database ids to keys, for the objects of the document and the world it refers to."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, int], str] = {}
        # The school's companies, seeded offers and personas: type -> id -> slug or username.
        self.world: dict[str, dict[int, str]] = {}
        # Those the document refers to (its `world` part): type -> slugs or usernames.
        self.used: dict[str, set[str]] = {}

    def add(self, type_name: str, row_id: int, key: str) -> str:
        self._keys[(type_name, row_id)] = key
        return key

    def ids(self, type_name: str) -> set[int]:
        """The ids of the rows of this type that the document holds."""
        return {row_id for (name, row_id) in self._keys if name == type_name}

    def key(self, type_name: str | None, row_id: int | None, *,
            world: bool = True) -> str | None:
        """The key of a row, None when it is not in the document (or there is no row).

        A row of the world is one, and noted as used, unless `world` is False.
        """
        if type_name is None or row_id is None:
            return None
        found = self._keys.get((type_name, row_id))
        if found is None and world:
            found = self.world.get(type_name, {}).get(row_id)
            if found is not None:
                self.used.setdefault(type_name, set()).add(found)
        return found

    def content(self, kind: str | None, row_id: int | None) -> str | None:
        return self.key(CONTENT_TYPES.get(kind or ""), row_id)

    def data(self, data: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """`data` with its ids as keys, and how many pointed outside the document (now None).

        A reference that is not an id of a known type (a content of an unknown kind) is emptied
        too: the document never carries a number where a key belongs.
        """
        translated = dict(data)
        lost = 0
        for name, value in data.items():
            if not _is_reference(name) or value is None:
                continue
            type_name = _data_type(name, data)
            key = self.key(type_name, value) if _is_id(value) else None
            translated[name] = key
            lost += key is None
        return translated, lost


class ImportIds:
    """Keys to the ids of the rows the import wrote."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int] = {}

    def add(self, type_name: str, key: str, row_id: int) -> None:
        if (type_name, key) in self._ids:
            raise TransferError(_("The key “%(key)s” is used twice.", key=key))
        self._ids[(type_name, key)] = row_id

    def id(self, type_name: str, key: str) -> int:
        """The id written for `key`; a key that names nothing makes the document invalid.

        "gone-N" stands for a text outside the document: it becomes -N, an id no row has, so
        the case, its findings and its audit entries still share it.
        """
        found = self._ids.get((type_name, key))
        if found is not None:
            return found
        gone = _GONE.match(key)
        if gone is not None and type_name in CONTENT_TYPES.values():
            return -int(gone.group(1))
        raise TransferError(_("The document refers to “%(key)s”, which it does not contain.",
                              key=key))

    def optional(self, type_name: str | None, key: str | None) -> int | None:
        if type_name is None or key is None:
            return None
        return self.id(type_name, key)

    def content(self, kind: str | None, key: str | None) -> int | None:
        return self.optional(CONTENT_TYPES.get(kind or ""), key)

    def data(self, data: dict[str, Any]) -> dict[str, Any]:
        """`data` with its keys as the new ids.

        Anything else where a reference belongs (a number, above all: it would point at some
        row of this database, of another class) makes the document invalid.
        """
        translated = dict(data)
        for name, value in data.items():
            if not _is_reference(name) or value is None:
                continue
            type_name = _data_type(name, data)
            if type_name is None or not isinstance(value, str):
                shown = json.dumps(value, ensure_ascii=False)
                raise TransferError(_(
                    "The document gives %(value)s as “%(name)s” in the data of an event or an "
                    "audit entry, where only a key of the document is allowed.",
                    value=shown if len(shown) <= 40 else shown[:39] + "…", name=name))
            translated[name] = self.id(type_name, value)
        return translated


def _is_reference(name: str) -> bool:
    return name == "content_id" or name in DATA_REFERENCES


def _data_type(name: str, data: dict[str, Any]) -> str | None:
    if name == "content_id":
        return CONTENT_TYPES.get(str(data.get("content_kind") or ""))
    return DATA_REFERENCES.get(name)
