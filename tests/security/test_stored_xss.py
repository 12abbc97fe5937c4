"""Stored XSS and CSV injection: hostile text in every text column, every page read as every role.

The authorization matrix's school (tests/test_authorization.py) has something in nearly every
table. Every free-text column of every table is then overwritten, in the database, with a
payload that is at once HTML (a script, an image with an error handler, a broken attribute) and
a spreadsheet formula; profile links become `javascript:` URLs. Every page of the matrix that a
role may read is then fetched as that role:

- HTML: the payload never comes back as markup, and no link runs JavaScript;
- JSON: fields that carry HTML (`html`, `*_html`) hold it escaped;
- CSV: no cell starts a formula;
- ZIP (a student's data archive): the same, for each file inside.

Writing the columns directly (not through the forms) also covers what the charter would
refuse: whatever is stored, however it got there, must be displayed safely.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from sandbox.extensions import db
from tests.authz import ROLES
from tests.test_authorization import MATRIX, school_with_entries  # noqa: F401 (fixture)

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
ATTRIBUTE = "\"'><svg onload=alert(3)>"
FORMULA = "=HYPERLINK(\"x\")"
PAYLOADS = (  # the longest that fits the column
    FORMULA + SCRIPT + IMAGE + ATTRIBUTE,
    FORMULA + SCRIPT + IMAGE,
    SCRIPT,
    "<svg onload=alert(5)>",
)
MARKUP = (SCRIPT, IMAGE, "<svg onload=")
JAVASCRIPT_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)

# Free text people write or read; not identifiers, codes, paths, hashes or hashtags.
TEXT_COLUMNS = {
    "classes": ("name",),
    "companies": ("name", "city", "description"),
    "schools": ("name", "city"),
    "charter_rules": ("title_fr", "title_en", "text_fr", "text_en"),
    "users": ("first_name", "last_name", "pseudonym"),
    "audit_entries": ("reason",),
    "charter_findings": ("excerpt", "context"),
    "class_charters": ("school_address",),
    "company_reviews": ("liked", "advice"),
    "contact_lists": ("name",),
    "exercises": ("title",),
    "groups": ("name", "description"),
    "introductions": ("note",),
    "invitations": ("message",),
    "job_offers": ("title", "city", "duration", "description"),
    "moderation_cases": ("excerpt",),
    "network_outcomes": ("note",),
    "personas": ("job_title",),
    "profiles": ("headline", "about", "city", "contact_email", "contact_phone"),
    "recommendations": ("text",),
    "rubric_criteria": ("label_fr", "label_en", "description_fr", "description_en"),
    "applications": ("cover_letter", "recruiter_email"),
    "exercise_phases": ("name",),
    "exercise_teams": ("name",),
    "grades": ("comment",),
    "messages": ("body",),
    "posts": ("body",),
    "profile_education": ("school", "diploma"),
    "profile_experiences": ("role", "organisation", "description"),
    "profile_languages": ("language",),
    "profile_links": ("label",),
    "profile_skills": ("name",),
    "reports": ("details",),
    "comments": ("body",),
}


def _payload_for(column: sa.Column) -> str | None:
    length = getattr(column.type, "length", None)
    for payload in PAYLOADS:
        if length is None or len(payload) + 10 <= length:  # room for the row's id
            return payload
    return None


def poison_every_text_column() -> int:
    """Overwrite the free-text columns; returns how many rows were changed."""
    tables = db.metadata.tables
    changed = 0
    for table_name, column_names in TEXT_COLUMNS.items():
        table = tables[table_name]
        # The row's id after the payload: a name unique in its exercise or class stays so.
        row_id = sa.cast(list(table.primary_key.columns)[0], sa.String)
        values = {}
        for name in column_names:
            payload = _payload_for(table.c[name])
            if payload is not None:
                values[name] = sa.literal(payload, sa.String) + row_id
        changed += db.session.execute(table.update().values(**values)).rowcount or 0
    links = tables["profile_links"]
    db.session.execute(links.update().values(url="javascript:alert(4)"))
    db.session.commit()
    db.session.expire_all()
    return changed


def test_the_columns_named_here_exist_and_hold_text(app):
    tables = db.metadata.tables
    for table_name, column_names in TEXT_COLUMNS.items():
        for name in column_names:
            column = tables[table_name].c[name]
            assert isinstance(column.type, sa.String | sa.Text), f"{table_name}.{name}"
            assert _payload_for(column) is not None, f"{table_name}.{name} is too short"


def _check_html(text: str, where: str) -> None:
    for markup in MARKUP:
        found = text.find(markup)
        assert found < 0, f"{where}: comes back as markup: …{text[max(0, found - 300):found + 80]}…"
    assert not JAVASCRIPT_LINK.search(text), f"{where}: a link runs JavaScript"


def _check_json(value: object, where: str, key: str = "") -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _check_json(item, where, str(name))
    elif isinstance(value, list):
        for item in value:
            _check_json(item, where, key)
    elif isinstance(value, str) and (key == "html" or key.endswith("_html")):
        _check_html(value, f"{where} [{key}]")


def _check_csv(text: str, where: str) -> None:
    dialect = ";" if text.lstrip("\ufeff").split("\n", 1)[0].count(";") else ","
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=dialect):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), f"{where}: a cell starts a formula"
            assert not (cell.startswith("-") and not re.fullmatch(r"-[\d.,]+", cell)), \
                f"{where}: a cell starts a formula"


def _check_body(content_type: str, body: bytes, where: str) -> None:
    if content_type.startswith("text/html"):
        _check_html(body.decode("utf-8"), where)
    elif content_type.startswith("application/json"):
        _check_json(json.loads(body), where)
    elif content_type.startswith("text/csv"):
        _check_csv(body.decode("utf-8-sig"), where)
    elif content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                inner = archive.read(name)
                if name.endswith((".html", ".htm")):
                    _check_html(inner.decode("utf-8"), f"{where} {name}")
                elif name.endswith(".csv"):
                    _check_csv(inner.decode("utf-8-sig"), f"{where} {name}")


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_hostile_text_comes_back_escaped_on_every_page(role, school_with_entries, client_as):
    school = school_with_entries
    assert poison_every_text_column() > 100
    user = school[role]
    read = shown = 0
    for endpoint, cases in MATRIX.items():
        for case in cases:
            if case.method != "GET" or case.expected[role] != 200:
                continue
            url = case.url(school)
            response = client_as(user).get(url)
            where = f"GET {url} ({endpoint}) as {role}"
            assert response.status_code == 200, f"{where}: {response.status_code}"
            body = response.get_data()
            _check_body(response.content_type, body, where)
            response.close()
            read += 1
            shown += b"&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert read > 40  # the pages of every feature, not a handful
    assert shown > 20  # and the payload was there to see, escaped
