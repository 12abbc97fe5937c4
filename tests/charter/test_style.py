"""The style checks: SMS language (rule 9) and informal register (rule 10), French and English.

What matters: the exact words are pointed at (spans in the original text, accents and capitals
included), the fix names the full form, classic abbreviations and the class's allowlist stay
clean, and the words that merely look like SMS or slang ("vitamine C", "don du sang", "mon
frère travaille", "Plan B", "U.S.") are never flagged.
"""

from __future__ import annotations

import time

import pytest
from flask_babel import force_locale

from sandbox.charter.engine.base import CheckContext
from sandbox.charter.engine import style


@pytest.fixture
def check(app):
    """(text, category, lang, allowlist) -> [(excerpt, message, fix)] in a request context."""
    def run(text: str, category: str = "sms", lang: str = "fr",
            allow: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
        find = style.find_sms if category == "sms" else style.find_register
        with app.test_request_context(), force_locale("en"):  # messages as written
            hits = list(find(text, CheckContext(lang=lang, sms_allowlist=allow)))
            assert all(hit.category.value == category for hit in hits)
            assert all(0 <= hit.start < hit.end <= len(text) for hit in hits)
            return [(text[hit.start:hit.end], str(hit.message), str(hit.fix)) for hit in hits]
    return run


def excerpts(found: list[tuple[str, str, str]]) -> list[str]:
    return [excerpt for excerpt, _, _ in found]


@pytest.mark.parametrize(("text", "lang", "words"), [
    ("slt tout le monde, jsp si je viens", "fr", ["slt", "jsp"]),
    ("Bjr, mdr, ptdr, lol", "fr", ["Bjr", "mdr", "ptdr", "lol"]),
    ("c trop bien, g fini. C pas grave", "fr", ["c", "g", "C"]),
    ("Je c pas", "fr", ["c"]),
    ("tkt stp pk pcq qqn bcp dsl mtn tjrs vrmt", "fr",
     ["tkt", "stp", "pk", "pcq", "qqn", "bcp", "dsl", "mtn", "tjrs", "vrmt"]),
    ("On se voit 2m1, a2m1, a+ et @+", "fr", ["2m1", "a2m1", "a+", "@+"]),
    ("Je suis ds le bus ac mon tuteur pr le stage", "fr", ["ds", "ac", "pr"]),
    ("jsais pa koi faire", "fr", ["jsais pa", "koi"]),
    ("g1 id pour le projet", "fr", ["g1 id"]),
    ("jpense et jtrouve, mais JPEG et json", "fr", ["jpense", "jtrouve"]),
    ("Thank u, how r u? y not", "en", ["u", "r", "u", "y"]),
    ("c u 2moro, I'll b there l8r", "en", ["c", "u", "2moro", "b", "l8r"]),
    ("idk btw omg thx pls tbh imo nvm ikr smh", "en",
     ["idk", "btw", "omg", "thx", "pls", "tbh", "imo", "nvm", "ikr", "smh"]),
    ("k thx", "en", ["k", "thx"]),
])
def test_sms_words_are_pointed_at(check, text, lang, words):
    assert excerpts(check(text, lang=lang)) == words


def test_the_fix_names_the_full_form(check):
    found = dict((excerpt, fix) for excerpt, _, fix in check("slt, jsp, tkt", lang="fr"))
    assert "Bonjour" in found["slt"]
    assert "je ne sais pas" in found["jsp"]
    assert "ne t'inquiète pas" in found["tkt"]
    found = dict((excerpt, fix) for excerpt, _, fix in check("see u 2moro", lang="en"))
    assert '"you"' in found["u"] or "« you »" in found["u"]
    assert "tomorrow" in found["2moro"]


def test_laughter_is_sms_with_its_own_message(check):
    found = check("mdr hahaha xD lol", lang="fr")
    assert excerpts(found) == ["mdr", "hahaha", "xD", "lol"]
    assert len({message for _, message, _ in found}) == 1
    assert found[0][1] != check("slt")[0][1]


def test_stretched_words_are_sms_and_written_normally(check):
    found = check("trooop bien, soooo cool, cooool, merciiii, mdrrr", lang="fr")
    assert excerpts(found) == ["trooop", "soooo", "cooool", "merciiii", "mdrrr"]
    fixes = [fix for _, _, fix in found]
    assert '"trop"' in fixes[0] and '"so"' in fixes[1] and '"cool"' in fixes[2]
    assert '"merci"' in fixes[3]


def test_case_and_missing_accents(check):
    assert excerpts(check("Oué. Jsp, Slt, oue, MDR", lang="fr")) == ["Oué", "Jsp", "Slt", "oue",
                                                                    "MDR"]
    assert excerpts(check("Ki vient ? Kan ?", lang="fr")) == ["Ki", "Kan"]
    # acronyms in capitals are not SMS: a "DS" is a test, "PK" a milestone, "DSL" a line
    assert check("J'ai un DS demain, au PK 12, sur ma ligne DSL, en pages JSP.") == []


def test_spans_are_offsets_in_the_original_text(check):
    text = "İstanbul, Été : c’est génial, jsp"
    found = check(text, lang="fr")
    assert excerpts(found) == ["jsp"]
    text = "Ça marche pas"
    assert excerpts(check(text, "register")) == ["Ça marche pas"]


def test_classic_abbreviations_are_allowed(check):
    text = ("Rdv pdt les vacances svp, cf. le planning, etc. M. et Mme Durand, Dr Martin, "
            "n° 4, env. 10 min, infos asap, e.g. i.e. vs FYI, CV, RH, BTS, BAC, CDI, CDD, "
            "SIRET, RSVP, OK, ok, PS")
    assert check(text, lang="fr") == []
    assert check(text, lang="en") == []


def test_the_class_allowlist_is_honoured(check):
    assert excerpts(check("jsp, pb, slt", lang="fr")) == ["jsp", "pb", "slt"]
    allowed = check("jsp, pb, slt", lang="fr", allow=frozenset({"pb", "slt"}))
    assert excerpts(allowed) == ["jsp"]
    assert check("le boulot", "register", allow=frozenset({"boulot"})) == []


@pytest.mark.parametrize("text", [
    "La vitamine C est bonne pour la santé.",
    "Je code en langage C, en C++ et en C#.",
    "Le C est un langage compilé.",
    "J'ai eu la note C à l'oral.",
    "Permis de catégorie B, plan B, option B.",
    "Le bâtiment C est fermé, salle C12.",
    "Vitamin C, C programming, grade B, the R programming language.",
    "A u-turn in the U.S., the UK, R&D, the Y-axis.",
    "I am here and a friend is there.",
    "Windows 11, Bac+2, 1er, 2e, 24/7, 10 k€, 5 g de sucre, 200 ms.",
    "J'ai 1 stage et 2 entretiens.",
    "Anglais niveau B1, espagnol A2.",
    "Nous avons un DS, un PB (personal best) et des TT.",
    "The koi pond is in the garden.",
    "Il y a un accident grave.",
    "See you on Monday. Are you coming? Why not?",
    "Je t'ai mis en cc : lis le courriel.",
    "La classe énergétique A+ est la meilleure.",
    "Un AVC est une urgence. Mettre en PLS. Dublin, IRL. La vitamine b1.",
    "Nous avons visité le chai du domaine.",
    "Merci de votre réponse, bonne journée.",
    "https://example.com/lol/jsp et lea.mdr@example.com et @jsp.conseil #mdr",
    "Louis XIII, le format AAA, www.example.com",
])
def test_no_false_alarm_on_sms_lookalikes(check, text):
    lang = "en" if text.startswith(("Vitamin", "A u-turn", "I am", "The koi", "See you")) else "fr"
    assert check(text, lang=lang) == []


def test_a_french_only_word_is_not_sms_in_english(check):
    assert excerpts(check("koi de neuf", lang="fr")) == ["koi"]
    assert check("koi fish", lang="en") == []


@pytest.mark.parametrize(("text", "lang", "words"), [
    ("Je sais pas, c'est pas grave", "fr", ["Je sais pas", "c'est pas"]),
    ("j'ai pas le temps, on a rien, je le sais pas", "fr",
     ["j'ai pas", "on a rien", "je le sais pas"]),
    ("C'est grave cool, j'ai grave kiffé", "fr", ["grave", "grave", "kiffé"]),
    ("Ouais grave", "fr", ["Ouais", "grave"]),
    ("J'ai kiffé, t'inquiète, y'a un souci", "fr", ["kiffé", "t'inquiète", "y'a"]),
    ("Le boulot, le taf, je bosse, la flemme", "fr", ["boulot", "taf", "bosse", "flemme"]),
    ("C'était trop bien et trop cool", "fr", ["trop bien", "trop cool"]),
    ("Merci frère ! Salut le sang, frérot, wesh", "fr",
     ["frère", "le sang", "frérot", "wesh"]),
    ("Un mec et une meuf, chelou et relou, truc de ouf", "fr",
     ["mec", "meuf", "chelou", "relou", "truc", "ouf"]),
    ("Genre il m'a dit non, en mode je m'en fiche", "fr", ["Genre", "en mode"]),
    ("j'sais, t'vois", "fr", ["j'sais", "t'vois"]),
    ("Faut pas hésiter, il est grave exigeant", "fr", ["Faut pas", "grave"]),
    ("J'ai capté, il s'est fait virer, c'était de la balle", "fr",
     ["capté", "fait virer", "de la balle"]),
    ("Super !!!", "fr", ["!!!"]),
    ("Vraiment ?!?", "fr", ["?!?"]),
    ("I'm gonna apply, I wanna work, gotta go", "en", ["gonna", "wanna", "gotta"]),
    ("Yeah, yep, nope, dude, that ain't right", "en", ["Yeah", "yep", "nope", "dude", "ain't"]),
    ("Thanks mate! Cheers bro", "en", ["mate", "bro"]),
])
def test_register_is_pointed_at(check, text, lang, words):
    assert excerpts(check(text, "register", lang=lang)) == words


@pytest.mark.parametrize(("text", "fixed"), [
    ("je sais pas", "je ne sais pas"),
    ("J'ai pas fini", "Je n'ai pas"),
    ("c'est pas facile", "ce n'est pas"),
    ("Il y a pas de souci", "Il n'y a pas"),
    ("je le sais pas", "je ne le sais pas"),
    ("t'as pas vu", "tu n'as pas"),
    ("Ça marche pas", "Ça ne marche pas"),
    ("on a jamais essayé", "on n'a jamais"),
])
def test_missing_ne_is_restored_in_the_fix(check, text, fixed):
    found = check(text, "register")
    assert len(found) == 1
    assert fixed in found[0][2]
    assert "ne" in found[0][1]


@pytest.mark.parametrize("text", [
    "Il y a eu un accident grave sur le chantier, rien de grave pour les clients.",
    "Une erreur grave, un accent grave. C'est grave ?",
    "Notre lycée organise un don du sang.",
    "Mon frère travaille dans la logistique, ma sœur aussi.",
    "Je suis passionné de mécanique, je vis à Nancy et j'adore le pain naan.",
    "Le soufflé au fromage, ouf, c'est fini.",
    "Le genre d'un nom, ce genre de poste, quel genre de travail ?",
    "Il a la bosse des maths ; une balle de tennis.",
    "Je ne sais pas encore. Ce n'est pas grave. Il n'y a pas de souci.",
    "J'avance pas à pas. Il y a pas mal de monde.",
    "Pas de problème, pourquoi pas ?",
    "Ne t'inquiète pas, tu t'es bien débrouillé, je t'avais prévenu.",
    "Passe ton téléphone en mode avion.",
    "Du coup, c'est cool, super, génial. Bref, c'est sympa.",
    "Il fait trop chaud, c'est trop cher, il est trop tard, trop beau pour être vrai.",
    "Il y a un poste à pourvoir. Y a-t-il un parking ?",
    "I was sick last week; I lit a candle; my team mate helped.",
    "It was a cool and awesome experience, and the stuff was super.",
    "The music genre, a grave concern, Nancy and Ben.",
    "Bravo !",
    "C'est grave de ne pas prévenir ; son état est grave depuis hier.",
    "J'ai viré l'argent sur le compte, l'antenne a capté le signal.",
])
def test_no_false_alarm_on_register_lookalikes(check, text):
    lang = "en" if text.startswith(("I was", "It was", "The music")) else "fr"
    assert check(text, "register", lang=lang) == []


def test_lexicons_load_once_and_never_flag_an_allowed_word():
    sms = style.load("sms")
    assert style.load("sms") is sms
    assert not sms.allowed & set(sms.index)
    register = style.load("register")
    assert {"jsp", "slt", "u", "c"} <= set(sms.index)
    assert {"boulot", "gonna", "frere"} <= set(register.index)


def test_the_spelling_check_can_ask_which_words_are_style():
    assert style.is_style_word("slt") and style.is_style_word("JSP")
    assert style.is_style_word("pdt") and style.is_style_word("boulot")
    assert not style.is_style_word("entreprise")


def test_fast_enough_for_every_keystroke(app):
    post = ("Bonjour à tous ! Je suis en BTS Commerce International et je cherche un stage de "
            "huit semaines dans l'import-export. jsp si c trop tard, mais je sais pas quoi "
            "mettre dans mon CV. Merci @claire.r pour tes conseils, c'était grave cool !!! "
            "RT super article sur l'alternance. See u 2moro at the fair, thx!")
    context = CheckContext(lang="fr")
    with app.test_request_context():
        style.find_sms(post, context)
        started = time.perf_counter()
        for number in range(200):
            text = f"{post} {number}"
            list(style.find_sms(text, context))
            list(style.find_register(text, context))
        per_post = (time.perf_counter() - started) / 200
    assert per_post < 0.005  # measured ~0.2 ms; generous for a busy CI machine
