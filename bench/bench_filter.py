"""Benchmark: filtering 30,000 locations with the core vs a naive loop over dicts, same process.

Run: .venv/bin/python bench/bench_filter.py  (prints the speed-up ratio; not a test).
"""

from __future__ import annotations

import timeit

from wmo_kaart.core.dataset import frame_from_features
from wmo_kaart.core.filters import LocationFilter, apply_filter
from wmo_kaart.demo import generate

N = 30_000


def naive(features: list[dict], flt: LocationFilter) -> list[str]:
    """The baseline: check every feature's properties in a Python loop."""
    out = []
    for feat in features:
        p = feat["properties"]
        if flt.care_types and not set(flt.care_types) & set(p["care_types"]):
            continue
        if flt.municipalities and p["municipality_code"] not in flt.municipalities:
            continue
        text = f"{p['provider_name']} {p['name']} {p['city']}".casefold()
        if not all(w in text for w in flt.text.casefold().split()):
            continue
        out.append(p["id"])
    return out


def main() -> None:
    features = generate(locations=N)["features"]
    frame = frame_from_features(features)
    cases = {
        "care type": LocationFilter(care_types=("07",)),
        "care type + municipality": LocationFilter(care_types=("15",), municipalities=("GM0855", "GM0828")),
        "free text": LocationFilter(text="zorg tilburg"),
    }
    print(f"{N} locations")
    for name, flt in cases.items():
        assert list(apply_filter(frame, flt)["id"]) == naive(features, flt)
        core = min(timeit.repeat(lambda: apply_filter(frame, flt), number=5, repeat=3)) / 5
        base = min(timeit.repeat(lambda: naive(features, flt), number=5, repeat=3)) / 5
        print(f"{name:28s} core {core * 1000:7.1f} ms  naive {base * 1000:7.1f} ms  ratio {base / core:5.1f}x")


if __name__ == "__main__":
    main()
