"""Times for people: the Dutch local time (Europe/Amsterdam) of a stored UTC timestamp."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_time(stamp: str) -> str:
    """Return '28-11-2026 14:05' in Dutch local time for an ISO timestamp; the input when it is none."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def local_date(stamp: str | None) -> str:
    """Return '28-11-2026', the Dutch local date of an ISO timestamp; empty when there is none."""
    if not stamp:
        return ""
    return local_time(stamp)[:10]
