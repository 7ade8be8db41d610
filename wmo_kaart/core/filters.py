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
