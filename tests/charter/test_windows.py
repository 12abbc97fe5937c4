"""Posting windows: open inside a window in the school's time, closed outside, and when next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from flask import session

from sandbox.charter.models import ClassCharter
from sandbox.charter.windows import (
    closed_message,
    next_window,
    parse_time,
    parse_windows,
    posting_open,
)
from sandbox.core.errors import ServiceError

# Monday 8:00–10:00 and Friday 14:00–16:30, in Paris time.
WINDOWS = [{"day": 0, "start": "08:00", "end": "10:00"},
           {"day": 4, "start": "14:00", "end": "16:30"}]


def charter(windows=WINDOWS) -> ClassCharter:  # type: ignore[no-untyped-def]
    return ClassCharter(class_id=1, version=1, posting_windows=list(windows))


def paris(*args: int) -> datetime:
    """A moment in winter in Paris (UTC+1), given as the naive UTC the app stores."""
    return (datetime(*args) - timedelta(hours=1)).replace(tzinfo=None)


def test_no_window_means_posting_any_time(app):
    assert posting_open(charter([]), paris(2026, 11, 22, 3, 0))
    assert posting_open(None)
    assert next_window(charter([]), paris(2026, 11, 22, 3, 0)) is None
    assert closed_message(charter([])) is None


@pytest.mark.parametrize(("moment", "expected"), [
    (paris(2026, 11, 23, 8, 0), True),  # Monday: the start is in
    (paris(2026, 11, 23, 9, 59), True),
    (paris(2026, 11, 23, 10, 0), False),  # the end is out
    (paris(2026, 11, 23, 7, 59), False),
    (paris(2026, 11, 24, 9, 0), False),  # Tuesday
    (paris(2026, 11, 27, 16, 29), True),  # Friday
    (paris(2026, 11, 28, 15, 0), False),  # Saturday
])
def test_inside_and_outside_the_windows(app, moment, expected):
    assert posting_open(charter(), moment) is expected


def test_times_are_the_schools_local_time(app):
    # 7:30 UTC is 8:30 in Paris in winter, 9:30 in summer: inside the window either way
    assert posting_open(charter(), datetime(2026, 11, 23, 7, 30))
    assert posting_open(charter(), datetime(2026, 6, 1, 7, 30))
    # 6:30 UTC on a summer Monday is 8:30 in Paris (UTC+2)
    assert posting_open(charter(), datetime(2026, 6, 1, 6, 30))
    assert not posting_open(charter(), datetime(2026, 11, 23, 6, 30))
    # an aware moment is converted
    new_york = timezone(timedelta(hours=-5))
    assert posting_open(charter(), datetime(2026, 11, 23, 2, 30, tzinfo=new_york))


def test_the_time_zone_setting_is_followed(app):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Martinique"  # UTC-4
    assert posting_open(charter(), datetime(2026, 11, 23, 12, 30))
    assert not posting_open(charter(), datetime(2026, 11, 23, 7, 30))
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Not/AZone"  # a typo: Paris, never a crash
    assert posting_open(charter(), datetime(2026, 11, 23, 7, 30))


def test_now_is_the_default(app):
    today = datetime.now(ZoneInfo("Europe/Paris"))
    if today.strftime("%H:%M") == "23:59":  # the one minute no window can cover
        pytest.skip("too close to midnight")
    assert posting_open(charter([{"day": today.weekday(), "start": "00:00", "end": "23:59"}]))
    tomorrow = (today.weekday() + 1) % 7
    assert not posting_open(charter([{"day": tomorrow, "start": "00:00", "end": "23:59"}]))


def test_next_window(app):
    friday_evening = paris(2026, 11, 27, 18, 0)
    opening = next_window(charter(), friday_evening)
    assert opening is not None
    assert (opening.weekday(), opening.strftime("%H:%M")) == (0, "08:00")
    assert opening.date().isoformat() == "2026-11-30"
    assert opening.astimezone(UTC).hour == 7
    monday_early = paris(2026, 11, 23, 6, 0)
    assert next_window(charter(), monday_early).date().isoformat() == "2026-11-23"
    # only one window: it comes back the next week
    only_monday = charter(WINDOWS[:1])
    assert next_window(only_monday, paris(2026, 11, 23, 11, 0)).date().isoformat() == "2026-11-30"


def test_the_message_says_when_posting_opens(app):
    with app.test_request_context():
        session["locale"] = "en"
        assert closed_message(charter(), paris(2026, 11, 27, 18, 0)) == (
            "Posting opens on Monday at 08:00.")
        assert closed_message(charter(), paris(2026, 11, 23, 6, 0)) == (
            "Posting opens today at 08:00.")
        assert closed_message(charter(), paris(2026, 11, 23, 9, 0)) is None


def test_damaged_windows_are_skipped(app):
    damaged = [{"day": 9, "start": "08:00", "end": "10:00"}, {"day": 0, "start": "late"},
               {"day": "0", "start": "08:00", "end": "10:00"}]
    assert posting_open(charter(damaged), paris(2026, 11, 24, 3, 0))  # nothing valid: open


def test_parse_time():
    assert parse_time("8:30").strftime("%H:%M") == "08:30"
    assert parse_time("08h30").strftime("%H:%M") == "08:30"
    assert parse_time("23:59") is not None
    for wrong in ("24:00", "8:60", "huit heures", "", None, "830"):
        assert parse_time(wrong) is None


def test_rows_become_sorted_windows_and_empty_rows_are_skipped(app):
    rows = [{"day": "4", "start": "14:00", "end": "16:30"}, {"day": "", "start": "", "end": ""},
            {"day": "0", "start": "8:00", "end": "10:00"},
            {"day": "0", "start": "08:00", "end": "10:00"}]
    assert parse_windows(rows) == WINDOWS


@pytest.mark.parametrize(("row", "field"), [
    ({"day": "2", "start": "22:00", "end": "01:00"}, "windows-0-end"),  # across midnight
    ({"day": "2", "start": "10:00", "end": "10:00"}, "windows-0-end"),
    ({"day": "", "start": "10:00", "end": "11:00"}, "windows-0-day"),
    ({"day": "7", "start": "10:00", "end": "11:00"}, "windows-0-day"),
    ({"day": "1", "start": "dix heures", "end": "11:00"}, "windows-0-start"),
    ({"day": "1", "start": "10:00", "end": ""}, "windows-0-end"),
])
def test_a_wrong_row_is_explained_on_its_field(app, row, field):
    with pytest.raises(ServiceError) as error:
        parse_windows([row])
    assert error.value.field == field


def test_too_many_windows_are_refused(app):
    rows = [{"day": str(day), "start": f"{hour:02d}:00", "end": f"{hour:02d}:30"}
            for day in range(7) for hour in range(7)]
    with pytest.raises(ServiceError):
        parse_windows(rows)
