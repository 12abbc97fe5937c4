"""Text folding for search: the same key for "Société", "societe" and "SOCIÉTÉ"."""

from __future__ import annotations

import unicodedata


# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o",
                            "ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lowercase, accents removed, spaces tidied: a search key that any database can compare."""
    text = text or ""
    if text.isascii():  # nothing to decompose (most messages, every search key)
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    combining = unicodedata.combining
    stripped = "".join([char for char in decomposed if not combining(char)])
    return " ".join(stripped.casefold().split())
