"""Folding text so that disguised words still match: case, accents, invisible characters, leet.

The respect checks compare words, not characters. `fold` turns a text into lower-case letters
without accents or invisible characters, and remembers for each folded character the position
of the original one it came from, so that a finding points at what the author typed.
`tokens` cuts the folded text into words, undoing leetspeak (c0nn@rd, $alope) inside words that
have letters. `WordList` matches those words against a list, also when letters are repeated
(connnnard), masked (f*ck) or spelled one by one (c o n n a r d, c.o.n).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
# In patterns of the folded text: a run of spaces, and the edges of a word.
SP = r"[ \t]+"
START = r"(?<![a-z0-9])"
END = r"(?![a-z0-9])"
_LOOKBEHIND = re.compile(r"(\(\?<[!=][^)]*\))")

_SPECIAL = {
    "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i",
    "’": "'", "‘": "'", "ʼ": "'", "´": "'", "′": "'",
    # Cyrillic and Greek letters drawn like Latin ones: a known way to dodge word filters.
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "α": "a", "ο": "o", "ε": "e", "ι": "i",
    "ν": "v", "ρ": "p", "τ": "t", "κ": "k",
}
_INVISIBLE = frozenset(("Cf", "Mn", "Me"))  # zero-width, direction marks, combining accents
_LEET = str.maketrans("013457@$€!|", "oieastaseii")
_LEET_CHARS = frozenset("013457@$€!|")
_TOKEN = re.compile(r"(?:[^\W_]|[@$€*!|])+")
_EDGE = "@*!|"
_LETTER = re.compile(r"[^\W\d_]")
_TRIPLE = re.compile(r"([a-z])\1\1")
_REPEAT = re.compile(r"([a-z])\1+")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
# Between letters spelled one by one: "c o n", "c.o.n", "c-o-n", "c . o . n".
_SPELL_GAP = re.compile(r"[ \t.\-_/·•,]{1,3}")


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and, unless it is the identity, the original position of each char."""

    text: str
    index: list[int] | None = None

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span a folded span [start, end) came from."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    out = []
    for low in char.lower():
        special = _SPECIAL.get(low)
        if special is not None:
            out.append(special)
            continue
        if unicodedata.category(low) in _INVISIBLE:
            continue
        for part in unicodedata.normalize("NFKD", low):
            if not unicodedata.combining(part) and unicodedata.category(part) != "Cf":
                out.append(_SPECIAL.get(part, part))
    return "".join(out).lower()


@lru_cache(maxsize=8)  # the checks of one text share it; texts may be 100 kB
def fold(text: str) -> Folded:
    """Lower case, no accents, no invisible characters; cached, as three checks share it."""
    if text.isascii():
        return Folded(text.lower())
    parts: list[str] = []
    index: list[int] = []
    for run in _ASCII_RUN.finditer(text):  # most of a French text is ASCII: copy it by runs
        start, end = run.span()
        if end - start > 1 or run.group() < "\x80":
            parts.append(run.group().lower())
            index.extend(range(start, end))
            continue
        folded = _fold_char(run.group())
        if folded:
            parts.append(folded)
            index.extend([start] * len(folded))
    return Folded("".join(parts), index)


def fold_word(text: str) -> str:
    """A list entry folded the way texts are: the words of `text`, lower case, one space."""
    return " ".join(token.word for token in _tokenize(fold(text).text))


class Token(NamedTuple):
    start: int  # in the folded text
    end: int
    word: str  # folded, leetspeak undone, edges stripped
    alt: str | None  # the other reading of 1 and | (l instead of i), when there is one


def _tokenize(folded: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(folded):
        raw = match.group()
        start, end = match.span()
        if raw.isalpha():
            yield Token(start, end, raw, None)
            continue
        stripped = raw.lstrip(_EDGE)
        start += len(raw) - len(stripped)
        word = stripped.rstrip(_EDGE)
        if len(word) <= 2 and stripped.rstrip("@!|").endswith("**"):
            word = stripped.rstrip("@!|")  # "f***": a masked word, not emphasis
        end -= len(stripped) - len(word)
        if not word:
            continue
        alt = None
        if _LETTER.search(word) and not _LEET_CHARS.isdisjoint(word):
            if "1" in word or "|" in word:
                alt = word.replace("1", "l").replace("|", "l").translate(_LEET)
            word = word.translate(_LEET)
        yield Token(start, end, word, alt)


@lru_cache(maxsize=8)  # the checks of one text share it; texts may be 100 kB
def tokens(text: str) -> tuple[Token, ...]:
    """The words of `text` (folded offsets; map them back with `fold(text).original`)."""
    return tuple(_tokenize(fold(text).text))


@dataclass(frozen=True)
class Match:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    entry: str  # the list entry it matched
    spelled: bool = False  # spelled letter by letter: clearly on purpose


@dataclass
class WordList:
    """Whole words and phrases to find in a tokenised text, disguised or not."""

    words: frozenset[str]
    phrases: tuple[str, ...] = ()
    masked_initials: dict[str, str] = field(default_factory=dict)
    _collapsed: dict[str, str] = field(init=False)
    _by_length: dict[int, list[str]] = field(init=False)
    _phrase_re: re.Pattern[str] | None = field(init=False)
    _prefixes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self._prefixes = frozenset(word[:end] for word in self.words
                                   for end in range(1, len(word) + 1))
        self._collapsed = {_REPEAT.sub(r"\1", word): word for word in sorted(self.words)}
        self._by_length = {}
        for word in sorted(self.words):
            self._by_length.setdefault(len(word), []).append(word)
        ordered = sorted(set(self.phrases), key=len, reverse=True)
        self._phrase_re = (
            re.compile("(?<![^ ])(?:" + "|".join(map(re.escape, ordered)) + ")(?![^ ])")
            if ordered else None
        )

    def lookup(self, token: Token) -> str | None:
        """The entry a single token stands for, seeing through repeats, masks and leet."""
        for word in (token.word, token.alt):
            if word is None:
                continue
            if word in self.words:
                return word
            if "*" in word:
                found = self._unmask(word)
                if found:
                    return found
            elif _TRIPLE.search(word):
                found = self._collapsed.get(_REPEAT.sub(r"\1", word))
                if found:
                    return found
        return None

    def _unmask(self, word: str) -> str | None:
        unmasked = word.replace("*", "")
        if unmasked in self.words:  # c*o*n*n*a*r*d
            return unmasked
        letters = len(unmasked)
        if letters == 1 and 3 <= len(word) <= 5:
            return self.masked_initials.get(unmasked)
        if len(word) < 4 or letters < 2 or not word[0].isalpha():
            return None
        pattern = re.compile(re.escape(word).replace(r"\*", "[a-z]"))
        matches = [entry for entry in self._by_length.get(len(word), ())
                   if pattern.fullmatch(entry)]
        return matches[0] if len(matches) == 1 else None

    def find(self, toks: tuple[Token, ...], folded: str) -> list[Match]:
        """Every phrase, word and spelled-out word of the list in the tokens, longest first."""
        resolved = [self.lookup(token) for token in toks]
        found: list[Match] = []
        if self._phrase_re is not None and toks:
            found.extend(self._find_phrases(toks, resolved))
        found.extend(Match(i, i, entry) for i, entry in enumerate(resolved) if entry)
        found.extend(self._find_spelled(toks, folded))
        return found

    def _find_phrases(self, toks: tuple[Token, ...], resolved: list[str | None]
                      ) -> Iterable[Match]:
        starts: list[int] = []
        parts: list[str] = []
        position = 0
        for token, entry in zip(toks, resolved, strict=True):
            starts.append(position)
            word = entry or token.word
            parts.append(word)
            position += len(word) + 1
        line = " ".join(parts)
        assert self._phrase_re is not None
        for match in self._phrase_re.finditer(line):
            first = bisect.bisect_right(starts, match.start()) - 1
            last = bisect.bisect_right(starts, match.end() - 1) - 1
            yield Match(first, last, match.group())

    def _find_spelled(self, toks: tuple[Token, ...], folded: str) -> Iterable[Match]:
        run: list[int] = []
        for i, token in enumerate(toks):
            single = token.end - token.start == 1
            if single and run and _SPELL_GAP.fullmatch(folded, toks[run[-1]].end, token.start):
                run.append(i)
                continue
            yield from self._spelled_in(run, toks)
            run = [i] if single else []
        yield from self._spelled_in(run, toks)

    def _spelled_in(self, run: list[int], toks: tuple[Token, ...]) -> Iterable[Match]:
        if len(run) < 3:
            return
        letters = "".join(toks[i].word.translate(_LEET) for i in run)
        if letters in self.words:
            yield Match(run[0], run[-1], letters, spelled=True)
            return
        # Inside a longer run ("à c o n n a r d"), only words of four letters or more; the
        # longest one starting at each letter, grown while it is the start of a listed word.
        start = 0
        while start <= len(letters) - 4:
            longest = 0
            end = start + 1
            while end <= len(letters) and letters[start:end] in self._prefixes:
                if end - start >= 4 and letters[start:end] in self.words:
                    longest = end - start
                end += 1
            if longest:
                yield Match(run[start], run[start + longest - 1],
                            letters[start:start + longest], spelled=True)
                start += longest
            else:
                start += 1


# --- word lists and patterns written in the lexicons --------------------------------------------

@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The data of lexicons/<name>.yaml, read once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when libyaml is there
    with (LEXICONS / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.load(file, Loader=loader) or {}  # noqa: S506 (a safe loader)


def word_set(entries: Iterable[Any] | None) -> frozenset[str]:
    """Entries folded the way `tokens` folds words, to compare with them."""
    return frozenset(fold_word(str(entry)) for entry in entries or ())


def alternation(entries: Iterable[Any] | None) -> str:
    """A regex alternation of literal entries (words or several words), longest first."""
    folded = {" ".join(fold(str(entry)).text.split()) for entry in entries or ()} - {""}
    ordered = sorted(folded, key=len, reverse=True)
    return "|".join(SP.join(map(re.escape, entry.split())) for entry in ordered) or "(?!)"


def patterns(entries: Iterable[Any] | None, **subs: str) -> str:
    """A regex alternation of lexicon patterns: folded, a space for any run of spaces (but in
    lookbehinds, which need a fixed width), `{name}` replaced by `subs[name]`."""
    out = []
    for entry in entries or ():
        parts = _LOOKBEHIND.split(fold(str(entry)).text)
        pattern = "".join(part if index % 2 else part.replace(" ", SP)
                          for index, part in enumerate(parts))
        for key, value in subs.items():
            pattern = pattern.replace("{" + key + "}", value)
        out.append(f"(?:{pattern})")
    return "|".join(out) or "(?!)"


def previous_words(folded: str, position: int, count: int) -> list[str]:
    """The last `count` words of the folded text before `position`."""
    return re.findall(r"[^\W_]+", folded[max(0, position - 12 * count):position])[-count:]
