"""The date range a teacher picks on the dashboard, read in the school's time zone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from sandbox.dashboard.figures import Period


@dataclass(frozen=True)
class ChosenPeriod:
    """The days the teacher chose (both included), the UTC period they cover, and a message
    when a date could not be read (the range is then left open on that side)."""

    first_day: date | None
    last_day: date | None
    period: Period
    error: str | None = None

    def as_args(self) -> dict[str, str]:
        """For links that keep the range (sorting, CSV, the student page)."""
        args = {}
        if self.first_day:
            args["start"] = self.first_day.isoformat()
        if self.last_day:
            args["end"] = self.last_day.isoformat()
        return args


def _school_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


# Beyond these years a date is a typing slip (and year 1 or 9999 overflows once moved to UTC).
FIRST_YEAR, LAST_YEAR = 1970, 2999


def _read_day(value: str | None) -> tuple[date | None, bool]:
    if not value:
        return None, True
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None, False
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, False
    return day, True


def period_from_args(args: Mapping[str, str]) -> ChosenPeriod:
    """`?start=YYYY-MM-DD&end=YYYY-MM-DD` (either may be left out)."""
    first, first_ok = _read_day(args.get("start"))
    last, last_ok = _read_day(args.get("end"))
    error = None
    if not (first_ok and last_ok):
        error = str(_l("A date could not be read: write it as YYYY-MM-DD."))
    if first and last and last < first:
        first, last = last, first
    zone = _school_zone()
    period = Period(
        start=_utc_midnight(first, zone) if first else None,
        end=_utc_midnight(last + timedelta(days=1), zone) if last else None,
    )
    return ChosenPeriod(first, last, period, error)
