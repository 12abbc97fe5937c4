"""Words: reading a text as words, and the lexicons of the style checks (sms.yaml, register.yaml).

`read` cuts a text into words once for both style checks (style.py): lower-cased, accents
removed, one character for one, so a word's offsets are those of the original text; URLs,
e-mail addresses, @mentions and #hashtags are kept as words with no text (`norm` ""), so that
they are never flagged. `load` reads a lexicon (lexicons/sms.yaml, lexicons/register.yaml;
the format is at the head of sms.yaml) once per process, its words folded the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"


# --- reading a text as words -------------------------------------------------------------------

def _fold_table() -> dict[str, str]:
    """Lower case and no accent, one character for one (so offsets never move)."""
    table = {"’": "'", "ʼ": "'", "‘": "'"}
    for code in range(0xC0, 0x250):
        lower = chr(code).lower()
        if len(lower) == 1:
            table[chr(code)] = unicodedata.normalize("NFD", lower)[0]
    return table


_FOLD = _fold_table()
_FOLDED = re.compile("[" + "".join(sorted(_FOLD)) + "]")
_TOKEN = re.compile(r"(?P<skip>(?:https?://|www\.)\S+|[@#]\w[\w.-]*)|[\w@](?:[\w@+&/'-]*[\w+])?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BOUNDARY = re.compile(r"[.!?…\n]|[\u2600-\u27bf\U0001f000-\U0001faff]")


def fold(text: str) -> str:
    """`text` lower-cased, without accents, with straight apostrophes: same length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: go one by one
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    if lowered.isascii():
        return lowered
    return _FOLDED.sub(lambda match: _FOLD[match.group()], lowered)


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    norm: str  # folded; "" for a URL, an e-mail address, an @mention or a #hashtag
    gap: str  # before it: "" (spaces), "|" (sentence boundary), ",", ":" or "~" (other)


def _gap(between: str) -> str:
    if between == " ":
        return ""
    if _BOUNDARY.search(between):
        return "|"
    if not between.strip():
        return ""
    if "," in between or ";" in between:
        return ","
    return ":" if ":" in between else "~"


@lru_cache(maxsize=32)
def read(text: str) -> tuple[str, tuple[Word, ...], str]:
    """The folded text, its words, and the gap after the last word (cached: both style
    checks read the same text)."""
    folded = fold(text)
    found: list[Word] = []
    position = 0
    emails = [match.span() for match in _EMAIL.finditer(folded)] if "@" in folded else []
    email = 0
    for match in _TOKEN.finditer(folded):
        start, end = match.span()
        if not found:
            gap = "|"
        elif start == position + 1 and text[position] == " ":
            gap = ""
        else:
            gap = _gap(text[position:start])
        norm = "" if match.lastgroup == "skip" else match.group()
        while email < len(emails) and emails[email][1] <= start:
            email += 1
        if email < len(emails) and emails[email][0] <= start:
            norm = ""  # a piece of an e-mail address: the e-mail check's business
        found.append(Word(start, end, norm, gap))
        position = end
    return folded, tuple(found), _gap(text[position:]) or "|"


# --- lexicons ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    seq: tuple[frozenset[str], ...]
    full: str | None
    kind: str
    case: str
    lang: str | None
    after: frozenset[str] | None
    before: frozenset[str] | None
    not_after: frozenset[str]
    not_before: frozenset[str]
    either: bool


@dataclass(frozen=True)
class Lexicon:
    index: Mapping[str, tuple[Entry, ...]]
    allowed: frozenset[str]
    doubled: frozenset[str]


def _words_of(items: Any) -> frozenset[str]:
    items = items if isinstance(items, list) else [items]
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ValueError(f"lexicon word {item!r}: quote it (YAML reads yes/no/on as booleans)")
    return frozenset(fold(str(item)) for item in items)


def _entry(raw: dict[str, Any], lang: str) -> Entry:
    def optional(key: str) -> frozenset[str] | None:
        return _words_of(raw[key]) if key in raw else None

    seq = raw.get("seq", [raw.get("words")])
    return Entry(
        seq=tuple(_words_of(item) for item in seq),
        full=raw.get("full"),
        kind=raw.get("kind", "word"),
        case=raw.get("case", "any"),
        lang=lang if raw.get("only") else None,
        after=optional("after"),
        before=optional("before"),
        not_after=optional("not_after") or frozenset(),
        not_before=optional("not_before") or frozenset(),
        either=bool(raw.get("either")),
    )


@cache
def load(name: str) -> Lexicon:
    """The lexicon `name` ("sms" or "register"), read once per process."""
    data = yaml.safe_load((LEXICONS / f"{name}.yaml").read_text(encoding="utf-8"))
    index: dict[str, list[Entry]] = {}
    for lang in ("fr", "en"):
        for raw in data.get(lang) or []:
            entry = _entry(raw, lang)
            for key in entry.seq[0]:
                index.setdefault(key, []).append(entry)
    # The longest run first: "g1 id" before "g1", "y'a pas" before "y'a".
    return Lexicon(
        index={key: tuple(sorted(entries, key=lambda entry: -len(entry.seq)))
               for key, entries in index.items()},
        allowed=_words_of(data.get("allowed", [])),
        doubled=_words_of(data.get("doubled", [])),
    )
