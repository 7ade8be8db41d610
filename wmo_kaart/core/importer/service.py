"""One import, start to end: read, convert, geocode, merge, validate. Publishing is separate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog
from ..geocode import GeocodeError, GeocoderChain
from ..validate import validate_collection
from .convert import ImportReport, RowError, convert_rows, parse_date, parse_number
from .columns import map_headers
from .read import SpreadsheetError, read_table


@dataclass
class Outcome:
    """The report, and the collection to publish when the import may be published."""

    report: ImportReport
    collection: dict | None
    source_sha256: str


def geocoder_for(chain: GeocoderChain) -> Callable[[dict], tuple[float, float] | None]:
    """Return a function that places a row by its postcode through the geocoder chain."""
    def place(props: dict) -> tuple[float, float] | None:
        try:
            origin = chain.locate(props.get("postcode", "")).origin
        except GeocodeError:
            return None
        return (origin.lon, origin.lat) if origin else None
    return place


def current_collection(path: Path) -> dict:
    """Return the published collection (for a merge or a BW update)."""
    if not path.exists():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _collection(features: list[dict], source: str, base: dict | None = None) -> dict:
    meta = {**((base or {}).get("metadata") or {}), "source": source}
    return {"type": "FeatureCollection", "metadata": meta, "features": features}


def run_import(raw: bytes, source: str, catalog: Catalog, chain: GeocoderChain, *, base: dict | None = None,
               partial: bool = False, progress=None) -> Outcome:
    """Import spreadsheet bytes; `base` (the current collection) makes it a merge by location code."""
    sha = hashlib.sha256(raw).hexdigest()
    try:
        table = read_table(raw)
    except SpreadsheetError as exc:
        return Outcome(ImportReport(errors=[RowError(0, "", str(exc))]), None, sha)
    report = convert_rows(table, catalog, geocoder_for(chain), progress)
    if not report.features or (report.errors and not partial):
        return Outcome(report, None, sha)
    features = report.features
    if base is not None:
        merged = {f["properties"]["id"]: f for f in base["features"]}
        merged.update({f["properties"]["id"]: f for f in features})
        features = list(merged.values())
    collection = _collection(features, source, base)
    problems = validate_collection(collection, catalog, source)
    if problems:  # a safety net: convert_rows should have caught these per row
        row_of = {f["properties"]["id"]: n for f, n in zip(report.features, report.accepted_rows)}
        report.errors.extend(RowError(row_of.get(p.feature_id, 0), p.field or "", p.message) for p in problems)
        return Outcome(report, None, sha)
    return Outcome(report, collection, sha)


BW_FIELDS = ("id", "bw_capacity", "bw_occupancy", "bw_updated")


def run_bw_update(raw: bytes, source: str, catalog: Catalog, base: dict) -> tuple[Outcome, list[dict]]:
    """Update only the BW fields of existing locations; return the outcome and history rows."""
    sha = hashlib.sha256(raw).hexdigest()
    try:
        table = read_table(raw)
    except SpreadsheetError as exc:
        return Outcome(ImportReport(errors=[RowError(0, "", str(exc))]), None, sha), []
    mapping, _ = map_headers(table.header)
    report = ImportReport()
    missing = [f for f in BW_FIELDS if f not in mapping]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), "verplichte kolom(men) niet gevonden in de kopregel"))
        return Outcome(report, None, sha), []
    by_id = {f["properties"]["id"]: f for f in base["features"]}
    updates, history = {}, []
    for number, cells in table.rows:
        cell = {f: (cells[mapping[f]].strip() if mapping[f] < len(cells) else "") for f in BW_FIELDS}
        col = {f: table.header[mapping[f]] for f in BW_FIELDS}
        errors = []
        cap, occ = parse_number(cell["bw_capacity"]), parse_number(cell["bw_occupancy"])
        date = parse_date(cell["bw_updated"])
        if cell["id"] not in by_id:
            errors.append(RowError(number, col["id"], f"onbekende locatiecode '{cell['id']}'"))
        if cap is None or not cap.is_integer() or cap < 0:
            errors.append(RowError(number, col["bw_capacity"], f"'{cell['bw_capacity']}' is geen geldig aantal plaatsen"))
        if occ is None or not occ.is_integer() or occ < 0:
            errors.append(RowError(number, col["bw_occupancy"], f"'{cell['bw_occupancy']}' is geen geldige bezetting"))
        elif cap is not None and cap >= 0 and occ > cap:
            errors.append(RowError(number, col["bw_occupancy"], f"bezetting ({int(occ)}) is hoger dan de capaciteit ({int(cap)})"))
        if date is None:
            errors.append(RowError(number, col["bw_updated"], f"'{cell['bw_updated']}' is geen datum (dd-mm-jjjj)"))
        if cell["id"] in updates:
            errors.append(RowError(number, col["id"], f"locatiecode '{cell['id']}' staat er twee keer in"))
        if errors:
            report.errors.extend(errors)
            continue
        updates[cell["id"]] = {"bw_capacity": int(cap), "bw_occupancy": int(occ), "bw_updated": date}
        history.append({"location_id": cell["id"], "capacity": int(cap), "occupancy": int(occ), "as_of": date})
        report.accepted_rows.append(number)
    if report.errors or not updates:
        return Outcome(report, None, sha), []
    features = []
    for feature in base["features"]:
        fid = feature["properties"]["id"]
        if fid in updates:
            feature = {**feature, "properties": {**feature["properties"], **updates[fid]}}
            report.features.append(feature)
        features.append(feature)
    collection = _collection(features, source, base)
    problems = validate_collection(collection, catalog, source)
    if problems:
        report.errors.extend(RowError(0, p.field or "", str(p)) for p in problems)
        return Outcome(report, None, sha), []
    return Outcome(report, collection, sha), history
