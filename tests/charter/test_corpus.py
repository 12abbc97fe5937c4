"""The engine against our own corpus of French and English sentences (tests/charter/corpus/).

Each entry names the categories a sentence must be found breaking; a sentence with none is a
clean one, tricky on purpose (dates, amounts, "vitamine C", Scunthorpe…), where the engine must
find nothing at all. The default charter is used, so every category is checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sandbox.charter.engine import Category, check_text

CORPUS = Path(__file__).parent / "corpus"


def _entries() -> list:
    entries = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for number, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), 1):
            expected = [Category(code) for code in entry.get("expect", [])]
            entries.append(pytest.param(entry["text"], entry.get("lang", "auto"), expected,
                                        id=f"{path.stem}-{number}"))
    return entries


ENTRIES = _entries()


def test_the_corpus_is_large_and_varied():
    texts = [entry.values[0] for entry in ENTRIES]
    violations = [entry for entry in ENTRIES if entry.values[2]]
    assert len(set(texts)) >= 150
    assert len(violations) >= 75 and len(texts) - len(violations) >= 60
    found = {category for entry in violations for category in entry.values[2]}
    assert found >= set(Category) - {Category.PHOTO_CONSENT}


@pytest.mark.parametrize(("text", "lang", "expected"), ENTRIES)
def test_sentence(text, lang, expected):
    # The engine is pure: no app needed (messages are then in English, the source language).
    report = check_text(text, lang_code=lang)
    found = {finding.category for finding in report.findings}
    if expected:
        assert set(expected) <= found, report.findings
    else:
        assert not report.findings, report.findings
