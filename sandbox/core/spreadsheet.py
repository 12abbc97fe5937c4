"""CSV files that open as they should in a spreadsheet, French or English.

French spreadsheets read `;` between cells and a decimal comma; English ones `,` and a decimal
point. Both get UTF-8 with a byte order mark (without it, Excel shows "Ã©" for "é"), CRLF line
ends, and no cell a spreadsheet would run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date

from flask import Response

from sandbox.core.text import fold

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvDialect(enum.StrEnum):
    FR = "fr"  # ; and 12,5
    EN = "en"  # , and 12.5

    @property
    def delimiter(self) -> str:
        return ";" if self is CsvDialect.FR else ","

    @classmethod
    def chosen(cls, value: str | None, language: str) -> CsvDialect:
        """The dialect asked for (`?format=fr|en`), else the one of the reader's language."""
        for dialect in cls:
            if value == dialect.value:
                return dialect
        return cls.FR if language.startswith("fr") else cls.EN


def safe_cell(value: object) -> str:
    """The cell as text; one that a spreadsheet would take for a formula is quoted with '."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def number_cell(value: float | int | None, dialect: CsvDialect, places: int = 2) -> str:
    """A number as the spreadsheet reads one: "12,5" in French, "12.5" in English; empty for
    None. Trailing zeros go ("15" rather than "15,00"); negative numbers stay numbers."""
    if value is None:
        return ""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".") if places else f"{value:.0f}"
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if dialect is CsvDialect.FR else text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]],
             dialect: CsvDialect) -> str:
    """The whole file: BOM, header, rows. Text cells go through `safe_cell`; cells that are
    already numbers formatted by `number_cell` must be passed as `Number`."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([cell.text if isinstance(cell, Number) else safe_cell(cell)
                         for cell in row])
    return out.getvalue()


class Number:
    """A cell already formatted as a number (a leading "-" is a sign there, not a formula)."""

    __slots__ = ("text",)

    def __init__(self, value: float | int | None, dialect: CsvDialect, places: int = 2) -> None:
        self.text = number_cell(value, dialect, places)


def dated_filename(stem: str, name: str, today: date) -> str:
    """`notes-bts-ci-1-2026-11-22.csv`: what it is, whose (a name as ASCII words), the day."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60]
    return f"{stem}-{words}-{today:%Y-%m-%d}.csv" if words else f"{stem}-{today:%Y-%m-%d}.csv"


def csv_download(text: str, filename: str) -> Response:
    """The file as an attachment that no cache keeps (grades and logs are personal data)."""
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
