"""One clock for every date-dependent rule: contract status, stale figures, demo dates, file names.

"Today" is the date in the Netherlands (Europe/Amsterdam), not the server's time zone. Tests and
demonstrations set it with `WMO_KAART_TODAY=YYYY-MM-DD` (read on every call, so it reaches the
worker processes of a real server too); nothing else in the code asks the system for the date.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ENV = "WMO_KAART_TODAY"


def today() -> dt.date:
    """Return today's date: `WMO_KAART_TODAY` when set, else the date in Amsterdam."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{ENV}={raw!r} is geen datum (JJJJ-MM-DD)") from None
    return dt.datetime.now(AMSTERDAM).date()


def now() -> dt.datetime:
    """Return the current time in Amsterdam; on a set `WMO_KAART_TODAY` that day at the current time."""
    moment = dt.datetime.now(AMSTERDAM)
    day = today()
    return moment if day == moment.date() else moment.replace(year=day.year, month=day.month, day=day.day)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return `day` moved by whole calendar months, on the same day of the month or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Return how many calendar months `end`'s month lies after `start`'s month."""
    return (end.year * 12 + end.month) - (start.year * 12 + start.month)
