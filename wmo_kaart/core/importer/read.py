"""Read a CSV or XLSX file into sheets of text cells, safely, losing nothing.

Every sheet of a workbook is read. Odd spaces (non-breaking, thin, zero-width) become plain
spaces. A formula cell without a cached value is kept as a problem, never read as empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX larger than this unzipped is refused (zip bomb)
MAX_RATIO = 200
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\r\n]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; Dutch message for the user."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its non-empty rows (numbered as the user sees them) and formula problems."""

    name: str
    rows: list[tuple[int, list[str]]]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula


@dataclass(frozen=True)
class Workbook:
    """All sheets of a file; a CSV has one sheet."""

    sheets: list[Sheet]
    kind: str
    encoding: str = ""
    delimiter: str = ""


def clean_cell(text: str) -> str:
    """Return `text` with odd spaces made plain, invisible characters dropped and runs of spaces folded."""
    text = _INVISIBLE.sub("", str(text))
    return re.sub(r" {2,}", " ", _ODD_SPACES.sub(" ", text)).strip()


def sniff_kind(data: bytes) -> str:
    """Tell the file type by content, not by name: 'xlsx', 'geojson' or 'csv'."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError("Dit is een oud Excel-bestand (.xls). Sla het op als .xlsx of .csv.")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("Dit bestand is geen CSV- of XLSX-bestand.")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "geojson" if start == b"{" else "csv"


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently (title rows have none)."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, score = ",", -1
    for delim in (";", "\t", ",", "|"):
        counts = sorted((line.count(delim) for line in lines), reverse=True)
        common = max(set(counts), key=counts.count) if counts else 0
        value = common * 10 + counts[0] if common else counts[0] if counts else 0
        if value > score:
            best, score = delim, value
    return best


def _read_csv(data: bytes) -> Workbook:
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for n, row in enumerate(reader, start=1):
        cells = [clean_cell(c) for c in row]
        if any(cells):
            rows.append((n, cells))
    if not rows:
        raise SpreadsheetError("Het bestand is leeg.")
    return Workbook([Sheet("", rows)], "csv", encoding, {"\t": "tab"}.get(delimiter, delimiter))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return clean_cell(value)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist()) or 1
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Het XLSX-bestand is beschadigd.") from exc
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        raise SpreadsheetError("Het XLSX-bestand is uitgepakt te groot; het is geweigerd.")


def _open(data: bytes, values: bool):
    import openpyxl  # uses defusedxml when it is installed (it is a dependency)

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise SpreadsheetError(f"Het XLSX-bestand kan niet worden gelezen: {type(exc).__name__}") from exc


def _read_xlsx(data: bytes) -> Workbook:
    _check_zip(data)
    values, formulas = _open(data, True), _open(data, False)
    sheets = []
    for sheet, raw in zip(values.worksheets, formulas.worksheets):
        rows, missing = [], {}
        for n, (line, text) in enumerate(zip(sheet.iter_rows(values_only=True), raw.iter_rows(values_only=True)), start=1):
            cells = [_cell(c) for c in line]
            for i, formula in enumerate(text):
                if isinstance(formula, str) and formula.startswith("=") and (i >= len(line) or line[i] is None):
                    missing[(n, i)] = formula
            if any(cells) or any(key[0] == n for key in missing):
                rows.append((n, cells))
        sheets.append(Sheet(sheet.title, rows, missing))
    values.close()
    formulas.close()
    if not any(s.rows for s in sheets):
        raise SpreadsheetError("Het werkblad is leeg.")
    return Workbook(sheets, "xlsx")


def read_workbook(data: bytes) -> Workbook:
    """Return every sheet (XLSX), the one table (CSV) or the features as a table (GeoJSON) in `data`."""
    if not data.strip():
        raise SpreadsheetError("Het bestand is leeg.")
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _read_xlsx(data)
    return _read_geojson(data) if kind == "geojson" else _read_csv(data)


def _geojson_cell(value) -> str:
    if isinstance(value, list):
        return "; ".join(_geojson_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return _cell(value)


def _read_geojson(data: bytes) -> Workbook:
    """Read a GeoJSON FeatureCollection of points as a table: a column per property (the contract's
    Dutch labels for known fields, the key itself otherwise), latitude and longitude; its
    `provenance` member (our exports write one) becomes a sheet 'Bron'."""
    from ..schema import BY_NAME

    text, encoding = _decode(data)
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise SpreadsheetError(f"Dit GeoJSON-bestand is geen geldige JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise SpreadsheetError("Dit JSON-bestand is geen GeoJSON FeatureCollection.")
    keys: list[str] = []
    for feature in doc["features"]:
        for key in (feature.get("properties") or {}) if isinstance(feature, dict) else ():
            if key not in keys:
                keys.append(key)
    header = [BY_NAME[k].nl if k in BY_NAME else k for k in keys] + ["Breedtegraad", "Lengtegraad"]
    rows = [(1, header)]
    for number, feature in enumerate(doc["features"], start=2):
        if not isinstance(feature, dict):
            raise SpreadsheetError(f"Object {number - 1} is geen GeoJSON Feature.")
        props = feature.get("properties") or {}
        coords = (feature.get("geometry") or {}).get("coordinates") or ["", ""]
        if (feature.get("geometry") or {}).get("type") != "Point" or len(coords) < 2:
            raise SpreadsheetError(f"Object {number - 1} ({props.get('id', feature.get('id', '?'))}) heeft geen punt als geometrie.")
        rows.append((number, [_geojson_cell(props.get(k)) for k in keys] + [_cell(coords[1]), _cell(coords[0])]))
    sheets = [Sheet("GeoJSON", rows)]
    provenance = doc.get("provenance")
    if isinstance(provenance, dict) and provenance:
        sheets.append(Sheet("Bron", [(n, [clean_cell(k), _geojson_cell(v)]) for n, (k, v) in enumerate(provenance.items(), start=1)]))
    return Workbook(sheets, "geojson", encoding)
