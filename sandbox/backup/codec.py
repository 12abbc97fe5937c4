"""Column values to JSON and back, the same way whatever the database engine.

A backup stores each row as a JSON array. What SQLite and PostgreSQL return for a column differs
only in representation (a `datetime` either way once SQLAlchemy's types have read it), so the
values are written from their Python form and read back through the column's type: a backup
made on one engine restores on the other.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

Decoder = Callable[[Any], Any]


def encode(value: Any) -> Any:
    """A value of a row, as JSON can hold it."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _identity(value: Any) -> Any:
    return value


def decoder_for(column: sa.Column) -> Decoder:
    """How to turn what `encode` wrote back into what the column's type takes."""
    column_type = column.type
    if isinstance(column_type, sa.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
        enum_class = column_type.enum_class
        return lambda value: enum_class(value)
    if isinstance(column_type, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, sa.Date):
        return date.fromisoformat
    if isinstance(column_type, sa.Time):
        return time.fromisoformat
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Float):
        return Decimal
    if isinstance(column_type, sa.LargeBinary):
        return base64.b64decode
    return _identity


def row_decoder(columns: list[sa.Column]) -> Callable[[list[Any]], dict[str, Any]]:
    """A function turning one stored row (a list, in `columns`' order) into insertable values."""
    decoders = [(column.key, decoder_for(column)) for column in columns]

    def decode(values: list[Any]) -> dict[str, Any]:
        return {key: None if value is None else convert(value)
                for (key, convert), value in zip(decoders, values, strict=True)}

    return decode
