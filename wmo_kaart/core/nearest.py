"""Nearest locations by straight-line distance, computed in RD New metres."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .geo import to_rd
from .per_view import PerView

# the KD-tree of a role view, built once and dropped with the view
_TREES = PerView(lambda view: cKDTree(np.column_stack([view["x"].to_numpy(float), view["y"].to_numpy(float)])))


def _tree(view: pd.DataFrame) -> cKDTree:
    return _TREES.get(view)


def nearest_in(view: pd.DataFrame, mask: np.ndarray, lat: float, lon: float, limit: int) -> pd.DataFrame:
    """Return the `limit` nearest rows of `view` where `mask` holds, with `distance_m`, using a KD-tree.

    The tree holds all of the view; the query widens until enough rows pass the mask, so a filter
    never costs a rebuild."""
    x, y = (float(v) for v in to_rd(lon, lat))
    total, wanted = len(view), int(min(limit, mask.sum()))
    if wanted <= 0:
        return nearest(view.iloc[0:0], lat, lon, 0)
    k = min(total, max(wanted * 4, 16))
    tree = _tree(view)
    while True:
        dist, index = tree.query((x, y), k=k)
        dist, index = np.atleast_1d(dist), np.atleast_1d(index)
        keep = mask[index]
        if keep.sum() >= wanted or k >= total:
            break
        k = min(total, k * 4)
    chosen, distance = index[keep][:wanted], dist[keep][:wanted]
    out = view.iloc[chosen].copy()
    out["distance_m"] = np.rint(distance).astype(int)
    return out


def nearest(rows: pd.DataFrame, lat: float, lon: float, limit: int | None = None) -> pd.DataFrame:
    """Return `rows` sorted by distance from (lat, lon), with a `distance_m` column."""
    x, y = to_rd(lon, lat)
    dist = np.hypot(rows["x"].to_numpy() - float(x), rows["y"].to_numpy() - float(y))
    order = np.argsort(dist, kind="stable")
    if limit is not None:
        order = order[: max(0, limit)]
    out = rows.iloc[order].copy()
    out["distance_m"] = np.rint(dist[order]).astype(int)
    return out


def format_km(distance_m: int, lang: str = "nl") -> str:
    """Return a distance for people: '850 m' or '2,3 km' (decimal comma in Dutch)."""
    metres = int(round(distance_m, -1))
    if metres < 1000:  # rounded first: 995 m reads '1,0 km', never '1000 m'
        return f"{metres} m"
    km = f"{distance_m / 1000:.1f}"
    return f"{km.replace('.', ',') if lang != 'en' else km} km"
