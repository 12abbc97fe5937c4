"""The respect checks: insults (also disguised), generalisations about a group, accusations.

Spans are asserted exactly, in the text as typed: a disguise, an accent or an invisible
character must never shift what the student sees highlighted.
"""

from __future__ import annotations

import statistics
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.charter.engine import Category, check_text
from sandbox.charter.engine.base import CheckContext
from sandbox.charter.engine.folding import fold
from sandbox.charter.engine.respect import (
    DEFAMATION_MESSAGE,
    DISCRIMINATION_MESSAGE,
    FORBIDDEN_MESSAGE,
    INSULT_MESSAGE,
    find_defamation,
    find_discrimination,
    find_insults,
    load_lexicon,
)

FR = CheckContext(lang="fr")
EN = CheckContext(lang="en")
CHECKS = (find_insults, find_discrimination, find_defamation)


def excerpts(check, text, context=FR):
    return [text[hit.start:hit.end] for hit in check(text, context)]


def everything(text, context=FR):
    return [(hit.category, text[hit.start:hit.end]) for check in CHECKS
            for hit in check(text, context)]


@pytest.mark.parametrize(("text", "word", "context"), [
    ("Quel connard ce client.", "connard", FR),
    ("T'es con ou quoi ?", "con", FR),
    ("Ferme ta gueule, toi.", "Ferme ta gueule", FR),
    ("C'est un fils de pute.", "fils de pute", FR),
    ("Cette pétasse ne répond jamais.", "pétasse", FR),
    ("Espèce de crétin.", "crétin", FR),
    ("Bande de bouffons.", "bouffons", FR),
    ("Shut up, you moron.", "moron", EN),
    ("He is such an asshole.", "asshole", EN),
])
def test_an_insult_is_found_on_exactly_its_words(text, word, context):
    hits = list(find_insults(text, context))
    assert [text[hit.start:hit.end] for hit in hits] == [word]
    assert hits[0].category is Category.INSULT
    assert hits[0].message is INSULT_MESSAGE


@pytest.mark.parametrize(("text", "word"), [
    ("Ce c0nn@rd de chef.", "c0nn@rd"),
    ("Quel c*nnard.", "c*nnard"),
    ("T'es qu'une s4lope.", "s4lope"),
    ("Une $alope.", "$alope"),
    ("Quel c o n n a r d !", "c o n n a r d"),
    ("Quel c.o.n.n.a.r.d !", "c.o.n.n.a.r.d"),
    ("T'es c-o-n.", "c-o-n"),
    ("Un connnnnard.", "connnnnard"),
    ("Espèce d'encule.", "encule"),
    ("Un bâtard.", "bâtard"),
    ("Un batard.", "batard"),
    ("Un ENCULÉ.", "ENCULÉ"),
    ("F*ck this.", "F*ck"),
    ("F*** off.", "F***"),
    ("Such an a$$hole.", "a$$hole"),
    ("You are a b***h.", "b***h"),
    ("Quel ｃｏｎｎａｒｄ.", "ｃｏｎｎａｒｄ"),  # full-width letters
    ("Quel сonnard.", "сonnard"),  # a Cyrillic "с"
    ("Quel con\u200bnard.", "con\u200bnard"),  # a zero-width space inside
    ("Quel conna\u0301rd.", "conna\u0301rd"),  # a combining accent
    ("Y o u  a r e  a  f u c k i n g  joke.", "f u c k i n g"),
    ("Fils de p*te.", "Fils de p*te"),
])
def test_disguised_insults_are_found_in_the_original_text(text, word):
    assert excerpts(find_insults, text) == [word]


def test_spans_stay_right_after_emoji_and_accents():
    text = "🙂🙂 Élève très énervé : « quel connard » 👍"
    (hit,) = find_insults(text, FR)
    assert text[hit.start:hit.end] == "connard"
    text = "\u202eRTL\u202c déjà vu, espèce d'enculé\u200d !"
    assert excerpts(find_insults, text) == ["enculé"]


@pytest.mark.parametrize("text", [
    "J'ai réussi le concours d'entrée.",
    "Notre séminaire a lieu à Condom, dans le Gers.",
    "Elle a conçu un présentoir.",
    "La conception du catalogue, le contrat, la confiance, le conseil, la seconde année.",
    "Our new warehouse is in Scunthorpe.",
    "The office is at the end of a cul-de-sac.",
    "La culture, un particulier, calculer, avancer à reculons.",
    "Le bassin d'emploi, un assistant, une passion.",
    "I have a class today; my passion is sales.",
    "I am reading Dickens in Sussex.",
    "Le député a une bonne réputation; my computer is new.",
    "Un idiome est une expression.",
    "Ce serait idiot de rater cette offre.",
    "I felt like an idiot during the interview.",
    "Un chili con carne à la cantine.",
    "Let us weigh the pros and cons of remote work.",
    "Un pain bâtard et une tapette à mouches.",
    "Le tri des ordures ménagères.",
    "L'empire mongol et l'œuvre de Nikolaï Gogol.",
    "Je suis abruti de fatigue.",
    "Les dates : 12/03, 4x4, B2B, 1er, C++ et 50 $.",
    "*Important* : lire la consigne.",
])
def test_innocent_words_that_contain_an_insult_raise_no_alarm(text):
    assert everything(text, FR) == []
    assert everything(text, EN) == []


def test_careful_words_depend_on_the_language_and_the_context():
    assert excerpts(find_insults, "You retard.", EN) == ["retard"]
    assert excerpts(find_insults, "Le train a du retard.", FR) == []
    assert excerpts(find_insults, "Espèce de mongol.", FR) == ["mongol"]
    assert excerpts(find_insults, "T'es un gogol.", FR) == ["gogol"]
    assert excerpts(find_insults, "Sale tapette.", FR) == ["tapette"]
    assert excerpts(find_insults, "Les pros et les cons.", FR) == []
    assert excerpts(find_insults, "Cons: long hours.", EN) == []
    # Spelled letter by letter, it is on purpose whatever the language.
    assert excerpts(find_insults, "r e t a r d", FR) == ["r e t a r d"]


def test_the_class_forbidden_words_are_whole_folded_words():
    context = CheckContext(lang="fr", forbidden_words=("boulet", "stage nul"))
    text = "Quel Boulet, ce stage nul ! Pas des boulettes, des b0ulets."
    hits = list(find_insults(text, context))
    assert [text[hit.start:hit.end] for hit in hits] == ["Boulet", "stage nul", "b0ulets"]
    assert {hit.message for hit in hits} == {FORBIDDEN_MESSAGE}
    # A forbidden word that is also a listed insult is reported once.
    both = CheckContext(lang="fr", forbidden_words=("connard",))
    assert len(list(find_insults("Quel connard.", both))) == 1


@pytest.mark.parametrize(("text", "excerpt"), [
    ("Les femmes ne savent pas négocier.", "Les femmes ne savent pas"),
    ("Toutes les filles sont des chieuses.", "Toutes les filles sont des chieuses"),
    ("Les Arabes sont tous des voleurs.", "Les Arabes sont tous des voleurs"),
    ("Les handicapés ne peuvent pas travailler.", "Les handicapés ne peuvent pas"),
    ("Les vieux ne comprennent rien.", "Les vieux ne comprennent rien"),
    ("C'est un métier d'homme.", "métier d'homme"),
    ("Pas de femmes dans la logistique.", "Pas de femmes dans"),
    ("Une femme ne peut pas diriger.", "Une femme ne peut pas"),
    ("Women can't lead.", "Women can't"),
    ("All Muslims are terrorists.", "All Muslims are terrorists"),
    ("Immigrants steal jobs.", "Immigrants steal"),
    ("A woman's place is at home.", "A woman's place"),
])
def test_generalisations_about_a_group_are_flagged(text, excerpt):
    hits = list(find_discrimination(text, FR))
    assert [text[hit.start:hit.end] for hit in hits] == [excerpt]
    assert hits[0].message is DISCRIMINATION_MESSAGE


@pytest.mark.parametrize("text", [
    "Les femmes représentent 40 % des effectifs.",
    "L'entreprise recrute des personnes en situation de handicap.",
    "Women in tech meetup on Monday.",
    "Les étudiants sont invités à la réunion.",
    "La parité hommes-femmes est de 48 %.",
    "Les femmes de mon équipe ne peuvent pas venir lundi.",
    "Il n'y a pas de femmes dans le comité.",
    "Les femmes sont plus nombreuses que les hommes.",
    "Les personnes handicapées ne peuvent pas toujours entrer.",
    "Les vieux dossiers sont toujours nuls.",
    "Two women cannot come to the meeting.",
    "Women are underrepresented in engineering.",
    "Women are less likely to ask for a raise.",
])
def test_facts_about_a_group_are_not_generalisations(text):
    assert excerpts(find_discrimination, text) == []


@pytest.mark.parametrize(("text", "excerpt"), [
    ("Mon tuteur vole dans la caisse.", "Mon tuteur vole"),
    ("M. Dupont est un escroc.", "M. Dupont est un escroc"),
    ("Mme Lambert m'a menti.", "Mme Lambert m'a menti"),
    ("Ma prof de maths est raciste.", "Ma prof de maths est raciste"),
    ("Le patron de la boulangerie ne paie pas ses stagiaires.",
     "Le patron de la boulangerie ne paie pas"),
    ("@hugo.petit est un menteur.", "@hugo.petit est un menteur"),
    ("Kevin a volé mon chargeur.", "Kevin a volé"),
    ("Le directeur, c'est un incapable.", "Le directeur, c'est un incapable"),
    ("My boss is a liar.", "My boss is a liar"),
    ("Mr Smith steals from the till.", "Mr Smith steals"),
    ("This guy scammed me.", "This guy scammed"),
])
def test_accusing_a_designated_person_is_flagged(text, excerpt):
    hits = list(find_defamation(text, FR))
    assert [text[hit.start:hit.end] for hit in hits] == [excerpt]
    assert hits[0].message is DEFAMATION_MESSAGE


@pytest.mark.parametrize("text", [
    "The company did not answer my application.",
    "Mon tuteur m'a aidé à préparer mon entretien.",
    "Mme Dupont présente l'entreprise.",
    "J'ai menti à mon tuteur sur mes horaires.",
    "Le voleur dans le film est génial.",
    "Dans le film, le patron est un escroc.",
    "Mon tuteur m'a appris à repérer les arnaques.",
    "Ma prof nous a parlé d'un escroc célèbre.",
    "Mon tuteur n'est pas un voleur.",
    "Mon tuteur ne ment jamais à ses clients.",
    "Mon tuteur m'a dit qu'un client avait volé un article.",
    "Mon téléphone a été volé, mon tuteur m'a prêté le sien.",
    "Mon tuteur est incapable de refuser un service.",
    "My boss told me that a customer stole a jacket.",
    "My teacher told us about a famous fraud case.",
])
def test_no_accusation_or_nobody_designated_is_not_defamation(text):
    assert excerpts(find_defamation, text) == []


def test_insult_and_accusation_keep_apart_so_the_engine_reports_both(app):
    text = "Mon tuteur est un connard et un voleur."
    with app.test_request_context():
        report = check_text(text, lang_code="fr")
    found = {(f.category, f.excerpt) for f in report.findings}
    assert (Category.INSULT, "connard") in found
    assert Category.DEFAMATION in {category for category, _ in found}


def test_lexicons_are_read_once_and_have_both_languages():
    for name in ("insults", "discrimination", "defamation"):
        data = load_lexicon(name)
        assert load_lexicon(name) is data
        assert {"fr", "en"} <= set(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
       | st.sampled_from(["c o n", "c\u200bo\u200bn", "les femmes ne", "M. X vole", "@a ment"])
       .flatmap(lambda seed: st.text(max_size=40).map(lambda tail: seed + tail)))
def test_any_unicode_text_gives_spans_inside_the_text(text):
    for check in CHECKS:
        for hit in check(text, FR):
            assert 0 <= hit.start < hit.end <= len(text)
    folded = fold(text)
    if folded.index is not None:
        assert len(folded.index) == len(folded.text)


@pytest.mark.parametrize("text", [
    "c o n " * 16000,
    "les femmes " * 9000,
    "mon tuteur " * 9000,
    "@" * 100000,
    "a" * 100000,
    ("é🙂\u200b " * 30000)[:100000],
    "f*" * 50000,
    "mon tuteur vole " * 6000,  # thousands of findings
    "f*ck " * 20000,
])
def test_large_and_hostile_texts_stay_linear(text):
    started = time.perf_counter()
    for check in CHECKS:
        for hit in check(text, FR):
            assert 0 <= hit.start < hit.end <= len(text)
    assert time.perf_counter() - started < 5


def test_a_realistic_post_takes_well_under_two_milliseconds():
    base = ("Bonjour à tous ! Mon tuteur m'a aidé à préparer l'entretien avec Mme Dupont. "
            "Les femmes représentent 40 % des effectifs, and the team in Sussex is great. "
            "J'ai réussi le concours, quelle passion ! Merci à l'assistant du service. ")
    timings = []
    for number in range(200):
        text = f"{base}{number}"  # a new text each time: nothing cached
        started = time.thread_time()  # CPU time: other processes on the machine don't count
        for check in CHECKS:
            list(check(text, FR))
        timings.append(time.thread_time() - started)
    assert statistics.median(timings) < 0.002
