"""Spelling and grammar: Grammalecte for French, hunspell dictionaries for English.

Precision comes first: a student who wrote a correct sentence must not be told it is wrong.
So the check never reports a word with a capital (a name, a company, an acronym, the first
word of a sentence), with a digit, an @mention, a #hashtag, a URL or an e-mail address, a
word of the allowlists (lexicons/spelling.yaml, the class's SMS allowlist), nor a run of words
of the other language ("open to work" in a French post). Grammalecte's typography rules are off
(see dictionaries.py): only spelling and grammar mistakes remain.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

from sandbox.charter.engine import dictionaries, spelling_rules
from sandbox.charter.engine.base import Category, CheckContext, Hit

LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "spelling.yaml"
# Grammalecte reads about 60 characters a millisecond: past this, a text is longer than any
# form of the app takes and only its spelling is checked.
GRAMMAR_LIMIT = 6000
# Suggestions cost a few milliseconds a word: the first few misspelled words get them, and
# the slower, thorough kind (Grammalecte's phonetic search) only the first two. Words of three
# letters or less get none: they are abbreviations or SMS, and "slt" -> "sot" helps nobody.
SUGGESTED_WORDS = 5
THOROUGH_WORDS = 2
SUGGESTED_LENGTH = 4
MAX_WORD = 40
# A text with more mistakes than this needs rewriting, not a longer list.
MAX_HITS = 100

SPELLING = _l("Spelling: this word looks misspelled.")
NO_SUGGESTION = _l("Check this word in a dictionary.")
CAPITAL = _l("Capital letter: a name (a person, a town, a country) starts with a capital.")
GRAMMAR = {
    "gn": _l("Agreement: check the gender and number of this word."),
    "conj": spelling_rules.CONJUGATION,
    "ppas": _l("Past participle: check its agreement."),
    "infi": _l("Verb form: check the tense, the mood or the infinitive."),
    "vmode": _l("Verb form: check the tense, the mood or the infinitive."),
    "imp": _l("Verb form: check the tense, the mood or the infinitive."),
    "inte": _l("Verb form: check the tense, the mood or the infinitive."),
    "conf": spelling_rules.MIX_UP,
    "loc": _l("Expression: this phrase is not written this way."),
}
GRAMMAR_DEFAULT = _l("Grammar: check this agreement or construction.")

# Each pattern starts only where a run starts (lookbehinds, no bare \b): "a-a-a-…" or
# "aaaa…" of 100 kB must not be tried from every position.
# Latin letters only: a word in another script is no matter for a French or English dictionary.
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ\u0300-\u036f]+(?:['’\-][A-Za-zÀ-ÖØ-öø-ÿŒœ\u0300-"
                         r"\u036f]+)*")
_ENGLISH_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+"                               # URLs
    r"|(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"          # e-mail addresses
    r"|[@#][\w.\-]*\w"                                       # @mentions, #hashtags
    r"|(?<![\w.\-])[\w\-]+(?:\.[\w\-]+)*\.(?:fr|com|org|net|io|eu|uk|be|ch|ca|de|es|it"
    r"|ly|co|info|biz|app|dev|me|tv|us|gouv|edu|pdf|docx?|xlsx?|pptx?|jpe?g|png)\b(?:/\S*)?",
    re.IGNORECASE,
)
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^a-zà-ÿ])|\n+")
_ACCENTED = re.compile(r"[à-öø-ÿœ]", re.IGNORECASE)
# Grammalecte says "la relation client" is a wrong agreement: these nouns are appositions.
# Its agreement rules between the first words of a sentence without a determiner ("gn_start_")
# misread headlines and job titles ("Responsable achats", "Future assistante export"): off.
_APPOSITIONS = frozenset({"client", "clients", "fournisseur", "fournisseurs", "clé", "clés",
                          "phare", "phares", "cible", "pilote", "type", "standard", "premium",
                          "bio", "express", "minute", "nature", "culte", "terminale", "bac",
                          "pro"})


def is_available(lang: str) -> bool:
    """Whether a spelling checker is installed for `lang` ("fr" or "en")."""
    if lang == "en":
        return dictionaries.english() is not None
    return dictionaries.french() is not None


def find_spelling(text: str, context: CheckContext) -> Iterable[Hit]:
    """Misspelled words and grammar mistakes of `text`, in the language of `context`."""
    if context.lang == "en":
        english = dictionaries.english()
        if english is None:
            return ()
        words = [(m.start(), m.end(), m.group()) for m in _ENGLISH_TOKEN.finditer(text)]
        french = dictionaries.french()
        # Our rules first: "i'm" is better told to take a capital than to be looked up.
        hits = spelling_rules.english_grammar(text)
        hits += _spelling(text, words, _english_knows(english), english.suggest,
                          _french_knows(french) if french else None, "en", context)
    else:
        french = dictionaries.french()
        if french is None:
            return ()
        english = dictionaries.english()
        hits = _spelling(text, french.words(text), _french_knows(french), french.suggest,
                         _english_knows(english) if english else None, "fr", context)
        hits += _french_grammar(text, french, hits)
        hits += spelling_rules.repeated_words(text, "fr")
    return _first_of_overlapping(hits)


def _spelling(text: str, words: Sequence[tuple[int, int, str]], knows: Callable[[str], bool],
              suggest: Callable[[str, bool], tuple[str, ...]],
              other_knows: Callable[[str], bool] | None, lang: str,
              context: CheckContext) -> list[Hit]:
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    allowed = _allowlist(lang)
    unknown = [
        (index, start, end) for index, (start, end, word) in enumerate(words)
        if _checkable(word) and not _allowed(word, allowed, context.sms_allowlist)
        and not _inside(start, end, protected) and not knows(_nfc(word))
    ]
    if not unknown:
        return []
    foreign = _foreign_words(text, words, knows, other_knows, lang) if other_knows else set()
    hits: list[Hit] = []
    for index, start, end in unknown:
        if index in foreign:
            continue
        word = _nfc(text[start:end])
        capitalised = word[:1].upper() + word[1:]
        if knows(capitalised):  # "lyon", "hugo": a name typed without its capital
            hits.append(Hit(Category.SPELLING, start, end, CAPITAL, _did_you_mean([capitalised])))
            continue
        suggestions = suggest(word, len(hits) < THOROUGH_WORDS) \
            if len(hits) < SUGGESTED_WORDS and len(word) >= SUGGESTED_LENGTH else ()
        hits.append(Hit(Category.SPELLING, start, end, SPELLING, _did_you_mean(suggestions)))
    return hits


def _allowed(word: str, *allowlists: frozenset[str]) -> bool:
    word = word.lower().replace("’", "'")
    return any(word in allowlist for allowlist in allowlists)


def _checkable(word: str) -> bool:
    """Lower-case words in Latin letters: no name, acronym, first word, number or symbol;
    nor a string too long to be a word ("anticonstitutionnellement" has 25 letters)."""
    return (1 < len(word) <= MAX_WORD and word.lower() == word
            and _LATIN_WORD.fullmatch(word) is not None and not word.startswith(("-", "'", "’")))


def _foreign_words(text: str, words: Sequence[tuple[int, int, str]],
                   knows: Callable[[str], bool], other_knows: Callable[[str], bool],
                   lang: str) -> set[int]:
    """Indexes of the words that belong to the other language and not to this one.

    A run of words of the other language with two this language does not know ("supply
    chain", "stage de fin d'études") is a quotation, not a mistake; so is, in English, a French
    word with accents, and in French an English word ("coworking", "workflow"), unless it is a
    French word with its accents missing ("une experience client": "expérience").
    """
    excused: set[int] = set()
    run: list[int] = []
    strangers = 0

    def close() -> None:
        if strangers >= 2:
            excused.update(run)

    previous_end = None
    for index, (start, end, word) in enumerate(words):
        glued = previous_end is not None and text[previous_end:start].strip(" -\u00a0") == ""
        if not glued:
            close()
            run, strangers = [], 0
        previous_end = end
        plain = _nfc(word)
        if not _LATIN_WORD.fullmatch(word) or not other_knows(plain):
            close()
            run, strangers = [], 0
            continue
        run.append(index)
        own = knows(plain)
        strangers += 0 if own else word.count("-") + 1  # "click-and-collect" is three
        if lang == "en" and not own and _ACCENTED.search(word):
            excused.add(index)
        if lang == "fr" and not own and not _missing_accents(plain, knows):
            excused.add(index)
    close()
    return excused


_ACCENTS = {"a": "àâ", "e": "éèêë", "i": "îï", "o": "ô", "u": "ùûü", "c": "ç"}


def _missing_accents(word: str, knows: Callable[[str], bool]) -> bool:
    """Whether `word` with one or two accents added is a word ("experience", "reference")."""
    if len(word) > 20:
        return False
    places = [i for i, letter in enumerate(word) if letter in _ACCENTS]
    once = [word[:i] + accented + word[i + 1:] for i in places for accented in _ACCENTS[word[i]]]
    if any(knows(variant) for variant in once):
        return True
    twice = (variant[:j] + accented + variant[j + 1:] for variant in once for j in places
             if variant[j] in _ACCENTS for accented in _ACCENTS[variant[j]])
    return any(knows(variant) for variant in twice)


def _french_grammar(text: str, french: dictionaries.French, spelled: list[Hit]) -> list[Hit]:
    """Grammalecte's grammar mistakes, sentence by sentence (each cached)."""
    protected = sorted([m.span() for m in _PROTECTED.finditer(text[:GRAMMAR_LIMIT])]
                       + [(hit.start, hit.end) for hit in spelled])
    hits = []
    for start, end in _sentences(text[:GRAMMAR_LIMIT]):
        sentence = text[start:end]
        if not 4 < len(sentence.strip()) < 2000:
            continue
        for error in french.grammar(sentence):
            a, b = start + error.start, start + error.end
            excerpt = text[a:b]
            if not 0 <= a < b <= end or _inside(a, b, protected) or excerpt.isupper():
                continue
            if error.kind == "gn" and (excerpt.lower() in _APPOSITIONS
                                       or "gn_start_" in error.rule):
                continue
            hits.append(Hit(Category.SPELLING, a, b, GRAMMAR.get(error.kind, GRAMMAR_DEFAULT),
                            _did_you_mean(error.suggestions) if error.suggestions else None))
    return hits


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _first_of_overlapping(hits: list[Hit]) -> list[Hit]:
    """One hit per stretch of text, the first given winning; at most MAX_HITS, in order."""
    spans: list[tuple[int, int]] = []
    kept: list[Hit] = []
    for hit in hits:
        if not _inside(hit.start, hit.end, spans):
            bisect.insort(spans, (hit.start, hit.end))
            kept.append(hit)
    return sorted(kept, key=lambda hit: hit.start)[:MAX_HITS]


def _did_you_mean(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return NO_SUGGESTION
    return spelling_rules.did_you_mean(", ".join(suggestions))


def _english_knows(english: dictionaries.English) -> Callable[[str], bool]:
    def knows(word: str) -> bool:
        word = word.replace("’", "'")
        if english.knows(word):
            return True
        if word.endswith("'s") and english.knows(word[:-2]):
            return True
        if word.endswith("s'") and english.knows(word[:-1]):
            return True
        parts = [part for part in word.split("-") if part]
        return len(parts) > 1 and all(english.knows(part) for part in parts)

    return knows


def _french_knows(french: dictionaries.French) -> Callable[[str], bool]:
    def knows(word: str) -> bool:
        return french.knows(_ELISION.sub("", word) or word)

    return knows


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, not overlapping each other)."""
    index = bisect.bisect_left(spans, (end,)) - 1
    return index >= 0 and spans[index][1] > start


def _nfc(word: str) -> str:
    return unicodedata.normalize("NFC", word)


@cache
def _allowlist(lang: str) -> frozenset[str]:
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8")) or {}
    words = list(data.get("common", [])) + list(data.get(lang, []))
    return frozenset(str(word).lower().replace("’", "'") for word in words)
