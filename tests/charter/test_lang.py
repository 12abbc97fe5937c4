"""Which language a text is read in: French or English, French on a tie."""

from __future__ import annotations

import pytest

from sandbox.charter.engine.lang import detect_language


@pytest.mark.parametrize("text", [
    "", "   ", "ok", "slt", "mdr", "😀🎉", "12/05 14h30", "#i4emploi @lea.martin", "BTS CI",
    "Lycée Jean Moulin",
])
def test_a_text_without_signal_is_french(text):
    assert detect_language(text) == "fr"


@pytest.mark.parametrize(("text", "lang"), [
    ("Merci", "fr"),
    ("Thanks", "en"),
    ("Hi!", "en"),
    ("Bonjour à tous", "fr"),
    ("Hello everyone", "en"),
    ("I am a student", "en"),
    ("J'ai adoré", "fr"),
    ("Don't give up", "en"),
    ("C’est top", "fr"),
    ("on a fini le projet", "fr"),
    ("a plus", "fr"),
    ("Super atelier aujourd'hui", "fr"),
    ("Great workshop today, thanks to the team", "en"),
    ("je cherche un stage en comerce", "fr"),
    ("Their going to the meeting tommorow", "en"),
    ("il faut que je fais mon CV", "fr"),
    ("I am looking for an internshp", "en"),
])
def test_short_texts(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(("text", "lang"), [
    # Words both languages share count for neither ("a", "on", "job", "stage", "car").
    ("Open to work ! Je cherche un stage en marketing", "fr"),
    ("I did my BTS at Lycée Jean Moulin and a stage in Lyon", "en"),
    ("I'm doing my stage de fin d'études at a logistics company", "en"),
    ("Je cherche un job étudiant, any idea?", "fr"),
    ("Le feedback du meeting était top, thanks the team", "fr"),
    ("Thanks for the webinar, c'était génial", "fr"),
])
def test_mixed_texts_go_to_the_language_of_their_grammar(text, lang):
    assert detect_language(text) == lang


def test_a_long_text_is_read_from_its_beginning():
    english = "I am looking for an internship in logistics and I would love to hear from you. "
    assert detect_language(english * 20 + "Je suis motivée. " * 500) == "en"
