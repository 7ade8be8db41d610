"""Contract status of a location from its end date: ended, ending soon, or running."""

from __future__ import annotations

import datetime as dt

WARN_MONTHS = 6


def status(end, today: dt.date | None = None, warn_months: int = WARN_MONTHS) -> str | None:
    """Return 'ended' (before today), 'ending' (within `warn_months`), 'running', or None without an end date."""
    if not isinstance(end, str) or not end:
        return None
    today = today or dt.date.today()
    if end < today.isoformat():
        return "ended"
    horizon = today + dt.timedelta(days=round(30.44 * warn_months))
    return "ending" if end <= horizon.isoformat() else "running"


COLUMNS = ("provider_name", "name", "care_types", "municipality_code", "contract_id", "contract_end")
SORTS = ("contract_end", "provider_name", "name", "municipality_code", "contract_id")


def table(view, today: dt.date | None = None, *, months: int | None = None, municipality: str | None = None,
          provider: str | None = None, care_type: str | None = None, ended: bool = True, sort: str = "contract_end"):
    """Return the contracts of a professional view (a location with its contract), filtered and sorted,
    with a `status` column; `months` keeps contracts that end within that many months (ended ones too)."""
    today = today or dt.date.today()
    rows = view[[c for c in COLUMNS if c in view.columns] + ["id"]].copy()
    rows["status"] = rows["contract_end"].map(lambda end: status(end, today) or "")
    if municipality:
        rows = rows[rows["municipality_code"] == municipality]
    if provider:
        rows = rows[view.loc[rows.index, "provider_id"] == provider]
    if care_type:
        rows = rows[rows["care_types"].map(lambda codes: care_type in codes)]
    if not ended:
        rows = rows[rows["status"] != "ended"]
    if months is not None:
        horizon = (today + dt.timedelta(days=round(30.44 * months))).isoformat()
        rows = rows[rows["contract_end"].map(lambda end: isinstance(end, str) and bool(end) and end <= horizon)]
    key = sort if sort in SORTS else "contract_end"
    return rows.sort_values([key, "provider_name", "name"], key=lambda col: col.fillna("").astype(str).str.casefold()
                            if col.dtype == object else col, na_position="last")


def overview(view):
    """Return the number of contracted locations per provider, care type and municipality."""
    import pandas as pd

    exploded = view[["provider_name", "care_types", "municipality_code"]].explode("care_types")
    return (exploded.groupby(["provider_name", "care_types", "municipality_code"]).size()
            .rename("locations").reset_index().sort_values(["provider_name", "care_types", "municipality_code"])
            if not exploded.empty else pd.DataFrame(columns=["provider_name", "care_types", "municipality_code", "locations"]))
