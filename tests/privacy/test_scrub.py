"""Blanking an erased student's name and @handle in what others wrote."""

from __future__ import annotations

import unicodedata

from sandbox.extensions import db
from sandbox.privacy.scrub import Traces, blank, blank_json, search_terms, traces_of


def test_handles_and_names_are_blanked_to_the_same_length():
    traces = Traces(handles=frozenset({"lea.k"}), names=frozenset({"léa kerbrat"}))
    text = "Bravo @Lea.K, et merci Léa Kerbrat ! (@lea.kx reste, lea.k aussi)"
    blanked = blank(text, traces)
    assert blanked == "Bravo @•••••, et merci ••••••••••• ! (@lea.kx reste, lea.k aussi)"
    assert len(blanked) == len(text)
    assert blank("", traces) == ""


def test_a_name_someone_else_bears_is_left_alone(school, factories):
    lea = school["student"]
    lea.pseudonym = "Lea K"
    db.session.commit()
    factories.make_student(school["other_class"], username="lea.martin2", first_name="Lea",
                           last_name="Martin")
    traces = traces_of(lea)
    assert "léa martin" not in traces.names and "lea.martin" not in traces.handles
    assert "lea k" in traces.names and "lea.k" in traces.handles


def test_an_accented_name_is_found_whatever_its_case_spaces_and_encoding():
    traces = Traces(handles=frozenset(), names=frozenset({"élodie étienne"}))
    decomposed = unicodedata.normalize("NFD", "Élodie Étienne")
    for written in ("Élodie Étienne", "ÉLODIE ÉTIENNE", "élodie\u00a0 étienne", decomposed):
        text = f"Bravo à {written} !"
        assert blank(text, traces) == f"Bravo à {'•' * len(written)} !", written
    for other in ("Élodie Étiennette", "Élodie Étienne\u0301"):
        assert blank(other, traces) == other
    apostrophe = Traces(handles=frozenset(), names=frozenset({"inès n'diaye"}))
    assert blank("Merci Inès N’Diaye", apostrophe) == "Merci ••••••••••••"


def test_the_database_is_searched_by_a_part_every_engine_compares_without_case():
    assert search_terms("élodie étienne") == {"tienne"}
    assert search_terms("@elodie.etienne") == {"@elodie.etienne"}
    short = search_terms("zoé lê")  # no ASCII part long enough: the name in several forms
    assert {"zoé lê", "ZOÉ LÊ", "Zoé Lê", r"zo\u00e9 l\u00ea"} <= short
    assert unicodedata.normalize("NFD", "Zoé Lê") in short


def test_json_values_are_blanked_keys_and_numbers_kept():
    traces = Traces(handles=frozenset({"lea.k"}), names=frozenset())
    value = {"findings": [{"excerpt": "@lea.k", "start": 3}], "lea.k": True}
    assert blank_json(value, traces) == {"findings": [{"excerpt": "@•••••", "start": 3}],
                                         "lea.k": True}
