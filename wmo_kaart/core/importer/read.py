"""Read a CSV or XLSX file into a header and rows of text, safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX larger than this unzipped is refused (zip bomb)
MAX_RATIO = 200


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; Dutch message for the user."""


@dataclass(frozen=True)
class Table:
    """The header cells and the data rows (with their row numbers as the user sees them)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    kind: str


def sniff_kind(data: bytes) -> str:
    """Tell the file type by content, not by name: 'xlsx' or 'csv'."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError("Dit is een oud Excel-bestand (.xls). Sla het op als .xlsx of .csv.")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("Dit bestand is geen CSV- of XLSX-bestand.")
    return "csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SpreadsheetError("Het bestand is leeg.") from None
    rows = [(n, row) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
    return Table([h.strip() for h in header], rows, "csv")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist()) or 1
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Het XLSX-bestand is beschadigd.") from exc
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        raise SpreadsheetError("Het XLSX-bestand is uitgepakt te groot; het is geweigerd.")


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    import openpyxl  # uses defusedxml when it is installed (it is a dependency)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise SpreadsheetError(f"Het XLSX-bestand kan niet worden gelezen: {exc}") from exc
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(c) for c in next(lines)]
    except StopIteration:
        raise SpreadsheetError("Het werkblad is leeg.") from None
    rows = []
    for n, line in enumerate(lines, start=2):
        cells = [_cell(c) for c in line]
        if any(cells):
            rows.append((n, cells))
    book.close()
    return Table(header, rows, "xlsx")


def read_table(data: bytes) -> Table:
    """Return the first sheet (XLSX) or the table (CSV) in `data`."""
    if not data.strip():
        raise SpreadsheetError("Het bestand is leeg.")
    return _read_xlsx(data) if sniff_kind(data) == "xlsx" else _read_csv(data)
