"""Style: SMS language (charter rule 9) and informal register (rule 10), French and English.

Both checks read a text once as words (words.read: lower-cased, accents removed, one character
for one, so a word's offsets are those of the original text; URLs, e-mail addresses, @mentions
and #hashtags left out) and look each word up in their lexicon (words.load: lexicons/sms.yaml,
lexicons/register.yaml), whose entries may ask for a context: the word before or after, the
case, the language (the format is at the head of sms.yaml). A letter alone is never SMS by
itself: "c", "u", "k" need a clause that shows what they stand for ("c trop bien", "see u"),
so "vitamine C" or "Plan B" stay clean.

Choices: a stretched word ("trooop", "soooo", "mdrrr") is SMS style (it is how people text);
three "!" or "?" in a row is register (it is a tone). The class's SMS allowlist is honoured by
both checks, the classic abbreviations of sms.yaml (pdt, rdv, svp...) by the SMS check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.words import Entry, Lexicon, Word, fold, load, read

SMS = _l("SMS language: write the words in full.")
LAUGH = _l("Chat laughter (lol, mdr, haha): say it in words, or leave it out.")
STRETCHED = _l("Repeated letters are for chat: write the word normally.")
CASUAL = _l("Too casual for a professional network: choose a current word.")
NEGATION = _l('In writing, keep the "ne" of the negation.')
NICKNAME = _l('Calling someone "bro" or "frère" is for friends, not for a professional network.')
FILLER = _l("A filler word from speech: it adds nothing in writing.")
SHOUT = _l('Too many "!" or "?": one is enough.')
REMOVE = _l("Remove it.")
USE_NAME = _l("Use the person's name, or leave it out.")


def _write(full: str) -> str:
    return _l('Write "%(full)s".', full=full)


def is_style_word(word: str) -> bool:
    """Whether the style checks know `word` (SMS, slang, a classic abbreviation): the spelling
    check may leave it to them, or to the teacher who switched them off ("slt", "jsp", "pdt")."""
    key = fold(word)
    return key in load("sms").allowed or key in load("sms").index or key in load(
        "register").index


# --- matching words against a lexicon ----------------------------------------------------------

def _has(word: str, options: frozenset[str]) -> bool:
    """Whether a neighbour is in a context list ("#" stands for any number, "l'" for "l'x")."""
    if word in options:
        return True
    if word[:1].isdigit():
        return "#" in options
    quote = word.find("'")
    return quote > 0 and word[:quote + 1] in options


def _case_ok(case: str, written: str, previous: str) -> bool:
    if case == "any":
        return True
    if case == "not_caps":
        return not (written.isupper() and len(written) > 1)
    if written == written.lower():
        return True
    return case == "lower_or_start" and previous == "^" and written == written.capitalize()


def _fits(entry: Entry, tokens: tuple[Word, ...], tail: str, text: str, first: int,
          lang: str) -> int:
    """How many words `entry` covers from `tokens[first]` (0: it does not apply there)."""
    size = len(entry.seq)
    if entry.lang is not None and entry.lang != lang or first + size > len(tokens):
        return 0
    for offset in range(1, size):
        word = tokens[first + offset]
        if word.gap or word.norm not in entry.seq[offset]:
            return 0
    head, last = tokens[first], first + size - 1
    previous = tokens[first - 1].norm if head.gap == "" else ("^" if head.gap == "|" else head.gap)
    gap_after = tokens[last + 1].gap if last + 1 < len(tokens) else tail
    following = tokens[last + 1].norm if gap_after == "" else ("$" if gap_after == "|"
                                                                 else gap_after)
    written = text[head.start:head.end]
    if not _case_ok(entry.case, written, previous):
        return 0
    if len(head.norm) == 1 and _in_abbreviation(text, head):
        return 0
    after_ok = entry.after is None or _has(previous, entry.after)
    before_ok = entry.before is None or _has(following, entry.before)
    if entry.either and entry.after is not None and entry.before is not None:
        fits = after_ok or before_ok
    else:
        fits = after_ok and before_ok
    if not fits or _has(previous, entry.not_after) or _has(following, entry.not_before):
        return 0
    return size


def _in_abbreviation(text: str, word: Word) -> bool:
    """A letter glued to a dot, "&" or a hyphen is part of "U.S.", "R&D", "Y-axis"."""
    after = text[word.end:word.end + 2]
    before = text[max(0, word.start - 2):word.start]
    return (len(after) == 2 and after[0] in ".&-/" and after[1].isalnum()) or (
        len(before) == 2 and before[1] in ".&-/" and before[0].isalnum())


_RUN = re.compile(r"([^\W\d_])\1{2,}", re.IGNORECASE)
_NOT_STRETCHED = re.compile(r"[ivxlcdm]+|w+|a+|x+|z+")


def _keys(word: Word, stretchy: bool) -> tuple[str, ...]:
    """The forms to look up: the word, and a stretched word written normally ("mdrrr")."""
    if not stretchy or not _RUN.search(word.norm):
        return (word.norm,)
    return (word.norm, _RUN.sub(r"\1", word.norm), _RUN.sub(r"\1\1", word.norm))


def _matches(lexicon: Lexicon, text: str, lang: str, allowed: tuple[frozenset[str], ...],
             fallback: Callable[[Word], bool]) -> Iterator[tuple[Entry | None, int, int]]:
    """(entry, first word, last word) for each match; entry None where `fallback` says so."""
    folded, tokens, tail = read(text)
    stretchy = bool(_RUN.search(folded))  # most texts have no stretched word at all
    position = 0
    while position < len(tokens):
        word = tokens[position]
        size, found = 0, None
        if word.norm and not any(word.norm in allow for allow in allowed):
            for key in _keys(word, stretchy):
                for entry in lexicon.index.get(key, ()):
                    size = _fits(entry, tokens, tail, text, position, lang)
                    if size:
                        found = entry
                        break
                if found:
                    break
            if found is None and fallback(word):
                size = 1
        if size:
            yield found, position, position + size - 1
        position += size or 1


# --- the checks --------------------------------------------------------------------------------

_LAUGHTER = re.compile(r"(?:ha|ah|he|eh|hi|ih|ho)+[ah]?|x+d+")
_GLUED_JE = re.compile(r"j[bcdfgklmnpqrstvwxz][a-z]*[aeiouy][a-z]*")
# A French negation without its "ne": subject, object pronouns, one verb, then "pas"...
# "t'" is the subject only before these verbs ("t'inquiète pas" is an imperative: lexicon).
_NEGATION = re.compile(
    r"(?<!\w)(?P<subj>je\s+|j'|tu\s+|il\s+|elle\s+|on\s+|nous\s+|vous\s+|ils\s+|elles\s+|ca\s+"
    r"|cela\s+|c'|t'(?=(?:as|es|etais|avais|auras|aurais|allais|aimes|aimais|arrives|attends"
    r"|habites|ecoutes|entends|oublies|avances|aides|etes)\b))"
    r"(?P<obj>(?:(?:me|te|se|le|la|les|lui|leur|nous|vous|y|en)\s+|[mtsl]'|y')*?)"
    r"(?P<verb>(?!ne\b)[a-z]+)\s+(?P<neg>pas|jamais|rien)\b(?!\s+(?:a\s+pas|mal)\b)"
)
_SHOUTING = re.compile(r"[!?](?:\s?[!?]){2,}")
# "j'" or "t'" before a consonant is speech: "j'sais", "t'vois" ("j'habite", "j'y" are fine).
_SPOKEN_ELISION = re.compile(r"[jt]'[bcdfgjklmnpqrstvwxz]\w*")


def _allow(context: CheckContext) -> frozenset[str]:
    return frozenset(fold(word) for word in context.sms_allowlist)


def find_sms(text: str, context: CheckContext) -> Iterable[Hit]:
    """SMS language: chat abbreviations, letters and digits for words, stretched words."""
    lexicon = load("sms")
    _, tokens, _ = read(text)
    found: list[Hit] = []
    allowed = (lexicon.allowed, _allow(context))
    for entry, first, last in _matches(lexicon, text, context.lang, allowed, _odd_word):
        if entry is None:  # a laugh or a stretched word the lexicon does not know
            found.append(_unknown_sms(text, tokens[first], lexicon))
        else:
            found.append(_lexicon_hit(Category.SMS, entry, text, tokens, first, last))
    return found


def _odd_word(word: Word) -> bool:
    return _laughing(word) or _glued(word) or _stretched(word)


def _glued(word: Word) -> bool:
    """"jpense", "jtrouve": "je" glued to its verb (no French word starts so; "jpeg" is
    allowed in sms.yaml)."""
    return word.norm[:1] == "j" and len(word.norm) > 3 and bool(_GLUED_JE.fullmatch(word.norm))


def _laughing(word: Word) -> bool:
    norm = word.norm
    if "h" in norm:
        return len(norm) >= 4 and norm.count("h") >= 2 and bool(_LAUGHTER.fullmatch(norm))
    return norm[:1] == "x" and bool(_LAUGHTER.fullmatch(norm))


def _stretched(word: Word) -> bool:
    return len(word.norm) > 2 and bool(_RUN.search(word.norm)) and not (
        _NOT_STRETCHED.fullmatch(word.norm))


def _unknown_sms(text: str, word: Word, lexicon: Lexicon) -> Hit:
    if _laughing(word):
        return Hit(Category.SMS, word.start, word.end, LAUGH, REMOVE)
    written = text[word.start:word.end]
    if _glued(word):
        return Hit(Category.SMS, word.start, word.end, SMS, _write("je " + written[1:]))
    twice = _RUN.sub(r"\1\1", written)
    better = twice if fold(twice) in lexicon.doubled else _RUN.sub(r"\1", written)
    return Hit(Category.SMS, word.start, word.end, STRETCHED, _write(better))


def find_register(text: str, context: CheckContext) -> Iterable[Hit]:
    """Informal register: spoken words and forms, nicknames, fillers, "je sais pas", "!!!"."""
    lexicon = load("register")
    folded, tokens, _ = read(text)
    found = list(_negations(text, folded))
    taken = [(hit.start, hit.end) for hit in found]
    for entry, first, last in _matches(lexicon, text, context.lang, (_allow(context),),
                                       _spoken_elision):
        start, end = tokens[first].start, tokens[last].end
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        if entry is None:  # "j'sais", "t'vois"
            written = text[start:end]
            full = ("je " if written[0] in "jJ" else "tu ") + written[2:]
            found.append(Hit(Category.REGISTER, start, end, CASUAL, _write(full)))
        else:
            found.append(_lexicon_hit(Category.REGISTER, entry, text, tokens, first, last))
    for match in _SHOUTING.finditer(text):
        mark = "?" if "?" in match.group() else "!"
        found.append(Hit(Category.REGISTER, match.start(), match.end(), SHOUT, _write(mark)))
    return sorted(found, key=lambda hit: hit.start)


def _spoken_elision(word: Word) -> bool:
    return word.norm[1:2] == "'" and bool(_SPOKEN_ELISION.fullmatch(word.norm))


def _negations(text: str, folded: str) -> Iterator[Hit]:
    for match in _NEGATION.finditer(folded):
        subject = text[match.start("subj"):match.end("subj")].strip()
        full = {"j'": "je", "t'": "tu", "c'": "ce"}.get(subject.lower(), subject)
        if subject[:1].isupper():
            full = full[:1].upper() + full[1:]
        rest = text[match.end("subj"):match.end("neg")]
        ne = "n'" if folded[match.end("subj")] in "aeiouyh" else "ne "
        yield Hit(Category.REGISTER, match.start(), match.end("neg"), NEGATION,
                  _write(f"{full} {ne}{rest}"))


def _lexicon_hit(category: Category, entry: Entry, text: str, tokens: tuple[Word, ...],
                 first: int, last: int) -> Hit:
    start, end = tokens[first].start, tokens[last].end
    if entry.kind == "laugh":
        return Hit(category, start, end, LAUGH, REMOVE)
    if entry.kind == "nickname":
        return Hit(category, start, end, NICKNAME, USE_NAME)
    if entry.kind == "filler":
        return Hit(category, start, end, FILLER, REMOVE)
    message = SMS if category is Category.SMS else CASUAL
    if entry.full is None:
        return Hit(category, start, end, message, REMOVE)
    written = [text[tokens[i].start:tokens[i].end] for i in range(first, last + 1)]
    return Hit(category, start, end, message, _write(entry.full.format(*written)))
