"""Defamation: accusations against a designated person (a tutor, "M. Dupont", an @handle…).

The rules are data (sandbox/charter/lexicons/defamation.yaml), read once per process: patterns
of the folded text (folding.py), a designated person and an accusation in the same sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.folding import (END, SP, START, alternation, fold, fold_word,
                                            load_lexicon, patterns, previous_words, tokens,
                                            word_set)
from sandbox.charter.engine.insults import LANGUAGES, Taken, insult_spans

DEFAMATION_MESSAGE = _l(
    "Accusing a designated person in public can be defamation, even if you believe it is true."
)
DEFAMATION_FIX = _l("Talk to your teacher or use a direct message; don't accuse anyone in public.")

# An accusation and the person it designates must be in the same sentence, this close.
_MAX_GAP = 80
_TERMINATOR = re.compile(r"[.!?;\n…]")


@dataclass(frozen=True)
class _PersonRules:
    designations: re.Pattern[str]
    titles: re.Pattern[str]
    accusations: re.Pattern[str]
    fiction: frozenset[str]
    self: frozenset[str]
    clause: frozenset[str]
    pronouns: frozenset[str]


_OBJECT = r"(?:(?:me|te|nous|vous|le|la|les|lui|leur|se)[ \t]+|(?:m|t|l|s)')?"
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][\w.\-]*[A-Za-z0-9_]")
_NAME = r"[A-ZÀ-ÖØ-ÞŒ][\w'’\-]*"


@cache
def _person_rules(lang: str) -> _PersonRules:
    data = load_lexicon("defamation").get(lang) or {}
    dets = [str(det) for det in data.get("determiners") or ()]
    det = "|".join([f"(?:{alternation(d for d in dets if not d.endswith(chr(39)))}){SP}",
                    *(re.escape(d) for d in dets if d.endswith("'"))])
    designations = (rf"{START}(?:{det})(?:{alternation(data.get('roles'))}){END}"
                    rf"|{START}(?:ce|cet|cette|this|that){SP}"
                    rf"(?:{alternation(data.get('people'))}){END}")
    titles = "|".join(re.escape(t) + (r"[ \t]*" if t.endswith(".") else r"\.?[ \t]+")
                      for t in map(str, data.get("titles") or ()))
    copulas = [str(c) for c in data.get("copulas") or ()]
    # "'s" and ", un" follow a word directly: no word boundary before them.
    copula = "|".join([f"{START}(?:{alternation(c for c in copulas if c[0].isalnum())})",
                       alternation(c for c in copulas if not c[0].isalnum())])
    fillers = rf"(?:{SP}(?:{alternation(data.get('fillers'))})){{0,3}}"
    verbs = patterns(data.get("accusations"))
    prefix = _OBJECT if lang == "fr" else ""
    accusations = (rf"(?P<verb>{START}{prefix}(?:{verbs}){END})"
                   rf"|(?:{copula}){fillers}{SP}(?:{alternation(data.get('accused_as'))}){END}"
                   r"(?![ \t]+(?:de[ \t]|d'|of[ \t]))")
    return _PersonRules(
        designations=re.compile(designations),
        titles=re.compile(rf"(?<!\w)(?:{titles}){_NAME}"),
        accusations=re.compile(accusations),
        fiction=word_set(data.get("fiction")),
        self=word_set(data.get("self")),
        clause=word_set(data.get("clause")),
        pronouns=word_set(data.get("pronouns")),
    )


@cache
def _first_names() -> frozenset[str]:
    return frozenset(fold_word(name) for name in load_lexicon("defamation").get("first_names")
                     or ())


def _designated(text: str, folded_text: str, index: list[int] | None) -> list[tuple[int, int]]:
    """Where `text` designates a person, in folded offsets."""
    def to_folded(position: int) -> int:
        return position if index is None else bisect.bisect_left(index, position)

    spans = []
    for lang in LANGUAGES:
        rules = _person_rules(lang)
        spans.extend(match.span() for match in rules.designations.finditer(folded_text))
        spans.extend((to_folded(m.start()), to_folded(m.end()))
                     for m in rules.titles.finditer(text))
    spans.extend((to_folded(m.start()), to_folded(m.end())) for m in _HANDLE.finditer(text))
    names = _first_names()
    folded = fold(text)
    for token in tokens(text):
        if token.word in names:
            start = folded.original(token.start, token.end)[0]
            if text[start].isupper():
                spans.append((token.start, token.end))
    return spans


def _in_story(folded_text: str, start: int, end: int, fiction: frozenset[str]) -> bool:
    before = _TERMINATOR.split(folded_text[max(0, start - 200):start])[-1]
    after = _TERMINATOR.split(folded_text[end:end + 200])[0]
    words = re.findall(r"[^\W_]+", before + " " + folded_text[start:end] + " " + after)
    return not fiction.isdisjoint(words)


def _accused(designations: list[tuple[int, int]], match: re.Match[str], folded_text: str,
             rules: _PersonRules) -> tuple[int, int] | None:
    """The designated person an accusation is about: the nearest in its sentence.

    A verb accuses its subject, so the person must come before it, and not in another clause
    ("mon tuteur m'a dit qu'un client avait volé").
    """
    start, end = match.span()
    verb = match.group("verb") is not None
    best, distance = None, _MAX_GAP + 1
    # Designations are sorted: look only at those that start near enough (a long text may
    # have thousands of them).
    low = bisect.bisect_left(designations, (start - _MAX_GAP - 200, 0))
    high = bisect.bisect_right(designations, (end + _MAX_GAP + 1, 0))
    for d_start, d_end in designations[low:high]:
        gap = (d_end, start) if d_end <= start else (end, d_start) if end <= d_start else None
        if gap is None or (verb and gap[0] != d_end):
            continue
        between = folded_text[gap[0]:gap[1]]
        if len(between) >= distance or _TERMINATOR.search(between):
            continue
        if verb:
            words = re.findall(r"[^\W_]+", between)
            if not rules.clause.isdisjoint(words) and rules.pronouns.isdisjoint(words):
                continue
        best, distance = (d_start, d_end), len(between)
    return best


def find_defamation(text: str, context: CheckContext) -> Iterable[Hit]:
    """Accusations against a designated person (a tutor, "M. Dupont", an @handle…)."""
    folded = fold(text)
    designations = sorted(_designated(text, folded.text, folded.index))
    if not designations:
        return []
    insults = Taken(insult_spans(text, context.lang))
    found = Taken()
    for lang in LANGUAGES:
        rules = _person_rules(lang)
        for match in rules.accusations.finditer(folded.text):
            start, end = match.span()
            if not rules.self.isdisjoint(previous_words(folded.text, start, 3)):
                continue
            person = _accused(designations, match, folded.text, rules)
            if person is None or _in_story(folded.text, start, end, rules.fiction):
                continue
            span = folded.original(min(start, person[0]), max(end, person[1]))
            for narrower in (folded.original(start, end), folded.original(*person)):
                if insults.overlaps(span):  # keep the insult and this finding apart
                    span = narrower
            if not found.overlaps(span):
                found.add(span)
    return [Hit(Category.DEFAMATION, start, end, DEFAMATION_MESSAGE, DEFAMATION_FIX)
            for start, end in found.spans]
