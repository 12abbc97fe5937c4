"""Importing a class roster from a spreadsheet's CSV: every row is checked before anything is written.

French spreadsheets save CSV with semicolons and, on Windows, in Windows-1252; others use commas
and UTF-8 (sometimes with a byte-order mark). All of these are accepted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from sandbox.accounts.models import Role, User
from sandbox.accounts.services import build_user, generate_one_time_password
from sandbox.activity.services import record_event
from sandbox.classes.models import SchoolClass
from sandbox.classes.services import LoginCard, require_class_manager
from sandbox.core.errors import ServiceError
from sandbox.core.validation import NAME_MAX_LENGTH, has_control_characters
from sandbox.extensions import db

MAX_ROWS = 300
MAX_BYTES = 512 * 1024

_FIRST_NAME_HEADERS = {"prenom", "first name", "firstname", "first_name", "given name"}
_LAST_NAME_HEADERS = {"nom de famille", "last name", "lastname", "last_name", "surname",
                      "family name"}
_FULL_NAME_HEADERS = {"nom complet", "name", "full name", "fullname", "eleve", "student",
                      "nom et prenom", "nom prenom", "nom"}
_PSEUDONYM_HEADERS = {"pseudo", "pseudonyme", "pseudonym", "nickname"}


class RosterError(ServiceError):
    """The file cannot be imported; `problems` lists each bad row with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_l("The file was not imported: nothing has been changed."))
        self.problems = problems


@dataclass(frozen=True)
class RosterRow:
    line: int
    first_name: str
    last_name: str
    pseudonym: str


def _fold(text: str) -> str:
    """Lowercase ASCII, accents removed: 'Prénom ' -> 'prenom'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def decode_roster(raw: bytes) -> str:
    """UTF-16 ("Unicode text" exports) by its byte-order mark, else UTF-8, else Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _guess_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def split_full_name(full_name: str) -> tuple[str, str]:
    """'DUPRÉ Mathieu' or 'Mathieu Dupré' -> ('Mathieu', 'Dupré').

    School software exports 'NOM Prénom' with the family name in capitals: capitalised words are
    the family name. Otherwise the first word is the first name.
    """
    words = full_name.split()
    if len(words) == 1:
        return words[0], ""
    upper = [w for w in words if w.isupper() and len(w.strip("-'")) > 1]
    if upper and len(upper) < len(words):
        rest = [w for w in words if w not in upper]
        return " ".join(rest), " ".join(w.title() for w in upper)
    return words[0], " ".join(words[1:])


def parse_roster(raw: bytes) -> list[RosterRow]:
    """Every row of the file, or RosterError listing every problem (with its line number)."""
    if len(raw) > MAX_BYTES:
        raise RosterError([str(_l("The file is too large (512 kB at most)."))])
    text = decode_roster(raw)
    if "\x00" in text:
        raise RosterError([str(_l("This file is not a CSV text file. Save the list as CSV."))])
    # newline="" lets the csv module handle every line ending (Windows, Unix, old Mac).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for row in reader:
            # A quoted cell may span lines: a row is known by the file line it starts on.
            cells = [cell.strip() for cell in row]
            if any(cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error:
        raise RosterError(
            [str(_l("Line %(line)d: this line cannot be read as CSV.", line=reader.line_num))]
        ) from None
    if not rows:
        raise RosterError([str(_l("The file is empty."))])

    columns = _columns_from_header(rows[0][1])
    if columns is not None:
        rows = rows[1:]
    else:
        columns = {"full": 0, "pseudonym": 1}

    problems: list[str] = []
    parsed: list[RosterRow] = []
    for number, cells in rows:
        row, problem = _parse_row(number, cells, columns)
        if problem:
            problems.append(problem)
        elif row is not None:
            parsed.append(row)
    if len(parsed) > MAX_ROWS:
        problems.append(str(_l("At most %(count)d students per import.", count=MAX_ROWS)))
    if not parsed and not problems:
        problems.append(str(_l("The file has no student rows.")))
    if problems:
        raise RosterError(problems)
    return parsed


def _columns_from_header(cells: list[str]) -> dict[str, int] | None:
    folded = [_fold(cell) for cell in cells]
    known = _FIRST_NAME_HEADERS | _LAST_NAME_HEADERS | _FULL_NAME_HEADERS | _PSEUDONYM_HEADERS
    if not any(cell in known for cell in folded):
        return None
    columns: dict[str, int] = {}
    has_first = any(cell in _FIRST_NAME_HEADERS for cell in folded)
    for index, cell in enumerate(folded):
        if cell in _FIRST_NAME_HEADERS:
            columns.setdefault("first", index)
        elif cell in _LAST_NAME_HEADERS or (cell == "nom" and has_first):
            columns.setdefault("last", index)
        elif cell in _FULL_NAME_HEADERS:
            columns.setdefault("full", index)
        elif cell in _PSEUDONYM_HEADERS:
            columns.setdefault("pseudonym", index)
    return columns


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())


def _parse_row(
    number: int, cells: list[str], columns: dict[str, int]
) -> tuple[RosterRow | None, str | None]:
    if any(has_control_characters(cell) for cell in cells):
        return None, str(
            _l("Line %(line)d: this line contains invisible characters.", line=number)
        )
    first = _cell(cells, columns, "first")
    last = _cell(cells, columns, "last")
    full = _cell(cells, columns, "full")
    if not (first or last) and full:
        first, last = split_full_name(full)
    elif bool(first) != bool(last) and " " in (first or last):
        # "LEFÈVRE Anne" typed in a single column of a two-column roster.
        first, last = split_full_name(first or last)
    pseudonym = _cell(cells, columns, "pseudonym")
    if not first and not last:
        return None, str(_l("Line %(line)d: the student's name is missing.", line=number))
    if max(len(first), len(last), len(pseudonym)) > NAME_MAX_LENGTH:
        return None, str(
            _l("Line %(line)d: a name has %(count)d characters at most.", line=number,
               count=NAME_MAX_LENGTH)
        )
    return RosterRow(number, first or last, last if first else "", pseudonym), None


def _username_base(row: RosterRow) -> str:
    base = ".".join(part for part in (_fold(row.first_name), _fold(row.last_name)) if part)
    base = re.sub(r"[^a-z0-9.]+", "-", base).strip(".-")
    return (base or "eleve")[:34]


def import_roster(actor: User, klass: SchoolClass, raw: bytes) -> list[LoginCard]:
    """Create one student per row with a one-time password; all rows or none."""
    require_class_manager(actor, klass)
    rows = parse_roster(raw)
    bases = {_username_base(row) for row in rows}
    taken = set(
        db.session.scalars(
            sa.select(User.username).where(
                sa.or_(*(User.username.like(f"{base}%") for base in bases))
            )
        )
    )
    cards: list[LoginCard] = []
    for row in rows:
        base = _username_base(row)
        username, suffix = base, 1
        while username in taken:
            suffix += 1
            username = f"{base}{suffix}"
        taken.add(username)
        password = generate_one_time_password()
        student = build_user(
            username=username,
            role=Role.STUDENT,
            first_name=row.first_name,
            last_name=row.last_name,
            password=password,
            pseudonym=row.pseudonym or None,
            class_id=klass.id,
            must_change_password=True,
        )
        cards.append(
            LoginCard(
                display_name=f"{student.first_name} {student.last_name}".strip(),
                username=username,
                password=password,
                class_name=klass.name,
            )
        )
    try:
        db.session.flush()
    except IntegrityError:  # an account took one of these usernames meanwhile
        db.session.rollback()
        raise RosterError(
            [str(_l("Someone created an account at the same moment: import the file again."))]
        ) from None
    record_event(actor, "roster_imported", klass, students=len(cards))
    db.session.commit()
    return cards
