"""Nearest in microseconds: a read-only index per role view, built once per data version.

Per view: RD coordinates as a numpy array, a KD-tree over every location and one per care type, a
boolean column per target group and per purchasing region (which region contracted the location),
and the JSON of each location's result prepared once. A query touches no pandas: it asks the tree of
each wanted care type (any of them, as the filter means) for the nearest, widens until enough pass
the target-group and region columns, then takes every location within the last distance (ties
included) and orders by distance and view order: exactly what a stable brute-force sort gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from . import regions
from .per_view import PerView



@dataclass(frozen=True, eq=False)
class _Tree:
    tree: cKDTree
    rows: np.ndarray  # view row of each point of the tree


def _tree(xy: np.ndarray, rows: np.ndarray) -> _Tree:
    return _Tree(cKDTree(xy[rows]) if len(rows) else None, rows)


@dataclass(frozen=True, eq=False)
class NearestIndex:
    """Arrays of one role view; `records[i]` is the prepared result of view row i (without distance)."""

    xy: np.ndarray
    all: _Tree
    care: dict[str, _Tree]
    targets: dict[str, np.ndarray]
    regions: dict[str, np.ndarray]
    records: tuple[dict, ...]

    @classmethod
    def build(cls, view: pd.DataFrame) -> "NearestIndex":
        xy = np.column_stack([view["x"].to_numpy(float), view["y"].to_numpy(float)])
        every = np.arange(len(view))
        care_codes = sorted({c for values in view["care_types"] for c in values})
        care = {code: _tree(xy, every[np.fromiter((code in v for v in view["care_types"]), bool, len(view))])
                for code in care_codes}
        target_codes = sorted({g for values in view["target_groups"] for g in values})
        targets = {code: np.fromiter((code in v for v in view["target_groups"]), bool, len(view)) for code in target_codes}
        contracting = regions.contracting(view) if len(view) else pd.Series([], dtype=object)
        names = sorted({r for values in contracting for r in values})
        by_region = {name: np.fromiter((name in v for v in contracting), bool, len(view)) for name in names}
        records = tuple({"id": str(i), "name": n, "provider_name": p, "lat": round(float(la), 6), "lon": round(float(lo), 6)}
                        for i, n, p, la, lo in zip(view.index, view["name"], view["provider_name"], view["lat"], view["lon"]))
        return cls(xy, _tree(xy, every), care, targets, by_region, records)

    def _allowed(self, target_groups: tuple[str, ...], region: str | None) -> np.ndarray | None:
        """Return the rows that pass the target-group and region conditions (None: every row)."""
        mask = None
        if target_groups:
            mask = np.zeros(len(self.xy), bool)
            for code in target_groups:
                if code in self.targets:
                    mask |= self.targets[code]
        if region is not None:
            own = self.regions.get(region, np.zeros(len(self.xy), bool))
            mask = own if mask is None else mask & own
        return mask

    def query(self, x: float, y: float, care_types: tuple[str, ...] = (), target_groups: tuple[str, ...] = (),
              region: str | None = None, limit: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Return (view rows, distances in metres) of the `limit` nearest locations to RD (x, y) offering any of
        `care_types` (all when empty), serving any of `target_groups` (all when empty) and contracted by
        `region` (all when None), nearest first, ties in view order."""
        trees = [self.care[c] for c in dict.fromkeys(care_types) if c in self.care] if care_types else [self.all]
        allowed = self._allowed(target_groups, region)
        if limit <= 0 or not trees:
            return np.empty(0, int), np.empty(0, float)
        if len(trees) == 1:
            quick = self._single(trees[0], x, y, allowed, limit)
            if quick is not None:
                return quick
        # any tree with `limit` passing locations within distance d puts the whole answer within d (the union
        # of the care types has at least those); without such a tree every location of the trees is a candidate
        bounds = [d for d in (self._limit_distance(entry, x, y, allowed, limit) for entry in trees) if d is not None]
        radius = min(bounds) if bounds else np.inf
        rows = np.unique(np.concatenate([self._within(entry, x, y, radius) for entry in trees]))
        if allowed is not None:
            rows = rows[allowed[rows]]
        distance = np.hypot(self.xy[rows, 0] - x, self.xy[rows, 1] - y)
        order = np.lexsort((rows, distance))[:limit]
        return rows[order], distance[order]

    def _single(self, entry: _Tree, x: float, y: float, allowed: np.ndarray | None, limit: int):
        """One tree: its k nearest, when more than `limit` pass and the next one is strictly further than the
        limit-th (no tie cut at the boundary; every location not returned is at least as far). Else None."""
        total = len(entry.rows)
        if total <= limit:
            return None
        k = min(total, limit + 1 if allowed is None else max(limit * 2, 8))
        _dist, index = entry.tree.query((x, y), k=k)
        rows = entry.rows[np.atleast_1d(index)]
        if allowed is not None:
            rows = rows[allowed[rows]]
        if len(rows) <= limit:
            return None
        points = self.xy[rows]
        distance = np.hypot(points[:, 0] - x, points[:, 1] - y)
        order = np.lexsort((rows, distance))
        if not distance[order[limit]] > distance[order[limit - 1]]:
            return None
        chosen = order[:limit]
        return rows[chosen], distance[chosen]

    @staticmethod
    def _limit_distance(entry: _Tree, x: float, y: float, allowed: np.ndarray | None, limit: int) -> float | None:
        """Return the distance of the limit-th nearest passing location of one tree (None: fewer pass)."""
        total = len(entry.rows)
        if total == 0:
            return None
        k = min(total, limit if allowed is None else max(limit * 4, 16))
        while True:
            dist, index = entry.tree.query((x, y), k=k)
            dist, index = np.atleast_1d(dist), np.atleast_1d(index)
            passing = dist if allowed is None else dist[allowed[entry.rows[index]]]
            if len(passing) >= limit:
                return float(passing[limit - 1])
            if k >= total:
                return None
            k = min(total, k * 4)

    @staticmethod
    def _within(entry: _Tree, x: float, y: float, radius: float) -> np.ndarray:
        if entry.tree is None:
            return np.empty(0, int)
        if not np.isfinite(radius):
            return entry.rows
        found = entry.tree.query_ball_point((x, y), radius * (1 + 1e-12) + 1e-6)
        return entry.rows[np.asarray(found, int)] if len(found) else np.empty(0, int)

    def results(self, rows: np.ndarray, distance: np.ndarray) -> list[dict]:
        """Return the prepared JSON results of `rows` with their rounded distances."""
        records = self.records
        return [{**records[r], "distance_m": d} for r, d in zip(rows.tolist(), np.rint(distance).astype(int).tolist())]


_INDEXES: PerView[NearestIndex] = PerView(lambda view: NearestIndex.build(view))


def index_for(view: pd.DataFrame) -> NearestIndex:
    """Return the index of a (long-lived, immutable) role view, built once and dropped with the view."""
    return _INDEXES.get(view)
