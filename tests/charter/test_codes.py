"""The codes of the network (rule 8): a share names its source, a mention names someone."""

from __future__ import annotations

import pytest

from sandbox.charter.engine import codes
from sandbox.charter.engine.base import Category, CheckContext


@pytest.fixture
def check(app):
    """(text, handle_exists) -> [(excerpt, message)] in a request context."""
    def run(text: str, handle_exists=None) -> list[tuple[str, str]]:
        with app.test_request_context():
            hits = list(codes.find_codes(text, CheckContext(handle_exists=handle_exists)))
            assert all(hit.category is Category.CODES for hit in hits)
            assert all(hit.fix for hit in hits)
            return [(text[hit.start:hit.end], str(hit.message)) for hit in hits]
    return run


def excerpts(found: list[tuple[str, str]]) -> list[str]:
    return [excerpt for excerpt, _ in found]


@pytest.mark.parametrize(("text", "spans"), [
    ("RT super article sur l'alternance", ["RT"]),
    ("RT: must read for job seekers", ["RT"]),
    ("rt les dix erreurs à éviter", ["rt"]),
    ("Super article RT", ["RT"]),
    ("Repost : cinq conseils pour ton CV", ["Repost"]),
    ("Article à lire (via)", ["via"]),
    ("Une offre intéressante, repris de", ["repris de"]),
    ("Les chiffres du chômage (source : ?)", ["source : ?"]),
    ("Source : Internet.", ["Source : Internet"]),
    ("Tout est vrai (source ?)", ["(source ?)"]),
])
def test_a_share_without_its_source(check, text, spans):
    assert excerpts(check(text)) == spans


@pytest.mark.parametrize("text", [
    "RT @claire.r : super article",
    "RT super article https://example.com/article",
    "RT super article de lemonde.fr",
    "RT Les Échos : la logistique recrute",
    "RT super article de Claire Martin sur l'export",
    "Super article, via @entreprise",
    "Article intéressant, via LinkedIn.",
    "J'ai postulé via le site de l'entreprise.",
    "Je pars en RTT, l'ART du départ, PARTIR, la norme RT 2012, un test RT-PCR.",
    "Source : Insee, enquête emploi.",
    "Quelle est la source ? Je la cherche.",
    "Le resort du groupe, the report, a sport.",
])
def test_a_share_that_names_its_source_or_no_share_at_all(check, text):
    assert check(text) == []


@pytest.mark.parametrize(("text", "spans"), [
    ("Merci à @ pour son aide", ["@"]),
    ("Bravo @@claire.r", ["@@claire.r"]),
    ("Bravo à @@ pour la présentation", ["@@"]),
    ("Merci @jo !", ["@jo"]),
    ("Fin de message @", ["@"]),
])
def test_a_mention_of_nobody(check, text, spans):
    found = check(text)
    assert excerpts(found) == spans


@pytest.mark.parametrize("text", [
    "Écris à lea.martin@gmail.com",
    "lea @ gmail.com",
    "10 € @ l'unité",
    "@+ tout le monde",
    "https://medium.com/@claire/un-article",
    "Bravo @claire.r et @hugo.petit !",
    "Merci @claire.r.",
])
def test_not_a_mention_of_nobody(check, text):
    assert check(text) == []


def test_unknown_handles_are_flagged_only_when_the_engine_can_ask(check):
    text = "Bravo @claire.r et @personne.inconnue, merci @Claire.R."
    assert check(text) == []
    asked: list[str] = []

    def exists(handle: str) -> bool:
        asked.append(handle)
        return handle == "claire.r"

    found = check(text, exists)
    assert excerpts(found) == ["@personne.inconnue"]
    assert "nobody you can see" in found[0][1] or "personne" in found[0][1]
    assert asked == ["claire.r", "personne.inconnue"]  # each handle asked once, lower-cased


def test_handles_are_read_as_the_posts_read_them(check):
    # A trailing dot ends the sentence, not the handle (sandbox.posts.text.tokens).
    found = check("Merci @inconnu.", lambda handle: False)
    assert excerpts(found) == ["@inconnu"]


def test_mentions_and_shares_cost_nothing_without_markers(check):
    assert check("Bonjour à tous, je cherche un stage en logistique.") == []
