"""Discrimination: sentences that generalise about a group of people sharing a protected trait.

The rules are data (sandbox/charter/lexicons/discrimination.yaml), read once per process:
patterns of the folded text (folding.py), a group of people and a generalising predicate in the
same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.folding import (END, SP, START, alternation, fold, fold_word,
                                            load_lexicon, patterns, previous_words)
from sandbox.charter.engine.insults import LANGUAGES, Taken, insult_spans

DISCRIMINATION_MESSAGE = _l(
    "This sentence says something about a whole group of people: it may be discriminating. "
    "Your teacher will read it."
)
DISCRIMINATION_FIX = _l("Speak of the facts or of one person's actions, not of a whole group.")

_SEP = r"[ \t,'-]+"


@dataclass(frozen=True)
class _GroupRules:
    regexes: tuple[re.Pattern[str], ...]
    quantifiers: frozenset[str]


@cache
def _group_rules(lang: str) -> _GroupRules:
    data = load_lexicon("discrimination").get(lang) or {}
    groups = alternation(data.get("groups"))
    weak = alternation(data.get("adjective_groups"))
    every = alternation([*(data.get("groups") or ()), *(data.get("adjective_groups") or ())])
    traits = patterns(data.get("traits"))
    predicates = patterns(data.get("predicates"), traits=traits)
    restrictive = alternation(data.get("restrictive"))
    gap = rf"(?:{_SEP}(?:en general|in general|(?!(?:{restrictive}){END})[^\W_]+)){{0,4}}?"
    short_gap = rf"(?:{_SEP}(?:{alternation(data.get('pronouns'))}){END}){{0,2}}"
    det = rf"(?P<det>(?:{alternation(data.get('determiners'))}){SP})"
    if not data.get("bare_plural"):
        det = f"(?:{det})"
    else:
        det = f"(?:{det})?"
    tail = rf"{_SEP}(?:{{}}){END}"
    sources = [
        rf"(?P<g>{START}{det}(?:{groups}){END}){gap}" + tail.format(predicates),
        rf"(?P<g>{START}{det}(?:{weak}){END}){short_gap}" + tail.format(predicates),
        rf"(?P<g>{START}(?:{alternation(data.get('singular_determiners'))}){SP}"
        rf"(?:{alternation(data.get('singular_groups'))}){END}){short_gap}"
        + tail.format(patterns(data.get("singular_predicates"))),
        # One regex per phrase: sre takes far longer to compile them as one alternation.
        *(rf"(?P<g>{START}(?:{patterns([phrase], groups=every)}){END})"
          for phrase in data.get("phrases") or ()),
    ]
    return _GroupRules(
        regexes=tuple(re.compile(source) for source in sources),
        quantifiers=frozenset(fold_word(word) for word in data.get("quantifiers") or ()),
    )


def find_discrimination(text: str, context: CheckContext) -> Iterable[Hit]:
    """Sentences that generalise about a group of people sharing a protected trait."""
    folded = fold(text)
    insults = Taken(insult_spans(text, context.lang))
    found = Taken()
    for lang in LANGUAGES:  # both: short texts are often detected as French
        rules = _group_rules(lang)
        for regex in rules.regexes:
            for match in regex.finditer(folded.text):
                if "det" in regex.groupindex and match.group("det") is None:
                    previous = previous_words(folded.text, match.start(), 1)
                    if previous and (previous[0] in rules.quantifiers or previous[0].isdigit()):
                        continue
                span = folded.original(*match.span())
                if insults.overlaps(span):  # keep the insult and this finding apart
                    span = folded.original(*match.span("g"))
                if not found.overlaps(span):
                    found.add(span)
    return [Hit(Category.DISCRIMINATION, start, end, DISCRIMINATION_MESSAGE, DISCRIMINATION_FIX)
            for start, end in found.spans]
