"""Helpers to store Python enums as readable strings on every database engine."""

from __future__ import annotations

import enum

import sqlalchemy as sa


def enum_column_type(enum_class: type[enum.Enum], length: int = 20) -> sa.Enum:
    """A VARCHAR holding the enum's values (not its names), with no engine-specific type."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
