"""Numbers in words, French and English (with the Belgian and Swiss tens), read into digits.

A phone number read aloud ("zéro six douze trente-quatre …", "oh seven seven double oh …"),
mixed with digits or not, is cut into runs of number tokens, and each run into pieces the way
people say phone numbers: "soixante-dix-huit" is 78, "double six" 66. Whether the digits make a
phone number is for phones.py to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


def _numbers(*spellings: str, first: int = 0, step: int = 1) -> dict[str, int]:
    return {word: first + step * index
            for index, words in enumerate(spellings) for word in words.split()}


_UNITS = _numbers("zéro zero oh o nought", "un une one", "deux two", "trois three",
                  "quatre four", "cinq five", "six", "sept seven", "huit eight", "neuf nine")
_TEENS = _numbers("dix ten", "onze eleven", "douze twelve", "treize thirteen",
                  "quatorze fourteen", "quinze fifteen", "seize sixteen", "seventeen",
                  "eighteen", "nineteen", first=10)
_TENS = _numbers("vingt twenty", "trente thirty", "quarante forty fourty", "cinquante fifty",
                 "soixante sixty", "septante seventy", "huitante octante eighty",
                 "nonante ninety", first=20, step=10)
_JOINERS = {"et", "plus", "double", "triple", "vingts"}
_NUMBER_WORDS = set(_UNITS) | set(_TEENS) | set(_TENS)
_NUMERIC_WORDS = frozenset(_NUMBER_WORDS | _JOINERS)
_TOKEN = re.compile(r"\+|\d+|[^\W\d_]+")
_GAP = re.compile(r"[\s,.\-–/()]*")


@dataclass(frozen=True, slots=True)
class Piece:
    digits: str
    start: int
    end: int
    spelled: bool
    value: int


def number_runs(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """Runs of four or more number tokens (lower-cased, with offsets) joined by spaces or
    punctuation only, at least one of them a word."""
    if not _may_spell_a_number(text):
        return
    run: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        numeric = word.isdigit() or word == "+" or word in _NUMERIC_WORDS
        joined = bool(run) and _GAP.fullmatch(text, run[-1][2], match.start()) is not None
        if numeric and (joined or not run):
            run.append((word, match.start(), match.end()))
            continue
        if len(run) >= 4:
            yield run
        run = [(word, match.start(), match.end())] if numeric else []
    if len(run) >= 4:
        yield run


def _may_spell_a_number(text: str) -> bool:
    """Cheap test first (most posts): four number tokens in a row, one of them a word."""
    streak = words = 0
    for token in _TOKEN.findall(text.lower()):
        if token in _NUMBER_WORDS:
            streak, words = streak + 1, words + 1
        elif token.isdigit() or token in _JOINERS or token == "+":
            streak += 1
        else:
            streak = words = 0
        if streak >= 4 and words:
            return True
    return False


def read_pieces(run: list[tuple[str, int, int]]) -> list[Piece]:
    """Read the words as people say phone numbers: 'soixante-dix-huit' is 78, 'double six' 66."""
    found: list[Piece] = []
    words = [word for word, _, _ in run]
    index = 0
    while index < len(run):
        word, start, _ = run[index]
        value, used = _value(words, index)
        if value is None:
            index += 1
            continue
        digits = value if isinstance(value, str) else str(value)
        number = int(digits) if digits.isdigit() else -1
        spelled = not word.isdigit() and word != "+"
        found.append(Piece(digits, start, run[index + used - 1][2], spelled, number))
        index += used
    return found


def _value(words: list[str], index: int) -> tuple[int | str | None, int]:
    """The number the words at `index` say, and how many words it takes."""
    word = words[index]
    after = words[index + 1] if index + 1 < len(words) else ""
    then = words[index + 2] if index + 2 < len(words) else ""
    if word.isdigit():
        return word, 1
    if word in ("+", "plus"):
        return "+", 1
    if word in ("double", "triple") and after in _UNITS:
        return str(_UNITS[after]) * (2 if word == "double" else 3), 2
    if word == "quatre" and after in ("vingt", "vingts"):
        rest, used = _french_units_after(80, then, words[index + 3:index + 4])
        return rest, 2 + used
    if word in _TENS:
        tens = _TENS[word]
        if after == "et" and then in ("un", "une", "onze"):
            return tens + (1 if then != "onze" else 11), 3
        if word == "soixante":
            rest, used = _french_units_after(60, after, words[index + 2:index + 3])
            return rest, 1 + used
        if after in _UNITS and _UNITS[after] > 0 and after not in ("o", "oh"):
            return tens + _UNITS[after], 2
        return tens, 1
    if word == "dix" and after in ("sept", "huit", "neuf"):
        return 10 + _UNITS[after], 2
    if word in _TEENS:
        return _TEENS[word], 1
    if word in _UNITS:
        return _UNITS[word], 1
    return None, 1


def _french_units_after(base: int, word: str, then: list[str]) -> tuple[int, int]:
    """'soixante' / 'quatre-vingt' followed by a unit (1-9) or a teen ('dix-huit', 'onze')."""
    if word == "dix" and then and then[0] in ("sept", "huit", "neuf"):
        return base + 10 + _UNITS[then[0]], 2
    if word in _TEENS and _TEENS[word] <= 16:
        return base + _TEENS[word], 1
    if word in _UNITS and 0 < _UNITS[word] and word not in ("o", "oh"):
        return base + _UNITS[word], 1
    return base, 0
