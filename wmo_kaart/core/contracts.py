"""Contract status of a location from its end date: ended, ending soon, or running."""

from __future__ import annotations

import datetime as dt

WARN_MONTHS = 6


def status(end, today: dt.date | None = None, warn_months: int = WARN_MONTHS) -> str | None:
    """Return 'ended' (before today), 'ending' (within `warn_months`), 'running', or None without an end date."""
    if not isinstance(end, str) or not end:
        return None
    today = today or dt.date.today()
    if end < today.isoformat():
        return "ended"
    horizon = today + dt.timedelta(days=round(30.44 * warn_months))
    return "ending" if end <= horizon.isoformat() else "running"
