"""The contract rules, written once: when a contract has ended, when it ends "within N months",
and its status. Every page, layer, export and the coverage what-if ask these functions.

A contract has ended when its end date lies before today (it runs through its end date). "Ends
within N months" means an end date on or before the same day N calendar months from today
(`clock.add_months`: 3 December + 6 months is 3 June), ended contracts included. A location
without an end date never ends.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import clock

WARN_MONTHS = 6


def _end(end) -> str | None:
    return end if isinstance(end, str) and end else None


def horizon(today: dt.date, months: int) -> dt.date:
    """Return the last day that counts as "within `months` months" from `today`."""
    return clock.add_months(today, months)


def ended(end, today: dt.date) -> bool:
    """Tell whether a contract with end date `end` (ISO text) has ended before `today`."""
    end = _end(end)
    return end is not None and end < today.isoformat()


def ends_within(end, today: dt.date, months: int) -> bool:
    """Tell whether a contract ends within `months` months of `today` (ended ones included)."""
    end = _end(end)
    return end is not None and end <= horizon(today, months).isoformat()


def status(end, today: dt.date | None = None, warn_months: int = WARN_MONTHS) -> str | None:
    """Return 'ended' (before today), 'ending' (within `warn_months`), 'running', or None without an end date."""
    if _end(end) is None:
        return None
    today = today or clock.today()
    if ended(end, today):
        return "ended"
    return "ending" if ends_within(end, today, warn_months) else "running"


def ended_mask(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """Tell per row of `frame` whether its contract has ended."""
    return frame["contract_end"].map(lambda end: ended(end, today)).astype(bool)


def ending_ids(view: pd.DataFrame, months: int, today: dt.date) -> tuple[str, ...]:
    """Return the ids of the locations whose contract ends within `months` (ended ones included)."""
    if "contract_end" not in view.columns:
        return ()
    return tuple(view.loc[view["contract_end"].map(lambda end: ends_within(end, today, months)).astype(bool), "id"])


COLUMNS = ("provider_name", "name", "care_types", "municipality_code", "contract_id", "contract_end")
SORTS = ("contract_end", "provider_name", "name", "municipality_code", "contract_id")


def table(view, today: dt.date | None = None, *, months: int | None = None, municipality: str | None = None,
          provider: str | None = None, care_type: str | None = None, ended: bool = True, sort: str = "contract_end",
          warn_months: int = WARN_MONTHS):
    """Return the contracts of a professional view (a location with its contract), filtered and sorted,
    with a `status` column; `months` keeps contracts that end within that many months (ended ones too)."""
    today = today or clock.today()
    rows = view[[c for c in COLUMNS if c in view.columns] + ["id"]].copy()
    rows["status"] = rows["contract_end"].map(lambda end: status(end, today, warn_months) or "")
    if municipality:
        rows = rows[rows["municipality_code"] == municipality]
    if provider:
        rows = rows[view.loc[rows.index, "provider_id"] == provider]
    if care_type:
        rows = rows[rows["care_types"].map(lambda codes: care_type in codes)]
    if not ended:
        rows = rows[rows["status"] != "ended"]
    if months is not None:
        rows = rows[rows["contract_end"].map(lambda end: ends_within(end, today, months)).astype(bool)]
    key = sort if sort in SORTS else "contract_end"
    return rows.sort_values([key, "provider_name", "name"], key=lambda col: col.fillna("").astype(str).str.casefold()
                            if col.dtype == object else col, na_position="last")


def overview(view):
    """Return the number of contracted locations per provider, care type and municipality."""
    exploded = view[["provider_name", "care_types", "municipality_code"]].explode("care_types")
    return (exploded.groupby(["provider_name", "care_types", "municipality_code"]).size()
            .rename("locations").reset_index().sort_values(["provider_name", "care_types", "municipality_code"])
            if not exploded.empty else pd.DataFrame(columns=["provider_name", "care_types", "municipality_code", "locations"]))
