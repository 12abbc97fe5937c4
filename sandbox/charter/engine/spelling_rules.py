"""A few grammar rules of our own, where no dictionary helps: English mix-ups that hunspell
cannot see ("their going", "could of"), a lower-case "i", and a word typed twice.

Each rule is narrow on purpose (precision comes first): it names a mistake a careful writer
never makes, so a correct sentence cannot trip it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, Hit

MIX_UP = _l("Mix-up: this word sounds like the right one but is written differently.")
CONJUGATION = _l("Conjugation: check that the verb agrees with its subject.")
CAPITAL_I = _l("Spelling: “I” is always written as a capital letter.")
REPEATED = _l("Repeated word: you typed this word twice.")
KEEP_ONE = _l("Keep only one.")


def did_you_mean(words: str, like: str = "") -> str:
    """"Did you mean: …?", the suggestion capitalised like the word it replaces."""
    if like[:1].isupper():
        words = words[:1].upper() + words[1:]
    return _l("Did you mean: %(words)s?", words=words)


# (pattern, group to underline, message, the right word for the match)
_Rule = tuple[re.Pattern[str], int, str, Callable[[re.Match[str]], str]]

_AUX = r"(?<!\bdid )(?<!\bdoes )(?<!\bdo )(?<!\bwill )(?<!\bwould )(?<!\bcould )" \
       r"(?<!\bshould )(?<!\bcan )(?<!\bmay )(?<!\bmight )(?<!\bmust )(?<!\blet )" \
       r"(?<!\bmake )(?<!\bmade )(?<!\bhelp )(?<!\bhelped )(?<!\bsee )(?<!\bsaw )" \
       r"(?<!\bhear )(?<!\bwatch )(?<!\bhas )(?<!\bhad )(?<!\bhave )"


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Each pattern leaves out what a correct sentence could hold: "your doing" ("it was your
# doing"), "their working conditions", "its going rate", "if it gets better then we go".
_NOT_GLUED = r"(?![\w\-])"
_ENGLISH: tuple[_Rule, ...] = (
    (_r(r"\b(?:could|would|should|must|might) (of)\b"), 1, MIX_UP, lambda m: "have"),
    (_r(r"\b(their) (?:is|are|was|were)\b"), 1, MIX_UP, lambda m: "there"),
    (_r(r"\b(their) (?:going|trying|looking)" + _NOT_GLUED), 1, MIX_UP, lambda m: "they're"),
    (_r(r"\b(your) (?:going|trying|looking|not)" + _NOT_GLUED), 1, MIX_UP,
     lambda m: "you're"),
    (_r(r"\b(its) (?:a|an|the|been|not|really)" + _NOT_GLUED), 1, MIX_UP, lambda m: "it's"),
    (_r(r"\b(?:more|less|better|worse|bigger|smaller|higher|lower|greater|faster|older|younger"
        r"|easier|harder) (then) (?:ever|expected|usual|before|anyone|anything)\b"), 1, MIX_UP,
     lambda m: "than"),
    (_r(r"\b(then) ever\b"), 1, MIX_UP, lambda m: "than"),
    (_r(_AUX + r"\b(?:he|she|it) (have|are|don't|do not)\b"), 1, CONJUGATION,
     lambda m: {"have": "has", "are": "is"}.get(m.group(1).lower(), "doesn't")),
    (_r(_AUX + r"\b(?:they|we|you) (was)\b"), 1, CONJUGATION, lambda m: "were"),
    (re.compile(r"\bI (is|are|has|does)\b"), 1, CONJUGATION,
     lambda m: {"is": "am", "are": "am", "has": "have"}.get(m.group(1), "do")),
    (re.compile(r"(?<![\w'’.\-])(i)(?=(?:['’](?:m|ve|ll|d)\b)|\s+[a-z])"), 1, CAPITAL_I,
     lambda m: "I"),
)

_REPEATABLE = {
    "en": "the|a|an|to|of|and|for|with|at|my",
    "fr": "le|la|les|de|des|du|un|une|et|à|pour|avec|dans|sur|mon|ma|mes",
}
# Lower case only: "De De Gaulle" is no slip.
_REPEATED = {lang: re.compile(rf"\b({words})\s+(\1)\b")
             for lang, words in _REPEATABLE.items()}


def english_grammar(text: str) -> list[Hit]:
    """Mix-ups and agreements of English no dictionary sees, and words typed twice."""
    hits = []
    for pattern, group, message, fix in _ENGLISH:
        for match in pattern.finditer(text):
            hits.append(Hit(Category.SPELLING, match.start(group), match.end(group), message,
                            did_you_mean(fix(match), like=match.group(group))))
    return hits + repeated_words(text, "en")


def repeated_words(text: str, lang: str) -> list[Hit]:
    """"the the", "de de": a small word typed twice in a row."""
    return [Hit(Category.SPELLING, m.start(2), m.end(2), REPEATED, KEEP_ONE)
            for m in _REPEATED[lang].finditer(text)]
