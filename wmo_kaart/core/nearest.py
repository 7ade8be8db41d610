"""Nearest locations by straight-line distance, computed in RD New metres."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .geo import to_rd


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
    if distance_m < 1000:
        return f"{int(round(distance_m, -1))} m"
    km = f"{distance_m / 1000:.1f}"
    return f"{km.replace('.', ',') if lang != 'en' else km} km"
