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
