"""Coverage and spread: is care within reach of every resident, and what if a contract ends?

All distances are straight-line ("hemelsbreed") in RD New metres between an area's demand point
(inside the area) and a location. Figures are population-weighted; areas whose population is
unknown (suppressed by CBS) are left out of the weights and counted apart.
"""

from __future__ import annotations

import datetime as dt

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .demand import Demand
from .geo import to_rd
from . import clock, contracts
from . import regions
from .reference import BY_CODE, MUNICIPALITIES, REGIONS

DEFAULT_THRESHOLDS = (5.0, 10.0, 15.0)
OLDER_TARGET_GROUPS = ("ouderen",)  # their population is the residents aged 65+
E2SFCA_WEIGHTS = (1.0, 0.68, 0.22)  # the weights of the method's original paper (Luo & Qi 2009)


@dataclass(frozen=True)
class Scenario:
    """What to compute: a care type, optionally a target group, thresholds in km, and a what-if:
    providers or locations left out, hypothetical locations added (WGS84 lon, lat)."""

    care_type: str
    target_group: str | None = None
    thresholds_km: tuple[float, ...] = DEFAULT_THRESHOLDS
    without_providers: tuple[str, ...] = ()
    without_locations: tuple[str, ...] = ()
    added: tuple[tuple[float, float], ...] = ()
    with_ended: bool = False  # what-if: count locations whose contract has ended, as if it ran on

    @property
    def older(self) -> bool:
        return self.target_group in OLDER_TARGET_GROUPS

    @property
    def max_m(self) -> float:
        return max(self.thresholds_km) * 1000


@dataclass
class Coverage:
    """Every figure of one scenario."""

    scenario: Scenario
    areas: pd.DataFrame
    municipalities: pd.DataFrame
    region: dict
    gaps: pd.DataFrame
    best_new: dict | None
    supply: pd.DataFrame = field(repr=False, default=None)

    def as_json(self) -> dict:
        """Return the figures as the CLI and the API give them."""
        def share(row) -> dict:
            return {_km(t): _num(row[f"within_{_km(t)}"]) for t in self.scenario.thresholds_km}

        return {
            "scenario": {"care_type": self.scenario.care_type, "target_group": self.scenario.target_group,
                         "thresholds_km": list(self.scenario.thresholds_km),
                         "without_providers": list(self.scenario.without_providers),
                         "without_locations": list(self.scenario.without_locations),
                         "added": [list(p) for p in self.scenario.added], "distance": "hemelsbreed"},
            "region": {**{k: _num(v) for k, v in self.region.items() if not k.startswith("within_")},
                       "share_within": share(self.region)},
            # records, not itertuples: a column such as within_9.6 is no valid tuple field name
            "municipalities": [{"code": r["code"], "name": r["name"], "population": _num(r["population"]),
                                "locations": int(r["locations"]), "per_10000": _num(r["per_10000"]),
                                "mean_m": _num(r["mean_m"]), "share_within": share(r)}
                               for r in self.municipalities.to_dict("records")],
            "areas": [{"id": r.id, "municipality_code": r.municipality_code, "lat": round(r.lat, 6), "lon": round(r.lon, 6),
                       "population": _num(r.population), "nearest_m": _num(r.nearest_m), "nearest_id": r.nearest_id if isinstance(r.nearest_id, str) else None,  # none in reach: a region with no contract
                       "e2sfca": _num(r.e2sfca)} for r in self.areas.itertuples(index=False)],
            "gaps": [{"id": r.id, "municipality_code": r.municipality_code, "population": _num(r.population),
                      "nearest_m": _num(r.nearest_m)} for r in self.gaps.itertuples(index=False)],
            "best_new": self.best_new,
        }


def _km(threshold: float) -> str:
    return f"{threshold:g}"


def _num(value):
    """Return a JSON-safe number: None for a missing, infinite or NaN value (of any numpy width)."""
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not np.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else round(value, 6)
    return value


def supply(view: pd.DataFrame, scenario: Scenario, places: bool = False, today: dt.date | None = None) -> pd.DataFrame:
    """Return the suitable locations (id, provider, municipality, x, y, supply) of the scenario on `today`:
    only contracts in force count (`contracts.ended`), unless the scenario adds ended ones back.

    Supply is one per location, or the BW places when `places` (only for the BW roles' views)."""
    flag = f"care:{scenario.care_type}"
    mask = view[flag] if flag in view.columns else pd.Series(False, index=view.index)
    if not scenario.with_ended and "contract_end" in view.columns:
        mask = mask & ~contracts.ended_mask(view, today or clock.today())
    if scenario.target_group:
        target = f"target:{scenario.target_group}"
        mask = mask & (view[target] if target in view.columns else False)
    mask = mask & ~view["provider_id"].isin(scenario.without_providers) & ~view["id"].isin(scenario.without_locations)
    rows = view.loc[mask]
    if places and "bw_capacity" not in rows.columns:
        raise PermissionError("BW-plaatsen zijn alleen zichtbaar voor BW-rollen")
    amount = rows["bw_capacity"].fillna(0).astype(float).to_numpy() if places else np.ones(len(rows))
    table = pd.DataFrame({"id": rows["id"].to_numpy(), "provider_id": rows["provider_id"].to_numpy(),
                          "municipality_code": rows["municipality_code"].to_numpy(), "x": rows["x"].to_numpy(float),
                          "y": rows["y"].to_numpy(float), "supply": amount,
                          "regions": regions.contracting(rows).to_numpy() if len(rows) else []})
    if scenario.added:  # an imagined location is contracted by the region it lies in (both, outside them)
        lon, lat = zip(*scenario.added)
        x, y = to_rd(np.array(lon), np.array(lat))
        extra = pd.DataFrame({"id": [f"NIEUW-{i + 1}" for i in range(len(lon))], "provider_id": "NIEUW",
                              "municipality_code": "", "x": np.atleast_1d(x), "y": np.atleast_1d(y),
                              "supply": float(np.nanmedian(amount)) if places and len(amount) else 1.0,
                              "regions": [(r,) if (r := regions.region_at(la, lo)) else REGIONS for lo, la in scenario.added]})
        table = pd.concat([table, extra], ignore_index=True)
    return table


def _by_region(demand: Demand, table: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (areas, locations) masks per purchasing region: a region's residents are served by the
    locations that region contracted; areas outside both regions by every location."""
    area_region = demand.frame["municipality_code"].map(lambda code: BY_CODE[code].region if code in BY_CODE else None)
    groups = []
    for region in (*REGIONS, None):
        areas = (area_region == region).to_numpy() if region else area_region.isna().to_numpy()
        if areas.any():
            served = table["regions"].map(lambda given: region in given).to_numpy(bool) if region and len(table) \
                else np.ones(len(table), bool)
            groups.append((areas, served))
    return groups


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    known = np.isfinite(weights) & (weights > 0)
    total = weights[known].sum()
    return float((values[known] * weights[known]).sum() / total) if total else float("nan")


def _shares(distance: np.ndarray, population: np.ndarray, thresholds) -> dict:
    known = np.isfinite(population)
    total = population[known].sum()
    return {f"within_{_km(t)}": float(population[known & (distance <= t * 1000)].sum() / total) if total else float("nan")
            for t in thresholds}


def step_weights(distance_km: np.ndarray, thresholds_km: tuple[float, ...]) -> np.ndarray:
    """Return the E2SFCA distance-decay weight per distance: 1, 0.68, 0.22 for the three bands (0 beyond)."""
    steps = sorted(thresholds_km)
    values = E2SFCA_WEIGHTS if len(steps) == 3 else np.linspace(1.0, 0.22, len(steps))
    weight = np.zeros(len(distance_km))
    for upper, value in reversed(list(zip(steps, values))):
        weight[distance_km <= upper] = value
    return weight


def e2sfca(demand_xy: np.ndarray, population: np.ndarray, supply_xy: np.ndarray, amount: np.ndarray,
           thresholds_km: tuple[float, ...]) -> np.ndarray:
    """Return the enhanced two-step floating catchment score per area (supply per 10,000 residents),
    computed by the PySAL `access` package on straight-line distances within the largest threshold."""
    scores = np.zeros(len(demand_xy))
    if not len(supply_xy):
        return scores
    found = cKDTree(supply_xy).query_ball_point(demand_xy, r=max(thresholds_km) * 1000, return_sorted=False)
    lengths = np.fromiter((len(f) for f in found), int, len(found))
    if not lengths.sum():
        return scores
    origin = np.repeat(np.arange(len(demand_xy)), lengths)
    dest = np.concatenate([np.asarray(f, int) for f in found])
    km = np.hypot(*(demand_xy[origin] - supply_xy[dest]).T) / 1000
    result = _access_scores(np.nan_to_num(population), amount, origin, dest, step_weights(km, thresholds_km))
    scores[result.index.to_numpy(int)] = result.fillna(0).to_numpy() * 10_000
    return scores


def _access_scores(population, amount, origin, dest, weight) -> pd.Series:
    """Run PySAL access' E2SFCA on areas 0..n and locations 0..m for the given pairs and their weights.

    The step weights are computed here, vectorised, and handed to `access` as the cost with the identity
    ufunc as weight function: `access` applies a Python weight function pair by pair (1.5 million calls
    at 30,000 locations), a numpy ufunc at once. The two steps themselves are the package's."""
    from access import Access

    logging.getLogger("access").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # the package's own pandas deprecations are not ours to fix
        warnings.filterwarnings("ignore", module=r"access(\.|$)")
        model = Access(demand_df=pd.DataFrame({"area": np.arange(len(population)), "pop": population}),
                       demand_index="area", demand_value="pop",
                       supply_df=pd.DataFrame({"loc": np.arange(len(amount)), "supply": amount}),
                       supply_index="loc", supply_value="supply",
                       cost_df=pd.DataFrame({"o": origin, "d": dest, "w": weight}), cost_origin="o", cost_dest="d",
                       cost_name="w")
        result = model.enhanced_two_stage_fca(name="e2sfca", cost="w", max_cost=None, weight_fn=np.positive)
    return result.iloc[:, 0]


def best_new_location(demand: Demand, distance: np.ndarray, population: np.ndarray, radius_m: float) -> dict | None:
    """Return the area whose demand point, as a new location, brings the most uncovered residents within
    `radius_m` (maximal covering for one added location, computed exactly by trying every area)."""
    pop = np.nan_to_num(population)
    uncovered = (distance > radius_m) & (pop > 0)
    if not uncovered.any():
        return None
    points = demand.frame[["x", "y"]].to_numpy()
    tree = cKDTree(points[uncovered])
    weights = pop[uncovered]
    gains = np.array([weights[found].sum() for found in tree.query_ball_point(points, r=radius_m)])
    best = int(np.argmax(gains))
    row = demand.frame.iloc[best]
    return {"id": row["id"], "municipality_code": row["municipality_code"], "lon": round(float(row["lon"]), 6),
            "lat": round(float(row["lat"]), 6), "residents_covered": int(gains[best]), "radius_km": radius_m / 1000}


def compute(demand: Demand, view: pd.DataFrame, scenario: Scenario, places: bool = False,
            today: dt.date | None = None) -> Coverage:
    """Return every coverage figure of `scenario` on the role's view of the locations, on `today`."""
    table = supply(view, scenario, places, today)
    population = demand.population(scenario.older)
    demand_xy = demand.frame[["x", "y"]].to_numpy()
    supply_xy = table[["x", "y"]].to_numpy()
    amount = table["supply"].to_numpy(float)
    distance, nearest_id = np.full(len(demand_xy), np.inf), np.array([None] * len(demand_xy), dtype=object)
    scores = np.zeros(len(demand_xy))
    for in_region, served in _by_region(demand, table):  # each region over its own contracts and residents
        if served.any():
            found, index = cKDTree(supply_xy[served]).query(demand_xy[in_region], k=1)
            distance[in_region], nearest_id[in_region] = found, table["id"].to_numpy()[served][index]
            scores[in_region] = e2sfca(demand_xy[in_region], population[in_region], supply_xy[served], amount[served],
                                       scenario.thresholds_km)
    areas = demand.frame[["id", "name", "municipality_code", "lon", "lat"]].copy()
    areas["population"] = population
    areas["nearest_m"] = np.rint(distance)
    areas["nearest_id"] = nearest_id
    areas["e2sfca"] = scores
    rows = []
    for m in MUNICIPALITIES:
        mine = (areas["municipality_code"] == m.code).to_numpy()
        pop = population[mine]
        total = float(np.nansum(pop))
        count = int((table["municipality_code"] == m.code).sum())
        rows.append({"code": m.code, "name": m.name, "population": total, "locations": count,
                     "per_10000": count / total * 10_000 if total else float("nan"),
                     "mean_m": _weighted(distance[mine], pop), **_shares(distance[mine], pop, scenario.thresholds_km)})
    municipalities = pd.DataFrame(rows)
    total = float(np.nansum(population))
    region = {"population": total, "locations": int(len(table)), "per_10000": len(table) / total * 10_000 if total else float("nan"),
              "mean_m": _weighted(distance, population), "unknown_population_areas": int((~np.isfinite(population)).sum()),
              **_shares(distance, population, scenario.thresholds_km)}
    gaps = areas.loc[areas["nearest_m"] > scenario.max_m, ["id", "name", "municipality_code", "population", "nearest_m"]]
    gaps = gaps.sort_values("population", ascending=False).reset_index(drop=True)
    return Coverage(scenario, areas, municipalities, region, gaps,
                    best_new_location(demand, distance, population, min(scenario.thresholds_km) * 1000), table)
