"""Postal addresses: French and English street lines, postcodes with their town, UK postcodes.

No library reads addresses in running text, so these are our own patterns, tuned for precision:
a street type alone ("dans la rue") is a word, not an address. We flag
- a number and a street type with a name: "5 bis rue des Lilas", "221B Baker Street";
- a street type with a name after "j'habite", "I live on…": "j'habite rue Victor Hugo";
- a postcode followed by its town ("75011 Paris"), except in a sentence about a job or a
  company ("stage à Lyon 69003", "Lieu : 69003 Lyon"), and a post-office box ("BP 123");
- UK postcodes ("SW1A 1AA") and US "City, ST 12345".
The school's own address (as the teacher typed it) is allowed, whole or in part.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit

MESSAGE = _l("A postal address is personal information: remove it.")
FIX = _l("Remove the address; the name of the town is enough.")

# French street types come before the name. Weak ones are also common nouns ("2 place de
# parking", "3 cours de maths"): their name must start with a capital letter.
_FR_STRONG = (r"rue|avenue|av|bd|boulevard|bld|blvd|all[ée]e|impasse|imp|lieu-dit|lieudit|"
              r"lotissement|faubourg|fbg|ruelle|rond-point|sentier|venelle|r[ée]sidence")
_FR_WEAK = (r"place|pl|quai|route|rte|cours|square|chemin|passage|villa|cit[ée]|voie|"
            r"hameau|promenade|esplanade|parvis|mont[ée]e|traverse|domaine|clos")
# Both are searched in the lower-cased text (much faster than IGNORECASE); capitals are
# checked in the original.
_FR_TYPE = re.compile(rf"(?<![\w'’-])(?:(?P<strong>{_FR_STRONG})|(?P<weak>{_FR_WEAK}))"
                      r"(?![\w-])\.?")
# English street types come after the name; those that are common words need a capital.
_EN_PLAIN = r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd"
_EN_CAPITAL = (r"court|ct|close|crescent|place|pl|way|terrace|square|sq|gardens|grove|"
               r"parkway|pkwy|highway|hwy|row|mews|walk")
_EN_TYPE = re.compile(rf"(?<![\w'’-])(?:(?P<plain>{_EN_PLAIN})|(?P<capital>{_EN_CAPITAL}))"
                      r"(?![\w-])\.?")
_EN_ABBREVIATIONS = frozenset("st rd ave ln dr blvd ct pl sq pkwy hwy".split())
_DIRECTION = re.compile(r" (?:NE|NW|SE|SW|N|S|E|W)\b")

_NUMBER = r"\d{1,4}(?:\s?(?:bis|ter|quater|[a-dA-D])\b)?"
_NUMBER_BEFORE = re.compile(rf"(?<![\w.,/:€$£+-])(?<!\d\s)(?P<num>{_NUMBER})\s*,?\s*$")
_EN_NUMBER_BEFORE = re.compile(
    r"(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)\s*\d{1,4}[A-Za-z]?\s*,?\s*)?"
    r"(?<![\w.,/:€$£+-])(?<!\d\s)\d{1,5}[A-Za-z]?\s*,?\s+$")
_YEAR_BEFORE = re.compile(r"\b(?:en|depuis|ann[ée]e|in|since|by|until|from|of)\s+$",
                          re.IGNORECASE)
_TRIGGER = re.compile(
    r"(?:\bj['’]?\s?habit\w*|\bhabit(?:e|es|ons|ez|ent)|\bje\s+(?:vis|r[ée]side|demeure|loge)"
    r"|\b(?:vit|vivons|vivent|r[ée]sid\w+)|\bdomicili[ée]e?s?"
    r"|\bmon\s+adresse(?:\s+postale)?(?:\s+(?:est|c['’]est))?"
    r"|\bchez\s+(?:moi|nous)(?:\s*,?\s*c['’]est)?|\blives?|\bliving|\bstay\w*"
    r"|\bmy\s+(?:home\s+)?address(?:\s+is)?|\bmy\s+(?:house|home|flat|place)\s+is)"
    r"\s*:?\s*(?:(?:au|à|a|en|dans|sur|le|la|l['’]|on|at|in|the)\s*){0,3}$",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"[ \u00a0]+(?P<word>(?:[dl]['’])?[^\W_][\w'’-]*)")
_PARTICLES = frozenset("de du des la le les l d aux au sur sous en of the".split())
_STOP_FR = frozenset(
    """et ou à a est c'est mais donc car pour avec dans chez qui que quand depuis pendant près
    je tu il elle on nous vous ils elles mon ma mes ton ta tes son sa ses se si y ne pas plus
    très bien tout tous juste vers entre contre sans puis alors aussi comme où ici là
    depuis jusqu mais même encore déjà et""".split()
)
_STOP_EN = frozenset(
    """the a an my your his her our their this that these those and or of in on at to by for
    with from more other many few new big small long short busy hard flash usb first second
    last next wrong right same one two three every each any some no is are was were very so
    too really quite minutes minute mins miles mile km hours hour blocks block meters metres
    yards lane test""".split()
)
_POSTCODE = r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}"
_TOWN = (r"(?:(?:Le|La|Les|L['’])\s?)?[A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*"
         r"(?:\s+C[Ee][Dd][Ee][Xx](?:\s+\d{1,2})?)?")
_AFTER_STREET = re.compile(
    rf"\s*[,–-]?\s*(?:(?:B\.?P\.?|CS)\s*\d{{1,5}}\s*,?\s*)?(?:{_POSTCODE}\s+{_TOWN}|{_TOWN}\s+"
    rf"{_POSTCODE}\b|{_POSTCODE}\b(?:\s+(?P<town>[^\W\d_][\w'’-]*))?)"
    r"|,?\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,?\s+(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|"
    r"[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})(?!\w)"
)
_POSTCODE_TOWN = re.compile(
    rf"(?<![\w.,€$£-])(?:(?:B\.?P\.?|CS)\s*\d{{1,5}}\s*,?\s*)?{_POSTCODE}\s+{_TOWN}"
    r"|(?<![\w.-])B\.?P\.?\s?\d{1,5}(?!\w)"
)
_NOT_TOWNS = frozenset("euros eur km habitants personnes salariés employés étudiants".split())
_JOB_CUE = re.compile(
    r"\b(?:lieu|poste|stage|stages|offre|bas[ée]e?|situ[ée]e?|entreprise|agence|si[èe]ge|"
    r"bureaux?|locaux|magasin|boutique|soci[ée]t[ée]|usine|job|jobs|internship|based|office|"
    r"company|located|position|CDI|CDD|alternance|recrute|recrutons)\b",
    re.IGNORECASE,
)
_UK_POSTCODE = re.compile(
    r"(?<![\w-])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}(?![\w-])")
_DIGIT = re.compile(r"\d")
_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|"
              "MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
_US_TOWN_ZIP = re.compile(
    rf"(?<![\w-])[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s(?:{_US_STATES})\s\d{{5}}(?:-\d{{4}})?(?!\d)")


def find_addresses(text: str, context: CheckContext) -> Iterable[Hit]:
    """Street addresses, postcodes with their town, UK postcodes; never the school's own."""
    lowered = _lowered(text)
    spans = [*_french_streets(text, lowered), *_english_streets(text, lowered),
             *_postcodes(text)]
    school = _fold(context.school_address) if context.school_address else ""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: span[0] - span[1]):  # longest first
        if any(start < e and s < end for s, e in kept):
            continue
        if school and f" {_fold(text[start:end])} " in f" {school} ":
            continue
        kept.append((start, end))
    return [Hit(Category.ADDRESS, start, end, MESSAGE, FIX) for start, end in sorted(kept)]


def _lowered(text: str) -> str:
    """The text in lower case, offsets unchanged ('İ', which grows, stays as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _french_streets(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for street in _FR_TYPE.finditer(lowered):
        left = text[max(0, street.start() - 80):street.start()]
        number = _NUMBER_BEFORE.search(left)
        if number and _is_year(number.group("num"), left[:number.start()]):
            number = None
        trigger = _TRIGGER.search(left[:number.start()] if number else left)
        if not number and not trigger:
            continue
        lenient = bool(street.group("strong")) or bool(trigger)
        name_end = _french_name_end(text, street.end(), lenient)
        if name_end is None:
            continue
        start = street.start() - len(left) + number.start() if number else street.start()
        yield start, _extended(text, name_end)


def _french_name_end(text: str, position: int, lenient: bool) -> int | None:
    """Where the street's name ends ("des Lilas", "Jean Jaurès", "du 8 Mai 1945"), or None."""
    end = None
    previous = ""
    lowercase_words = 0
    digits_seen = False
    for _ in range(6):
        token = _NAME_TOKEN.match(text, position)
        if token is None:
            break
        word = token.group("word")
        bare = re.sub(r"^[dl]['’]", "", word)
        lowered = word.lower()
        if lowered.rstrip("'’") in _PARTICLES:
            kind = "particle"
        elif bare[:1].isupper():
            kind = "name"
        elif bare.isdigit() and (previous == "particle" or digits_seen):
            kind = "digits"  # "rue du 8 Mai 1945"
            digits_seen = True
        elif (lenient and bare[:1].isalpha() and lowered not in _STOP_FR and len(bare) > 1
              and lowercase_words < 2
              and (previous in ("particle", "") or lowercase_words)):
            kind = "name"
            lowercase_words += 1
        else:
            break
        position = token.end()
        previous = kind
        if kind != "particle":
            end = position
    return end


def _english_streets(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for street in _EN_TYPE.finditer(lowered):
        capitals_only = text[street.start()].isupper()
        if street.group("capital") and not capitals_only:
            continue
        left = text[max(0, street.start() - 100):street.start()]
        words = list(re.finditer(r"[\w'’.-]+\s+", left))
        name_start = len(left)
        count = 0
        for word in reversed(words):
            if word.end() != name_start or count == 4 or not _english_name(
                    word.group().strip(), capitals_only):
                break
            name_start = word.start()
            count += 1
        if not count:
            continue
        before = left[:name_start]
        number = _EN_NUMBER_BEFORE.search(before)
        if number and not _is_year(number.group().strip(" ,"), before[:number.start()]):
            start = street.start() - len(left) + number.start()
        elif capitals_only and _TRIGGER.search(before):
            start = street.start() - len(left) + name_start
        else:
            continue
        end = street.end()
        if street.group().endswith(".") and street.group()[:-1] not in _EN_ABBREVIATIONS:
            end -= 1  # "Maple Avenue." ends a sentence; "High St." is abbreviated
        direction = _DIRECTION.match(text, end)
        yield start, _extended(text, direction.end() if direction else end)


def _english_name(word: str, capitals_only: bool) -> bool:
    if word[:1].isupper():
        return not (word.isupper() and 1 < len(word) <= 3 and word.isalpha())  # TB, USB
    return not capitals_only and word.isalpha() and word not in _STOP_EN


def _postcodes(text: str) -> Iterator[tuple[int, int]]:
    if not _DIGIT.search(text):
        return
    for match in _POSTCODE_TOWN.finditer(text):
        town = match.group().split()[-1].lower()
        if town in _NOT_TOWNS:
            continue
        sentence = re.split(r"[.!?\n]", text[max(0, match.start() - 150):match.start()])[-1]
        if _JOB_CUE.search(sentence) and not _TRIGGER.search(sentence):
            continue
        yield match.start(), match.end()
    for pattern in (_UK_POSTCODE, _US_TOWN_ZIP):
        for match in pattern.finditer(text):
            if not re.search(r"\d(?:[GTMK]B|[24]WD)$", match.group()):  # PS4 1TB, A3 4WD
                yield match.start(), match.end()


def _extended(text: str, end: int) -> int:
    """Extend a street line over the postcode and town that follow it, if any."""
    after = _AFTER_STREET.match(text, end)
    if after is None:
        return end
    town = after.group("town")
    if town and town.lower() in _STOP_FR:  # "… 75002 et …": the postcode, not "et"
        return len(text[:after.start("town")].rstrip())
    return after.end()


def _is_year(number: str, before: str) -> bool:
    return len(number) == 4 and number.isdigit() and bool(_YEAR_BEFORE.search(before))


@lru_cache(maxsize=64)
def _fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: to compare addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())
