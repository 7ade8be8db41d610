"""Municipality outlines from PDOK (CBS gebiedsindelingen, OGC API Features), for the map.

Only the 14 municipalities of the regions are kept. The file is written by the user's own
command (`wmo-kaart boundaries`); nothing is bundled.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .geocode import Fetch, GeocoderUnavailable, http_fetch
from .reference import BY_CODE

PDOK_BOUNDARIES = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1/collections/gemeente_gegeneraliseerd/items"
ATTRIBUTION = "Bron: CBS, Kadaster (PDOK), CC-BY 4.0"
MAX_PAGES = 50


class BoundariesError(RuntimeError):
    """The outlines could not be fetched or are incomplete; Dutch message."""


def download(year: int = 2025, base_url: str = PDOK_BOUNDARIES, fetch: Fetch = http_fetch,
             codes: frozenset[str] = frozenset(BY_CODE), timeout: float = 30.0) -> dict:
    """Return a FeatureCollection with the outlines of `codes` for `year`, following `next` links."""
    url: str | None = f"{base_url}?{urlencode({'jaarcode': year, 'f': 'json', 'limit': 1000})}"
    found: dict[str, dict] = {}
    for _ in range(MAX_PAGES):
        if url is None:
            break
        try:
            page = fetch(url, timeout)
        except GeocoderUnavailable as exc:
            raise BoundariesError(f"PDOK is niet bereikbaar: {exc}") from exc
        for feature in page.get("features", []) if isinstance(page, dict) else []:
            props = feature.get("properties") or {}
            code = props.get("statcode")
            if code in codes and feature.get("geometry"):
                found[code] = {"type": "Feature", "geometry": feature["geometry"],
                               "properties": {"statcode": code, "statnaam": props.get("statnaam", BY_CODE.get(code, code))}}
        url = next((link.get("href") for link in page.get("links", []) if link.get("rel") == "next"), None)
    missing = sorted(codes - set(found))
    if missing:
        raise BoundariesError(f"geen grenzen gevonden voor {', '.join(missing)} (jaar {year})")
    return {"type": "FeatureCollection", "metadata": {"source": base_url, "year": year, "attribution": ATTRIBUTION},
            "features": [found[c] for c in sorted(found)]}
