"""The finder: nearest suitable locations from a postcode, place or point. One function for
the embed page, the professional map, the command line and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import regions
from .filters import LocationFilter, filter_mask
from .geocode import GeocodeError, GeocoderChain, Origin
from .geo import in_netherlands
from .nearest import nearest, nearest_in


@dataclass(frozen=True)
class Found:
    """The origin, the nearest matching rows (with `distance_m`) and a notice, if any."""

    origin: Origin
    rows: pd.DataFrame
    notice: str = ""
    region: str | None = None  # the purchasing region of the origin, whose contracted locations these are

    def as_json(self) -> dict:
        """Return the documented JSON shape: `origin` and `results`."""
        return {"origin": self.origin.as_dict(), "notice": self.notice or None, "region": self.region, "results": [
            {"id": r.id, "name": r.name, "provider_name": r.provider_name, "lat": round(float(r.lat), 6),
             "lon": round(float(r.lon), 6), "distance_m": int(r.distance_m)} for r in self.rows.itertuples()]}


def origin_from_point(lat: float, lon: float) -> Origin:
    """Return an origin for coordinates; raise GeocodeError outside the Netherlands."""
    if not in_netherlands(lon, lat):
        raise GeocodeError(f"Het punt ({lat}, {lon}) ligt niet in Nederland.")
    return Origin(f"{lat:.5f}, {lon:.5f}", lat, lon, "coordinates")


_POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def origin_from_text(chain: GeocoderChain, text: str) -> tuple[Origin, str]:
    """Return the origin of 'latitude,longitude', a postcode or a place, and a notice; raise GeocodeError."""
    point = _POINT.match(text)
    if point:
        return origin_from_point(float(point.group(1)), float(point.group(2))), ""
    return locate(chain, text)


def locate(chain: GeocoderChain, text: str) -> tuple[Origin, str]:
    """Return the origin of a postcode or place and a notice; raise GeocodeError when unknown."""
    result = chain.locate(text)
    if result.origin is None:
        raise GeocodeError(f"'{text.strip()}' is niet gevonden. Probeer een postcode of een plaats in de regio.")
    return result.origin, result.notice


def find(view: pd.DataFrame, origin: Origin, flt: LocationFilter = LocationFilter(),
         limit: int | None = 10, notice: str = "", own_region: bool = True) -> Found:
    """Return the locations of `view` matching `flt`, nearest to `origin` first (a KD-tree when limited).

    From a place inside one of the purchasing regions only the locations that region contracted count
    (a resident can use those); from outside the regions every location does."""
    mask = filter_mask(view, flt)
    region = regions.region_at(origin.lat, origin.lon) if own_region else None
    if region is not None:
        mask &= regions.contracted_by(view, region)
    if limit is None:
        return Found(origin, nearest(view[mask], origin.lat, origin.lon, None), notice, region)
    return Found(origin, nearest_in(view, mask.to_numpy(), origin.lat, origin.lon, limit), notice, region)
