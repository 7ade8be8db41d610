"""Query parameters of the JSON API and OGC API – Features, read once for both.

Functions take the query as a mapping of name -> list of raw strings (a web framework's
multi-dict turned into a dict), so the rules live here and not in an adapter. Every refusal is a
`ParamError` naming the parameter, with a Dutch message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from .catalog import Catalog
from .filters import LocationFilter
from .reference import MUNICIPALITIES, municipality

Query = Mapping[str, Sequence[str]]
TEXT_MAX = 200  # the free-text search, in characters
MAX_VALUES = 100  # values of one list parameter
CODE_MAX = 64  # characters of one provider code in a filter
FILTER_PARAMETERS = ("gemeente", "zorgvorm", "doelgroep", "aanbieder", "q")


class ParamError(ValueError):
    """A query parameter that cannot be used: its name and a Dutch message."""

    def __init__(self, parameter: str, message: str, status: int = 400):
        super().__init__(message)
        self.parameter, self.message, self.status = parameter, message, status


def many(query: Query, name: str) -> list[str]:
    """Return the values of a parameter given repeated or comma-separated, trimmed, empty ones dropped."""
    pieces = [v for raw in query.get(name, ()) for v in str(raw).split(",")]
    values = [v.strip() for v in pieces if v.strip()]
    if len(pieces) > MAX_VALUES:  # counted as sent, empty pieces included
        raise ParamError(name, f"hoogstens {MAX_VALUES} waarden voor {name}")
    return values


def one(query: Query, name: str) -> str | None:
    """Return the (last) value of a single-valued parameter, or None when absent."""
    values = query.get(name) or ()
    return str(values[-1]) if values else None


def municipality_values() -> list[str]:
    """Return every value `gemeente` accepts: CBS codes and names of the region's municipalities."""
    return [m.code for m in MUNICIPALITIES] + [m.name for m in MUNICIPALITIES]


def location_filter(query: Query, catalog: Catalog) -> LocationFilter:
    """Return the filter of the map from the query; refuse unknown municipalities, care types and target groups."""
    gemeente = []
    for value in many(query, "gemeente"):
        found = municipality(value)
        if not found:
            raise ParamError("gemeente", f"onbekende gemeente '{value[:40]}'")
        gemeente.append(found.code)
    zorgvorm = many(query, "zorgvorm")
    for code in zorgvorm:
        if code not in catalog.care_codes:
            raise ParamError("zorgvorm", f"onbekende zorgvorm '{code[:20]}' (bekend: {', '.join(catalog.care_codes)})")
    doelgroep = many(query, "doelgroep")
    for code in doelgroep:
        if code not in catalog.target_codes:
            raise ParamError("doelgroep", f"onbekende doelgroep '{code[:30]}' (bekend: {', '.join(catalog.target_codes)})")
    text = one(query, "q") or ""
    if len(text) > TEXT_MAX:
        raise ParamError("q", f"q mag hoogstens {TEXT_MAX} tekens lang zijn")
    aanbieder = many(query, "aanbieder")
    for code in aanbieder:
        if len(code) > CODE_MAX:
            raise ParamError("aanbieder", f"een aanbiedercode heeft hoogstens {CODE_MAX} tekens ('{code[:20]}…')")
    return LocationFilter.from_values(zorgvorm, gemeente, doelgroep, aanbieder, text)


def integer(query: Query, name: str, low: int, high: int, default: int, clamp: bool = False) -> int:
    """Return a whole-number parameter within [low, high], or `default` when absent; with `clamp`, a value
    above `high` becomes `high` (OGC API's `limit`) instead of being refused."""
    raw = one(query, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(name, f"'{raw[:20]}' is geen geheel getal") from None
    if clamp and value > high:
        return high
    if not low <= value <= high:
        raise ParamError(name, f"{name} moet tussen {low} en {high} liggen")
    return value


def bbox(query: Query, name: str = "bbox", with_heights: bool = False) -> tuple[float, float, float, float] | None:
    """Return (minLon, minLat, maxLon, maxLat) in WGS84, or None when absent.

    As in OGC API – Features, a box whose west edge lies east of its east edge crosses the
    antimeridian; a box whose south edge lies north of its north edge holds nothing. With
    `with_heights` (OGC API: "4 or 6 numbers SHALL be supported") six numbers are
    minLon,minLat,minHeight,maxLon,maxLat,maxHeight; our locations lie on the ground, so heights
    only have to be numbers.
    """
    raw = one(query, name)
    if raw is None:
        return None
    parts = raw.split(",")
    try:
        numbers = [float(v) for v in parts]
    except ValueError:
        numbers = []
    counts = (4, 6) if with_heights else (4,)
    if len(numbers) not in counts or any(n != n or abs(n) == float("inf") for n in numbers):
        shape = "vier getallen (minLon,minLat,maxLon,maxLat)" + (
            " of zes (minLon,minLat,minHoogte,maxLon,maxLat,maxHoogte)" if with_heights else "")
        raise ParamError(name, f"{name} moet {shape} zijn")
    if len(numbers) == 6:
        return numbers[0], numbers[1], numbers[3], numbers[4]
    return numbers[0], numbers[1], numbers[2], numbers[3]


_DATE = ("[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
         "([Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?")
# OGC API's datetime: an instant, or an interval with '..' (or nothing) for an open end; the OpenAPI document says the same
DATETIME_PATTERN = f"^({_DATE}|({_DATE}|\\.\\.)?/({_DATE}|\\.\\.)?)$"
INSTANT_PATTERN = f"^{_DATE}$"  # one moment (HSDS's modified_after)
_INSTANT = re.compile(INSTANT_PATTERN)


def instant(text: str) -> dt.datetime | None:
    """Return an RFC 3339 date or date-time (OGC API's `datetime` grammar), or None when it is not one."""
    if not _INSTANT.match(text):
        return None
    try:
        if "T" not in text.upper():
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)
        return dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None


def datetime_interval(query: Query, name: str = "datetime") -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """Return OGC API's `datetime` as (start, end), None for an open end; None when absent. An instant,
    or an interval `start/end` with `..` or nothing for an open end; anything else is refused."""
    raw = one(query, name)
    if raw is None:
        return None
    message = (f"{name} moet een datum of tijdstip volgens RFC 3339 zijn (2026-12-03 of 2026-12-03T10:00:00Z), "
               "of een periode begin/eind met '..' voor een open einde")
    pieces = raw.split("/")
    if len(pieces) == 1:
        moment = instant(raw)
        if moment is None:
            raise ParamError(name, message)
        return moment, moment
    if len(pieces) != 2:
        raise ParamError(name, message)
    ends = [None if p in ("", "..") else instant(p) for p in pieces]
    if any(e is None and p not in ("", "..") for e, p in zip(ends, pieces)):
        raise ParamError(name, message)
    return ends[0], ends[1]


def within(frame: pd.DataFrame, box: tuple[float, float, float, float] | None) -> pd.DataFrame:
    """Return the rows of `frame` (with lon and lat) inside `box` (edges included)."""
    if box is None:
        return frame
    west, south, east, north = box
    lat = frame["lat"].between(south, north)
    lon = frame["lon"].between(west, east) if west <= east else (frame["lon"] >= west) | (frame["lon"] <= east)
    return frame[lat & lon]


def unknown(query: Query, known: Sequence[str]) -> str | None:
    """Return the first parameter of `query` that is not in `known`, or None."""
    return next((name for name in query if name not in known), None)
