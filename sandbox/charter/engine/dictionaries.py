"""The dictionaries behind the spelling check, loaded once per process on first use.

French: Grammalecte (Debian's `python3-grammalecte`), which knows French words and grammar.
English: the hunspell dictionaries of Debian (`hunspell-en-gb`, `hunspell-en-us`) through
chunspell; a word is English when either dictionary knows it.

Loading both takes about 0.4 s and 45 MB, and Grammalecte's first check 0.35 s and 30 MB more
(its rules are compiled): it is done once per process, behind a lock, by the first check that
needs it. Lookups, suggestions and the grammar of each sentence are cached, so re-checking a
text as its author types costs almost nothing. When a package or a dictionary is missing, its
loader answers None and the check says it is off.

Where to look: `GRAMMALECTE_PATH` (the directory holding the `grammalecte` package) and
`HUNSPELL_PATH` (the directory holding en_GB.dic/.aff and en_US.dic/.aff), from the Flask
config or the environment; Debian's places otherwise.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import logging
import os
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

GRAMMALECTE_DIRS = ("/usr/lib/python3/dist-packages", "/usr/share/grammalecte")
HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts")
ENGLISH_DICTIONARIES = ("en_GB", "en_US")

# Grammalecte's options: keep the grammar and spelling families, switch off typography
# (typographic apostrophes, non-breaking spaces, spaces, ligatures, capitals, numbers, units),
# style (pleonasms, repetitions) and OCR. A sentence typed correctly on a phone keyboard, with
# straight apostrophes and plain spaces before ":" or "!", must get nothing.
GRAMMAR_OPTIONS = frozenset({"conf", "loc", "gn", "infi", "conj", "ppas", "imp", "inte", "vmode"})
# Error types (`sType`) reported; anything else Grammalecte might say is dropped.
GRAMMAR_TYPES = GRAMMAR_OPTIONS

_LOCK = threading.Lock()  # loading, and every call into an engine (none claims thread safety)
_UNSET: Any = object()
_french: Any = _UNSET
_english: Any = _UNSET


@dataclass(frozen=True, slots=True)
class GrammarError:
    """A grammar mistake Grammalecte found: offsets in the sentence it was given."""

    start: int
    end: int
    kind: str  # Grammalecte's option: "gn" (agreement), "conj", "conf" (mix-up)...
    rule: str  # Grammalecte's rule id
    suggestions: tuple[str, ...]


def _setting(name: str) -> str | None:
    if has_app_context():
        value = current_app.config.get(name)
        if value:
            return str(value)
    return os.environ.get(name) or None


def _import_grammalecte() -> ModuleType | None:
    """Grammalecte as an ordinary import, else from Debian's directory (our venv's Python is
    not Debian's, so its dist-packages are not on the path)."""
    configured = _setting("GRAMMALECTE_PATH")
    if configured is None:
        try:
            return importlib.import_module("grammalecte")
        except ImportError:
            pass
    for directory in ([configured] if configured else list(GRAMMALECTE_DIRS)):
        spec = importlib.machinery.PathFinder.find_spec("grammalecte", [directory])
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules["grammalecte"] = module  # its submodules import "grammalecte.xxx"
        try:
            spec.loader.exec_module(module)
        except Exception:  # a broken install must not break a page: the check is off
            sys.modules.pop("grammalecte", None)
            log.exception("Grammalecte in %s could not be loaded", directory)
            continue
        return module
    return None


class French:
    """Grammalecte's French dictionary and grammar checker."""

    def __init__(self, module: ModuleType) -> None:
        checker = module.GrammarChecker("fr")
        self._engine = checker.getGCEngine()
        self._speller = checker.getSpellChecker()
        self._tokenizer = self._speller.getTokenizer()
        options = {name: name in GRAMMAR_OPTIONS for name in self._engine.getOptions()}
        self._engine.setOptions(options)
        self.knows = lru_cache(maxsize=65536)(self._knows)
        self.suggest = lru_cache(maxsize=4096)(self._suggest)
        self.grammar = lru_cache(maxsize=4096)(self._grammar)

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of each word, as Grammalecte cuts them ("l'" apart)."""
        with _LOCK:
            tokens = list(self._tokenizer.genTokens(text))
        return [(t["nStart"], t["nEnd"], text[t["nStart"]:t["nEnd"]])
                for t in tokens if t["sType"] == "WORD"]

    def _knows(self, word: str) -> bool:
        with _LOCK:
            return bool(self._speller.isValidToken(word))

    def _suggest(self, word: str, thorough: bool = False) -> tuple[str, ...]:
        # One slip away first ("entrepise" -> "entreprise"); when no single slip explains the
        # word and `thorough` is asked, Grammalecte's own suggestions, phonetic, better for
        # "experiance" -> "expérience" but costing 5 to 30 ms a word.
        found = _known_candidates(word, self._knows, _FRENCH_LETTERS, _FRENCH_VOWELS)
        if not found and thorough:
            with _LOCK:
                found = [s for group in self._speller.suggest(word, 6) for s in group]
        return tuple(dict.fromkeys(s for s in found if s != word))[:3]

    def _grammar(self, sentence: str) -> tuple[GrammarError, ...]:
        with _LOCK:
            try:
                errors = list(self._engine.parse(sentence, "FR"))
            except Exception:  # noqa: BLE001  Grammalecte's own bug on odd input: no grammar
                log.warning("Grammalecte failed on a sentence of %d characters", len(sentence),
                            exc_info=True)
                errors = []
            # The speller remembers the morphology of every word it saw: bound that memory.
            if len(getattr(self._speller, "_dMorphologies", ())) > 100_000:
                self._speller.clearStorage()
        return tuple(
            GrammarError(e["nStart"], e["nEnd"], e["sType"], e.get("sRuleId", ""),
                         tuple(e.get("aSuggestions", ()))[:3])
            for e in sorted(errors, key=lambda e: e["nStart"]) if e.get("sType") in GRAMMAR_TYPES
        )


class English:
    """The British and American hunspell dictionaries: a word either knows is English."""

    def __init__(self, dictionaries: list[Any]) -> None:
        self._dictionaries = dictionaries
        self.knows = lru_cache(maxsize=65536)(self._knows)
        self.suggest = lru_cache(maxsize=4096)(self._suggest)

    def _knows(self, word: str) -> bool:
        with _LOCK:
            return any(d.spell(word) for d in self._dictionaries)

    def _suggest(self, word: str, thorough: bool = False) -> tuple[str, ...]:
        # hunspell's own suggestions take 100-200 ms a word: far over the budget of a check.
        # Single slips (and doubled letters, the commonest) found in the dictionaries cost a
        # few milliseconds and explain most typos.
        return tuple(_known_candidates(word, self._knows, _ENGLISH_LETTERS, "aeiouy"))


_ENGLISH_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_FRENCH_LETTERS = _ENGLISH_LETTERS + "àâäçéèêëîïôöùûüÿœ"
_FRENCH_VOWELS = "aeiouyàâäéèêëîïôöùûü"


def _known_candidates(word: str, knows: Any, letters: str, vowels: str) -> list[str]:
    """Up to three known words one slip away from `word`, likeliest first, cased like it."""
    found: list[str] = []
    if len(word) > 30:  # no word is that long; and the candidates grow with its square
        return found
    for candidate in _candidates(word.lower(), letters, vowels):
        if candidate not in found and knows(candidate):
            found.append(candidate)
            if len(found) == 3:
                break
    if word[:1].isupper():
        found = [f[:1].upper() + f[1:] for f in found]
    return found


def _candidates(word: str, letters: str, vowels: str) -> list[str]:
    """Spellings one slip away from `word`, likeliest slips first."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swapped = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    doubled = [a + b[0] + b for a, b in splits if b]
    undoubled = [a + b[1:] for a, b in splits if a and b and a[-1] == b[0]]
    accents = [a + c + b[1:] for a, b in splits if b for c in letters
               if c != b[0] and _base(c) == _base(b[0])]
    inserted = [a + c + b for a, b in splits for c in letters]
    deleted = [a + b[1:] for a, b in splits if b]
    vowel = [a + c + b[1:] for a, b in splits if b[:1] in vowels for c in vowels]
    replaced = [a + c + b[1:] for a, b in splits if b for c in letters]
    # Two slips in the doubling of letters ("tommorow" for "tomorrow").
    twice = [a + b[0] + b for w in undoubled for a, b in
             ((w[:i], w[i:]) for i in range(len(w))) if b]
    # A forgotten letter is a commoner slip than an extra one: insertions before deletions.
    return (swapped + doubled + undoubled + accents + inserted + deleted + vowel + replaced
            + twice)


@lru_cache(maxsize=256)
def _base(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[:1]


def _load_english() -> English | None:
    try:
        from hunspell import Hunspell  # chunspell
    except ImportError:
        return None
    configured = _setting("HUNSPELL_PATH")
    directories = [configured] if configured else list(HUNSPELL_DIRS)
    dictionaries = []
    for name in ENGLISH_DICTIONARIES:
        for directory in directories:
            if (Path(directory) / f"{name}.dic").is_file() and \
                    (Path(directory) / f"{name}.aff").is_file():
                try:
                    dictionaries.append(Hunspell(name, hunspell_data_dir=directory))
                except Exception:
                    log.exception("hunspell dictionary %s in %s could not be loaded", name,
                                  directory)
                    continue
                break
    return English(dictionaries) if dictionaries else None


def _load_french() -> French | None:
    module = _import_grammalecte()
    if module is None:
        return None
    try:
        return French(module)
    except Exception:
        log.exception("Grammalecte could not start")
        return None


def french() -> French | None:
    """The French checker, loaded on first call; None when Grammalecte is not installed."""
    global _french
    if _french is _UNSET:
        with _LOCK:
            if _french is _UNSET:
                _french = _load_french()
    return _french


def english() -> English | None:
    """The English dictionaries, loaded on first call; None when none is installed."""
    global _english
    if _english is _UNSET:
        with _LOCK:
            if _english is _UNSET:
                _english = _load_english()
    return _english
