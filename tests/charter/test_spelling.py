"""The spelling check: real mistakes found, correct sentences left alone, engines loaded once.

French goes through Grammalecte (Debian's python3-grammalecte), English through the hunspell
dictionaries (hunspell-en-gb, hunspell-en-us); .ci/run installs both.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from flask_babel import force_locale

from sandbox.charter.engine import Category, check_text, dictionaries, spelling
from sandbox.charter.engine.base import CheckContext

needs_french = pytest.mark.skipif(not spelling.is_available("fr"),
                                  reason="Grammalecte (python3-grammalecte) is not installed")
needs_english = pytest.mark.skipif(not spelling.is_available("en"),
                                   reason="chunspell or the hunspell-en-* dictionaries missing")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_spell_checkers_are_there_when_required(lang):
    """Without its engine a language's spelling tests skip; CI (TREMPLIN_REQUIRE_SPELLING=1)
    installs both and must not silently lose them."""
    if os.environ.get("TREMPLIN_REQUIRE_SPELLING") != "1":
        pytest.skip("TREMPLIN_REQUIRE_SPELLING is not set")
    assert spelling.is_available(lang)


@pytest.fixture
def check(app):
    """find_spelling in a request context, messages in English (the msgids):
    (text, lang) -> [(excerpt, message, fix)]."""
    def run(text: str, lang: str = "fr", **context) -> list[tuple[str, str, str]]:
        with app.test_request_context(), force_locale("en"):
            hits = list(spelling.find_spelling(text, CheckContext(lang=lang, **context)))
            assert all(hit.category is Category.SPELLING for hit in hits)
            return [(text[hit.start:hit.end], str(hit.message), str(hit.fix)) for hit in hits]
    return run


def excerpts(found: list[tuple[str, str, str]]) -> list[str]:
    return [excerpt for excerpt, _, _ in found]


@needs_french
@pytest.mark.parametrize(("text", "wrong"), [
    ("Les enfant sont allé a la plage", ["enfant", "allé", "a"]),
    ("je cherche un stage en comerce", ["comerce"]),
    ("il faut que je fais mon CV", ["fais"]),
    ("je suis motivée et sérieu", ["sérieu"]),
    ("Je pense que sa va être bien.", ["sa"]),
    ("Mon experiance en vente", ["experiance"]),
    ("Merci pour pour vos conseils.", ["pour"]),
])
def test_french_mistakes_are_found_where_they_are(check, text, wrong):
    assert excerpts(check(text, "fr")) == wrong


@needs_english
@pytest.mark.parametrize(("text", "wrong"), [
    ("I am looking for an internshp", ["internshp"]),
    ("Their going to the meeting tommorow", ["Their", "tommorow"]),
    ("I could of applied earlier.", ["of"]),
    ("Its a great opportunity.", ["Its"]),
    ("She have a lot of experience and they was there.", ["have", "was"]),
    ("i am available and i'm motivated", ["i", "i"]),
    ("I found a job in the the logistics sector.", ["the"]),
    ("I am more motivated then ever.", ["then"]),
])
def test_english_mistakes_are_found_where_they_are(check, text, wrong):
    assert excerpts(check(text, "en")) == wrong


@needs_french
def test_a_misspelled_word_comes_with_the_likely_word_and_the_explanation(check):
    [(excerpt, message, fix)] = check("je cherche un stage en comerce")
    assert excerpt == "comerce"
    assert "misspelled" in message
    assert fix == "Did you mean: commerce?"
    [(_, message, fix)] = check("il faut que je fais mon CV")
    assert "Verb form" in message and "fasse" in fix


@needs_english
def test_english_suggestions_come_from_the_dictionaries_within_one_or_two_slips(check):
    assert check("I beleive it", "en")[0][2] == "Did you mean: believe?"
    assert check("see you tommorow", "en")[0][2] == "Did you mean: tomorrow?"
    # A capitalised mix-up gets a capitalised fix.
    assert check("Their going home", "en")[0][2] == "Did you mean: They're?"


@needs_french
@pytest.mark.parametrize("text", [
    # Typed on a phone: straight apostrophes, plain spaces before ":" "!" "?", no final dot.
    "Bonjour, je m'appelle Léa : je suis motivée ! Et toi ?",
    "J'ai 3 ans d'expérience chez Transports Durand, CDI à 1500 euros par mois",
    "merci pour l'info, je vais postuler ce soir",
    "MERCI A TOUS POUR VOS MESSAGES",
    "Etudiant en BTS NDRC, je cherche une alternance",
    "C'était une super expérience, j'ai beaucoup appris sur la relation client.",
    "Je travaille sur la supply chain et le customer success.",
    "Open to work ! Je cherche un stage de 8 semaines en marketing.",
    "Je maîtrise Excel, Word et PowerPoint, et j'apprends le SQL.",
    "Infos sur tremplin.fr, bit.ly/enquete-bts ou https://exemple.org/une-page-longue",
    "Écris à prenom.nom@exemple.fr ou à @claire.recruteuse #alternance #i4emploi",
    "Le webinar de demain sur le networking, pdt la pause, rdv 14h30 salle B204",
    "Les produits phares de la start-up : e-commerce, dropshipping et click-and-collect",
])
def test_correct_french_gets_nothing(check, text):
    assert check(text, "fr") == []


@needs_english
@pytest.mark.parametrize("text", [
    "I'm a second-year BTS student at Lycée Jean Moulin, open to work.",
    "I organised the colour scheme; she organized the color palette.",
    "My colleagues' feedback and the company's reply helped me.",
    "I'm doing my stage de fin d'études in Lyon.",
    "Did he have time? It was your doing. Their working conditions are good.",
    "The market and its going rate; if it gets better then we go.",
    "Is there not a better way? Thanks for your welcome.",
    "Follow @nordis_export and #hiring on https://nordis.example.com/jobs",
    "Item (i) and item (ii), i.e. both.",
])
def test_correct_english_gets_nothing(check, text):
    assert check(text, "en") == []


@needs_french
def test_a_french_word_without_its_accents_is_a_mistake_an_anglicism_is_not(check):
    assert excerpts(check("une experience client enrichissante")) == ["experience"]
    assert excerpts(check("une reference sérieuse")) == ["reference"]  # two accents missing
    assert check("Je gère le backlog et la roadmap de l'équipe.") == []


@needs_french
@needs_english
def test_a_name_without_its_capital_is_told_so(check):
    [(excerpt, message, fix)] = check("merci pour ton aide, on se voit à lyon")
    assert (excerpt, fix) == ("lyon", "Did you mean: Lyon?") and "capital" in message
    assert [(e, f) for e, _, f in check("see you in london on monday", "en")] == [
        ("london", "Did you mean: London?"), ("monday", "Did you mean: Monday?")]


@needs_french
def test_the_class_allowlist_is_respected(check):
    assert excerpts(check("on se voit au bdx demain")) == ["bdx"]
    assert check("on se voit au bdx demain", sms_allowlist=frozenset({"bdx"})) == []


@needs_french
def test_spans_are_in_the_original_text_even_with_decomposed_accents(check):
    text = "Je suis motive\u0301e et se\u0301rieu."  # combining acute accents (NFD)
    assert excerpts(check(text)) == ["se\u0301rieu"]


@needs_french
def test_only_the_first_few_misspelled_words_cost_a_suggestion(check):
    found = check(" ".join(["xqzw", "blorf", "zintok", "plimar", "vrodek", "quazib", "frulm"]))
    assert len(found) == 7
    assert sum(fix.startswith("Did you mean") for _, _, fix in found) <= \
        spelling.SUGGESTED_WORDS


@needs_french
def test_grammar_is_read_up_to_a_limit_spelling_everywhere(check):
    padding = "Je cherche un stage en commerce. " * (spelling.GRAMMAR_LIMIT // 30)
    found = excerpts(check(padding + "Il faut que je fais mon CV et mon comerce."))
    assert found == ["comerce"]


def test_a_missing_checker_turns_the_check_off_instead_of_failing(app, monkeypatch):
    monkeypatch.setattr(dictionaries, "_french", None)
    monkeypatch.setattr(dictionaries, "_english", None)
    assert not spelling.is_available("fr") and not spelling.is_available("en")
    with app.test_request_context():
        report = check_text("je cherche un stage en comerce")
        assert list(spelling.find_spelling("comerce", CheckContext(lang="en"))) == []
    assert report.off == (Category.SPELLING,)
    assert report.as_json()["off"] == ["spelling"]
    assert not report.findings


def test_loaders_answer_none_when_nothing_is_installed_where_configured(
        monkeypatch, tmp_path):
    monkeypatch.setenv("GRAMMALECTE_PATH", str(tmp_path))
    monkeypatch.setenv("HUNSPELL_PATH", str(tmp_path))
    assert dictionaries._load_french() is None
    assert dictionaries._load_english() is None


def test_an_engine_is_loaded_once_even_when_threads_race(monkeypatch):
    calls = []

    def slow_load():
        calls.append(1)
        time.sleep(0.05)
        return "the engine"

    monkeypatch.setattr(dictionaries, "_french", dictionaries._UNSET)
    monkeypatch.setattr(dictionaries, "_load_french", slow_load)
    results = []
    threads = [threading.Thread(target=lambda: results.append(dictionaries.french()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["the engine"] * 8 and len(calls) == 1


@needs_french
def test_the_engine_reports_spelling_with_the_class_rule(app):
    with app.test_request_context():
        report = check_text("Les enfant sont allé a la plage")
    assert report.lang == "fr" and not report.off
    assert [(f.category, f.excerpt) for f in report.findings] == [
        (Category.SPELLING, "enfant"), (Category.SPELLING, "allé"), (Category.SPELLING, "a")]
