"""The first view of a map: the centre and zoom that show every given point in a container of a given
size (Web Mercator, MapLibre's zoom where the world is 512 px wide at zoom 0)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

WORLD = 512.0
REGION = ({"lat": 51.63, "lon": 5.45}, 9.0)  # both regions, when there is nothing to fit


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.05112878), -85.05112878)
    return (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2


def _lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def fit(lons: Sequence[float], lats: Sequence[float], width: float, height: float, padding: float = 28,
        max_zoom: float = 13.0, min_zoom: float = 5.0) -> tuple[dict, float]:
    """Return (centre, zoom) that shows every point inside `width` x `height` pixels, `padding` from the edges."""
    if len(lons) == 0 or width <= 2 * padding or height <= 2 * padding:
        return REGION
    xs = [(lon + 180.0) / 360.0 for lon in lons]
    ys = [_mercator_y(lat) for lat in lats]
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    zoom_x = math.log2((width - 2 * padding) / (dx * WORLD)) if dx > 0 else max_zoom
    zoom_y = math.log2((height - 2 * padding) / (dy * WORLD)) if dy > 0 else max_zoom
    zoom = max(min_zoom, min(max_zoom, zoom_x, zoom_y))
    centre = {"lon": (min(xs) + max(xs)) / 2 * 360.0 - 180.0, "lat": _lat((min(ys) + max(ys)) / 2)}
    return centre, math.floor(zoom * 100) / 100  # never round up: that would cut off the edge


def size_of(value) -> tuple[float, float] | None:
    """Return (width, height) from a browser's measurement [w, h], or None when it is not usable."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 50 <= v <= 10_000 for v in value):
        return float(value[0]), float(value[1])
    return None


# Leaflet's view (the maps since they left WebGL): zoom counts 256 px tiles, one more than MapLibre's above.
LEAFLET_REGION = {"center": [REGION[0]["lat"], REGION[0]["lon"]], "zoom": REGION[1] + 1}
FIT_OPTIONS = {"maxZoom": 14, "padding": [28, 28], "animate": False}
_HASH = re.compile(r"(?:^#|&)map=(\d{1,2})/(-?\d{1,2}(?:\.\d{1,8})?)/(-?\d{1,3}(?:\.\d{1,8})?)(?:&|$)")


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
    zoom, lat, lon = int(m.group(1)), float(m.group(2)), float(m.group(3))
    if not (0 <= zoom <= 19 and -85 <= lat <= 85 and -180 <= lon <= 180):
        return None
    return {"center": [lat, lon], "zoom": zoom, "transition": "setView"}
