"""Sheltered-housing (BW) figures: free places, occupancy, staleness and totals.

These functions need the BW columns, which only the BW roles' views carry; on any other view
they raise PermissionError rather than compute anything.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

BW_COLUMNS = ("bw_capacity", "bw_occupancy", "bw_updated")

# Occupancy classes: (lower bound of the percentage, slug, Dutch, English, colour).
CLASSES = (
    (100, "vol", "Vol", "Full", "#9B1C1C"),
    (90, "bijna", "Bijna vol (90% of meer)", "Nearly full (90% or more)", "#A04E00"),
    (0, "ruimte", "Plaats vrij (minder dan 90%)", "Places free (below 90%)", "#1E6B34"),
)


# Three colours cannot each keep 3:1 against white and against each other (WCAG 1.4.11), so each
# class also has its own shape around the location marker: a full disc, a thick ring, a thin ring.
SHAPES = {"vol": "disc", "bijna": "ring", "ruimte": "thin"}


def _require(view: pd.DataFrame) -> None:
    if not set(BW_COLUMNS) <= set(view.columns):
        raise PermissionError("BW-cijfers zijn alleen zichtbaar voor BW-rollen")


def occupancy_class(pct: float) -> tuple:
    """Return the class (slug, nl, en, colour) of an occupancy percentage."""
    for bound, *rest in CLASSES:
        if pct >= bound:
            return tuple(rest)
    return tuple(CLASSES[-1][1:])


def free_places(capacity, occupancy) -> int:
    """Return the free places of a location: capacity minus occupancy (no occupancy: none taken), never below 0."""
    return max(0, int(capacity) - int(occupancy or 0))


def region_total(rows: pd.DataFrame) -> dict[str, int]:
    """Return capacity, occupancy and free places summed over the rows of `locations`."""
    capacity, occupancy = int(rows["bw_capacity"].sum()), int(rows["bw_occupancy"].sum())
    return {"capacity": capacity, "occupancy": occupancy, "free": int(rows["free"].sum())}


def locations(view: pd.DataFrame, today: dt.date, stale_days: int = 90) -> pd.DataFrame:
    """Return the BW locations with capacity, occupancy, free places, percentage and staleness."""
    _require(view)
    rows = view[view["bw_capacity"].notna()].copy()
    rows["bw_capacity"] = rows["bw_capacity"].astype(int)
    rows["bw_occupancy"] = rows["bw_occupancy"].fillna(0).astype(int)
    rows["free"] = [free_places(c, o) for c, o in zip(rows["bw_capacity"], rows["bw_occupancy"])]
    cap = rows["bw_capacity"].where(rows["bw_capacity"] > 0)
    rows["pct"] = (100 * rows["bw_occupancy"] / cap).fillna(100).round().astype(int)
    updated = pd.to_datetime(rows["bw_updated"], errors="coerce").dt.date
    rows["age_days"] = updated.map(lambda d: (today - d).days if isinstance(d, dt.date) and pd.notna(d) else None)
    rows["stale"] = rows["age_days"].map(lambda a: a is None or a > stale_days)
    rows["class"] = rows["pct"].map(lambda p: occupancy_class(p)[0])
    return rows


def totals(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return capacity, occupancy, free places and percentage summed per `by` column."""
    grouped = rows.groupby(by, sort=True).agg(
        locations=("id", "count"), capacity=("bw_capacity", "sum"), occupancy=("bw_occupancy", "sum"),
        stale=("stale", "sum"), free=("free", "sum")).reset_index()
    grouped["pct"] = (100 * grouped["occupancy"] / grouped["capacity"].where(grouped["capacity"] > 0)).fillna(100).round().astype(int)
    return grouped


def trend(history: list) -> pd.DataFrame:
    """Return the region's capacity and occupancy at each date of the BW history: per location its last
    known figures. A removal (a record without figures, dated by its publication) ends the location's
    line, so the last point equals the totals of the live data."""
    rows = [{"location_id": r.location_id, "as_of": r.as_of or r.at[:10], "capacity": r.capacity or 0,
             "occupancy": r.occupancy or 0, "version": r.version} for r in history if r.as_of or r.capacity is None]
    if not rows:
        return pd.DataFrame(columns=["as_of", "capacity", "occupancy"])
    frame = pd.DataFrame(rows).sort_values(["version", "as_of"], kind="stable")
    points = []
    for date in sorted(frame["as_of"].unique()):
        known = frame[frame["as_of"] <= date].groupby("location_id").last()
        points.append({"as_of": date, "capacity": int(known["capacity"].sum()), "occupancy": int(known["occupancy"].sum())})
    return pd.DataFrame(points)
