"""Demand: residents (and residents aged 65+) per area, with a demand point inside each area.

The default is the bundled CBS population per four-digit postcode area (1 January 2021, CC-BY 4.0);
`wmo-kaart population` writes a finer file of neighbourhoods (buurten) in the same standard form:
properties `id`, `name`, `municipality_code`, `population`, `population_65plus` (null = unknown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .geo import RD_NEW, WGS84

BUNDLED = Path(__file__).parent / "data" / "pc4_2021.geojson"
# property names of the bundled CBS file -> the standard form
ALIASES = {"postcode": "id", "inwoners": "population", "inwoners_65plus": "population_65plus"}
SUPPRESSED = -99990  # CBS marks suppressed or unknown figures with large negatives (-99995, -99997)


class DemandError(ValueError):
    """A demand file that cannot be used; Dutch message."""


@dataclass(frozen=True, eq=False)
class Demand:
    """Areas with population, demand points (RD and WGS84) and outlines for the map."""

    frame: pd.DataFrame  # id, name, municipality_code, population, population_65plus, x, y, lon, lat
    outlines: dict  # GeoJSON FeatureCollection in WGS84 with `id` per feature
    source: str
    year: str

    def population(self, older: bool = False) -> np.ndarray:
        """Return the residents per area (65+ when `older`), NaN where unknown."""
        return self.frame["population_65plus" if older else "population"].to_numpy(float)


def _clean(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return float("nan") if number <= SUPPRESSED or number < 0 else number


def from_geojson(data: dict, source: str, year: str = "") -> Demand:
    """Build demand from a GeoJSON FeatureCollection of areas in WGS84."""
    try:
        frame = gpd.GeoDataFrame.from_features(data["features"], crs=WGS84)
    except (KeyError, TypeError, ValueError) as exc:
        raise DemandError(f"{source}: geen geldige GeoJSON met gebieden ({exc})") from exc
    frame = frame.rename(columns=ALIASES)
    missing = {"id", "municipality_code", "population"} - set(frame.columns)
    if missing:
        raise DemandError(f"{source}: eigenschap(pen) {', '.join(sorted(missing))} ontbreken")
    if "population_65plus" not in frame.columns:
        frame["population_65plus"] = np.nan
    if "name" not in frame.columns:
        frame["name"] = frame.get("municipality_name", frame["id"]).astype(str) + " " + frame["id"].astype(str)
    frame["id"] = frame["id"].astype(str)
    for column in ("population", "population_65plus"):
        frame[column] = frame[column].map(_clean)
    rd = frame.to_crs(RD_NEW)
    points = rd.geometry.representative_point()  # always inside the area, unlike a centroid
    wgs = gpd.GeoSeries(points, crs=RD_NEW).to_crs(WGS84)
    table = pd.DataFrame({"id": frame["id"], "name": frame["name"].astype(str),
                          "municipality_code": frame["municipality_code"].astype(str),
                          "population": frame["population"], "population_65plus": frame["population_65plus"],
                          "x": points.x.to_numpy(), "y": points.y.to_numpy(), "lon": wgs.x.to_numpy(), "lat": wgs.y.to_numpy()})
    outlines = json.loads(frame[["id", "geometry"]].to_json(drop_id=True))
    for feature in outlines["features"]:
        feature["id"] = feature["properties"]["id"]
    return Demand(table.reset_index(drop=True), outlines, source, year)


@lru_cache(maxsize=4)
def load_demand(path: str | None = None) -> Demand:
    """Return the demand areas in `path`, or the bundled CBS postcode areas (2021)."""
    target = Path(path) if path else BUNDLED
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemandError(f"{target.name}: niet leesbaar ({exc})") from exc
    year = str((data.get("metadata") or {}).get("year", "2021" if target == BUNDLED else ""))
    return from_geojson(data, target.name, year)
