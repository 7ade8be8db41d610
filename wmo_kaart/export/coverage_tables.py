"""Coverage figures as spreadsheets: per municipality, per area and the gaps, with their provenance."""

from __future__ import annotations

import csv
import io

from ..core.coverage import Coverage
from .tables import sheet_text


def cell(value):
    """Return a cell for CSV and XLSX: numbers as numbers, every text neutralised (no formula, no control
    characters), so a location code '=1+2' is text in every sheet."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return sheet_text(value)


def _rows(result: dict) -> tuple[list[str], list[list]]:
    keys = list(result["region"]["share_within"])
    header = ["Gemeentecode", "Gemeente", "Inwoners", "Locaties", "Locaties per 10.000 inwoners",
              "Gemiddelde afstand hemelsbreed (m)", *[f"Aandeel inwoners binnen {k} km" for k in keys]]
    rows = [[m["code"], m["name"], m["population"], m["locations"], m["per_10000"], m["mean_m"],
             *[m["share_within"][k] for k in keys]] for m in result["municipalities"]]
    region = result["region"]
    rows.append(["", "Regio", region["population"], region["locations"], region["per_10000"], region["mean_m"],
                 *[region["share_within"][k] for k in keys]])
    return header, rows


def _provenance(coverage: Coverage, source: str) -> list[list[str]]:
    s = coverage.scenario
    # what the caller asked for, echoed: written through sheet_text like every text cell
    return [["Zorgvorm", s.care_type], ["Doelgroep", s.target_group or "alle"],
            ["Drempels (km)", ", ".join(f"{t:g}" for t in s.thresholds_km)],
            ["Weggelaten aanbieders", ", ".join(s.without_providers)], ["Weggelaten locaties", ", ".join(s.without_locations)],
            ["Afstanden", "hemelsbreed (rechte lijn), in RD-meters"], ["Bevolking", source],
            ["Bron bevolking", "CBS, CC-BY 4.0"]]


def to_csv(coverage: Coverage) -> bytes:
    """Return the municipality table as CSV for Dutch Excel (semicolons, decimal commas, BOM)."""
    header, rows = _rows(coverage.as_json())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else (f"{v:.4f}".replace(".", ",") if isinstance(v, float) else cell(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(coverage: Coverage, source: str) -> bytes:
    """Return a workbook with the municipalities, the areas, the gaps and the provenance; numbers as numbers."""
    from openpyxl import Workbook

    result = coverage.as_json()
    book = Workbook()
    sheet = book.active
    sheet.title = "Gemeenten"
    header, rows = _rows(result)
    for row in [header, *rows]:
        sheet.append([cell(v) for v in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    areas = book.create_sheet("Gebieden")
    areas.append(["Gebied", "Gemeentecode", "Inwoners", "Afstand tot dichtstbijzijnde (m, hemelsbreed)",
                  "Dichtstbijzijnde locatie", "E2SFCA (aanbod per 10.000 inwoners)", "Breedtegraad", "Lengtegraad"])
    for a in result["areas"]:
        areas.append([cell(v) for v in (a["id"], a["municipality_code"], a["population"], a["nearest_m"], a["nearest_id"],
                                         a["e2sfca"], a["lat"], a["lon"])])
    areas.freeze_panes = "A2"
    gaps = book.create_sheet("Gaten")
    gaps.append(["Gebied", "Gemeentecode", "Inwoners", "Afstand (m)"])
    for g in result["gaps"]:
        gaps.append([cell(v) for v in (g["id"], g["municipality_code"], g["population"], g["nearest_m"])])
    about = book.create_sheet("Bron")
    for key, value in _provenance(coverage, source):
        about.append([cell(key), cell(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
