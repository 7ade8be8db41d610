"""Reference geography bundled with the app: the municipal outlines of the region (CBS 2025, CC-BY 4.0)
and the names drawn on every map (municipalities and the towns and villages of the gazetteer)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MUNICIPAL_OUTLINES = Path(__file__).parent / "data" / "gemeenten_2025.geojson"


@lru_cache(maxsize=4)
def municipal_outlines(path: str | None = None) -> dict:
    """Return the municipal outlines (WGS84 FeatureCollection): the configured file, else the bundled CBS 2025 file."""
    return json.loads(Path(path or MUNICIPAL_OUTLINES).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def place_labels(outlines_path: str | None = None):
    """Return the names to draw: municipalities at regional zoom, towns and villages closer in,
    the larger (by residents in their postcode areas, CBS 2021) winning where names would collide."""
    from shapely.geometry import shape

    from .demand import load_demand
    from .reference import BY_CODE, towns
    from .tiles import Label

    labels = []
    for feature in municipal_outlines(outlines_path)["features"]:
        code = feature["properties"].get("statcode") or feature["properties"].get("code")
        if code in BY_CODE:
            point = shape(feature["geometry"]).representative_point()
            labels.append(Label(BY_CODE[code].name.upper(), point.x, point.y, 0, 1e9, 13, True, 9.9))
    population = load_demand().frame.set_index("id")["population"].fillna(0).to_dict()
    for town in towns():
        residents = sum(population.get(pc4, 0) for pc4 in town.pc4)
        min_zoom = 10 if residents >= 20_000 else 10.5 if residents >= 5_000 else 11.5
        labels.append(Label(town.name, town.lon, town.lat, min_zoom, residents, 14 if residents >= 20_000 else 12))
    return tuple(labels)


@lru_cache(maxsize=1)
def district_labels() -> tuple[tuple[str, float, float], ...]:
    """Return the names of the districts (CBS wijken 2022, bundled) with a point inside each, for the
    closest maps (handouts): 'Wijk 03 Ruwaard' reads 'Ruwaard'."""
    import re

    from .geocode import _named_points, NEIGHBOURHOODS
    from importlib import resources

    data = json.loads(resources.files(__package__).joinpath(NEIGHBOURHOODS).read_text("utf-8"))
    wijken = [f for f in data["features"] if (f.get("properties") or {}).get("soort") == "wijk"]
    prefix = re.compile(r"^wijk \d+\s+", re.IGNORECASE)
    return tuple((prefix.sub("", name), lon, lat) for name, _code, lat, lon in _named_points(wijken))


@lru_cache(maxsize=4)
def area_rings_rd(outlines_path: str | None = None) -> tuple:
    """Return the outer rings of the postcode areas (PC4) in RD New metres, each with its bounds, for
    drawing light area borders on small static maps."""
    import numpy as np

    from .demand import load_demand
    from .geo import to_rd

    rings = []
    for feature in load_demand(outlines_path).outlines["features"]:
        geometry = feature.get("geometry") or {}
        polygons = (geometry.get("coordinates") or []) if geometry.get("type") == "MultiPolygon" else [geometry.get("coordinates") or []]
        for polygon in polygons:
            if not polygon:
                continue
            ring = np.asarray(polygon[0], float)
            x, y = to_rd(ring[:, 0], ring[:, 1])
            rings.append(((x.min(), y.min(), x.max(), y.max()), np.column_stack([x, y])))
    return tuple(rings)
