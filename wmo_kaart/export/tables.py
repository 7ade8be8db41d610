"""Exports of a role's view: CSV, XLSX and GeoJSON (HSDS 3.1 is in `hsds`).

They take the frame from `access.view_for`, so each export holds only the fields the role may
see.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pandas as pd

from ..core.schema import FIELDS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula (=, +, -, @)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def sheet_text(value) -> str:
    """Return text safe in a spreadsheet cell: no formula start, no control characters XLSX cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def plain(value):
    """Return a JSON-safe plain value: no NaN, no numpy types, tuples as lists."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return value


def fields_in(view: pd.DataFrame):
    """Return the contract fields present in the role's view, in contract order."""
    return [f for f in FIELDS if f.name in view.columns]


def _cell(field, value) -> str:
    value = plain(value)
    if value is None:
        return ""
    if field.kind == "str_list":
        return neutralise("; ".join(neutralise(str(v)) for v in value))
    if field.kind == "bool":
        return "ja" if value else "nee"
    return neutralise(str(value))


def _table(view: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    fields = fields_in(view)
    header = [f.nl for f in fields] + ["Breedtegraad", "Lengtegraad"]
    rows = [[_cell(f, getattr(r, f.name)) for f in fields] + [f"{r.lat:.6f}", f"{r.lon:.6f}"]
            for r in view.itertuples()]
    return header, rows


def to_csv(view: pd.DataFrame) -> bytes:
    """Return CSV as Dutch Excel opens it: semicolons, UTF-8 with BOM."""
    header, rows = _table(view)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _typed(field, value):
    """Return an XLSX cell value: numbers as numbers, dates as dates, everything else as (neutralised) text."""
    value = plain(value)
    if value is None:
        return None
    if field.kind == "int":
        return int(value)
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return neutralise(str(value))
    return _cell(field, value)


def to_xlsx(view: pd.DataFrame, provenance: dict | None = None) -> bytes:
    """Return an XLSX workbook: typed cells (codes, postcodes and house numbers stay text), a frozen
    header with a filter, and a second sheet with the provenance."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    fields = fields_in(view)
    book = Workbook()
    sheet = book.active
    sheet.title = "Locaties"
    sheet.append([f.nl for f in fields] + ["Breedtegraad", "Lengtegraad"])
    for r in view.itertuples():
        sheet.append([_typed(f, getattr(r, f.name)) for f in fields] + [round(float(r.lat), 6), round(float(r.lon), 6)])
    for i, f in enumerate(fields, start=1):
        if f.kind == "date":
            for cell in sheet[get_column_letter(i)][1:]:
                cell.number_format = "DD-MM-YYYY"
        elif f.kind in ("str", "str_list"):
            for cell in sheet[get_column_letter(i)][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet("Bron")
    for key, value in (provenance or {}).items():
        about.append([sheet_text(key), sheet_text(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_geojson(view: pd.DataFrame) -> dict:
    """Return a GeoJSON FeatureCollection with the role's fields."""
    fields = fields_in(view)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.id,
         "geometry": {"type": "Point", "coordinates": [round(float(r.lon), 6), round(float(r.lat), 6)]},
         "properties": {f.name: plain(getattr(r, f.name)) for f in fields}} for r in view.itertuples()]}
