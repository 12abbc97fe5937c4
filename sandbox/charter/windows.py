"""Posting windows: the weekly slots in which a class's students may post (rule 2 of the charter).

A class with no window may post any time. A window is `{"day": 0-6 (Monday is 0), "start":
"HH:MM", "end": "HH:MM"}` in the school's local time (the `SANDBOX_TIMEZONE` setting, Europe/Paris
by default), from `start` included to `end` excluded. A window never crosses midnight: a teacher
wanting 22:00–01:00 writes two rows (22:00–23:59 on one day, 00:00–01:00 on the next).

Times given without a time zone are UTC, as everywhere in the app (`sandbox.core.time`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from flask import current_app, has_app_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from sandbox.charter.models import ClassCharter
from sandbox.core.errors import ServiceError

DEFAULT_TIMEZONE = "Europe/Paris"
MAX_WINDOWS = 42  # six a day: more is a timetable, not posting windows
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})\s*$")


def school_timezone() -> ZoneInfo:
    """The school's time zone: the app's setting, Europe/Paris outside an app or when unknown."""
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def parse_time(value: str | None) -> time | None:
    """"8:30", "08:30" or "8h30" as a time; None when it is not a time of day."""
    match = _TIME.match(value or "")
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def parse_window(row: Mapping[str, Any], prefix: str) -> dict[str, Any] | None:
    """One row of the editor as a window; None for an empty row. `prefix` names its fields."""
    day, start, end = row.get("day"), row.get("start"), row.get("end")
    if _blank(day) and _blank(start) and _blank(end):
        return None
    if _blank(day) or str(day).strip() not in {str(number) for number in range(7)}:
        raise ServiceError(_l("Choose a day for this window."), field=f"{prefix}-day")
    start_time = parse_time(None if start is None else str(start))
    if start_time is None:
        raise ServiceError(_l("Write a time such as 08:30."), field=f"{prefix}-start")
    end_time = parse_time(None if end is None else str(end))
    if end_time is None:
        raise ServiceError(_l("Write a time such as 08:30."), field=f"{prefix}-end")
    if start_time >= end_time:
        raise ServiceError(_l("The window must end after it starts, on the same day (for a "
                              "window across midnight, add one row for each day)."),
                           field=f"{prefix}-end")
    return {"day": int(str(day).strip()), "start": start_time.strftime("%H:%M"),
            "end": end_time.strftime("%H:%M")}


def parse_windows(rows: Iterable[Mapping[str, Any]], prefix: str = "windows"
                  ) -> list[dict[str, Any]]:
    """The editor's rows as windows, sorted and without duplicates; empty rows are skipped."""
    windows: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        window = parse_window(row, f"{prefix}-{index}")
        if window is not None and window not in windows:
            windows.append(window)
    if len(windows) > MAX_WINDOWS:
        raise ServiceError(_l("%(count)d posting windows at most.", count=MAX_WINDOWS),
                           field=prefix)
    return sorted(windows, key=lambda window: (window["day"], window["start"], window["end"]))


def _local(at: datetime | None) -> datetime:
    if at is None:
        at = datetime.now(UTC)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(school_timezone())


def _slots(windows: Iterable[Mapping[str, Any]]) -> list[tuple[int, time, time]]:
    """The well-formed windows (a damaged row is skipped rather than blocking a whole class)."""
    slots = []
    for window in windows:
        day, start, end = window.get("day"), window.get("start"), window.get("end")
        if not isinstance(day, int) or not 0 <= day <= 6:
            continue
        start_time, end_time = parse_time(start), parse_time(end)
        if start_time is None or end_time is None or start_time >= end_time:
            continue
        slots.append((day, start_time, end_time))
    return sorted(slots)


def posting_open(charter: ClassCharter | None, at: datetime | None = None) -> bool:
    """True when the class has no posting window, or when `at` (default: now) falls in one."""
    if charter is None:
        return True
    slots = _slots(charter.posting_windows or ())
    if not slots:
        return True
    local = _local(at)
    moment = local.time().replace(second=0, microsecond=0, tzinfo=None)
    return any(day == local.weekday() and start <= moment < end for day, start, end in slots)


def next_window(charter: ClassCharter | None, at: datetime | None = None) -> datetime | None:
    """When posting next opens after `at`: the start of the next window, in the school's time.

    None when the class has no window. When `at` is inside a window, this is the start of the
    following one (callers ask only when posting is closed).
    """
    if charter is None:
        return None
    slots = _slots(charter.posting_windows or ())
    if not slots:
        return None
    local = _local(at)
    zone = school_timezone()
    today: date = local.date()
    for offset in range(8):  # a week later at most: the same window comes back
        day = today + timedelta(days=offset)
        for weekday, start, _end in slots:
            if weekday != day.weekday():
                continue
            opening = datetime.combine(day, start, tzinfo=zone)
            if opening > local:
                return opening
    return None


def closed_message(charter: ClassCharter | None, at: datetime | None = None) -> str | None:
    """Why a student cannot post now and when they can, in their language; None when open."""
    if posting_open(charter, at):
        return None
    opening = next_window(charter, at)
    if opening is None:  # only damaged windows: posting_open() already said open
        return None
    clock = opening.strftime("%H:%M")
    if opening.date() == _local(at).date():
        return _("Posting opens today at %(time)s.", time=clock)
    day = format_date(opening.date(), "EEEE", locale=str(get_locale() or "fr"))
    return _("Posting opens on %(day)s at %(time)s.", day=day, time=clock)
