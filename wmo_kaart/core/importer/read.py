"""Read a CSV (also UTF-16 'Unicode text'), XLSX, ODS or XLS file into sheets of text cells, safely, losing nothing.

Every sheet of a workbook is read. Odd spaces (non-breaking, thin, zero-width) become plain
spaces. A formula cell without a cached value is kept as a problem, never read as empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import threading
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat

from ..bulk import cycle_collector_paused

MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX larger than this unzipped is refused (zip bomb)
MAX_RATIO = 200
MAX_COLUMNS = 16_384  # Excel's widest sheet
MAX_CELL = 1_000_000  # characters in one CSV cell; longer is no spreadsheet cell (Excel stops at 32,767)
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b")
_NEEDS_CLEANING = re.compile(r"[\u00a0\u2000-\u200d\u202f\u205f\u3000\t\r\n\u2028\u2029\x0b\u2060\ufeff\u00ad]| {2}")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet; Dutch message for the user."""


class Rows(Sequence):
    """The non-empty rows of a sheet kept column by column: `(number, cells)` is made when asked for, so a
    30,000-row file read by columns is not turned into 30,000 lists (the importer reads it by column)."""

    def __init__(self, numbers: list[int], columns: list[list[str]], line_breaks: bool = True):
        self.numbers, self.columns = numbers, columns
        self.line_breaks = line_breaks  # False: no cell holds a line break (the reader knows)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.numbers[index], [column[index] for column in self.columns]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


def columns_of(rows) -> tuple[list[int], list[list[str]]]:
    """Return the row numbers and the columns (each as long as the rows, short rows padded with '') of a
    sheet's rows, however they were read."""
    if isinstance(rows, Rows):
        return rows.numbers, rows.columns
    width = max((len(cells) for _n, cells in rows), default=0)
    numbers = [n for n, _cells in rows]
    padded = [cells if len(cells) == width else cells + [""] * (width - len(cells)) for _n, cells in rows]
    return numbers, [list(column) for column in zip(*padded)] if padded else []


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its non-empty rows (numbered as the user sees them; cells cleaned and stripped by
    `clean_cell`, the importer relies on it) and formula problems."""

    name: str
    rows: Sequence[tuple[int, list[str]]]  # a list, or `Rows` (a CSV read by columns)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula
    hidden_rows: tuple[int, ...] = ()      # row numbers hidden by hand or by a filter (read all the same)
    hidden_columns: tuple[int, ...] = ()   # column indexes hidden in the sheet (read all the same)
    merged: int = 0                        # merged cells whose value was filled over every cell they cover


@dataclass(frozen=True)
class Workbook:
    """All sheets of a file; a CSV has one sheet."""

    sheets: list[Sheet]
    kind: str
    encoding: str = ""
    delimiter: str = ""


def clean_cell(text: str) -> str:
    """Return `text` with odd spaces made plain, invisible characters dropped and runs of spaces folded;
    line breaks inside a cell stay (one per line, empty lines dropped): they separate list values."""
    text = str(text)
    if not _NEEDS_CLEANING.search(text):  # most cells: nothing odd in them
        return text.strip()
    text = _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", text))
    lines = (re.sub(r" {2,}", " ", _ODD_SPACES.sub(" ", line)).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def sniff_kind(data: bytes) -> str:
    """Tell the file type by content, not by name: 'xlsx', 'ods', 'xls', 'geojson' or 'csv'."""
    if data[:4] == b"PK\x03\x04":
        return "ods" if b"application/vnd.oasis.opendocument.spreadsheet" in data[:200] else "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's 'Unicode text': UTF-16 with tabs
        return "csv"
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("Dit bestand is geen CSV-, XLSX-, ODS- of XLS-bestand.")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "geojson" if start == b"{" else "csv"


def _decode(data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("Dit UTF-16-tekstbestand is beschadigd.") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently (title rows have none)."""
    lines = [line for line in text[:65_536].splitlines()[:30] if line.strip()]
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
    first, _, rest = text.partition("\n")
    start = 1
    if re.fullmatch(r"sep=(.)\r?", first.strip("\ufeff")):  # Excel's 'sep=;' first line names the delimiter
        delimiter, text, start = first.strip("\ufeff")[4], rest, 2
    else:
        delimiter = _delimiter(text)
    body = None if encoding == "utf-16" else data[data.index(b"\n") + 1:] if start == 2 else data
    if body is not None and encoding == "utf-8" and body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]  # the byte-order mark: pandas then reads UTF-8 in C ('utf-8-sig' goes through Python, slower)
    rows = _rows_by_columns(text, delimiter, start, body, encoding)
    if rows is None:  # what pandas' parser cannot read as Python's csv module does, that module reads
        rows = _rows_by_line(text, delimiter, start)
    if not rows:
        raise SpreadsheetError("Het bestand is leeg.")
    return Workbook([Sheet("", rows)], "csv", encoding, {"\t": "tab"}.get(delimiter, delimiter))


# what `clean_cell` changes besides line breaks and outer spaces (the characters of _NEEDS_CLEANING, two spaces)
_ODD_CHARACTERS = ("\u00a0", *map(chr, range(0x2000, 0x200e)), "\u202f", "\u205f", "\u3000", "\t", "\u2028", "\u2029",
                   "\x0b", "\u2060", "\ufeff", "\u00ad")
_TWO_SPACES = re.compile("  ")  # faster than `in` for a needle of frequent characters
assert all(_NEEDS_CLEANING.search(ch) for ch in _ODD_CHARACTERS)
_LONE_CR = re.compile("\r(?!\n)")


def _line_breaks_in_cells(text: str, records: int) -> bool:
    """Whether a cell may hold a line break: more line breaks in the text than records read from it."""
    if "\r" in text and _LONE_CR.search(text):  # an old Mac line end, or a return inside a cell: look at every cell
        return True
    return text.count("\n") + (not text.endswith("\n")) > records


def _longest_line(text: str, body: bytes | None) -> int:
    """The length of the longest line (in bytes when `body` is given: never fewer than its characters)."""
    if body is None:
        return max(map(len, text.split("\n")))
    import numpy as np

    ends = np.flatnonzero(np.frombuffer(body, np.uint8) == 10)
    return int(np.diff(ends, prepend=-1, append=len(body)).max())


_PARSING = threading.Lock()


def _parse(text: str, body: bytes | None, encoding: str, delimiter: str, width: int):
    """pandas' C parser, every cell as text; None when it cannot (a row wider than `width`, a broken quote)."""
    import pandas as pd

    source = io.StringIO(text) if body is None else io.BytesIO(body)  # bytes: pandas decodes them faster
    try:  # a row wider than `width` is cut off with only a warning: refuse it (the filters are global: one at a time)
        with _PARSING, warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(source, sep=delimiter, header=None, names=range(width), index_col=False, dtype=object,
                               na_filter=False, skip_blank_lines=False, engine="c", quotechar='"', doublequote=True,
                               escapechar=None, comment=None, low_memory=False,
                               encoding=encoding or "utf-8", encoding_errors="replace")
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, UnicodeError):
        return None


def _rows_by_columns(text: str, delimiter: str, start: int, body: bytes | None = None, encoding: str = "") -> Rows | None:
    """Read the CSV text (from `body`, its bytes, when given) with pandas' C parser into columns, with the
    rules of `_rows_by_line` (cells cleaned and stripped, empty rows left out but counted); None when the
    text is one that parser reads otherwise than Python's csv module (a quote that does not close) or has
    a cell over MAX_CELL."""
    width = max(map(str.count, text[:65_536].split("\n"), repeat(delimiter))) + 1  # title, header, first rows
    frame = _parse(text, body, encoding, delimiter, width)
    if frame is None:  # perhaps a row below is wider than those: count them all
        wider = max(map(str.count, text.split("\n"), repeat(delimiter))) + 1
        if wider <= width or wider > MAX_COLUMNS:
            return None
        frame = _parse(text, body, encoding, delimiter, wider)
        if frame is None:
            return None
    records = len(frame)
    columns = [frame[c].tolist() for c in frame.columns]
    del frame
    odd = [ch for ch in _ODD_CHARACTERS if ch in text]  # most files have none: a few fast looks at the whole text
    if _TWO_SPACES.search(text):
        odd.append("  ")
    broken = _line_breaks_in_cells(text, records)
    if broken:
        odd += ["\r", "\n"]
    if len(text) > MAX_CELL and (broken or _longest_line(text, body) > MAX_CELL) and any(
            max(map(len, column), default=0) > MAX_CELL for column in columns):
        return None  # a cell longer than MAX_CELL: refused, in the csv module's words
    for i, column in enumerate(columns):  # stripping every cell costs less than finding the ones to strip
        joined = "\x00".join(column) if odd else ""
        if odd and any(ch in joined for ch in odd):
            columns[i] = [clean_cell(c) for c in column]
        else:
            columns[i] = list(map(str.strip, column))
    while columns and not any(columns[-1]):  # a column only the widest count of delimiters made
        columns.pop()
    count = len(columns[0]) if columns else 0
    full = next((column for column in columns if "" not in column), None)  # a column without empty cells: no empty rows
    empty = set() if full is not None else {i for i in range(count) if not any(column[i] for column in columns)}
    numbers = list(range(start, start + count))
    if empty:
        numbers = [n for i, n in enumerate(numbers) if i not in empty]
        columns = [[c for i, c in enumerate(column) if i not in empty] for column in columns]
    return Rows(numbers, columns, line_breaks=broken) if numbers else None


def _rows_by_line(text: str, delimiter: str, start: int) -> list[tuple[int, list[str]]]:
    csv.field_size_limit(max(MAX_CELL, 131_072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    n = start - 1
    try:
        for n, row in enumerate(reader, start=start):
            if _NEEDS_CLEANING.search("\x1f".join(row)):  # one look per row; most rows have nothing odd
                cells = [clean_cell(c) for c in row]
            else:
                cells = [c.strip() for c in row]
            if any(cells):
                rows.append((n, cells))
    except csv.Error as exc:
        raise SpreadsheetError(f"Rij {n + 1} kan niet worden gelezen: een cel is langer dan {MAX_CELL:,} tekens of "
                               f"een aanhalingsteken sluit niet ({exc})".replace(",", ".")) from None
    return rows


def _cell(value, number_format: str = "General") -> str:
    """Return a cell as the person saw it: leading zeros of a '0000000000' format (phone, KvK), a
    percentage as '50 %', a date as an ISO date, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        fmt = (number_format or "General").split(";")[0].replace("\\", "").replace('"', "")
        if "%" in fmt:
            return f"{round(value * 100, 6):g} %"
        if re.fullmatch(r"0{2,}", fmt) and float(value).is_integer() and value >= 0:
            return str(int(value)).zfill(len(fmt))
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
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


FULL_READ_LIMIT = 15 * 1024 * 1024  # below this an XLSX is read whole: merged cells and hidden rows are known


def _open(data: bytes, values: bool, read_only: bool = True):
    import openpyxl  # uses defusedxml when it is installed (it is a dependency)

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=values)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise SpreadsheetError(f"Het XLSX-bestand kan niet worden gelezen: {type(exc).__name__}") from exc


def _fill_merged(grid: dict[tuple[int, int], str], ranges) -> int:
    """Give every cell of a merged range the value of its top-left cell (a provider name merged over
    twelve rows belongs to all twelve); return how many cells were filled."""
    filled = 0
    for min_row, min_col, max_row, max_col in ranges:
        value = grid.get((min_row, min_col), "")
        if not value:
            continue
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col) and not grid.get((r, c)):
                    grid[(r, c)] = value
                    filled += 1
    return filled


def _grid_rows(grid: dict[tuple[int, int], str], keep: set[int]) -> list[tuple[int, list[str]]]:
    width = max((c for _r, c in grid), default=0)
    rows = []
    for r in sorted({r for r, _c in grid} | keep):
        cells = [grid.get((r, c), "") for c in range(1, width + 1)]
        if any(cells) or r in keep:
            rows.append((r, cells))
    return rows


def _read_xlsx(data: bytes) -> Workbook:
    _check_zip(data)
    whole = len(data) <= FULL_READ_LIMIT
    values, formulas = _open(data, True, read_only=not whole), _open(data, False)
    sheets = []
    for sheet, raw in zip(values.worksheets, formulas.worksheets):
        grid: dict[tuple[int, int], str] = {}
        for line in sheet.iter_rows():
            for cell in line:
                if getattr(cell, "value", None) is not None:
                    grid[(cell.row, cell.column)] = _cell(cell.value, cell.number_format)
        missing = {}
        for n, text in enumerate(raw.iter_rows(values_only=True), start=1):
            for i, formula in enumerate(text):
                if isinstance(formula, str) and formula.startswith("=") and not grid.get((n, i + 1)):
                    missing[(n, i)] = formula
        merged, hidden_rows, hidden_columns = 0, (), ()
        if whole:
            from openpyxl.utils import column_index_from_string

            merged = _fill_merged(grid, [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges])
            hidden_rows = tuple(sorted(n for n, d in sheet.row_dimensions.items() if d.hidden and any(
                r == n for r, _c in grid)))
            hidden_columns = tuple(sorted(column_index_from_string(k) - 1 for k, d in sheet.column_dimensions.items()
                                          if d.hidden))
        sheets.append(Sheet(sheet.title, _grid_rows(grid, {n for n, _i in missing}), missing, hidden_rows,
                            hidden_columns, merged))
    values.close()
    formulas.close()
    if not any(s.rows for s in sheets):
        raise SpreadsheetError("Het werkblad is leeg.")
    return Workbook(sheets, "xlsx")


def _read_xls(data: bytes) -> Workbook:
    """Read an Excel 97 workbook with xlrd: display formats, merged cells and hidden rows and columns."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds for broken files
        raise SpreadsheetError(f"Het XLS-bestand kan niet worden gelezen: {type(exc).__name__}") from exc
    sheets = []
    for sheet in book.sheets():
        grid: dict[tuple[int, int], str] = {}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(cell.value, "#FOUT")
                else:
                    value = cell.value
                text = _cell(value, fmt.format_str if fmt else "General")
                if text:
                    grid[(r + 1, c + 1)] = text
        merged = _fill_merged(grid, [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells])
        hidden_rows = tuple(sorted(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden and any(
            row == r + 1 for row, _c in grid)))
        hidden_columns = tuple(sorted(c for c, info in sheet.colinfo_map.items() if info.hidden))
        sheets.append(Sheet(sheet.name, _grid_rows(grid, set()), {}, hidden_rows, hidden_columns, merged))
    if not any(s.rows for s in sheets):
        raise SpreadsheetError("Het werkblad is leeg.")
    return Workbook(sheets, "xls")


def _read_ods(data: bytes) -> Workbook:
    """Read a LibreOffice/OpenDocument spreadsheet (odfpy, through pandas): every sheet, cells as shown."""
    import pandas as pd

    _check_zip(data)
    try:
        frames = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001 - odfpy raises many kinds for broken files
        raise SpreadsheetError(f"Het ODS-bestand kan niet worden gelezen: {type(exc).__name__}") from exc
    sheets = []
    for name, frame in frames.items():
        grid = {}
        for r, line in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(line, start=1):
                if value is None or (isinstance(value, float) and value != value):
                    continue
                if hasattr(value, "to_pydatetime"):
                    value = value.to_pydatetime()
                text = _cell(value)
                if text:
                    grid[(r, c)] = text
        sheets.append(Sheet(str(name), _grid_rows(grid, set())))
    if not any(s.rows for s in sheets):
        raise SpreadsheetError("Het werkblad is leeg.")
    return Workbook(sheets, "ods")


@cycle_collector_paused()
def read_workbook(data: bytes) -> Workbook:
    """Return every sheet (XLSX), the one table (CSV) or the features as a table (GeoJSON) in `data`."""
    if not data.strip():
        raise SpreadsheetError("Het bestand is leeg.")
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind == "ods":
        return _read_ods(data)
    if kind == "xls":
        return _read_xls(data)
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
    except RecursionError:
        raise SpreadsheetError("Dit JSON-bestand is te diep genest om een GeoJSON-bestand te zijn.") from None
    except ValueError as exc:
        raise SpreadsheetError(f"Dit GeoJSON-bestand is geen geldige JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise SpreadsheetError("Dit JSON-bestand is geen GeoJSON FeatureCollection.")
    keys: list[str] = []
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict):
            raise SpreadsheetError(f"Object {number} is geen GeoJSON Feature.")
        if not isinstance(feature.get("properties") or {}, dict):
            raise SpreadsheetError(f"Object {number}: 'properties' is geen object met eigenschappen.")
        if not isinstance(feature.get("geometry") or {}, dict):
            raise SpreadsheetError(f"Object {number}: 'geometry' is geen GeoJSON-geometrie.")
        for key in feature.get("properties") or {}:
            if key not in keys:
                keys.append(key)
    header = [BY_NAME[k].nl if k in BY_NAME else k for k in keys] + ["Breedtegraad", "Lengtegraad"]
    rows = [(1, header)]
    for number, feature in enumerate(doc["features"], start=2):
        if not isinstance(feature, dict):
            raise SpreadsheetError(f"Object {number - 1} is geen GeoJSON Feature.")
        props = feature.get("properties") or {}
        coords = (feature.get("geometry") or {}).get("coordinates") or ["", ""]
        if (feature.get("geometry") or {}).get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2 \
                or any(isinstance(c, (list, dict)) for c in coords[:2]):
            raise SpreadsheetError(f"Object {number - 1} ({str(props.get('id', feature.get('id', '?')))[:40]}) heeft geen "
                                   "punt als geometrie.")
        try:
            rows.append((number, [_geojson_cell(props.get(k)) for k in keys] + [_cell(coords[1]), _cell(coords[0])]))
        except RecursionError:
            raise SpreadsheetError(f"Object {number - 1}: een eigenschap is te diep genest om een celwaarde te zijn.") from None
    sheets = [Sheet("GeoJSON", rows)]
    provenance = doc.get("provenance")
    if isinstance(provenance, dict) and provenance:
        sheets.append(Sheet("Bron", [(n, [clean_cell(k), _geojson_cell(v)]) for n, (k, v) in enumerate(provenance.items(), start=1)]))
    return Workbook(sheets, "geojson", encoding)
