"""French first, English complete: switching, preferences, dates, and a catalogue never stale."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sandbox.extensions import db
from sandbox.i18n import compiled_catalogue_is_current
from sandbox.posts.models import Post

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "sandbox" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    method_map = [("sandbox/**.py", "python"), ("templates/**.html", "jinja2")]
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_source_string_has_a_french_translation():
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            translated[key] = strings
    missing = sorted(_source_messages() - set(translated))
    assert not missing, (
        "strings without a French translation (run `pybabel extract`/`update`, then translate): "
        f"{missing}"
    )


def test_placeholders_survive_translation():
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle)
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        assert set(placeholder.findall(message.id)) == set(placeholder.findall(message.string)), (
            message.id
        )


def test_compiled_catalogue_matches_its_source():
    """The .mo is built at install; a stale one (an edited .po not recompiled) fails here."""
    assert MO_FILE.is_file(), "run `pybabel compile -d sandbox/translations` (or reinstall)"
    assert compiled_catalogue_is_current(PO_FILE, MO_FILE), (
        "run `pybabel compile -d sandbox/translations` (or reinstall)"
    )


def test_an_edited_source_makes_the_compiled_catalogue_stale(tmp_path):
    source = tmp_path / "messages.po"
    source.write_bytes(PO_FILE.read_bytes().replace(
        b'msgstr "Se connecter"', b'msgstr "Connexion"', 1))
    assert source.read_bytes() != PO_FILE.read_bytes()
    assert not compiled_catalogue_is_current(source, MO_FILE)


def test_french_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Se connecter" in page


def test_switching_to_english_and_back(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in to Tremplin" in page
    client.post("/language", data={"language": "fr"})
    assert '<html lang="fr">' in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused_politely(client):
    response = client.post("/language", data={"language": "de"}, follow_redirects=True)
    assert "Cette langue n’est pas disponible." in response.get_data(as_text=True)


def test_language_choice_is_saved_for_the_user(client_as, school, app):
    student = school["student"]
    client = client_as(student)
    client.post("/language", data={"language": "en"})
    db.session.refresh(student)
    assert student.locale == "en"
    other_browser = client_as(student)
    assert "News from your network" in other_browser.get("/").get_data(as_text=True)


def test_dates_follow_the_users_language(client_as, school):
    post = Post(author_id=school["student"].id, body="Bonjour à tous",
                created_at=datetime(2026, 3, 5, 14, 30))
    db.session.add(post)
    db.session.commit()
    client = client_as(school["student"])
    assert "5 mars 2026" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "Mar 5, 2026" in client.get("/").get_data(as_text=True)


def test_lazy_strings_are_escaped_in_pages_and_plain_in_json(app):
    from flask import json, render_template_string
    from flask_babel import force_locale
    from flask_babel import lazy_gettext as _l
    from markupsafe import escape

    with app.test_request_context(), force_locale("en"):
        text = _l("Only the class %(name)s", name="<b>BTS</b>")
        assert render_template_string("{{ text }}", text=text) == \
            "Only the class &lt;b&gt;BTS&lt;/b&gt;"
        assert escape(text) == "Only the class &lt;b&gt;BTS&lt;/b&gt;"  # what WTForms calls
        assert json.loads(json.dumps({"message": text})) == {"message": "Only the class <b>BTS</b>"}
