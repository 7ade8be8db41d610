"""Benchmark: the nearest 10 of 30,000 locations with the core (vectorised RD distances) vs a
naive loop with the haversine formula over dicts, in the same process.

Run: .venv/bin/python bench/bench_nearest.py  (prints the speed-up ratio; not a test).
"""

from __future__ import annotations

import math
import timeit

from wmo_kaart.core.dataset import frame_from_features
from wmo_kaart.core.nearest import nearest
from wmo_kaart.demo import generate

N = 30_000
ORIGINS = [(51.765, 5.518), (51.5555, 5.0913), (51.822, 5.562)]


def naive(features: list[dict], lat: float, lon: float, k: int) -> list[str]:
    """The baseline: great-circle distance to every feature, then sort."""
    def haversine(f):
        lon2, lat2 = f["geometry"]["coordinates"]
        p1, p2 = math.radians(lat), math.radians(lat2)
        a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon) / 2) ** 2
        return 6_371_000 * 2 * math.asin(math.sqrt(a))
    return [f["properties"]["id"] for f in sorted(features, key=haversine)[:k]]


def main() -> None:
    features = generate(locations=N)["features"]
    frame = frame_from_features(features)
    print(f"{N} locations, nearest 10")
    for lat, lon in ORIGINS:
        core_ids = list(nearest(frame, lat, lon, 10)["id"])
        assert len(set(core_ids[:5]) & set(naive(features, lat, lon, 10))) >= 4, "same neighbours (RD vs sphere)"
        core = min(timeit.repeat(lambda: nearest(frame, lat, lon, 10), number=5, repeat=3)) / 5
        base = min(timeit.repeat(lambda: naive(features, lat, lon, 10), number=2, repeat=3)) / 2
        print(f"({lat}, {lon})  core {core * 1000:7.1f} ms  naive {base * 1000:7.1f} ms  ratio {base / core:5.1f}x")


if __name__ == "__main__":
    main()
