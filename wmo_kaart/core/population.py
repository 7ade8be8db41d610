"""Residents per neighbourhood (buurt) from the PDOK CBS wijken-en-buurten OGC API, for finer coverage.

Writes the standard demand form (`id`, `name`, `municipality_code`, `population`,
`population_65plus`); CBS' suppressed values (large negatives such as -99997) become null: unknown.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .demand import SUPPRESSED
from . import ogc_pages
from .geocode import Fetch, http_fetch
from .reference import BY_CODE

PDOK_WIJKEN_EN_BUURTEN = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"
ATTRIBUTION = "Bron: CBS, Kadaster (PDOK), CC-BY 4.0"


class PopulationError(RuntimeError):
    """Neighbourhoods could not be fetched; Dutch message."""


def _count(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= SUPPRESSED or value < 0:
        return None
    return int(value)


def download(year: int, base_url: str | None = None, fetch: Fetch = http_fetch,
             codes: tuple[str, ...] = tuple(BY_CODE), timeout: float = 30.0) -> dict:
    """Return a FeatureCollection of the neighbourhoods of `codes` with residents and residents 65+."""
    base = (base_url or PDOK_WIJKEN_EN_BUURTEN).format(year=year).rstrip("/")
    features = []
    for code in codes:
        url = f"{base}/collections/buurten/items?{urlencode({'gemeentecode': code, 'limit': 1000, 'f': 'json'})}"
        found = 0
        for feature in ogc_pages.features(url, fetch, timeout, PopulationError):
            props = feature.get("properties") or {}
            if props.get("gemeentecode") != code or not feature.get("geometry") or not props.get("buurtcode"):
                continue
            found += 1
            features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
                "id": props["buurtcode"], "name": props.get("buurtnaam") or props["buurtcode"], "municipality_code": code,
                "population": _count(props.get("aantal_inwoners")),
                "population_65plus": _count(props.get("aantal_inwoners_65_jaar_en_ouder"))}})
        if not found:
            raise PopulationError(f"geen buurten gevonden voor {code} ({year})")
    return {"type": "FeatureCollection", "metadata": {"source": base, "year": year, "attribution": ATTRIBUTION,
                                                      "unit": "buurt"}, "features": features}
