"""Benchmark: every coverage figure for every area at 30,000 locations (core: KD-tree, PySAL access for
E2SFCA, exact best-new search) vs a brute-force baseline (full distance matrix, a Python loop for the
two-step floating catchment), in the same process.

Run: .venv/bin/python bench/bench_coverage.py  (prints times and the ratio; not a test).
"""

from __future__ import annotations

import time

import numpy as np

from wmo_kaart.core import access
from wmo_kaart.core.coverage import Scenario, compute
from wmo_kaart.core.dataset import Dataset, frame_from_features
from wmo_kaart.core.demand import load_demand
from wmo_kaart.demo import generate

N = 30_000


def brute(demand, view, scenario):
    """The baseline: every area against every suitable location, E2SFCA with loops over locations."""
    rows = view[view[f"care:{scenario.care_type}"]]
    sx, sy = rows["x"].to_numpy(), rows["y"].to_numpy()
    pop = demand.frame["population"].to_numpy(float)
    d = np.hypot(demand.frame["x"].to_numpy()[:, None] - sx[None, :], demand.frame["y"].to_numpy()[:, None] - sy[None, :])
    nearest = d.min(axis=1)
    shares = {t: pop[nearest <= t * 1000].sum() / pop.sum() for t in scenario.thresholds_km}
    w = np.where(d <= 5000, 1.0, np.where(d <= 10000, 0.68, np.where(d <= 15000, 0.22, 0.0)))
    ratios = []
    for j in range(len(sx)):
        reach = (pop * w[:, j]).sum()
        ratios.append(1.0 / reach if reach else 0.0)
    score = w @ np.array(ratios)
    uncovered = nearest > 5000
    gains = [pop[uncovered & (np.hypot(demand.frame["x"] - x, demand.frame["y"] - y) <= 5000)].sum()
             for x, y in zip(demand.frame["x"], demand.frame["y"])]
    return nearest, shares, score, max(gains)


def main() -> None:
    features = generate(locations=N)["features"]
    dataset = Dataset(frame_from_features(features), "bench", "bench")
    view = access.view_for(dataset, "beleidsadviseur")
    demand = load_demand()
    scenario = Scenario("07")
    compute(demand, view, scenario)  # warm up imports
    start = time.perf_counter()
    result = compute(demand, view, scenario)
    core = time.perf_counter() - start
    start = time.perf_counter()
    nearest, shares, score, best = brute(demand, view, scenario)
    base = time.perf_counter() - start
    assert np.allclose(result.areas["nearest_m"], np.rint(nearest))
    assert np.allclose(result.areas["e2sfca"], score * 10_000, rtol=1e-6)
    suitable = int(view["care:07"].sum())
    print(f"{N} locations ({suitable} day care), {len(demand.frame)} areas: all figures")
    print(f"core {core * 1000:7.1f} ms  brute force {base * 1000:7.1f} ms  ratio {base / core:5.1f}x  "
          f"(target: core under 1000 ms)")


if __name__ == "__main__":
    main()
