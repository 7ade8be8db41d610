"""One import, start to end: read, account, merge with the stored data, geocode, validate, describe.

Publishing is the store's business; this module only computes what would be published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ..bulk import cycle_collector_paused
from ..catalog import Catalog
from ..changes import apply_rows, describe_change
from ..geocode import GeocodeError, GeocoderChain
from .. import clock
from ..provenance import is_demo
from . import establishment
from .convert import ImportReport, RowError, read_rows
from .read import SpreadsheetError, read_workbook

BW_FIELDS = ("bw_capacity", "bw_occupancy", "bw_updated")
SHELTERED_HOUSING = "15"


@dataclass(frozen=True)
class ImportOptions:
    """How to import: replace or merge, publish good rows despite rejected ones, clear on empty cells,
    columns mapped by hand ({folded header: field}) and the sheets to read (all when empty)."""

    merge: bool = False
    partial: bool = False
    clear_empty: bool = False
    mappings: dict = field(default_factory=dict)
    sheets: tuple = ()


@dataclass
class Outcome:
    """The report, and the collection to publish when the import may be published."""

    report: ImportReport
    collection: dict | None
    source_sha256: str


def geocoder_for(chain: GeocoderChain) -> Callable[[dict], tuple[float, float, str] | None]:
    """Return a function that places a row by its postcode, with the precision of the answer."""
    def place(props: dict) -> tuple[float, float, str] | None:
        try:
            origin = chain.locate(props.get("postcode", "")).origin
        except GeocodeError:
            return None
        if origin is None:
            return None
        return origin.lon, origin.lat, "pc6" if origin.source == "pdok" else "town"
    return place


def _collection(features: list[dict], source: str, base: dict | None, provenance: dict | None = None) -> dict:
    """Return the collection to publish; an export of ours keeps its provenance and its demo flag."""
    meta = {**((base or {}).get("metadata") or {}), "source": source}
    if provenance:
        meta["imported_from"] = dict(provenance)
        if is_demo(provenance):
            meta["demo"] = True
    return {"type": "FeatureCollection", "metadata": meta, "features": features}


def _read(raw: bytes, catalog: Catalog, options: ImportOptions):
    try:
        workbook = read_workbook(raw)
    except SpreadsheetError as exc:
        return None, ImportReport(errors=[RowError(0, "", str(exc))])
    return read_rows(workbook, catalog, options.mappings, list(options.sheets))


def _identify(rows, base: list[dict], report: ImportReport, remembered: dict) -> None:
    """Give each row the id of the stored location it is: an establishment by provider and address (a
    question when it is only probably one), a location code without regard to case ('loc-0109')."""
    renames, questions = establishment.match(rows, base, remembered)
    report.questions = [q.as_dict() for q in questions]
    stored = {f["properties"]["id"] for f in base}
    folded = {i.casefold(): i for i in stored}
    for row in rows:
        old = row.id
        if old in renames:
            row.values["id"] = renames[old]
        elif old not in stored and old.casefold() in folded:
            report.notes.append({"sheet": row.sheet, "row": row.number, "column": row.column("id"),
                                 "message": f"locatiecode '{old}' is opgeslagen als '{folded[old.casefold()]}'"})
            row.values["id"] = folded[old.casefold()]
        else:
            continue
        if row.id != old:
            for item in (*report.combined_rows, *report.ended):
                if item["id"] == old:
                    item["id"] = row.id


def _same_address_in_file(rows, report: ImportReport) -> None:
    """Two establishments of the file at one address under differently written provider names are probably
    one: the report asks the data manager to look (fix the name in the file, or keep them apart)."""
    seen: dict[str, object] = {}
    for row in rows:
        key = getattr(row, "key", None)
        if key is None:
            continue
        first = seen.setdefault(key.address, row)
        if first is not row and first.id != row.id:
            report.notes.append({"sheet": row.sheet, "row": row.number, "column": row.column("provider_name"),
                                 "message": f"zelfde adres als rij {first.number} met een andere aanbiedersnaam "
                                            f"('{row.values.get('provider_name', '')}' en "
                                            f"'{first.values.get('provider_name', '')}'): is dit dezelfde vestiging? Schrijf "
                                            "de naam dan in beide rijen gelijk; zo niet, dan blijven het twee locaties"})


def _name_rows_of_rejected(rows, rejected: set, report: ImportReport) -> None:
    """Every row of a location that is not published is named: a good row whose location another row
    spoiled says so, instead of disappearing without a word."""
    named = {(e.sheet, e.row) for e in report.errors}
    for row in rows:
        if row.id not in rejected:
            continue
        cause = next((e.row for e in report.errors if e.location_id == row.id and e.row), None)
        for number in row.rows:
            if (row.sheet, number) not in named:
                report.errors.append(RowError(number, "", f"niet overgenomen: rij {cause} van dezelfde locatie is afgewezen"
                                              if cause else "niet overgenomen: de rijen van deze locatie spreken elkaar tegen",
                                              row.sheet, row.id))
        report.combined_rows = [c for c in report.combined_rows if c["id"] != row.id]


def _keep_newer_bw(rows, base: list[dict], report: ImportReport) -> None:
    """A full import never moves BW figures back in time (the rule of `import-bw`): figures older than the
    stored ones are left out, and the report says so."""
    stored = {f["properties"]["id"]: f["properties"] for f in base}
    for row in rows:
        previous = (stored.get(row.id) or {}).get("bw_updated")
        date = row.value("bw_updated") if previous else None
        if date and previous and date < previous:
            for name in BW_FIELDS:
                row.values.pop(name, None)
            row.present, row.empty = row.present - set(BW_FIELDS), row.empty - set(BW_FIELDS)
            report.notes.append({"sheet": row.sheet, "row": row.number, "column": row.column("bw_updated"),
                                 "message": f"BW-cijfers per {date} zijn ouder dan de opgeslagen van {previous}: niet "
                                            "overgenomen (werk ze bij met import-bw --ouder-toestaan als dat klopt)"})


@cycle_collector_paused()
def run_import(raw: bytes, source: str, catalog: Catalog, chain: GeocoderChain | None, base: dict, *,
               options: ImportOptions = ImportOptions(), progress=None) -> Outcome:
    """Import spreadsheet bytes against the stored collection `base` (replace, or merge by location code)."""
    sha = hashlib.sha256(raw).hexdigest()
    rows, report = _read(raw, catalog, options)
    if rows is None:
        return Outcome(report, None, sha)
    _identify(rows, base["features"], report, options.mappings)
    _same_address_in_file(rows, report)
    _keep_newer_bw(rows, base["features"], report)
    rejected = {e.location_id for e in report.errors if e.location_id} | {r.id for r in rows if r.conflict}
    _name_rows_of_rejected(rows, rejected, report)
    good = [r for r in rows if r.id not in rejected]
    applied = apply_rows(base["features"], good, catalog, replace=not options.merge, clear_empty=options.clear_empty,
                         geocode=geocoder_for(chain) if chain else None, rejected_ids=rejected, progress=progress)
    report.errors.extend(applied.errors)
    report.geocoded, report.precision = applied.geocoded, applied.precision
    by_id = {f["properties"]["id"]: f for f in applied.features}
    report.features = [by_id[r.id] for r in applied.accepted]
    report.accepted_rows = [r.number for r in applied.accepted]
    report.change = describe_change(base["features"], applied.features, {r.id: r.number for r in rows})
    if not report.features or (report.errors and not options.partial):
        return Outcome(report, None, sha)
    return Outcome(report, _collection(applied.features, source, base, report.provenance), sha)


def _bw_row_errors(row, stored: dict | None, today: dt.date, allow_older: bool, allow_future: bool) -> list[RowError]:
    def err(name, message):
        return RowError(row.number, row.column(name) or name, message, row.sheet, row.id)

    if stored is None:
        return [err("id", f"onbekende locatiecode '{row.id}'")]
    errors = [err(name, "verplicht veld is leeg") for name in BW_FIELDS if name not in row.values]
    if SHELTERED_HOUSING not in stored["properties"].get("care_types", []):
        errors.append(err("id", f"locatie '{row.id}' biedt geen beschermd wonen; BW-cijfers horen daar niet bij"))
    date = row.values.get("bw_updated")
    if date and date > today.isoformat() and not allow_future:
        errors.append(err("bw_updated", f"peildatum {date} ligt in de toekomst (gebruik --toekomst-toestaan als dat klopt)"))
    previous = stored["properties"].get("bw_updated")
    if date and previous and date < previous and not allow_older:
        errors.append(err("bw_updated", f"peildatum {date} is ouder dan de opgeslagen cijfers van {previous} "
                                        "(gebruik --ouder-toestaan om toch te overschrijven)"))
    return errors


def run_bw_update(raw: bytes, source: str, catalog: Catalog, base: dict, *, partial: bool = False,
                  allow_older: bool = False, allow_future: bool = False, today: dt.date | None = None,
                  options: ImportOptions = ImportOptions()) -> Outcome:
    """Update only the BW figures of existing sheltered-housing locations."""
    sha = hashlib.sha256(raw).hexdigest()
    today = today or clock.today()
    rows, report = _read(raw, catalog, options)
    if rows is None:
        return Outcome(report, None, sha)
    for sheet in report.sheets:  # only the location code and the BW columns are used in a BW update
        for column in sheet.columns:
            if column.field not in (None, "id", *BW_FIELDS):
                column.field = None
    present = {f for r in rows for f in r.present}
    if report.sheets and any(s.read for s in report.sheets) and not set(BW_FIELDS) <= present:
        missing = ", ".join(sorted(set(BW_FIELDS) - present))
        report.errors.append(RowError(0, missing, "verplichte kolom(men) voor een BW-update niet gevonden in de kopregel"))
    by_id = {f["properties"]["id"]: f for f in base["features"]}
    updates = {}
    for row in rows:
        if any(e.location_id == row.id for e in report.errors):
            continue
        errors = _bw_row_errors(row, by_id.get(row.id), today, allow_older, allow_future)
        if errors:
            report.errors.extend(errors)
            continue
        updates[row.id] = {name: row.values[name] for name in BW_FIELDS}
        report.accepted_rows.append(row.number)
    features = [{**f, "properties": {**f["properties"], **updates[f["properties"]["id"]]}} if f["properties"]["id"] in updates
                else f for f in base["features"]]
    report.features = [f for f in features if f["properties"]["id"] in updates]
    report.change = describe_change(base["features"], features)
    if not updates or (report.errors and not partial):
        return Outcome(report, None, sha)
    return Outcome(report, _collection(features, source, base), sha)
