"""The first view of a map: the centre and zoom that show every given point in a container of a given
size (Web Mercator, MapLibre's zoom where the world is 512 px wide at zoom 0)."""

from __future__ import annotations

import math
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
