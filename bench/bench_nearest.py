"""Benchmark: the 5 nearest day-care locations of 30,000 with the core (the per-view index: a KD-tree per
care type, prepared results) vs cKDTree's own query on the day-care subset (the floor), geopandas brute
force (distance to every filtered location, then the smallest) and a naive haversine loop, in one process.

Run: .venv/bin/python bench/bench_nearest.py  (prints medians and ratios; not a test).
"""

from __future__ import annotations

import math
import geopandas as gpd
import numpy as np

from wmo_kaart.benchmarks import median_ms
from wmo_kaart.core import access
from wmo_kaart.core.dataset import Dataset, frame_from_features
from wmo_kaart.core.geo import to_rd
from wmo_kaart.core.nearest_index import index_for
from scipy.spatial import cKDTree
from wmo_kaart.demo import generate

N = 30_000
ORIGINS = [(51.765, 5.518), (51.5555, 5.0913), (51.822, 5.562)]


def median_us(fn, repeat: int) -> float:
    return median_ms(fn, repeat) * 1000


def main() -> None:
    features = generate(locations=N)["features"]
    view = access.view_for(Dataset(frame_from_features(features), "bench", "bench"), "anonymous")
    points = gpd.GeoDataFrame(view[["id"]], geometry=gpd.points_from_xy(view["x"], view["y"]), crs=28992)
    print(f"{N} locations, the 5 nearest with day care (07)")
    for lat, lon in ORIGINS:
        x, y = (float(v) for v in to_rd(lon, lat))

        index = index_for(view)
        floor_tree = cKDTree(index.xy[view["care:07"].to_numpy()])

        def core():
            return index.results(*index.query(x, y, ("07",), (), None, 5))

        def floor():
            return floor_tree.query((x, y), k=5)

        def geopandas_brute():
            chosen = points[view["care:07"].to_numpy()]
            return chosen.iloc[np.argsort(chosen.distance(gpd.points_from_xy([x], [y], crs=28992)[0]).to_numpy())[:5]]

        def haversine_loop():
            def d(f):
                lon2, lat2 = f["geometry"]["coordinates"]
                p1, p2 = math.radians(lat), math.radians(lat2)
                a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon) / 2) ** 2
                return 2 * 6_371_000 * math.asin(math.sqrt(a))
            return sorted((f for f in features if "07" in f["properties"]["care_types"]), key=d)[:5]

        assert [r["id"] for r in core()] == list(geopandas_brute()["id"]), "the same five"
        c, f, g, h = median_us(core, 2000), median_us(floor, 2000), median_us(geopandas_brute, 30), median_us(haversine_loop, 3)
        print(f"({lat}, {lon})  core {c:6.1f} µs  cKDTree floor {f:6.1f} µs ({c / f:4.1f}x it)  "
              f"geopandas {g:8.1f} µs ({g / c:5.0f}x)  haversine loop {h:9.1f} µs ({h / c:6.0f}x)")


if __name__ == "__main__":
    main()
