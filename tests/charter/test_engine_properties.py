"""Properties of the charter engine on any text: it never crashes, its spans are in the text.

Whatever a student pastes (emoji, right-to-left marks, zero-width characters, combining
accents, 100 kB of text), `check_text` answers, and every finding points at a stretch of the
text itself: `0 <= start < end <= len(text)`, `excerpt == text[start:end]`, findings sorted and
never overlapping. All checks run (the default charter), in French, English and "auto".
"""

from __future__ import annotations

import json

from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.charter.engine import check_text

# Realistic pieces, tricky on purpose: each check has something to look at.
FRAGMENTS = [
    "Bonjour à tous, je cherche un stage en commerce international.",
    "Appelle-moi au 06 12 34 56 78 ou au +33 6 12 34 56 78",
    "mon mail c'est lea.martin point dupont arobase gmail point com",
    "j'habite 12 bis rue des Lilas, 69003 Lyon",
    "slt tlm, jsp si g le temps mdr",
    "Les enfant sont allé a la plage",
    "I am looking for an internshp, their going tommorow",
    "c0nn@rd, c o n n a r d",
    "RT @nordis_export : offre d'alternance https://exemple.fr/offre #i4emploi",
    "Merci @claire.recruteuse pour ton retour !",
    "vitamine C, langage C, Scunthorpe, cul-de-sac, concours",
    "J’ai 3 ans d’expérience chez Transports Durand : CDI, Bac+2, 1 500 €.",
    "😀🎉👩🏽‍💻 ",
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "\u200f\u202eمرحبا بالعالم\u202c",  # right-to-left marks and Arabic
    "e\u0301te\u0301 se\u0301rieu",  # combining accents (NFD)
    "\n\n",
    "    ",
    "...!!!???",
]
SPECIALS = "\u0301\u0308\u200b\u200d\u200f\u202e\u00a0\u2019'@#.-+0123456789 \n😀👍🏽"

realistic = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=SPECIALS, max_size=8),
              st.text(max_size=20)),
    max_size=12,
).map(" ".join)
anything = st.text(max_size=400)  # every code point but surrogates: all categories
LANGS = st.sampled_from(["auto", "fr", "en"])

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def assert_well_formed(app, text: str, lang: str) -> None:
    with app.test_request_context(), force_locale("en"):
        report = check_text(text, lang_code=lang)
        data = report.as_json()
    assert report.lang in ("fr", "en")
    json.dumps(data)  # what the API and the CLI print
    previous_end = 0
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.excerpt == text[finding.start:finding.end]
        assert finding.start >= previous_end, "findings sorted and not overlapping"
        previous_end = finding.end
        assert finding.message


@SETTINGS
@given(text=anything, lang=LANGS)
def test_any_unicode_text(app, text, lang):
    assert_well_formed(app, text, lang)


@SETTINGS
@given(text=realistic, lang=LANGS)
def test_realistic_text_with_special_characters(app, text, lang):
    assert_well_formed(app, text, lang)


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(chunks=st.lists(st.sampled_from(FRAGMENTS), min_size=5, max_size=10),
       lang=LANGS)
def test_very_long_texts(app, chunks, lang):
    chunk = " ".join(chunks) + "\n"
    text = (chunk * (100_000 // len(chunk) + 1))[:100_000]
    assert_well_formed(app, text, lang)


def test_a_single_huge_word_and_huge_runs_of_one_character(app):
    for text in ("a" * 100_000, "é" * 50_000, "xqzw " * 20_000, "\u0301" * 10_000,
                 "😀" * 20_000):
        assert_well_formed(app, text, "auto")


def test_a_text_that_breaks_grammalecte_still_gets_the_other_checks(app):
    """Grammalecte 2.1.2 raises on "<TAGS>" (found by hypothesis): that sentence goes without
    grammar, and the engine still answers, other checks included."""
    assert_well_formed(app, "<TAGS>", "auto")
    report = check_text("<TAGS> appelle-moi au 06 12 34 56 78", lang_code="fr")
    assert [finding.category.value for finding in report.findings] == ["phone"]
