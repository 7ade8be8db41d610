"""Municipality outlines from PDOK (CBS gebiedsindelingen, OGC API Features), for the map.

Only the 14 municipalities of the regions are kept. The file is written by the user's own
command (`wmo-kaart boundaries`); without it the bundled CBS 2025 outlines are used.
"""

from __future__ import annotations

from urllib.parse import urlencode

from . import ogc_pages
from .geocode import Fetch, http_fetch
from .reference import BY_CODE

PDOK_BOUNDARIES = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1/collections/gemeente_gegeneraliseerd/items"
ATTRIBUTION = "Bron: CBS, Kadaster (PDOK), CC-BY 4.0"


class BoundariesError(RuntimeError):
    """The outlines could not be fetched or are incomplete; Dutch message."""


def download(year: int = 2025, base_url: str = PDOK_BOUNDARIES, fetch: Fetch = http_fetch,
             codes: frozenset[str] = frozenset(BY_CODE), timeout: float = 30.0) -> dict:
    """Return a FeatureCollection with the outlines of `codes` for `year`, following `next` links."""
    url = f"{base_url}?{urlencode({'jaarcode': year, 'f': 'json', 'limit': 1000})}"
    found: dict[str, dict] = {}
    for feature in ogc_pages.features(url, fetch, timeout, BoundariesError):
        props = feature.get("properties") or {}
        code = props.get("statcode")
        if code in codes and feature.get("geometry"):
            found[code] = {"type": "Feature", "geometry": feature["geometry"],
                           "properties": {"statcode": code, "statnaam": props.get("statnaam", BY_CODE.get(code, code))}}
    missing = sorted(codes - set(found))
    if missing:
        raise BoundariesError(f"geen grenzen gevonden voor {', '.join(missing)} (jaar {year})")
    return {"type": "FeatureCollection", "metadata": {"source": base_url, "year": year, "attribution": ATTRIBUTION},
            "features": [found[c] for c in sorted(found)]}
