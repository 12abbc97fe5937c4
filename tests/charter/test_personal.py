"""The personal-information checks: phone numbers, e-mail addresses, postal addresses.

Each check must find the whole number or address (the span in the ORIGINAL text), however it is
written or disguised, honour the class's allowlists, and stay quiet on what only looks like one
(dates, amounts, SIRET numbers, @mentions, "la rue" in a sentence…).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.charter.engine import Category, CheckContext, check_text
from sandbox.charter.engine.personal import find_addresses, find_emails, find_phones

CONTEXT = CheckContext()


def excerpts(check, text: str, context: CheckContext = CONTEXT) -> list[str]:
    return [text[hit.start:hit.end] for hit in check(text, context)]


# --- phone numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("Appelle-moi au 06 12 34 56 78 ce soir.", "06 12 34 56 78"),
    ("Mon numéro : 0612345678.", "0612345678"),
    ("Mon numéro : 06.12.34.56.78 !", "06.12.34.56.78"),
    ("Tel: 06-12-34-56-78", "06-12-34-56-78"),
    ("Joignable au +33 6 12 34 56 78.", "+33 6 12 34 56 78"),
    ("Standard : +33 (0)1 42 68 53 00", "+33 (0)1 42 68 53 00"),
    ("Depuis l'étranger : 0033 6 12 34 56 78", "0033 6 12 34 56 78"),
    ("(06 12 34 56 78)", "06 12 34 56 78"),
    ("tel:+33612345678", "+33612345678"),
    ("Call me on 07700 900123.", "07700 900123"),
    ("Text me: +44 7700 900123", "+44 7700 900123"),
    ("Office: 020 7946 0958", "020 7946 0958"),
    ("Call (555) 123-4567 today", "(555) 123-4567"),
    ("My cell is 555-123-4567.", "555-123-4567"),
    ("Reach me at +1 212 555 0100", "+1 212 555 0100"),
    ("Hotline 1-800-555-0199", "1-800-555-0199"),
    ("Call me at 2125550100 tonight", "2125550100"),
    ("Mon numéro belge : +32 470 12 34 56", "+32 470 12 34 56"),
    ("London office: (020) 7946 0958", "(020) 7946 0958"),
    ("Numéro vert : 0 800 123 456", "0 800 123 456"),
])
def test_phone_numbers_in_digits_are_found_whole(text, number):
    assert excerpts(find_phones, text) == [number]


@pytest.mark.parametrize(("text", "number"), [
    ("Mon numéro : zéro six douze trente-quatre cinquante-six soixante-dix-huit.",
     "zéro six douze trente-quatre cinquante-six soixante-dix-huit"),
    ("zéro six, douze, trente quatre, cinquante six, soixante dix huit",
     "zéro six, douze, trente quatre, cinquante six, soixante dix huit"),
    ("zéro sept quatre-vingt-dix-neuf soixante et onze vingt et un quatre-vingts",
     "zéro sept quatre-vingt-dix-neuf soixante et onze vingt et un quatre-vingts"),
    ("Appelle le 06 douze 34 56 78 stp", "06 douze 34 56 78"),
    ("zero six one two three four five six seven eight",
     "zero six one two three four five six seven eight"),
    ("o six one two three four five six seven eight",
     "o six one two three four five six seven eight"),
    ("Call oh seven seven double oh nine double oh one two three.",
     "oh seven seven double oh nine double oh one two three"),
    ("plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
     "plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit"),
])
def test_phone_numbers_spelled_out_or_mixed_are_found(text, number):
    assert excerpts(find_phones, text) == [number]


def test_two_numbers_side_by_side_are_two_hits():
    text = "06 12 34 56 78 06 98 76 54 32 et 06 11 22 33 44/01 23 45 67 89"
    assert excerpts(find_phones, text) == [
        "06 12 34 56 78", "06 98 76 54 32", "06 11 22 33 44", "01 23 45 67 89"]


@pytest.mark.parametrize("text", [
    "Entretien le 12/03/2025 à 14h30.",
    "Réunion le 2025-03-12, le 12 03 2025 ou le 01/02/2024 à 14:30.",
    "Salaire : 35 000 euros, prime de 1 200 €, soit $45,000 environ.",
    "SIRET 123 456 789 00012, SIREN 732 829 320.",
    "Code postal 75011, promotion 2023-2024, 18/20 en gestion, 50 % de remise.",
    "Réf. 06 12 34 56 78",
    "Le n° de commande 0612345678 figure sur la facture.",
    "Please quote order number 555-123-4567.",
    "ISBN 0-306-40615-2 et ISBN 978-2-07-036822-8",
    "IBAN FR76 3000 6000 0112 3456 7890 189",
    "Carte 4111 1111 1111 1111",
    "Numéro de sécurité sociale 1 85 05 78 006 084 36",
    "Le chiffre d'affaires : 1 234 567 890 € et +45 000 000 de vues.",
    "Les chapitres 01 02 03 04 05 sont à lire.",
    "Modèle XJ-555-123-4567, pièce 0612345678AB.",
    "Version 2.0.1 sous Windows 11, Bac+2, rendez-vous à 10 h 30.",
    "un deux trois quatre cinq six sept huit neuf dix",
    "zéro un deux trois quatre cinq six sept huit neuf",
    "one two three four five six seven eight nine ten",
    "five, ten, fifteen, twenty, twenty-five, thirty, thirty-five",
    "Il y a vingt-deux élèves, trente professeurs et six classes.",
    "Ten-digit numbers like 2125550100 mean nothing without a word about phoning.",
])
def test_what_only_looks_like_a_phone_number_is_not_one(text):
    assert excerpts(find_phones, text) == []


# --- e-mail addresses ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("Écris-moi : prenom.nom@gmail.com.", "prenom.nom@gmail.com"),
    ("lea point martin arobase gmail point com", "lea point martin arobase gmail point com"),
    ("mail : lea.martin (at) yahoo (dot) fr !", "lea.martin (at) yahoo (dot) fr"),
    ("lea [at] hotmail [.] com", "lea [at] hotmail [.] com"),
    ("lea(at)gmail(dot)com", "lea(at)gmail(dot)com"),
    ("Mon mail c'est lea@gmail, merci", "lea@gmail"),
    ("Reach me at lea at gmail dot com.", "lea at gmail dot com"),
    ("lea @ gmail.com", "lea @ gmail.com"),
    ("lea@ gmail.com", "lea@ gmail.com"),
    ("lea . martin @ gmail . com", "lea . martin @ gmail . com"),
    ("LEA.MARTIN@GMAIL.COM", "LEA.MARTIN@GMAIL.COM"),
    ("Mon adresse : léa.martin@free.fr", "léa.martin@free.fr"),
    ("lea arobase gmail", "lea arobase gmail"),
    ("Mon mail c'est lea.martin@gmail.com.Merci", "lea.martin@gmail.com"),
    # Fictional companies' addresses are addresses all the same.
    ("Candidatures : jobs@fictive-corp.example", "jobs@fictive-corp.example"),
    ("rh@entreprise.test", "rh@entreprise.test"),
])
def test_email_addresses_plain_or_disguised_are_found_whole(text, address):
    assert excerpts(find_emails, text) == [address]


@pytest.mark.parametrize("text", [
    "Merci @lea.k pour ton aide !",
    "Bravo @hugo.petit et @lea.martin !",
    "#alternance #BTS",
    "Notre site : https://www.tremplin.fr/profil",
    "Bac+2 validé",
    "Le C@fé des métiers",
    "Rendez-vous à 10 h @ la salle B",
    "I met Lea at school. Then we left.",
    "I work at Google.com now.",
    "I worked at Orange for two years.",
    "Lea point martin est arrivée au point de rendez-vous.",
    "Mon score : 5 @ 10",
])
def test_what_only_looks_like_an_email_address_is_not_one(text):
    assert excerpts(find_emails, text) == []


def test_school_domains_and_allowed_addresses_are_not_flagged():
    context = CheckContext(school_domains=frozenset({"lycee-demo.fr"}),
                           allowed_emails=frozenset({"contact@tremplin.example"}))
    allowed = ("prof@lycee-demo.fr, lea.martin@eleves.lycee-demo.fr, "
               "cdi arobase lycee-demo point fr, contact@tremplin.example")
    assert excerpts(find_emails, allowed, context) == []
    flagged = ("lea@notlycee-demo.fr lea@lycee-demo.fr.evil.com "
               "other@tremplin.example lea@gmail.com")
    assert excerpts(find_emails, flagged, context) == [
        "lea@notlycee-demo.fr", "lea@lycee-demo.fr.evil.com", "other@tremplin.example",
        "lea@gmail.com"]


# --- postal addresses ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    ("J'habite au 5 bis rue des Lilas, passe !", "5 bis rue des Lilas"),
    ("Rendez-vous au 12, avenue Jean Jaurès.", "12, avenue Jean Jaurès"),
    ("j'habite rue Victor Hugo depuis deux ans", "rue Victor Hugo"),
    ("j'habite au 3 place du Marché.", "3 place du Marché"),
    ("J'habite au 12 rue des Lilas, 75011 Paris, passe me voir",
     "12 rue des Lilas, 75011 Paris"),
    ("Viens au 8 bd de la Liberté 59000 Lille", "8 bd de la Liberté 59000 Lille"),
    ("Rendez-vous au 1 rue du 8 Mai 1945 à Nantes", "1 rue du 8 Mai 1945"),
    ("j'habite 3 rue victor hugo depuis deux ans", "3 rue victor hugo"),
    ("mon adresse c'est 3 rue de la paix 75002 paris", "3 rue de la paix 75002 paris"),
    ("Siège : 5, av. Foch - 75016 Paris", "5, av. Foch - 75016 Paris"),
    ("J’habite rue d’Alsace.", "rue d’Alsace"),
    ("Mon adresse : 75011 Paris.", "75011 Paris"),
    ("Écrivez au BP 123, 13001 Marseille.", "BP 123, 13001 Marseille"),
    ("Come to 221B Baker Street!", "221B Baker Street"),
    ("10 Downing Street", "10 Downing Street"),
    ("I live at 42 Elm Road, near the station.", "42 Elm Road"),
    ("I live on Maple Avenue.", "Maple Avenue"),
    ("Flat 3, 12 High St", "Flat 3, 12 High St"),
    ("1600 Pennsylvania Ave NW", "1600 Pennsylvania Ave NW"),
    ("Send it to 123 Main St, Springfield, IL 62704.", "123 Main St, Springfield, IL 62704"),
    ("My postcode is SW1A 1AA.", "SW1A 1AA"),
    ("Postcodes M1 1AE and EC1A 1BB", "M1 1AE"),
])
def test_postal_addresses_are_found_whole(text, address):
    assert excerpts(find_addresses, text)[0] == address


@pytest.mark.parametrize("text", [
    "J'ai vu un accident dans la rue en rentrant.",
    "La rue principale de mon village est animée.",
    "Cette entreprise est une place de marché en ligne.",
    "Le 5 avenue, puis 3 rue : rien à signaler.",
    "Avenue Q est une comédie musicale.",
    "Baker Street est un film que j'ai aimé.",
    "Nous avons 2 places de parking et 3 cours de maths, 2 place de parking.",
    "Le stage est basé à Lyon 69003. Lieu du poste : 69003 Lyon.",
    "Poste basé à Lyon (69003), salaire 35000 euros.",
    "J'habite à Lyon depuis trois ans.",
    "I live in Manchester and study marketing.",
    "In 2019 Wall Street crashed; the office is on Oxford Street.",
    "A 2 TB Hard Drive, a 5 minutes drive, we were 2 very close friends.",
    "Top 10 Street Food, The Abbey Road album, I came second place.",
    "Je vends ma PS4 1TB.",
])
def test_what_only_looks_like_an_address_is_not_one(text):
    assert excerpts(find_addresses, text) == []


def test_the_school_address_whole_or_in_part_is_allowed():
    context = CheckContext(school_address="Lycée Jean Moulin, 12 rue des Écoles, 75005 PARIS")
    for text in ("Le lycée est au 12, rue des écoles - 75005 Paris.",
                 "Rendez-vous au 12 rue des Ecoles.", "Courrier : 75005 Paris"):
        assert excerpts(find_addresses, text, context) == [], text
    text = "Le lycée est au 12 rue des Écoles ; j'habite au 4 rue des Écoles."
    assert excerpts(find_addresses, text, context) == ["4 rue des Écoles"]


# --- all three -------------------------------------------------------------------------------

def test_hits_carry_their_category_message_and_fix():
    text = "06 12 34 56 78, lea@gmail.com, 5 rue des Lilas"
    hits = [*find_phones(text, CONTEXT), *find_emails(text, CONTEXT),
            *find_addresses(text, CONTEXT)]
    assert [hit.category for hit in hits] == [Category.PHONE, Category.EMAIL, Category.ADDRESS]
    assert all(hit.message and hit.fix for hit in hits)


def test_spans_are_offsets_in_the_original_text():
    # Emoji, a zero-width space, a wide letter and "İ" (which grows when lower-cased).
    text = ("😀 Ｌéa\u200b : appelle le 06 12 34 56 78 ou écris à İlea@gmail.com, "
            "5 rue des Lilas")
    assert excerpts(find_phones, text) == ["06 12 34 56 78"]
    assert excerpts(find_emails, text) == ["İlea@gmail.com"]
    assert excerpts(find_addresses, text) == ["5 rue des Lilas"]


def test_the_engine_reports_them_with_the_rule_and_the_excerpt(app):
    text = "Appelle-moi au 06 12 34 56 78 ou écris à lea point martin arobase gmail point com."
    with app.test_request_context():
        report = check_text(text, lang_code="fr")
    found = {(finding.category, finding.excerpt) for finding in report.findings}
    assert (Category.PHONE, "06 12 34 56 78") in found
    assert (Category.EMAIL, "lea point martin arobase gmail point com") in found


FRAGMENTS = [*"0123456789 +()-./@:,'aAeéİ\u200b\u200f😀ع", "zéro ", "six ", "douze ", "rue ",
             " at ", " point ", "arobase ", "Street ", "BP ", "gmail", "SW1A 1AA", "75011 "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=150).map("".join) | st.text(max_size=300))
def test_never_crashes_and_spans_stay_inside_the_text(text):
    for check in (find_phones, find_emails, find_addresses):
        for hit in check(text, CONTEXT):
            assert 0 <= hit.start < hit.end <= len(text)


def test_checks_stay_fast_even_on_long_adversarial_texts():
    texts = ["0 " * 20_000, "six " * 10_000, "a point " * 5_000 + "arobase",
             "1 rue " * 6_000, "A Street " * 4_000, "word at " * 5_000]
    started = time.perf_counter()
    for text in texts:
        for check in (find_phones, find_emails, find_addresses):
            list(check(text, CONTEXT))
    assert time.perf_counter() - started < 5  # linear: well under a second on a laptop
