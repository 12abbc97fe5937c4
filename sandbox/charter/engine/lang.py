"""Is a text French or English? Counted on function words, which every sentence has.

Short texts ("slt", "ok") carry no signal: French wins ties, as most classes write French.
Words both languages share ("a", "on", "me", "as", "or", "car", "job"…) count for neither, so
"Open to work ! Je cherche un stage" stays French and "I'm looking for a stage" stays English.
Elisions ("j'ai", "l'entreprise") point to French, contractions ("don't", "I'm") to English,
and accented letters lean French (two at most: "Lycée" in an English text decides nothing).
"""

from __future__ import annotations

import re

# Enough to decide: past this, a text has long made its language clear.
_READ = 3000

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_FRENCH = frozenset(
    """le la les un une des du de et est sont je tu il elle nous vous ils elles ce cet cette
    ces mon ma mes ton ta tes sa ses notre nos votre vos leur leurs qui que quoi dans pour
    par sur avec sans mais ou où donc pas ne plus très bien aussi au aux été être avoir ai
    avons avez ont suis sommes êtes fait faire chez entre comme quand si oui non merci
    bonjour bonsoir salut stage entreprise cherche recherche alternance poste moi toi lui eux
    notre cela ça ici tout tous toute toutes peu beaucoup encore déjà depuis pendant après
    avant vers sous aujourd'hui demain hier était avait sera peut veux voudrais
    c'est j'ai d'un d'une n'est qu'il fais vais va peux dois aimerais travaille trop
    vraiment alors parce quelqu'un rien chaque autre autres nouveau nouvelle première
    premier dernier dernière même mois année semaine""".split()
)
_ENGLISH = frozenset(
    """the and is are was were be been being i you he she we they it this that these those
    my your his her our their its who what which where when why how in at for with without
    of from by to into about have has had do does did will would can could should shall
    may might must us them him not no yes very well also just than then there here am
    looking internship company hello hi thanks thank please i'm it's don't i've i'll can't
    won't didn't doesn't isn't i'd you're we're they're that's there's let's doing going
    working want need know think love today tomorrow yesterday everyone some any more most
    only other new good great first because if one two week month year""".split()
)
# English contractions end a word ("n't", "'re"); French elisions start one ("j'", "qu'").
_CONTRACTION = re.compile(r"(?:n't|'re|'ve|'ll|'m|'s|'d)$")
_ELISION = re.compile(r"^(?:[jldcnmst]|qu|jusqu|lorsqu|puisqu)'")
_FRENCH_LETTERS = re.compile(r"[éèêàùçâîôûëïœ]")
# Handles, hashtags, links and addresses say nothing of the language around them.
_NOT_PROSE = re.compile(r"[#@][\w.\-]+|https?://\S+|www\.\S+|(?<![^\s@])[^\s@]+@\S+")


def detect_language(text: str) -> str:
    """"fr" or "en": whichever has more function words (accents lean French); "fr" on a tie."""
    sample = text[:_READ].lower()
    if "@" in sample or "#" in sample or "http" in sample or "www." in sample:
        sample = _NOT_PROSE.sub(" ", sample)
    french = english = 0
    for match in _WORD.finditer(sample):
        word = match.group()
        if "’" in word:
            word = word.replace("’", "'")
        if word in _FRENCH:
            french += 1
        elif word in _ENGLISH:
            english += 1
        elif "'" in word:
            if _ELISION.match(word):
                french += 1
            elif _CONTRACTION.search(word):
                english += 1
    # A French name or word in an English text ("Lycée", "d'études") leans, never decides.
    french += min(2, len(_FRENCH_LETTERS.findall(sample)))
    return "en" if english > french else "fr"
