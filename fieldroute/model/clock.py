"""The one boundary between clock times at the edges and seconds inside.

Inside fieldroute every time is an integer number of seconds elapsed since
local midnight at the start of the problem's date, measured in real elapsed
time (so a day with a daylight-saving change is handled: 12:00 on a
spring-forward day is 11 h after midnight, not 12 h). Durations are integer
seconds; minutes given at the edges are rounded to the nearest second.

At the edges a time is either a local clock time ``"HH:MM"`` /
``"HH:MM:SS"`` on the problem's date (``"24:00"`` is the next midnight), or an
ISO-8601 datetime; a datetime without an offset is read in the problem's time
zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_timezone(name: str) -> ZoneInfo:
    """Return the IANA time zone `name`, or raise ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {name!r} (use an IANA name such as 'Europe/Helsinki')"
        raise ValueError(msg) from None


def check_time_text(text: str) -> str:
    """Raise ValueError unless `text` is a clock time or an ISO datetime."""
    match = _CLOCK.match(text)
    if match:
        hour, minute, second = (int(g) if g else 0 for g in match.groups())
        if (hour, minute, second) == (24, 0, 0) or (
            hour < 24 and minute < 60 and second < 60
        ):
            return text
        msg = f"{text!r} is not a valid clock time (00:00 to 24:00)"
        raise ValueError(msg)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        msg = f"cannot read {text!r} as a time: use 'HH:MM' or an ISO-8601 datetime"
        raise ValueError(msg) from None
    return text


class DayClock:
    """Converts between edge times and seconds since the day's local midnight."""

    def __init__(self, day: date, tz: ZoneInfo) -> None:
        self.day = day
        self.tz = tz
        self._midnight_utc = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

    def seconds(self, text: str) -> int:
        """Seconds since local midnight for a clock time or ISO datetime."""
        match = _CLOCK.match(text)
        if match:
            hour, minute, second = (int(g) if g else 0 for g in match.groups())
            day = self.day
            if hour == 24:
                hour, day = 0, day + timedelta(days=1)
            local = datetime.combine(day, time(hour, minute, second), tzinfo=self.tz)
        else:
            local = datetime.fromisoformat(text)
            if local.tzinfo is None:
                local = local.replace(tzinfo=self.tz)
        return round((local.astimezone(UTC) - self._midnight_utc).total_seconds())

    def datetime(self, seconds: int) -> datetime:
        """The local aware datetime `seconds` after the day's midnight."""
        return (self._midnight_utc + timedelta(seconds=int(seconds))).astimezone(
            self.tz
        )

    def iso(self, seconds: int) -> str:
        """ISO-8601 local datetime with offset, to the second."""
        return self.datetime(seconds).isoformat(timespec="seconds")

    def hhmm(self, seconds: int) -> str:
        """Local clock time 'HH:MM' for display."""
        return self.datetime(seconds).strftime("%H:%M")


def minutes_to_s(minutes: float) -> int:
    """Minutes at the edge to integer seconds inside (nearest second)."""
    return round(minutes * 60)
