"""Every export format, once: slug, label, media type, file name and writer. The API's
`/export/{fmt}`, the map's download links, the OpenAPI document and `wmo-kaart export` all read
this registry, so a new format is one entry here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..core.catalog import Catalog
from . import tables


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _hsds(rows: pd.DataFrame, catalog: Catalog, provenance: dict) -> bytes:
    from . import hsds

    return _json(hsds.to_package(rows, catalog, provenance.get("Gepubliceerd") or None))


@dataclass(frozen=True)
class Format:
    """One export format: how it is named, served and written."""

    slug: str
    label: str
    media_type: str
    suffix: str  # of the file name, after the date
    write: Callable[[pd.DataFrame, Catalog, dict], bytes]
    description: str


FORMATS: dict[str, Format] = {f.slug: f for f in (
    Format("csv", "CSV", "text/csv", ".csv", lambda rows, catalog, prov: tables.to_csv(rows),
           "CSV met puntkomma's, UTF-8 met BOM (Excel)"),
    Format("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx",
           lambda rows, catalog, prov: tables.to_xlsx(rows, prov), "Excel-werkmap met getypeerde cellen en een blad 'Bron'"),
    Format("geojson", "GeoJSON", "application/geo+json", ".geojson",
           lambda rows, catalog, prov: _json({**tables.to_geojson(rows), "provenance": prov}), "GeoJSON (RFC 7946) met herkomst"),
    Format("hsds", "HSDS", "application/json", "-hsds.json", _hsds,
           "Open Referral HSDS 3.1: een lijst volledig geneste services (service_package)"),
)}


def file_name(fmt: Format, day) -> str:
    """Return the download's file name for the export made on `day`."""
    return f"wmo-kaart-{day.isoformat()}{fmt.suffix}"
