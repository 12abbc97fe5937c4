"""What a student's message to a persona asks, in which language, and in what tone.

The charter engine reads the tone (insults, SMS language, a casual register) and the language:
a persona hears what the charter would point out. The requests themselves (a coffee, advice, an
introduction…) are recognised from French and English key words, accents and case aside.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass

from sandbox.charter.engine import CharterPolicy, check_text
from sandbox.charter.engine.base import Category, CheckContext
from sandbox.charter.engine.core import RuleBinding
from sandbox.charter.engine.lang import detect_language
from sandbox.charter.models import Severity
from sandbox.core.text import fold


class Intent(enum.StrEnum):
    """What a message asks for, in the order a reply answers them (the most explicit first)."""

    APPOINTMENT = "appointment"
    INTRODUCTION = "introduction"
    DOCUMENT = "document"
    KEY_DATE = "key_date"
    ADVICE = "advice"
    SUPPORT = "support"
    # Last of the requests: "stage" or "alternance" is in most messages, often as context
    # ("je cherche un stage, auriez-vous des conseils ?").
    JOB = "job"  # a job, an internship, the recruitment process
    THANKS = "thanks"
    GREETING = "greeting"
    OTHER = "other"  # nothing recognised: the persona asks what the student is after


class Tone(enum.StrEnum):
    NORMAL = "normal"
    RUDE = "rude"  # an insult or a discriminating remark
    SPAM = "spam"  # the same text again, or many messages in a row without an answer
    SMS = "sms"  # SMS language or a casual register a professional would frown at


_LOOKED_TONES = frozenset({Tone.NORMAL.value, Tone.RUDE.value, Tone.SMS.value})  # `first_look`

# Folded words and phrases; a trailing "*" matches any ending ("recrut*": recrute, recrutement).
KEYWORDS: dict[Intent, tuple[str, ...]] = {
    Intent.APPOINTMENT: (
        "cafe", "coffee", "rendez-vous", "rendez vous", "rdv", "rencontr*", "se voir",
        "vous voir", "visio", "appel", "un appel", "appeler", "telephon*", "de vive voix",
        "meet*", "call", "a call", "catch up", "visit*",
    ),
    Intent.INTRODUCTION: (
        "me presenter a", "me presenter quelqu*", "presenter a quelqu*", "mettre en relation",
        "mettre en contact", "mise en relation", "un contact", "des contacts",
        "quelqu'un de votre reseau", "votre reseau", "introduc*", "put me in touch",
        "refer me", "referral", "someone in your network", "your network", "a contact",
    ),
    Intent.JOB: (
        "recrut*", "poste", "postes", "offre*", "stage", "stages", "stagiaire*", "alternan*",
        "emploi*", "embauch*", "candidat*", "postuler", "entretien*", "cdi", "cdd", "job*",
        "intern*", "apprentice*", "position*", "opening*", "vacanc*", "hiring", "hire",
        "apply", "applica*", "interview*", "recruit*",
    ),
    Intent.DOCUMENT: (
        "cv", "modele*", "exemple de", "brochure*", "plaquette*", "document*", "fiche*",
        "lettre de motivation", "template*", "sample*", "cover letter", "pdf",
    ),
    Intent.KEY_DATE: (
        "forum*", "salon*", "portes ouvertes", "evenement*", "job dating", "open day*",
        "job fair*", "career fair*", "event*", "dates de recrutement", "key date*",
    ),
    Intent.ADVICE: (
        "conseil*", "astuce*", "votre avis", "recommand*", "piste*", "orienter", "advice",
        "advise", "tip", "tips", "suggest*", "guidance", "recommend*", "your opinion",
        "what should i",
    ),
    Intent.SUPPORT: (
        "soutien", "soutenir", "encourag*", "decourag*", "galere*", "stress*", "angoiss*",
        "difficile*", "suis perdu*", "support*", "struggl*", "discourag*", "hard time",
        "worried", "i feel lost",
    ),
    Intent.THANKS: ("merci", "remercie*", "thank*", "grateful", "reconnaissant*"),
    Intent.GREETING: (
        "bonjour", "bonsoir", "salut", "coucou", "hello", "hi", "hey", "good morning",
        "good afternoon", "dear", "madame", "monsieur",
    ),
}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
             for word in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


_PATTERNS = {intent: _pattern(words) for intent, words in KEYWORDS.items()}

# Only the tone's checks: the spelling engine is slow and a persona does not grade spelling.
_TONE_POLICY = CharterPolicy(rules={
    category: RuleBinding(category.value, Severity.FLAG)
    for category in (Category.INSULT, Category.DISCRIMINATION, Category.SMS, Category.REGISTER)
})
BURST = 4  # this many messages in a row without an answer is spam
SMS_FINDINGS = 2  # SMS abbreviations in one message: too many for a professional exchange
CASUAL_FINDINGS = 3  # SMS language and casual words together


@dataclass(frozen=True)
class Reading:
    """What a persona understood of the student's unanswered messages."""

    lang: str  # "fr" or "en": the language the reply is written in
    tone: Tone
    intents: tuple[Intent, ...]  # in the order of `Intent`, at least one


def language_of(text: str, fallback: str | None) -> str:
    """The language of `text`; when it gives no sign either way, `fallback` (else French).

    The charter's detector says French on a tie. Whether French really led: one more English
    function word turns a tie into English, never a French lead.
    """
    detected = detect_language(text)
    if detected == "en":
        return "en"
    if detect_language(f"{text} the") == "fr":
        return "fr"
    return fallback if fallback in ("fr", "en") else "fr"


def intents_of(text: str) -> tuple[Intent, ...]:
    """What the text asks for, in the order of `Intent`; (OTHER,) when nothing is recognised."""
    folded = fold(text).replace("’", "'")
    found = tuple(intent for intent, pattern in _PATTERNS.items() if pattern.search(folded))
    return found or (Intent.OTHER,)


def tone_of(text: str, lang: str, context: CheckContext | None = None) -> Tone:
    """RUDE or SMS as the charter engine sees the text, else NORMAL (spam is about history).

    One casual word in a real sentence ("je galère") passes; SMS language in a short text, or
    casual words piling up, does not. `context`: the class's allowlists and forbidden words.
    """
    policy = _TONE_POLICY if context is None else dataclasses.replace(_TONE_POLICY,
                                                                     context=context)
    report = check_text(text, lang_code=lang, policy=policy)
    categories = [finding.category for finding in report.findings]
    if Category.INSULT in categories or Category.DISCRIMINATION in categories:
        return Tone.RUDE
    sms = categories.count(Category.SMS)
    casual = sms + categories.count(Category.REGISTER)
    if sms >= SMS_FINDINGS or casual >= CASUAL_FINDINGS or (sms and len(text.strip()) < 60):
        return Tone.SMS
    return Tone.NORMAL


def first_look(text: str, locale: str | None, context: CheckContext | None = None
               ) -> dict[str, str]:
    """A message's language and tone, taken when it arrives (JSON, for the scheduled reply's
    payload): `read_messages` then reads one message without running the charter's checks
    again, in a worker's batch of hundreds."""
    lang = language_of(text, locale)
    return {"lang": lang, "tone": tone_of(text, lang, context).value}


def read_messages(texts: list[str], earlier: list[str], locale: str | None,
                  context: CheckContext | None = None,
                  looked: dict[str, str] | None = None) -> Reading:
    """Read a student's unanswered messages (oldest first) knowing their earlier ones.

    The same text sent again, or a burst of messages without an answer, is spam. `locale`: the
    student's language, when the text does not tell; `context`: their class's charter lists
    (the abbreviations it allows, the words it forbids). `looked`: the `first_look` at the
    message, when only that one is unanswered.
    """
    text = "\n".join(texts)
    folded = {fold(previous) for previous in earlier}
    mine = [fold(one) for one in texts]
    spam = len(texts) >= BURST or len(set(mine)) < len(mine) or any(one in folded
                                                                     for one in mine)
    if len(texts) == 1 and looked and looked.get("lang") in ("fr", "en") \
            and looked.get("tone") in _LOOKED_TONES:
        lang, tone = looked["lang"], Tone(looked["tone"])
    else:
        lang = language_of(text, locale)
        tone = Tone.SPAM if spam else tone_of(text, lang, context)
    return Reading(lang=lang, tone=Tone.SPAM if spam else tone, intents=intents_of(text))
