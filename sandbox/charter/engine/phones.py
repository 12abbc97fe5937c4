"""Phone numbers: French, UK, US and other international writings, digits or words.

Our own structural matcher reads runs of digit groups ("06 12 34 56 78", "+33 (0)6 …",
"(555) 123-4567") and accepts the groupings people use for phone numbers, so dates, amounts,
SIRET numbers, years and postcodes never fit. `phonenumbers` only judges the "+CC …" numbers of
other countries: its PhoneNumberMatcher costs about 1 ms per post for three regions and rejects
the fictional ranges (555, 07700 900xxx) students copy from examples, which are numbers all the
same. Numbers spelled out in words ("zéro six douze …", "oh seven seven …"), mixed with digits
or not, are read into digits by phone_words.py and judged by the same plans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers
from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.phone_words import Piece, number_runs, read_pieces

MESSAGE = _l("A phone number is personal information: remove it.")
FIX = _l("Remove the number; to be contacted, point to your profile or a direct message.")

_SPACE = r"[ \u00a0\u202f\t]"
# A run of digit groups: "+33", "(0)", "(555)", "06"; between groups a space or one . - – /
# (spaces around it allowed), or nothing right after a closing parenthesis.
_GROUP = r"\+?\(?\d+\)?"
_SEP = rf"(?:{_SPACE}?[.\-–/]{_SPACE}?|{_SPACE}{{1,2}}|(?<=\)))"
_RUN = re.compile(rf"(?<![\w+])(?<!\w[-–]){_GROUP}(?:{_SEP}{_GROUP})*")  # not "XJ-555-…"
_GROUP_IN_RUN = re.compile(_GROUP)
_DIGITS = re.compile(r"\d")

# Words that make the number after them something else than a phone number ("SIRET 123…",
# "n° de commande 06…"), the filler words allowed in between, and words that speak of phoning.
_NOT_A_PHONE = frozenset(
    """siret siren tva iban bic isbn issn ean ref réf référence références reference
    references commande order invoice facture dossier ticket tracking suivi colis parcel
    matricule serial série serie sociale insee nir ine contrat compte account licence license
    code lot badge transaction passeport passport client customer adhérent member membership
    carte card produit product article modèle model sku id identifiant password passe pin
    offre""".split()
)
_FILLERS = frozenset("n ° no num numéro numero number nr de du d la le l is the your votre "
                     "mon my est".split())
_PHONE_CUES = frozenset(
    """phone call text cell mobile number tel tél appel appelle appelez numéro numero
    portable joindre whatsapp sms contact""".split()
)
_WORD = re.compile(r"[^\W\d_]+|°")
_CODE_AFTER = re.compile(r"[-–/]?[^\W\d_]")  # "0612345678AB", "555-123-4567-XL": a code
_MONEY_AFTER = re.compile(r"\s*(?:€|\$|£|%|euros?\b|eur\b|dollars?\b|k€)", re.IGNORECASE)

_FR_SIZES = {(10,), (2, 2, 2, 2, 2), (4, 2, 2, 2), (1, 3, 2, 2, 2), (1, 3, 3, 3)}  # 0 800…
_UK_SIZES = {(11,), (5, 6), (3, 4, 4), (4, 3, 4), (5, 3, 3), (4, 7)}
_US_SIZES = {(3, 3, 4), (1, 3, 3, 4)}


@dataclass(frozen=True, slots=True)
class _Group:
    start: int
    end: int
    raw: str
    digits: str
    sep: str  # the separator before this group, squeezed ("" for the first)


def find_phones(text: str, context: CheckContext) -> Iterable[Hit]:
    """Phone numbers written with digits, in words, or both."""
    spans = list(_digit_phone_spans(text)) if len(_DIGITS.findall(text)) >= 7 else []
    for start, end in _spelled_phone_spans(text):
        if all(end <= s or e <= start for s, e in spans):
            spans.append((start, end))
    return [Hit(Category.PHONE, start, end, MESSAGE, FIX) for start, end in sorted(spans)]


def _digit_phone_spans(text: str) -> Iterator[tuple[int, int]]:
    for run in _RUN.finditer(text):
        groups = _groups(run)
        index = 0
        while index < len(groups):
            end_index = _phone_at(groups, index, text)
            if end_index is None:
                index += 1
                continue
            start, end = groups[index].start, groups[end_index].end
            if _plausible(text, start, end):
                yield start, end
            index = end_index + 1


def _groups(run: re.Match[str]) -> list[_Group]:
    groups: list[_Group] = []
    previous_end = run.start()
    for match in _GROUP_IN_RUN.finditer(run.group()):
        start, end = run.start() + match.start(), run.start() + match.end()
        sep = run.string[previous_end:start].strip() or (" " if start > previous_end else "")
        raw = match.group()
        if raw.startswith("(") and not raw.endswith(")"):  # "(06 12 … 78)": an aside
            start, raw = start + 1, raw[1:]
        elif raw.endswith(")") and "(" not in raw:
            end, raw = end - 1, raw[:-1]
        groups.append(_Group(start, end, raw, raw.strip("+()"), sep.replace("–", "-")))
        previous_end = end
    return groups


def _phone_at(groups: list[_Group], first: int, text: str) -> int | None:
    """The index of the last group of a phone number starting at group `first`, if any."""
    head = groups[first]
    international = head.raw.startswith(("+", "(+")) or (
        head.digits.startswith("00") and 2 <= len(head.digits) <= 5)
    lengths = range(8, 16) if international else (10, 11)
    counts = []
    total = 0
    for group in groups[first:first + 8]:
        total += len(group.digits)
        counts.append(total)
    for last in range(first + len(counts) - 1, first - 1, -1):
        if counts[last - first] not in lengths:
            continue
        chunk = groups[first:last + 1]
        digits = "".join(group.digits for group in chunk)
        if international:
            if _international(digits if "+" in head.raw else digits.removeprefix("00")):
                return last
        elif _national(digits, chunk, text):
            return last
    return None


def _international(digits: str) -> bool:
    """'+CC…' (or '00CC…'): FR, UK and US by their plans, other countries by phonenumbers."""
    for code, lengths, firsts in (("33", {9}, "123456789"), ("44", {9, 10}, "123789"),
                                  ("1", {10}, "23456789")):
        if digits.startswith(code):
            national = digits[len(code):]
            if national.startswith("0") and code != "1":
                national = national[1:]  # "+33 (0)6 …", "+33 06 …"
            return len(national) in lengths and national[0] in firsts
    if not 8 <= len(digits) <= 15:
        return False
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)  # "+45 000 000 de vues" is not valid


def _national(digits: str, chunk: list[_Group], text: str) -> bool:
    """A national FR, UK or US number grouped the way people write phone numbers."""
    sizes = tuple(len(group.digits) for group in chunk)
    seps = {group.sep for group in chunk[1:]}
    uniform = len(seps) <= 1
    if any("(" in group.raw or ")" in group.raw for group in chunk):
        # Only an area code goes in parentheses: US "(555) 123-4567", UK "(020) 7946 0958".
        head = chunk[0].raw
        if not (head.startswith("(") and head.endswith(")")) or any(
                ")" in group.raw for group in chunk[1:]):
            return False
        return (sizes == (3, 3, 4) and digits[0] in "23456789") or (
            sizes in _UK_SIZES and digits[0] == "0" and digits[1] in "123789")
    if not uniform or _counting([int(group.digits) for group in chunk], 4, most=5):
        return False
    if digits[0] == "0":
        if sizes in _FR_SIZES and digits[1] != "0":
            return True
        return sizes in _UK_SIZES and digits[1] in "123789"
    if sizes in _US_SIZES and seps != {"/"}:
        return digits[-10] in "23456789" and (sizes[0] == 3 or digits[0] == "1")
    # Ten digits in a row are a US number only where the text speaks of phoning.
    if sizes == (10,) and digits[0] in "23456789" and digits[3] in "23456789":
        words = _WORD.findall(text[max(0, chunk[0].start - 40):chunk[0].start].lower())
        return not _PHONE_CUES.isdisjoint(words[-4:])
    return False


def _plausible(text: str, start: int, end: int) -> bool:
    """Not a reference, an order number, an amount… announced by the words around it."""
    before = text[max(0, start - 40):start]
    for word in reversed(_WORD.findall(before.lower())[-5:]):
        if word in _NOT_A_PHONE:
            return False
        if word not in _FILLERS:
            break
    if before.rstrip().endswith(("$", "£", "€")) or _CODE_AFTER.match(text, end):
        return False
    return not _MONEY_AFTER.match(text, end)


def _spelled_phone_spans(text: str) -> Iterator[tuple[int, int]]:
    for run in number_runs(text):
        pieces = read_pieces(run)
        first = 0
        while first < len(pieces):
            last = _spelled_phone_at(pieces, first)
            if last is None:
                first += 1
                continue
            start, end = pieces[first].start, pieces[last].end
            if _plausible(text, start, end):
                yield start, end
            first = last + 1


def _spelled_phone_at(pieces: list[Piece], first: int) -> int | None:
    """The last piece of a phone number starting at `first` that uses at least one word."""
    found = None
    digits = ""
    for last in range(first, min(len(pieces), first + 16)):
        digits += pieces[last].digits
        if "+" in digits[1:] or len(digits) > 14:
            break
        chunk = pieces[first:last + 1]
        if not any(piece.spelled for piece in chunk) or _counting(
                [piece.value for piece in chunk], 3):
            continue
        if _spoken_number(digits):
            found = last
    return found


def _spoken_number(digits: str) -> bool:
    if digits.startswith("+"):
        return _international(digits[1:])
    if digits.startswith("00"):
        return _international(digits[2:])
    if digits[0] == "0":
        return (len(digits) == 10 and digits[1] != "0") or (
            len(digits) == 11 and digits[1] in "123789")
    return len(digits) == 10 and digits[0] in "23456789"


def _counting(values: list[int], minimum: int, most: int = 100) -> bool:
    """'01 02 03 04 05', 'un deux trois…', 'five, ten, fifteen…' count: not phone numbers.
    (But "01 23 45 67 89", steps of 22, is the number everyone makes up.)"""
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    return len(values) >= minimum and len(steps) == 1 and 0 < abs(steps.pop()) <= most
