"""Respect: insults (also disguised), generalisations about a group, accusations of a person.

The word lists are data (sandbox/charter/lexicons/*.yaml), read once per process. Texts are
folded once (folding.py) and the three checks share it. Insults are whole words of the folded
text: the built-in lists (insults.py) and the words the class charter forbids (here).
Generalisations (groups.py) and accusations (persons.py) are patterns of the folded text: a
group of people and a generalising predicate, or a designated person and an accusation, in the
same sentence. The engine reaches the three checks here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.folding import WordList, fold, load_lexicon, tokens
from sandbox.charter.engine.groups import (DISCRIMINATION_FIX, DISCRIMINATION_MESSAGE,
                                           find_discrimination)
from sandbox.charter.engine.insults import (LANGUAGES, Taken, add_entry, insult_spans,
                                            longest_first)
from sandbox.charter.engine.persons import DEFAMATION_FIX, DEFAMATION_MESSAGE, find_defamation

__all__ = [
    "DEFAMATION_FIX",
    "DEFAMATION_MESSAGE",
    "DISCRIMINATION_FIX",
    "DISCRIMINATION_MESSAGE",
    "FORBIDDEN_FIX",
    "FORBIDDEN_MESSAGE",
    "INSULT_FIX",
    "INSULT_MESSAGE",
    "LANGUAGES",
    "find_defamation",
    "find_discrimination",
    "find_insults",
    "insult_spans",
    "load_lexicon",
]

INSULT_MESSAGE = _l("Insults are never acceptable here, even as a joke.")
INSULT_FIX = _l("Remove this word; say what you disagree with, politely.")
FORBIDDEN_MESSAGE = _l("Your class charter forbids this word.")
FORBIDDEN_FIX = _l("Remove this word or say it another way.")


@lru_cache(maxsize=64)
def _forbidden_list(entries: tuple[str, ...]) -> WordList:
    words: set[str] = set()
    phrases: list[str] = []
    for entry in entries:
        add_entry(entry, words, phrases, plural=3)
    return WordList(frozenset(words), tuple(phrases))


def find_insults(text: str, context: CheckContext) -> Iterable[Hit]:
    """Insults and slurs, also disguised, and the words the class charter forbids."""
    spans = insult_spans(text, context.lang)
    hits = [Hit(Category.INSULT, start, end, INSULT_MESSAGE, INSULT_FIX) for start, end in spans]
    if context.forbidden_words:
        wordlist = _forbidden_list(tuple(context.forbidden_words))
        folded, toks = fold(text), tokens(text)
        taken = Taken(spans)
        for match in longest_first(wordlist.find(toks, folded.text)):
            span = folded.original(toks[match.first].start, toks[match.last].end)
            if not taken.overlaps(span):
                hits.append(Hit(Category.INSULT, *span, FORBIDDEN_MESSAGE, FORBIDDEN_FIX))
    return hits
