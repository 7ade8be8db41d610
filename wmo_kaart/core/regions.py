"""Purchasing regions: which region a place lies in, and which regions contracted a location.

Brabant Noordoost-oost and Hart van Brabant buy Wmo support separately; a resident can use the
locations contracted by the region of their own municipality. A location's `contract_regions` says
which regions contracted it (both may); when it is empty, the region of the location's own
municipality did.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .reference import BY_CODE


@lru_cache(maxsize=1)
def _outlines() -> list:
    from shapely.geometry import shape
    from shapely.prepared import prep

    from .geography import municipal_outlines

    outlines = municipal_outlines(None) or {"features": []}
    found = []
    for feature in outlines.get("features", []):
        code = (feature.get("properties") or {}).get("statcode")
        if code in BY_CODE and feature.get("geometry"):
            geometry = shape(feature["geometry"])
            found.append((code, prep(geometry), geometry))
    return found


def municipality_at(lat: float, lon: float) -> str | None:
    """Return the code of the region's municipality a point lies in (bundled CBS 2025 outlines), else None."""
    from shapely.geometry import Point

    point = Point(lon, lat)
    for code, prepared, _geometry in _outlines():
        if prepared.contains(point):
            return code
    return None


def region_at(lat: float, lon: float) -> str | None:
    """Return the purchasing region a point lies in, or None outside the two regions."""
    code = municipality_at(lat, lon)
    return BY_CODE[code].region if code else None


def contracting(view: pd.DataFrame) -> pd.Series:
    """Return per location the regions that contracted it (its own municipality's region when not given)."""
    own = view["municipality_code"].map(lambda code: (BY_CODE[code].region,) if code in BY_CODE else ())
    if "contract_regions" not in view.columns:
        return own
    return pd.Series([tuple(given) if len(given) else mine for given, mine in zip(view["contract_regions"], own)],
                     index=view.index)


def contracted_by(view: pd.DataFrame, region: str | None) -> pd.Series:
    """Tell per location whether `region` contracted it (every location when `region` is None)."""
    if region is None:
        return pd.Series(True, index=view.index)
    return contracting(view).map(lambda regions: region in regions).astype(bool)


def desks(raw: str) -> dict[str, str]:
    """Read `WMO_KAART_WMO_DESK`: one text for every municipality, or a table of `code or name = text`
    entries separated by `|` or new lines (`*` for the rest):
    'GM0828 = Wmo-loket Oss, 0412-629629 | Goirle = Wmo-loket Goirle, 013-5310610 | * = Wmo-loket van uw gemeente'."""
    from .reference import municipality

    entries = [part.strip() for part in raw.replace("\n", "|").split("|") if part.strip()]
    keyed = [part.split("=", 1) for part in entries if "=" in part.split(",", 1)[0]]
    if not keyed or len(keyed) != len(entries):
        return {"*": raw.strip()} if raw.strip() else {}
    table = {}
    for key, text in keyed:
        key = key.strip()
        found = municipality(key) if key != "*" else None
        if key != "*" and found is None:
            raise ValueError(f"WMO_KAART_WMO_DESK: '{key}' is geen gemeente van de regio (gebruik een CBS-code of naam, of *)")
        table[found.code if found else "*"] = text.strip()
    return table


def desk_for(raw: str, municipality_code: str | None) -> str:
    """Return the Wmo desk for a resident of `municipality_code` (the general one when there is no own entry)."""
    table = desks(raw)
    return table.get(municipality_code or "", table.get("*", ""))
