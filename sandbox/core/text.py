"""Text folding for search: the same key for "Société", "societe" and "SOCIÉTÉ"."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, accents removed, spaces tidied: a search key that any database can compare."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())
