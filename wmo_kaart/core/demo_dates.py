"""Demo data stays current: its dates move along with the calendar.

A demo collection (`metadata.demo` true) carries `metadata.as_of`, the day its dates were made
for. When it is read, every date field (contract end, last checked, BW figures as of) moves by the
whole calendar months between `as_of` and today, and `as_of` with them. So the demo map looks the
same in any year: the same contracts have ended, the same ones end soon. Real data (no demo flag)
is never touched.
"""

from __future__ import annotations

import datetime as dt

from . import clock
from .schema import FIELDS

DATE_FIELDS = tuple(f.name for f in FIELDS if f.kind == "date")


def _as_of(collection: dict) -> dt.date | None:
    meta = collection.get("metadata")
    if not isinstance(meta, dict) or meta.get("demo") is not True:
        return None
    try:
        return dt.date.fromisoformat(str(meta.get("as_of")))
    except ValueError:
        return None


def as_of(collection: dict) -> dt.date | None:
    """Return the day a demo collection's dates were made for (None for real data)."""
    return _as_of(collection)


def shift_months(collection: dict, today: dt.date) -> int:
    """Return by how many months a demo collection's dates move for `today` (0 for real data)."""
    as_of = _as_of(collection)
    return clock.months_between(as_of, today) if as_of else 0


def _moved(value, months: int):
    try:
        return clock.add_months(dt.date.fromisoformat(value), months).isoformat()
    except (TypeError, ValueError):
        return value  # not a date: validation names it


def current(collection: dict, today: dt.date | None = None) -> dict:
    """Return `collection` with a demo's dates moved to `today` (a new dict); real data as it is."""
    months = shift_months(collection, today or clock.today())
    if not months:
        return collection
    features = []
    for feature in collection.get("features") or []:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            feature = {**feature, "properties": {**props, **{k: _moved(props[k], months)
                                                            for k in DATE_FIELDS if props.get(k)}}}
        features.append(feature)
    meta = collection["metadata"]
    return {**collection, "metadata": {**meta, "as_of": _moved(meta["as_of"], months)}, "features": features}
