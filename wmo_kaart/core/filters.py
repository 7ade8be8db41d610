"""Filter locations by care type, municipality, target group, provider and free text."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .text import words


@dataclass(frozen=True)
class LocationFilter:
    """What the user asked for; empty means no restriction."""

    care_types: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    text: str = ""
    wheelchair: bool = False  # only wheelchair-accessible locations
    specialisms: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, care_types=None, municipalities=None, target_groups=None,
                    providers=None, text=None, wheelchair=False, specialisms=None) -> "LocationFilter":
        """Build a filter from loosely typed input (None, a string or a list per field)."""
        def tup(v):
            if v is None or v == "":
                return ()
            if isinstance(v, (list, tuple)):
                return tuple(str(x) for x in v if isinstance(x, (str, int, float)) and not isinstance(x, bool))[:100]
            return (str(v),) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else ()
        return cls(tup(care_types), tup(municipalities), tup(target_groups), tup(providers),
                   str(text or "").strip()[:200], wheelchair is True, tup(specialisms))


def _any_of(frame: pd.DataFrame, column: str, prefix: str, wanted: tuple[str, ...]) -> pd.Series:
    """Rows whose list in `column` holds any of `wanted`.

    Frames from `frame_from_features` carry a flag column per code present in the data, so a
    missing flag means no row has that code; other frames fall back to a slower row-by-row test.
    """
    if any(c.startswith(prefix) for c in frame.columns):
        flags = [prefix + w for w in wanted if prefix + w in frame.columns]
        return frame[flags].any(axis=1) if flags else pd.Series(False, index=frame.index)
    chosen = frozenset(wanted)
    return frame[column].map(lambda values: not chosen.isdisjoint(values)).astype(bool)


def apply_filter(frame: pd.DataFrame, flt: LocationFilter) -> pd.DataFrame:
    """Return the rows of `frame` that match every given criterion."""
    return frame[filter_mask(frame, flt)]


def filter_mask(frame: pd.DataFrame, flt: LocationFilter) -> pd.Series:
    """Return a boolean mask of the rows of `frame` that match every given criterion."""
    mask = pd.Series(True, index=frame.index)
    if flt.care_types:
        mask &= _any_of(frame, "care_types", "care:", flt.care_types)
    if flt.target_groups:
        mask &= _any_of(frame, "target_groups", "target:", flt.target_groups)
    if flt.municipalities:
        mask &= frame["municipality_code"].isin(flt.municipalities)
    if flt.providers:
        mask &= frame["provider_id"].isin(flt.providers)
    if flt.wheelchair:
        mask &= frame["wheelchair_accessible"].map(lambda v: v is True or v == True).astype(bool)  # noqa: E712
    if flt.specialisms:
        wanted = frozenset(flt.specialisms)
        mask &= frame["specialisms"].map(lambda values: not wanted.isdisjoint(values)).astype(bool)
    for word in words(flt.text):
        mask &= frame["search_text"].str.contains(word, regex=False)
    return mask


@dataclass(frozen=True)
class Fit:
    """Why one location fits a search: what was asked and the location offers, and its other facts."""

    care_types: tuple[str, ...]       # asked and offered
    target_groups: tuple[str, ...]    # asked and served
    specialisms: tuple[str, ...]      # asked and offered
    wheelchair: bool | None           # True when accessible, False when not, None when unknown


def fit(row, flt: LocationFilter) -> Fit:
    """Return which of the filter's wishes `row` (a location with list fields) meets, by the same rule
    as `filter_mask`: a code or specialism counts when it is one of those asked."""
    def met(values, wanted):
        return tuple(v for v in (values if isinstance(values, (list, tuple)) else ()) if v in wanted)

    wheelchair = getattr(row, "wheelchair_accessible", None)
    return Fit(met(getattr(row, "care_types", ()), flt.care_types),
               met(getattr(row, "target_groups", ()), flt.target_groups),
               met(getattr(row, "specialisms", ()), flt.specialisms),
               wheelchair if isinstance(wheelchair, bool) else None)
