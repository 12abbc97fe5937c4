"""The built-in insult lists, and the sorted spans the three respect checks share.

The lists are data (sandbox/charter/lexicons/insults.yaml), read once per process. Insults are
whole words of the folded text (folding.py), so "con" is never found in "concours" nor "cunt" in
"Scunthorpe"; the few words that are innocent in some contexts ("c'est idiot", "chili con
carne", "l'empire mongol") have rules in the list. `insult_spans` is cached, so the checks of
one text find its insults once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sandbox.charter.engine.folding import (Match, Token, WordList, fold, fold_word, load_lexicon,
                                            tokens)

LANGUAGES = ("fr", "en")
_INTENSIFIERS = frozenset(
    "trop vraiment tellement completement super hyper tres grave peu assez vachement so "
    "really totally completely such very".split()
)


class Taken:
    """Disjoint spans kept sorted, so that a long text with many hits stays fast."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans = sorted(spans)

    def overlaps(self, span: tuple[int, int]) -> bool:
        # The last span starting before `span` ends is the only one that may overlap it.
        index = bisect.bisect_left(self.spans, (span[1], -1))
        return index > 0 and self.spans[index - 1][1] > span[0]

    def add(self, span: tuple[int, int]) -> None:
        bisect.insort(self.spans, span)


@dataclass(frozen=True)
class _Careful:
    lang: str | None
    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    near: frozenset[str]
    proper_noun: bool


def add_entry(entry: Any, words: set[str], phrases: list[str], *, plural: int = 0) -> None:
    folded = fold_word(str(entry))
    if " " in folded:
        phrases.append(folded)
    elif folded:
        words.add(folded)
        if plural and len(folded) >= plural and folded[-1] not in "sxz":
            words.add(folded + "s")


def _cues(entries: Iterable[str] | None) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold_word(entry).split()) for entry in entries or ())


@cache
def _insult_lexicon() -> tuple[WordList, dict[str, _Careful]]:
    data = load_lexicon("insults")
    words: set[str] = set()
    phrases: list[str] = []
    careful: dict[str, _Careful] = {}
    initials: dict[str, str] = {}
    for section in (data.get(lang) or {} for lang in LANGUAGES):
        initials.update({fold_word(k): fold_word(v)
                         for k, v in (section.get("masked_initials") or {}).items()})
        for entry in section.get("words") or ():
            add_entry(entry, words, phrases, plural=4)
        for entry in section.get("phrases") or ():
            add_entry(entry, words, phrases)
        for entry, spec in (section.get("careful") or {}).items():
            rule = _Careful(
                lang=spec.get("lang"),
                before=_cues(spec.get("innocent_before")),
                after=_cues(spec.get("innocent_after")),
                near=frozenset(fold_word(word) for word in spec.get("innocent_near") or ()),
                proper_noun=bool(spec.get("proper_noun")),
            )
            for form in (entry, *(spec.get("forms") or ())):
                careful[fold_word(form)] = rule
    return WordList(frozenset(words | set(careful)), tuple(phrases), initials), careful


def longest_first(matches: Iterable[Match]) -> list[Match]:
    """The longest matches that do not share a token ("fils de pute" rather than "pute")."""
    kept: list[Match] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m.first - m.last, m.first)):
        indexes = range(match.first, match.last + 1)
        if taken.isdisjoint(indexes):
            kept.append(match)
            taken.update(indexes)
    return sorted(kept, key=lambda m: m.first)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start].rstrip()
    return not before or before[-1] in ".!?…:\n\"«“(-—"


def _innocent(rule: _Careful, match: Match, toks: tuple[Token, ...], text: str,
              lang: str) -> bool:
    if rule.lang and rule.lang != lang:
        return True
    before = [t.word for t in toks[max(0, match.first - 6):match.first]
              if t.word not in _INTENSIFIERS][-4:]
    after = [t.word for t in toks[match.last + 1:match.last + 5]]
    if any(len(cue) <= len(before) and tuple(before[-len(cue):]) == cue for cue in rule.before):
        return True
    if any(tuple(after[:len(cue)]) == cue for cue in rule.after):
        return True
    if rule.near and not rule.near.isdisjoint(before + after):
        return True
    if rule.proper_noun:
        start, end = fold(text).original(toks[match.first].start, toks[match.last].end)
        word = text[start:end]
        if word[:1].isupper() and not word.isupper() and not _sentence_start(text, start):
            return True
    return False


@lru_cache(maxsize=8)  # the checks of one text share it; texts may be 100 kB
def insult_spans(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Where the built-in lists find an insult in `text` (original offsets)."""
    wordlist, careful = _insult_lexicon()
    folded, toks = fold(text), tokens(text)
    spans = []
    for match in longest_first(wordlist.find(toks, folded.text)):
        rule = careful.get(match.entry)
        if rule is not None and not match.spelled and _innocent(rule, match, toks, text, lang):
            continue
        spans.append(folded.original(toks[match.first].start, toks[match.last].end))
    return tuple(spans)
