"""Ids hidden in the data of events and audit entries are translated to keys, both ways."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sandbox.moderation.models import ContentKind
from sandbox.transfer.references import (
    CONTENT_TYPES,
    DATA_REFERENCES,
    ExportKeys,
    ImportIds,
    TransferError,
)

PACKAGE = Path(__file__).resolve().parents[2] / "sandbox"
# Parameters of these functions that are not stored in `data`.
EXPLICIT = {
    "record_event": {"subject"},
    "record_audit": {"kind", "content_id", "author", "class_id", "reason"},
}


def _data_names() -> set[tuple[str, str]]:
    """(file, name) of every keyword passed into an event's or audit entry's data."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in EXPLICIT:
                found.update((path.name, keyword.arg) for keyword in node.keywords
                             if keyword.arg and keyword.arg not in EXPLICIT[name])
    return found


def test_every_id_stored_in_event_data_is_translated():
    """A feature that stores an id in an event's data must say here what it refers to, or the
    moved class would keep ids of the old database."""
    names = _data_names()
    assert ("journal.py", "contact_id") in names  # the scan sees the calls
    untranslated = sorted((file, name) for file, name in names
                          if (name.endswith("_id") or name == "played_by")
                          and name not in DATA_REFERENCES and name != "content_id")
    assert untranslated == []


def test_keys_replace_ids_and_come_back_as_new_ids():
    keys = ExportKeys()
    keys.add("User", 7, "lea.martin")
    keys.add("Post", 3, "post-1")
    data = {"post_id": 3, "recipient_id": 99, "content_kind": "post", "content_id": 3,
            "personal": True, "hints": ["generic"]}
    exported, lost = keys.data(data)
    assert exported == {"post_id": "post-1", "recipient_id": None, "content_kind": "post",
                        "content_id": "post-1", "personal": True, "hints": ["generic"]}
    assert lost == 1
    ids = ImportIds()
    ids.add("Post", "post-1", 40)
    assert ids.data(exported) == {**exported, "post_id": 40, "content_id": 40}


def test_a_gone_text_gets_an_id_no_row_has_and_unknown_keys_are_refused():
    ids = ImportIds()
    assert ids.content("invitation", "gone-2") == -2
    with pytest.raises(TransferError):
        ids.id("Post", "post-1")
    with pytest.raises(TransferError):
        ids.id("ContactList", "gone-1")  # only texts a case is about may be gone
    ids.add("Post", "post-1", 1)
    with pytest.raises(TransferError):
        ids.add("Post", "post-1", 2)


def test_every_kind_of_content_has_a_type():
    """A case, finding or audit entry about a new kind of content must keep its link."""
    assert sorted(CONTENT_TYPES) == sorted(kind.value for kind in ContentKind)
    keys = ExportKeys()
    keys.add("Introduction", 4, "introduction-1")
    assert keys.content("introduction", 4) == "introduction-1"
    exported, lost = keys.data({"content_kind": "introduction", "content_id": 4})
    assert (exported["content_id"], lost) == ("introduction-1", 0)


def test_a_reference_that_is_no_id_of_a_known_type_is_not_exported():
    keys = ExportKeys()
    keys.add("User", 7, "lea.martin")
    exported, lost = keys.data({"content_kind": "nothing", "content_id": 3, "user_id": "7",
                                "other_id": None})
    assert exported == {"content_kind": "nothing", "content_id": None, "user_id": None,
                        "other_id": None}
    assert lost == 2


@pytest.mark.parametrize("data", [
    {"recipient_id": 6},
    {"played_by": 1},
    {"content_kind": "post", "content_id": 3},
    {"content_kind": "nothing", "content_id": "post-1"},
    {"content_id": "post-1"},
    {"student_id": 2.0},
    {"user_id": True},
    {"post_id": ["post-1"]},
], ids=["id", "played-by", "content-id", "unknown-kind", "no-kind", "float", "bool", "list"])
def test_an_import_refuses_anything_but_a_key_where_a_reference_belongs(data):
    ids = ImportIds()
    ids.add("Post", "post-1", 40)
    ids.add("User", "lea.martin", 6)
    reference = next(name for name in data if name != "content_kind")
    with pytest.raises(TransferError, match=reference):
        ids.data(data)
    assert ids.data({"recipient_id": "lea.martin", "sender_id": None, "count": 6}) == {
        "recipient_id": 6, "sender_id": None, "count": 6}
