"""The codes of the network (charter rule 8): shares that name their source, mentions that
name someone.

- A share ("RT", "repost", "via", "repris de", "source : ?") must say whose post or article it
  is: an @mention, a link, a site ("lemonde.fr") or a name with a capital ("RT Les Échos : …",
  "… de Claire Martin", "via LinkedIn"). "RT" is a word of its own: "ART", "PARTIR", "RTT" and
  "RT 2012" (a building standard) are not shares.
- A mention must name someone: an "@" alone ("merci à @ pour"), "@@", an "@" followed by a name
  too short to be a handle, and, when the engine can ask (`context.handle_exists`), an @handle
  that names nobody the author can see. @handles are read exactly as the posts read them
  (`sandbox.posts.text.tokens`); an "@" inside an e-mail address or a URL is not a mention
  (the e-mail check owns addresses), nor "@+" (SMS for "à plus"), nor "10 € @ 2 €".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l

from sandbox.charter.engine.base import Category, CheckContext, Hit

NO_SOURCE = _l("A share names its source: say whose post or article this is.")
VAGUE_SOURCE = _l("The source is missing or too vague: name it.")
ADD_SOURCE = _l("Add the source: an @mention, a link or the author's name.")
NOBODY = _l("This @ names nobody: write the person's handle after it, or remove it.")
WRITE_HANDLE = _l("Write @ followed by the handle (@first.last), or remove the @.")
UNKNOWN = _l("This @mention names nobody you can see in the network: check the name or remove "
             "the @.")
CHECK_HANDLE = _l("Check the spelling of the handle, or remove the @.")

_SHARE = re.compile(r"(?<![\w@#/.&-])(?:rt|repost(?:ed|ing|s)?)(?![\w&-])(?!\s*\d)", re.I)
# "via", "repris de", "partagé de" with nothing after them (or only punctuation).
_EMPTY_VIA = re.compile(
    r"(?<![\w-])(?:via|repris\s+de|partag[ée]e?\s+(?:de|depuis)|reposté\s+de|shared\s+from"
    r"|reposted\s+from)\s*[:\-–—]?\s*(?=$|[.!?…)\]]|\s*\n)", re.I)
_VAGUE = re.compile(
    r"\(\s*sources?\s*\?+\s*\)"
    r"|(?<![\w-])sources?\s*[:=]\s*(?P<what>\?+|inconnue?s?|unknown|internet|google"
    r"|le\s+net|le\s+web|the\s+internet|un\s+site(?:\s+internet)?|a\s+website|n/?a|nc|aucune"
    r"|none|je\s+sais\s+(?:pas|plus)|jsp|\.{2,}|…)(?=\s*(?:$|[.,;!?)\]]))", re.I)
# Where a share names its source without an @ or a link: a site, "de/by/via + Name",
# or a Name right after the marker followed by a colon ("RT Les Échos : …").
# Anchored where a name starts (not after a letter, dot or hyphen): without the anchor a long
# run of "a.b.a.b…" is tried from every position (quadratic).
_SITE = re.compile(
    r"(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|io|eu|uk|info|gouv\.fr|co)\b", re.I
)
_NAMED = re.compile(r"(?:\b(?:de|du|d'|d’|by|from|par|via|selon|source\s*:|according\s+to"
                    r"|signé|auteur\s*:|author\s*:)\s*)[A-ZÀ-ÖØ-Þ@]")
_NAME_COLON = re.compile(r"\s*:?\s*[A-ZÀ-ÖØ-Þ][\w’'&.-]*(?:\s+[\w’'&.-]+){0,4}?\s*:")
_AT = re.compile(r"@+")
_EMAIL_AFTER = re.compile(r"\s*[\w-]+\s*(?:\.|\(?\s*(?:point|dot)\s*\)?)\s*[a-z]{2,}\b", re.I)


@cache
def _tokens() -> Callable[[str], list[Any]]:
    # Imported late: sandbox.posts.text imports the profile services, which use the charter.
    from sandbox.posts.text import tokens

    return tokens


def find_codes(text: str, context: CheckContext) -> Iterable[Hit]:
    """Shares without a source, @ that name nobody, unknown @handles."""
    if "@" not in text and not _maybe_share(text):
        return ()
    tokens = _tokens()(text)
    handles = [token for token in tokens if token.kind == "user"]
    links = [token for token in tokens if token.kind == "url"]
    found = _mentions(text, handles, links, context.handle_exists)
    sourced = bool(handles or links or _SITE.search(text))
    shares = [] if sourced else list(_SHARE.finditer(text))
    if shares:
        # A name after the marker ("… de Claire Martin"): only the last one matters.
        last_name = max((match.start() for match in _NAMED.finditer(text)), default=-1)
        for match in shares:
            if last_name < match.end() and not _NAME_COLON.match(text, match.end()):
                found.append(Hit(Category.CODES, match.start(), match.end(), NO_SOURCE,
                                 ADD_SOURCE))
    if not sourced:
        for match in _EMPTY_VIA.finditer(text):
            end = match.start() + len(match.group().rstrip(" :-–—\n"))
            found.append(Hit(Category.CODES, match.start(), end, NO_SOURCE, ADD_SOURCE))
    for match in _VAGUE.finditer(text):
        found.append(Hit(Category.CODES, match.start(), match.end(), VAGUE_SOURCE, ADD_SOURCE))
    return sorted(found, key=lambda hit: hit.start)


def _maybe_share(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in ("rt", "repost", "via", "repris", "partag",
                                                "source", "shared"))


def _mentions(text: str, handles: list[Any], links: list[Any],
              handle_exists: Callable[[str], bool] | None) -> list[Hit]:
    found: list[Hit] = []
    if handle_exists is not None:
        known: dict[str, bool] = {}
        for token in handles:
            if token.value not in known:
                known[token.value] = handle_exists(token.value)
            if not known[token.value]:
                found.append(Hit(Category.CODES, token.start, token.end, UNKNOWN, CHECK_HANDLE))
    # Tokens come in order, and so do the "@": walk both at once.
    inside = sorted((token.start, token.end) for token in handles + links)
    current = 0
    for match in _AT.finditer(text):
        start, end = match.span()
        while current < len(inside) and inside[current][1] <= start:
            current += 1
        if current < len(inside) and inside[current][0] <= start:
            continue
        if _not_a_mention(text, start, end):
            continue
        name = re.match(r"[A-Za-z0-9._-]*", text[end:])
        found.append(Hit(Category.CODES, start, end + len(name.group() if name else ""),
                         NOBODY, WRITE_HANDLE))
    return found


def _not_a_mention(text: str, start: int, end: int) -> bool:
    """An "@" in an address, a URL, "@+" (à plus), a price ("10 € @ 2 €"): no mention."""
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "._-/:+%=":
        return True
    following = text[end:end + 1]
    if following == "+":
        return True
    previous = text[:start].rstrip()[-1:]
    if previous and (previous.isdigit() or previous in "€$£%"):
        return True
    return end - start == 1 and bool(_EMAIL_AFTER.match(text, end)) and previous.isalnum()
