"""The view of a map: the bounds that show every given point (the browser fits them to its size), or the
view in the address (`#map=ZOOM/LAT/LON`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

LEAFLET_REGION = {"center": [51.63, 5.45], "zoom": 10}  # both regions, when there is nothing to fit
FIT_OPTIONS = {"maxZoom": 14, "padding": [28, 28], "animate": False}
_HASH = re.compile(r"(?:^#|&)map=(\d{1,2}(?:\.\d{1,2})?)/(-?\d{1,2}(?:\.\d{1,8})?)/(-?\d{1,3}(?:\.\d{1,8})?)(?:&|$)")


def leaflet_view(lons: Sequence[float], lats: Sequence[float]) -> dict:
    """Return the Leaflet viewport that shows every point (the region when there are none; a lone point
    at street level)."""
    if len(lons) == 0:
        return {**LEAFLET_REGION, "transition": "setView"}
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    if east - west < 1e-4 and north - south < 1e-4:
        return {"center": [round(float(south), 6), round(float(west), 6)], "zoom": 15, "transition": "setView"}
    return {"bounds": [[round(float(south), 6), round(float(west), 6)], [round(float(north), 6), round(float(east), 6)]],
            "transition": "fitBounds", "options": FIT_OPTIONS}


def view_from_hash(text) -> dict | None:
    """Return the viewport of an address's `#map=ZOOM/LAT/LON` (OpenStreetMap's form, WGS84 degrees), or None
    when there is none or it is out of range."""
    m = _HASH.search(text) if isinstance(text, str) and len(text) < 200 else None
    if not m:
        return None
    zoom, lat, lon = float(m.group(1)), float(m.group(2)), float(m.group(3))
    zoom = int(zoom) if zoom.is_integer() else zoom
    if not (0 <= zoom <= 19 and -85 <= lat <= 85 and -180 <= lon <= 180):
        return None
    return {"center": [lat, lon], "zoom": zoom, "transition": "setView"}
