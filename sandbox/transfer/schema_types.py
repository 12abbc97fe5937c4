"""The building blocks of the class document's schema: strict parts, dates, keys, limits."""

from __future__ import annotations

import json
from collections.abc import Collection, Hashable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from sandbox.accounts.services import USERNAME_PATTERN


def _naive_utc(value: datetime) -> datetime:
    """Dates are stored as naive UTC; a date written with a time zone is brought back to it."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


Value = TypeVar("Value", bound=Hashable)


def _not_one_of(value: Any, allowed: Collection[Any]) -> ValueError:
    # The possible values as JSON writes them: "" for an empty one, numbers without quotes.
    return ValueError(_("“%(value)s” is not one of the possible values: %(allowed)s.",
                        value=value, allowed=", ".join(json.dumps(item) for item in allowed)))


def OneOf(allowed: Collection[Value]) -> AfterValidator:  # noqa: N802
    """A value the app itself would have written: one of `allowed` (its own constant)."""

    def check(value: Value) -> Value:
        if value not in allowed:
            raise _not_one_of(value, allowed)
        return value

    return AfterValidator(check)


def KeysOf(allowed: Collection[str]) -> AfterValidator:  # noqa: N802
    """A dict whose keys are among `allowed` (profile fields, photo mistakes…)."""

    def check(value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if key not in allowed:
                raise _not_one_of(key, allowed)
        return value

    return AfterValidator(check)


def Length(max_length: int, min_length: int = 0) -> StringConstraints:  # noqa: N802
    """A column's length limit (SQLite would not enforce it; PostgreSQL would refuse it late)."""
    return StringConstraints(min_length=min_length, max_length=max_length)


Stamp = Annotated[datetime, AfterValidator(_naive_utc)]
Username = Annotated[str, StringConstraints(pattern=USERNAME_PATTERN.pattern)]
Key = Annotated[str, Length(120, 1)]
Tag = Annotated[str, Length(60, 1)]
# Pictures travel inside the document, base64-encoded (the stored, already cleaned WebP bytes).
Picture = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]*={0,2}$")]
Count = Annotated[int, Field(ge=0)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
