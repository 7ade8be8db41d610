"""The finder: nearest suitable locations from a postcode, place or point. One function for
the embed page, the professional map, the command line and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import regions
from .filters import LocationFilter, filter_mask
from .geocode import GeocodeError, GeocoderChain, Origin
from .geo import in_netherlands
from .geo import to_rd
from .nearest import nearest, nearest_in
from .nearest_index import index_for


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


def _indexed(flt: LocationFilter) -> bool:
    """Tell whether the per-view index answers this filter (care types and target groups only)."""
    return not (flt.municipalities or flt.providers or flt.text or flt.wheelchair or flt.specialisms)


def _query(view: pd.DataFrame, origin: Origin, flt: LocationFilter, region: str | None, limit: int):
    x, y = (float(v) for v in to_rd(origin.lon, origin.lat))
    index = index_for(view)
    return index, *index.query(x, y, flt.care_types, flt.target_groups, region, limit)


def find_json(view: pd.DataFrame, origin: Origin, flt: LocationFilter = LocationFilter(), limit: int = 10,
              notice: str = "", own_region: bool = True) -> dict:
    """Return what `find(...).as_json()` returns, without building a frame when the index answers the filter
    (the API's path: arrays and results prepared once per data version)."""
    region = regions.region_at(origin.lat, origin.lon) if own_region else None
    if not _indexed(flt):
        return find(view, origin, flt, limit, notice, own_region).as_json()
    index, rows, distance = _query(view, origin, flt, region, limit)
    return {"origin": origin.as_dict(), "notice": notice or None, "region": region, "results": index.results(rows, distance)}


def find(view: pd.DataFrame, origin: Origin, flt: LocationFilter = LocationFilter(),
         limit: int | None = 10, notice: str = "", own_region: bool = True) -> Found:
    """Return the locations of `view` matching `flt`, nearest to `origin` first (the per-view index when limited).

    From a place inside one of the purchasing regions only the locations that region contracted count
    (a resident can use those); from outside the regions every location does."""
    region = regions.region_at(origin.lat, origin.lon) if own_region else None
    if limit is not None and _indexed(flt):
        _index, rows, distance = _query(view, origin, flt, region, limit)
        out = view.iloc[rows].copy()
        out["distance_m"] = np.rint(distance).astype(int)
        return Found(origin, out, notice, region)
    mask = filter_mask(view, flt)
    if region is not None:
        mask &= regions.contracted_by(view, region)
    if limit is None:
        return Found(origin, nearest(view[mask], origin.lat, origin.lon, None), notice, region)
    return Found(origin, nearest_in(view, mask.to_numpy(), origin.lat, origin.lon, limit), notice, region)
