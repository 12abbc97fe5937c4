"""E-mail addresses, plain or disguised ("lea point martin arobase gmail point com").

A pattern reads the local part, an "at" (@, (at), [at], arobase, " at ") and a domain whose
labels are joined by dots in any disguise; the address it spells is then checked by
`email-validator` (syntax only: never a network lookup). The school's domains and the addresses
the teacher allows are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit

MESSAGE = _l("An e-mail address is personal information: remove it.")
FIX = _l("Remove the address; people can reach you by direct message.")

# Free mail providers: "lea@gmail" without its ".com" is still an address.
_PROVIDERS = frozenset(
    """gmail googlemail hotmail outlook live msn yahoo ymail icloud me mac aol free orange
    wanadoo laposte sfr neuf bbox numericable proton protonmail pm gmx yandex mail tutanota
    zoho voila caramail skynet bluewin""".split()
)
# Top-level domains that a disguised address ("gmail point com") may end with.
_TLDS = frozenset(
    """com fr net org eu be ch ca uk co io de es it pt nl lu re info biz edu gov me app dev
    tech online site xyz us ma dz tn sn ci cm mc ie au nz jp cn ru pl se no dk fi at cz gr
    ro hu tr br mx ar in za test example""".split()
)
_TLD = "(?:" + "|".join(sorted(_TLDS, key=len, reverse=True)) + r")\b"

_WORD = r"[\w%+'\-]{1,64}"
_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
_OBFUSCATED_DOT = (
    r"\s*(?:[(\[{<]\s*(?:dot|point|pt|\.)\s*[)\]}>])\s*"  # "(dot)", "[.]", "{point}"
    r"|\s+(?:dot|point)\s+"  # " dot ", " point "
)
_LOCAL_DOT = rf"(?:\.(?=\w)|\s+\.\s+|{_OBFUSCATED_DOT})"
# In a domain, a plain dot may have spaces around it before a known ending ("gmail . com").
_DOMAIN_DOT = rf"(?:\.(?=[^\W_])|\s*\.\s*(?={_TLD})|{_OBFUSCATED_DOT})"
_AT = (
    r"(?P<symbol>(?P<before>\s*)@(?P<after>\s*))"
    r"|(?P<strong>\s*[(\[{<]\s*(?:at|arobase|arrobase|@)\s*[)\]}>]\s*"
    r"|\s+(?:arobase|arrobase|arobas|arrobas|arobaz)\s+)"
    r"|(?P<weak>\s+at\s+)"
)
_ADDRESS = re.compile(
    rf"(?<![\w@.])(?P<local>{_WORD}(?:{_LOCAL_DOT}{_WORD}){{0,5}})(?:{_AT})"
    rf"(?P<domain>{_LABEL}(?:{_DOMAIN_DOT}{_LABEL}){{0,5}})",
    re.IGNORECASE,
)
# Where an address may be, in the lower-cased text (a leading class makes the scan fast).
_AT_HINT = re.compile(r"[@a](?:(?<=@)|(?<!\wa)(?:t(?!\w)|rr?obas))")
_DOMAIN_AFTER_WEAK_AT = re.compile(r"\s+[\w-]+\s*(?:[.(\[{<]|dot\b|point\b)")
_SPLIT_DOT = re.compile(rf"{_OBFUSCATED_DOT}|\s*\.\s*", re.IGNORECASE)
_WORD_DOT = re.compile(_OBFUSCATED_DOT, re.IGNORECASE)


def find_emails(text: str, context: CheckContext) -> Iterable[Hit]:
    """E-mail addresses, however disguised, except the school's and the allowed ones."""
    hits: list[Hit] = []
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" grows when lower-cased: keep offsets right
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    position = 0
    while (hint := _AT_HINT.search(lowered, position)) is not None:
        weak = hint.group() == "at" and lowered[hint.start() - 1:hint.start()].isspace()
        if weak and not _DOMAIN_AFTER_WEAK_AT.match(lowered, hint.end()):
            position = hint.end()  # "at college": no domain follows
            continue
        # Read only around this "at": an address is not that long on either side.
        match = _ADDRESS.search(text, max(position, hint.start() - 120), hint.end() + 240)
        if match is None:
            position = hint.end()
            continue
        address = _address(match)
        if address is None:
            # The domain's first word may be the local part of a real address further on.
            position = match.end("local") + 1
            continue
        if not _allowed(address, context):
            hits.append(Hit(Category.EMAIL, match.start(), address[1], MESSAGE, FIX))
        position = match.end()
    return hits


def _address(match: re.Match[str]) -> tuple[str, int] | None:
    """The address the match spells (lower-cased) and where it ends in the text, or None when
    it is no address: an @mention, "10 h @ la salle", "I work at Google.com"."""
    local = _SPLIT_DOT.sub(".", match.group("local")).lower()
    labels = _labels(match.group("domain"), match.start("domain"))
    if match.group("symbol") and match.group("before") and not match.group("after") and not (
            labels[0][0] in _PROVIDERS and labels[-1][0] in _TLDS):
        return None  # "merci @lea.k" is an @mention; "lea @gmail.com" is an address
    # "lea@gmail.com.Merci": the sentence goes on after the address.
    while len(labels) > 2 and labels[-1][0] not in _TLDS and labels[-2][0] in _TLDS:
        labels.pop()
    names = [name for name, _ in labels]
    if len(names) == 1:
        if names[0] not in _PROVIDERS or match.group("weak"):
            return None  # "lea@gmail" is an address; "I was at Orange" is a sentence
    elif not names[-1].isalpha() or len(names[-1]) < 2:
        return None
    disguised = match.group("strong") or match.group("weak") or _WORD_DOT.search(match.group())
    if disguised and not (names[0] in _PROVIDERS or names[-1] in _TLDS):
        return None
    if match.group("weak") and not (names[0] in _PROVIDERS or _WORD_DOT.search(match.group())):
        return None  # " at " is English: "I work at Google.com" is a sentence
    address = f"{local}@{'.'.join(names)}"
    return (address, labels[-1][1]) if _valid(address) else None


def _labels(domain: str, offset: int) -> list[tuple[str, int]]:
    """The domain's labels (lower-cased), each with the offset in the text where it ends."""
    labels: list[tuple[str, int]] = []
    start = 0
    for dot in _SPLIT_DOT.finditer(domain):
        labels.append((domain[start:dot.start()].lower(), offset + dot.start()))
        start = dot.end()
    labels.append((domain[start:].lower(), offset + len(domain)))
    return labels


@lru_cache(maxsize=1024)
def _valid(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False, test_environment=True,
                       globally_deliverable=False)
    except EmailNotValidError:
        return False
    return True


def _allowed(address: tuple[str, int], context: CheckContext) -> bool:
    email = address[0]
    domain = email.rpartition("@")[2]
    if email in context.allowed_emails:
        return True
    return any(domain == allowed or domain.endswith("." + allowed)
               for allowed in context.school_domains)
