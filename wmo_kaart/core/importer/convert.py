"""Turn the sheets of a spreadsheet into location rows; account for every column, row and value.

Nothing here decides what is published: the rows carry only what the file says (which fields
its columns feed, which cells were empty), and `changes.apply` merges them with the stored data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat

from openpyxl.utils import get_column_letter

from .. import provenance
from ..catalog import Catalog
from ..geo import in_netherlands, to_wgs84
from ..reference import municipality
from ..schema import PRECISIONS
from .cells import (HOUSE_FIELDS, TEXT_FIELDS, is_mobile, is_personal_mail, kvk_provider_id, list_values,
                    municipality_of_postcode, postcode_value, precision_value, street_parts, text_value, website_value)
from .columns import care_table, field_for, map_headers, normalise, parse_codes, region_table, target_table
from .establishment import Key, key_of, keys_of_columns
from . import columnwise
from .read import Sheet, Workbook, columns_of
from ..bulk import cycle_collector_paused
from .values import parse_count, parse_date, parse_number, parse_yes_no, split_house_number

HEADER_SEARCH_ROWS = 15
TOTALS_WORDS = ("totaal", "total", "subtotaal", "eindtotaal", "som", "aantal locaties", "generaal totaal",
                "aantal records", "aantal regels", "aantal rijen", "aantal vestigingen", "records", "aantal deelovereenkomsten")
_TOTALS_STEMS = ("tota", "som", "aantal", "records")  # every word of TOTALS_WORDS holds one: a cheap first look per row
assert all(any(stem in w for stem in _TOTALS_STEMS) for w in TOTALS_WORDS)
PSEUDO_FIELDS = ("kvk", "lot", "agb")  # read to build other fields, never stored themselves
PROVIDER_FIELDS = ("provider_name", "kvk", "provider_id")
COORD_FIELDS = ("lat", "lon", "x", "y")
SAMPLES = 3


@dataclass(frozen=True)
class RowError:
    """A rejected row: its number as the user sees it, the column header, a Dutch reason and the sheet."""

    row: int
    column: str
    message: str
    sheet: str = ""
    location_id: str = ""

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "location_id": self.location_id}


@dataclass
class ColumnReport:
    """One column of a sheet: its own header, the field it fed (None: ignored), sample values."""

    letter: str
    header: str
    field: str | None
    values: int = 0
    samples: list[str] = field(default_factory=list)
    by_hand: bool = False

    def as_dict(self) -> dict:
        return {"letter": self.letter, "header": self.header, "field": self.field, "values": self.values,
                "samples": self.samples, "by_hand": self.by_hand}


@dataclass
class SheetReport:
    """What became of one sheet: read or skipped (and why), its header row, title and totals rows, columns."""

    name: str
    read: bool
    reason: str = ""
    header_row: int | None = None
    title_rows: list[dict] = field(default_factory=list)
    totals_rows: list[dict] = field(default_factory=list)
    columns: list[ColumnReport] = field(default_factory=list)
    values: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)
    merged: int = 0
    group_row: int | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "read": self.read, "reason": self.reason, "header_row": self.header_row,
                "title_rows": self.title_rows, "totals_rows": self.totals_rows, "values": self.values,
                "hidden_rows": self.hidden_rows, "hidden_columns": self.hidden_columns, "merged": self.merged,
                "group_row": self.group_row,
                "columns": [c.as_dict() for c in self.columns]}


@dataclass(slots=True, eq=False)
class ImportedRow:
    """What one row says: the fields its file has columns for, their values, and which cells were empty.
    `present` and `empty` may be shared by many rows (frozensets): replace them, never change them in place.
    A row the column way read (`columnwise`) has its dict of values made when it is first asked for."""

    sheet: str
    number: int
    _values: dict | None
    present: frozenset | set
    empty: frozenset | set
    columns: dict  # field -> the file's own header
    coords: tuple[float, float] | None = None
    key: Key | None = None  # the establishment, when the file has no location code
    subs: list | tuple = ()  # the sub-agreements (one per product row) of a location of several rows
    joined: list | None = None  # the numbers of the rows it joins, when it joins more than its own
    conflict: bool = False  # rows of this location disagree: none of them is published (all are named)
    _plain: columnwise.Plain | None = None  # where its values are, until they are asked for
    _index: int = 0

    @property
    def values(self) -> dict:
        values = self._values
        if values is None:
            values = self._values = self._plain.row_values(self._index)
            self._plain = None
        return values

    @values.setter
    def values(self, values: dict) -> None:
        self._values, self._plain = values, None

    def value(self, name: str):
        """`values.get(name)`, without making the dict of a row the column way read (read it, never change it)."""
        if self._values is None:
            return self._plain.value(name, self._index)
        return self._values.get(name)

    @property
    def id(self) -> str:
        if self._values is None:
            return self._plain.ids[self._index]
        return self._values["id"]

    @property
    def rows(self) -> list[int]:
        """The numbers of the rows this location joins (its own first)."""
        return self.joined if self.joined is not None else [self.number]

    def column(self, name: str) -> str:
        return self.columns.get(name, "")


@dataclass
class ImportReport:
    """Accepted features, rejected rows, and the accounting of every sheet, column and value."""

    features: list[dict] = field(default_factory=list)
    accepted_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    geocoded: int = 0
    sheets: list[SheetReport] = field(default_factory=list)
    combined_rows: list[dict] = field(default_factory=list)
    precision: dict = field(default_factory=dict)
    change: dict | None = None
    encoding: str = ""
    provenance: dict = field(default_factory=dict)  # of an export of ours being imported again
    notes: list[dict] = field(default_factory=list)  # imported, but the data manager should look: {sheet, row, column, message}
    questions: list[dict] = field(default_factory=list)  # probably a stored location: same or apart?
    ended: list[dict] = field(default_factory=list)  # sub-agreements that had ended: {sheet, row, contract_id, product, end}
    rows_total: int = 0  # data rows of every read sheet (title, header and totals rows not counted)

    def accounting(self) -> dict:
        """Return how every data row ended: accepted (one per location, the first of its rows), combined
        into a location, or rejected; the three add up to `rows`."""
        rejected = self.rejected
        combined = len(self.combined_rows)
        accepted = self.rows_total - rejected - combined
        return {"rows": self.rows_total, "accepted": accepted, "combined": combined, "rejected": rejected}

    @property
    def rejected(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors if e.row > 0})

    def ignored_columns(self) -> list[tuple[str, ColumnReport]]:
        return [(s.name, c) for s in self.sheets for c in s.columns if c.field is None and c.values]

    def as_json(self) -> dict:
        return {"accepted": len(self.features), "rejected": self.rejected, "geocoded": self.geocoded,
                "accounting": self.accounting(), "notes": self.notes, "questions": self.questions, "ended": self.ended,
                "errors": [e.as_dict() for e in self.errors], "sheets": [s.as_dict() for s in self.sheets],
                "combined_rows": self.combined_rows, "precision": self.precision,
                "change": self.change, "encoding": self.encoding, "provenance": self.provenance}


class _Row:
    def __init__(self, sheet: Sheet, number: int, cells: list[str], mapping: dict[str, int], header: list[str],
                 memo: dict | None = None):
        self.sheet, self.number, self.cells, self.mapping, self.header = sheet, number, cells, mapping, header
        width = len(cells)
        self.texts = {name: cells[i].strip() for name, i in mapping.items() if i < width}  # each cell stripped once
        self.memo = {} if memo is None else memo  # (field, cell) -> parsed, shared by the rows of one sheet
        self.errors: list[RowError] = []
        self.notes: list[dict] = []

    def note(self, name: str, message: str) -> None:
        self.notes.append({"sheet": self.sheet.name, "row": self.number, "column": self.column(name), "message": message})

    def has(self, name: str) -> bool:
        return name in self.mapping

    def get(self, name: str) -> str:
        return self.texts.get(name, "")

    def parsed(self, name: str, parse, *args):
        """Return `parse(cell, *args)` for this row's cell of `name`, computed once per distinct cell of the sheet."""
        key = (name, self.texts.get(name, ""))
        try:
            return self.memo[key]
        except KeyError:
            found = self.memo[key] = parse(key[1], *args)
            return found

    def column(self, name: str) -> str:
        i = self.mapping.get(name)
        return self.header[i] if i is not None else name

    def fail(self, name: str, message: str, tied: bool = True) -> None:
        """Reject the row; `tied` rejects its whole location too (a product row of a contract export is not)."""
        self.errors.append(RowError(self.number, self.column(name), message, self.sheet.name,
                                    self.get("id") if tied else ""))


def _establishment(mapping: dict) -> bool:
    """A header without location codes still names locations when it has a provider and an address."""
    return any(f in mapping for f in PROVIDER_FIELDS) and "postcode" in mapping and (
        "house_number" in mapping or "street" in mapping)


def _groups(sheet: Sheet, position: int) -> list[str]:
    """Return the group header above each column ('Contactpersoon' over 'Telefoon' and 'E-mail'): the
    row above the header when it labels fewer cells than the header has, each label running right to
    the next (a merged group header)."""
    if position == 0:
        return []
    above, header = sheet.rows[position - 1][1], sheet.rows[position][1]
    filled = [c for c in above if c.strip()]
    if not filled or len(filled) >= len([c for c in header if c.strip()]) or sheet.rows[position - 1][0] != sheet.rows[position][0] - 1:
        return []
    groups, current = [], ""
    for i in range(len(header)):
        if i < len(above) and above[i].strip():
            current = above[i].strip()
        groups.append(current)
    return groups


def _grouped_mapping(header: list[str], groups: list[str], remembered: dict) -> dict[str, int]:
    """Map a header under its group headers: 'Telefoon' under 'Contactpersoon' is the contact's phone."""
    mapping: dict[str, int] = {}
    for i, cell in enumerate(header):
        if not cell.strip():
            continue
        group = groups[i] if i < len(groups) else ""
        found = None
        if group and normalise(group) not in normalise(cell):
            found = field_for(f"{cell} {group}", remembered) or field_for(f"{group} {cell}", remembered)
        found = found or field_for(cell, remembered)
        if found and found != "negeer" and found not in mapping:
            mapping[found] = i
    return mapping


def _header_row(sheet: Sheet, remembered: dict) -> tuple[int, dict[str, int], list[str]] | None:
    best = None
    for position, (_n, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        mapping, _ = map_headers(cells, remembered)
        if "id" in mapping or _establishment(mapping):
            groups = _groups(sheet, position)
            if groups:
                mapping = _grouped_mapping(cells, groups, remembered)
            if best is None or len(mapping) > len(best[1]):
                best = (position, mapping, groups)
    return best


def _is_totals(cells: list[str], mapping: dict[str, int]) -> bool:
    key = next((mapping[f] for f in ("id", "name", "provider_name", "kvk") if f in mapping), None)
    id_cell = cells[key] if key is not None and key < len(cells) else ""
    joined = "\x1f".join(cells).lower()
    if any(stem in joined for stem in _TOTALS_STEMS) and any(c.lstrip().lower().startswith(TOTALS_WORDS) for c in cells if c):
        return not id_cell or normalise(id_cell).startswith(TOTALS_WORDS)
    return not id_cell and any(c.strip() for c in cells) and all(parse_number(c) is not None for c in cells if c.strip())


def _codes(row: _Row, name: str, table: dict[str, str], what: str) -> list[str]:
    codes, unknown = row.parsed(name, parse_codes, table)
    codes = list(codes)  # the memo's list is shared by every row with this cell
    for part in unknown:
        if name == "care_types" and not row.has("id"):  # a product row of a contract export: the location stands
            row.fail(name, f"onbekend product '{part}': het hoort bij geen zorgvorm van de catalogus; voeg het "
                           "productcodevoorvoegsel toe aan de catalogus (WMO_KAART_CATALOG, 'products')", tied=False)
        else:
            row.fail(name, f"onbekende {what} '{part}'")
    return codes


def _split_street(row: _Row, values: dict) -> None:
    """'Lindelaan 128 a' in an address column without a house-number column: street, number, letter, addition."""
    street = values.get("street", "")
    parts = street_parts(street) if street and not row.has("house_number") else None
    if parts is None:
        return
    values["street"], values["house_number"], letter, addition = parts
    if letter:
        values["house_letter"] = letter
    if addition:
        values["house_addition"] = addition


def _personal(row: _Row, values: dict) -> None:
    """A public phone or e-mail that looks like a person's (a mobile number, first.last@) goes to the
    contact person's field when that is empty, and the report asks the data manager to look."""
    email, phone = values.get("email", ""), values.get("phone", "")
    if email and is_personal_mail(email) and not values.get("contact_email"):
        values["contact_email"] = values.pop("email")
        row.note("email", f"'{email}' lijkt het adres van een persoon: opgeslagen als e-mail van de contactpersoon "
                          "(niet openbaar); zet het terug als het het algemene adres is")
    if phone and is_mobile(phone) and not values.get("contact_phone"):
        values["contact_phone"] = values.pop("phone")
        row.note("phone", f"'{phone}' is een mobiel nummer: opgeslagen als telefoon van de contactpersoon "
                          "(niet openbaar); zet het terug als het het algemene nummer is")


def _house(row: _Row, values: dict) -> None:
    raw = row.get("house_number")
    if not raw:
        return
    parts = split_house_number(raw)
    if parts is None:
        row.fail("house_number", f"'{raw}' is geen huisnummer (bijvoorbeeld 12, 12A, 12-3 of 12 bis)")
        return
    number, letter, addition = parts
    for name, part, pattern, what in (("house_letter", letter, r"^[A-Za-z]$", "huisletter"),
                                      ("house_addition", addition, r"^[A-Za-z0-9]{1,4}$", "toevoeging")):
        own = row.get(name)
        if own and not re.match(pattern, own):
            row.fail(name, f"'{own}' is geen geldige {what}")
        elif own and part and own.upper() != part.upper():
            row.fail(name, f"{what} '{own}' spreekt het huisnummer '{raw}' tegen")
        elif own:
            part = own.upper() if name == "house_letter" else own
        if part or row.has(name):  # without its own column an empty part is unknown, not empty
            values[name] = part
    values["house_number"] = number


def _municipality(row: _Row, values: dict) -> None:
    gm = row.get("municipality_code")
    if gm:
        found = municipality(gm)
        if found:
            values["municipality_code"] = found.code
        else:
            row.fail("municipality_code", f"onbekende gemeente '{gm}'")
    elif not row.has("municipality_code") and values.get("postcode"):  # the postcode area tells
        found_code = municipality_of_postcode(values["postcode"])
        if found_code:
            values["municipality_code"] = found_code
        else:
            row.fail("postcode", f"gemeente ontbreekt en postcode {values['postcode']} ligt niet in de regio")


_TABLES = ("", "tables")  # the memo's key of the code tables (no field is named '')


def _tables(catalog: Catalog) -> tuple:
    """The code tables, fetched once per sheet: hashing the catalog for the cached tables costs more than a row."""
    return (("care_types", care_table(catalog), "zorgvorm"), ("target_groups", target_table(catalog), "doelgroep"),
            ("contract_regions", region_table(), "inkoopregio"))


def _values(row: _Row, catalog: Catalog) -> dict:
    get = row.texts.get  # the row's stripped cells by field
    values: dict = {"id": get("id", "")}
    for name in TEXT_FIELDS:
        if text := get(name):
            values[name] = text_value(text)
    _split_street(row, values)
    if "website" in values:
        values["website"] = website_value(values["website"])
    if get("provider_id", ""):
        values["provider_id"] = get("provider_id", "")
    elif get("kvk", ""):
        values["provider_id"] = kvk_provider_id(get("kvk", ""))
        if values["provider_id"] is None:
            row.fail("kvk", f"'{get('kvk', '')}' is geen KvK-nummer (8 cijfers)")
    if get("lot", "") and values.get("contract_id"):
        values["contract_id"] = f"{values['contract_id']} (perceel {get('lot', '')})"
    _house(row, values)
    if raw_postcode := get("postcode", ""):
        values["postcode"] = postcode_value(raw_postcode)
        if values["postcode"] is None:
            del values["postcode"]
            row.fail("postcode", f"'{raw_postcode}' is geen geldige postcode (1234 AB)")
    _municipality(row, values)
    tables = row.memo.get(_TABLES)
    if tables is None:
        tables = row.memo[_TABLES] = _tables(catalog)
    for name, table, what in tables:
        if get(name, ""):
            values[name] = _codes(row, name, table, what)
            if not values[name] and not row.errors:
                row.fail(name, f"geen {what} herkend in '{get(name, '')}'")
    if get("specialisms", ""):
        values["specialisms"] = list_values(get("specialisms", ""))
    if wheel := get("wheelchair_accessible", ""):
        values["wheelchair_accessible"] = parse_yes_no(wheel)
        if values["wheelchair_accessible"] is None:
            row.fail("wheelchair_accessible", f"'{wheel}' is geen ja of nee")
    for name in ("contract_end", "bw_updated", "last_checked"):
        if raw := get(name, ""):
            values[name] = row.parsed(name, parse_date)
            if values[name] is None:
                row.fail(name, f"'{raw}' is geen datum (dd-mm-jjjj)")
    for name, what in (("bw_capacity", "capaciteit"), ("bw_occupancy", "bezetting"), ("free_places", "vrije plaatsen")):
        if (raw := get(name, "")) and name == "bw_occupancy" and raw.rstrip().endswith("%"):
            values[name] = _occupancy_share(row, raw, values.get("bw_capacity"))
            continue
        if raw := get(name, ""):
            values[name] = parse_count(raw)
            if values[name] is None:
                row.fail(name, f"'{raw}' is geen geheel getal")
            elif values[name] < 0:
                row.fail(name, f"{what} mag niet negatief zijn")
    if raw := get("position_precision", ""):
        values["position_precision"] = precision_value(raw)
        if values["position_precision"] is None:
            row.fail("position_precision", f"'{raw}' is geen bekende nauwkeurigheid ({', '.join(p[0] for p in PRECISIONS.values())})")
    cap, occ = values.get("bw_capacity"), values.get("bw_occupancy")
    if isinstance(cap, int) and isinstance(occ, int) and 0 <= cap < occ:
        row.fail("bw_occupancy", f"bezetting ({occ}) is hoger dan de capaciteit ({cap})")
    _personal(row, values)
    return {k: v for k, v in values.items() if v is not None}


def _occupancy_share(row: _Row, raw: str, capacity) -> int | None:
    """Occupancy shown as a percentage ('100 %'): clients = the share of the capacity, said in the report."""
    share = parse_number(raw.rstrip().rstrip("%"))
    if share is None or not 0 <= share <= 100:
        row.fail("bw_occupancy", f"'{raw}' is geen percentage tussen 0 en 100 %")
        return None
    if not isinstance(capacity, int):
        row.fail("bw_occupancy", f"bezetting '{raw}' is een percentage, maar de capaciteit ontbreekt om cliënten te tellen")
        return None
    clients = round(capacity * share / 100)
    row.note("bw_occupancy", f"bezetting {raw} van {capacity} plaatsen opgeslagen als {clients} cliënten")
    return clients


def _coordinates(row: _Row) -> tuple[float, float] | None:
    if row.get("lat") or row.get("lon"):
        lat, lon = parse_number(row.get("lat")), parse_number(row.get("lon"))
        if lat is None or lon is None:
            row.fail("lat" if lat is None else "lon", "breedte- en lengtegraad moeten allebei een getal zijn")
            return None
        if not in_netherlands(lon, lat):
            row.fail("lat", f"coördinaten ({lat}, {lon}) liggen buiten Nederland")
            return None
        return lon, lat
    if row.get("x") or row.get("y"):
        x, y = parse_number(row.get("x"), grouped=True), parse_number(row.get("y"), grouped=True)
        if x is None or y is None or not (0 < x < 300_000 and 289_000 < y < 630_000):
            row.fail("x", f"RD-coördinaten ({row.get('x')}, {row.get('y')}) zijn ongeldig of liggen buiten Nederland")
            return None
        lon, lat = to_wgs84(x, y)
        return round(float(lon), 6), round(float(lat), 6)
    return None


def _present(mapping: dict[str, int]) -> set:
    present = {f for f in mapping if f not in (*PSEUDO_FIELDS, *COORD_FIELDS)}
    if "kvk" in mapping:
        present.add("provider_id")
    if "house_number" in present:  # a house number column states the whole number, letter and addition too
        present.update(HOUSE_FIELDS)
    if "postcode" in present and "municipality_code" not in mapping:
        present.add("municipality_code")
    return present


def _convert_row(row: _Row, catalog: Catalog, present: set, columns: dict) -> ImportedRow | None:
    for (n, i), formula in row.sheet.formulas.items():
        if n == row.number and i in row.mapping.values():
            row.errors.append(RowError(n, row.header[i], f"formule {formula[:40]} zonder berekende waarde: open het bestand "
                                       "in Excel of LibreOffice en sla het opnieuw op", row.sheet.name, row.get("id")))
    values = _values(row, catalog)
    coords = _coordinates(row)
    if row.errors:
        return None
    present = present | ({*HOUSE_FIELDS} if "house_number" in values else set()) | (set(values) - {"id"})
    empty = {f for f in present if f not in values}
    if "house_number" in values:
        empty -= set(HOUSE_FIELDS)
    return ImportedRow(row.sheet.name, row.number, values, present, empty, columns, coords)


def _column_reports(sheet: Sheet, header: list[str], numbers: list[int], data: list[list[str]], mapping: dict[str, int],
                    remembered: dict) -> list[ColumnReport]:
    by_index = {i: f for f, i in mapping.items()}
    reports = []
    for i in range(max(len(header), len(data))):
        head = header[i] if i < len(header) else ""
        column = data[i] if i < len(data) else []
        formulas = [sheet.formulas[(n, i)] for n in numbers if (n, i) in sheet.formulas] if sheet.formulas else []
        values = _filled(column) + len(formulas)
        samples: list[str] = []
        for cell in chain((c for c in column if c), formulas):
            if cell not in samples:
                samples.append(cell)
                if len(samples) == SAMPLES:
                    break
        reports.append(ColumnReport(get_column_letter(i + 1), head, by_index.get(i), values, samples,
                                    by_hand=normalise(head) in remembered))
    return [r for r in reports if r.header or r.values]


def _filled(column: list[str]) -> int:
    """How many cells of a column hold something (cells are stripped: see `read.Sheet`)."""
    return len(column) - column.count("")


def _data_columns(sheet: Sheet, first: int, mapping: dict[str, int], result: SheetReport) -> tuple[list[int], list[list[str]]]:
    """Return the numbers and the columns of the data rows below the header (row `first` on); totals and
    count rows are left out and put in the sheet's report."""
    numbers, columns = columns_of(sheet.rows)
    numbers, columns = numbers[first:], [column[first:] for column in columns]
    totals = [k for k in _totals_candidates(numbers, columns, mapping) if _is_totals(_cells(columns, k), mapping)]
    if not totals:
        return numbers, columns
    result.totals_rows = [{"row": numbers[k], "cells": [c for c in _cells(columns, k) if c]} for k in totals]
    left_out = set(totals)
    keep = [k for k in range(len(numbers)) if k not in left_out]
    return [numbers[k] for k in keep], [[column[k] for k in keep] for column in columns]


def _cells(columns: list[list[str]], k: int) -> list[str]:
    return [column[k] for column in columns]


def _totals_candidates(numbers: list[int], columns: list[list[str]], mapping: dict[str, int]) -> list[int]:
    """The rows that might be totals rows (`_is_totals` decides): those whose key cell (a location code, a
    name, a KvK number) is empty or folds to a totals word."""
    key = next((mapping[f] for f in ("id", "name", "provider_name", "kvk") if f in mapping), None)
    if key is None or key >= len(columns):
        return list(range(len(numbers)))
    cells = columns[key]
    found = [k for k, cell in enumerate(cells) if not cell] if "" in cells else []
    joined = "\x00".join(cells).lower()
    if any(stem in joined for stem in _TOTALS_STEMS):  # a key cell may fold to a totals word
        found += [k for k, cell in enumerate(cells) if cell and normalise(cell).startswith(TOTALS_WORDS)]
    elif not joined.isascii():  # a cell with accents folds otherwise than it lowers: those are looked at
        found += [k for k, cell in enumerate(cells) if not cell.isascii() and normalise(cell).startswith(TOTALS_WORDS)]
    return sorted(set(found))


CONTRACT_FIELDS = ("care_types", "contract_id", "contract_end")  # per sub-agreement: combined by `_finish`


def _sub(row: ImportedRow) -> dict:
    """Return the sub-agreement of one row (one product): its number, care types and end."""
    return {"row": row.number, "sheet": row.sheet, "contract_id": row.values.pop("contract_id", None),
            "care_types": row.values.pop("care_types", []), "end": row.values.pop("contract_end", None)}


def _combine(first: ImportedRow, other: ImportedRow) -> str | None:
    """Fold a repeated row (one product per row) into the first; return the conflicting column, if any."""
    for name, value in other.values.items():
        mine = first.values.get(name)
        if not isinstance(value, list) and mine is not None and mine != value:
            return other.column(name) or name
    for name, value in other.values.items():
        mine = first.values.get(name)
        first.values[name] = list(dict.fromkeys([*(mine or []), *value])) if isinstance(value, list) else value
    first.present = first.present | other.present
    first.empty = (first.empty | other.empty) - set(first.values)
    first.coords = first.coords or other.coords
    first.subs.extend(other.subs)
    first.joined = [*first.rows, other.number]
    return None


def _in_one_go(shared: _Sheet, numbers: list[int], plain, derived: list | None, rows: dict, conflicted: dict,
               report: ImportReport, finish: dict, today: str) -> bool:
    """Put the rows of a sheet that the column way settled whole (and whose locations are not in an earlier
    sheet) with their locations at once: the first row of each location in one step, the rows that join
    one after (in the order the row-by-row way would meet them). False, and nothing done, otherwise."""
    idents = list(map(str.casefold, plain.ids))  # 'loc-0109' is 'LOC-0109'
    first = dict.fromkeys(idents)  # in the order of first appearance
    if not first.keys().isdisjoint(rows) or not first.keys().isdisjoint(conflicted):
        return False
    if len(first) == len(idents):
        firsts, later = range(len(idents)), []
    else:
        for k in range(len(idents) - 1, -1, -1):
            first[idents[k]] = k
        firsts = list(first.values())
        later = [k for k, ident in enumerate(idents) if first[ident] != k]

    def made(ks) -> map:
        keys, present = ((repeat(None), repeat(shared.present)) if derived is None else
                         ((derived[k][0] for k in ks), (derived[k][1] for k in ks)))
        return map(ImportedRow, repeat(shared.sheet.name), map(numbers.__getitem__, ks), repeat(None), present,
                   map(plain.empties.__getitem__, ks), repeat(shared.columns), map(plain.coords.__getitem__, ks), keys,
                   repeat(()), repeat(None), repeat(False), repeat(plain), ks)

    rows.update(zip(map(idents.__getitem__, firsts), made(firsts)))
    ends = plain.column("contract_end")
    if ends is not None:  # the ones that ended are reported (`_finish_all`), as the columns say
        contracts, care = plain.column("contract_id"), plain.column("care_types")
        finish.update((idents[k], _ended(shared.sheet.name, numbers[k], plain.ids[k],
                                         contracts[k] or None if contracts is not None else None,
                                         list(care[k] or ()) if care is not None else [], ends[k]))
                      for k in firsts if ends[k] and ends[k] < today)
    for imported in made(later):
        _add(imported, rows, conflicted, report, finish, today)
    return True


def _ended(sheet: str, number: int, ident: str, contract_id: str | None, care_types: list, end: str) -> dict:
    """The report of a sub-agreement that ended."""
    return {"sheet": sheet, "row": number, "id": ident, "contract_id": contract_id, "care_types": care_types, "end": end}


def _finish(row: ImportedRow, today: str, report: "ImportReport") -> None:
    """Give a location the care types and contract of its sub-agreements in force: the care types of the
    running ones (all of them when none runs), the latest end of the running ones (none when one has no
    end), every sub-agreement number; the ended ones are reported."""
    running = [s for s in row.subs if not s["end"] or s["end"] >= today]
    for s in row.subs:
        if s not in running:
            report.ended.append(_ended(s["sheet"], s["row"], row.id, s["contract_id"], s["care_types"], s["end"]))
    counted = running or row.subs
    care = list(dict.fromkeys(c for s in counted for c in s["care_types"]))
    if care:
        row.values["care_types"] = care
    ends = [s["end"] for s in counted]
    if ends and all(ends):
        row.values["contract_end"] = max(ends)
    elif "contract_end" in row.present and any(ends):
        row.empty = row.empty | {"contract_end"}  # a running sub-agreement without an end: the location has none
    numbers = list(dict.fromkeys(s["contract_id"] for s in counted if s["contract_id"]))
    if numbers:
        row.values["contract_id"] = "; ".join(numbers)
    row.empty = row.empty - set(row.values)


def provenance_of(sheet) -> dict[str, str] | None:
    """Return the provenance of one of our exports ('Bron': key, value per row), or None for any other sheet."""
    if sheet.name != "Bron":
        return None
    pairs = [cells for _n, cells in sheet.rows]
    if not pairs or pairs[0][:1] != [provenance.VERSION]:
        return None
    if any(len([c for c in cells if c]) > 2 for cells in pairs):
        return None
    return {cells[0]: (cells[1] if len(cells) > 1 else "") for cells in pairs if cells and cells[0]}


@dataclass
class _Sheet:
    """What the rows of one read sheet share: its header's mapping, the fields it states, their headers."""

    sheet: Sheet
    header: list[str]
    mapping: dict[str, int]
    present: frozenset
    columns: dict  # field -> the file's own header
    memo: dict

    @property
    def derived(self) -> bool:
        return "id" not in self.mapping  # no location codes: the establishment is the location


def _sheet_fields(sheet: Sheet, header: list[str], mapping: dict[str, int], catalog: Catalog) -> _Sheet:
    columns = {f: header[i] for f, i in mapping.items()}
    columns.update({f: columns["house_number"] for f in HOUSE_FIELDS if f not in columns and "house_number" in columns})
    if "kvk" in columns and "provider_id" not in columns:
        columns["provider_id"] = columns["kvk"]
    return _Sheet(sheet, header, mapping, frozenset(_present(mapping)), columns, {_TABLES: _tables(catalog)})


def _sheet_report(sheet: Sheet, found: tuple) -> SheetReport:
    position, _mapping, groups = found
    header_number, _header = sheet.rows[position]
    titles = sheet.rows[:position - 1] if groups else sheet.rows[:position]
    return SheetReport(sheet.name, True, header_row=header_number,
                       title_rows=[{"row": n, "cells": [c for c in cells if c]} for n, cells in titles],
                       hidden_rows=[n for n in sheet.hidden_rows if n > header_number],
                       hidden_columns=[get_column_letter(i + 1) for i in sheet.hidden_columns],
                       merged=sheet.merged, group_row=header_number - 1 if groups else None)


def _skipped(sheet: Sheet, only_sheets, remembered: dict, report: ImportReport):
    """Return the header of a sheet to read, or None with the reason it is not read in the report."""
    if only_sheets and sheet.name not in only_sheets:
        report.sheets.append(SheetReport(sheet.name, False, "niet gekozen (--sheet)", values=_sheet_values(sheet)))
        return None
    found_provenance = provenance_of(sheet)
    if found_provenance:
        report.provenance = found_provenance
        report.sheets.append(SheetReport(sheet.name, False, "herkomst van een Wmo-kaart-export: bewaard bij de gegevens",
                                         values=_sheet_values(sheet)))
        return None
    found = _header_row(sheet, remembered)
    if found is None:
        values = _sheet_values(sheet)
        reason = "leeg" if not values else ("geen kopregel met een locatiecode, of met een aanbieder en een adres, "
                                            f"gevonden in de eerste {HEADER_SEARCH_ROWS} rijen")
        report.sheets.append(SheetReport(sheet.name, False, reason, values=values))
    return found


def _sheet_values(sheet: Sheet) -> int:
    """How many cells of a sheet hold something (a formula without a value too)."""
    return sum(map(_filled, columns_of(sheet.rows)[1])) + len(sheet.formulas)


def _read_values(sheet: Sheet, position: int, result: SheetReport) -> int:
    """`_sheet_values` of a read sheet, from what its report counted already: the data columns, the rows
    down to the header and the totals rows."""
    if sheet.formulas:
        return _sheet_values(sheet)
    return (sum(c.values for c in result.columns) + sum(len(t["cells"]) for t in result.totals_rows)
            + sum(len(cells) - cells.count("") for _n, cells in sheet.rows[:position + 1]))


@cycle_collector_paused()
def read_rows(workbook: Workbook, catalog: Catalog, remembered: dict | None = None,
              only_sheets: list[str] | None = None, today: str | None = None,
              force_rows: bool = False) -> tuple[list[ImportedRow], ImportReport]:
    """Return the location rows of every sheet with a location-code header (or, without codes, a provider and
    an address: the establishment), and the accounting report. Rows of one location (one product per row)
    are combined; `today` (ISO) decides which sub-agreements had ended. Rows are converted column by column
    where their own cells settle them (`columnwise`), row by row otherwise; `force_rows` converts every row
    row by row (the reference the tests hold the column way to)."""
    from .. import clock

    today = today or clock.today().isoformat()
    remembered = remembered or {}
    report = ImportReport(encoding=workbook.encoding)
    rows: dict[str, ImportedRow] = {}  # by location code without case ('loc-0109' is 'LOC-0109')
    conflicted: dict[str, int] = {}
    finish: dict[str, dict | None] = {}  # the locations `_finish_all` looks at (with their ended contract, if known)
    for sheet in workbook.sheets:
        found = _skipped(sheet, only_sheets, remembered, report)
        if found is None:
            continue
        position, mapping, _groups = found
        result = _sheet_report(sheet, found)
        numbers, data = _data_columns(sheet, position + 1, mapping, result)
        result.columns = _column_reports(sheet, sheet.rows[position][1], numbers, data, mapping, remembered)
        result.values = _read_values(sheet, position, result)
        report.sheets.append(result)
        report.rows_total += len(numbers)
        shared = _sheet_fields(sheet, sheet.rows[position][1], mapping, catalog)
        _read_sheet_rows(shared, numbers, data, catalog, rows, conflicted, report, force_rows, finish, today)
    _finish_all(rows, finish, today, report)
    if not any(s.read for s in report.sheets):
        report.errors.append(RowError(0, "", "geen werkblad met een kopregel met een locatiecode of een aanbieder met adres "
                                             "gevonden"))
    return list(rows.values()), report


def _read_sheet_rows(shared: _Sheet, numbers: list[int], data: list[list[str]], catalog: Catalog, rows: dict,
                     conflicted: dict, report: ImportReport, force_rows: bool, finish: dict, today: str) -> None:
    """Convert the data rows of one sheet and put each with its location in `rows`; the locations `_finish_all`
    has to finish go in `finish`."""
    sheet, mapping = shared.sheet, shared.mapping
    with_formulas = {n for n, i in sheet.formulas if i in mapping.values()}
    slow = {k for k, n in enumerate(numbers) if n in with_formulas} if with_formulas else set()
    plain = None if force_rows else columnwise.convert(data, mapping, shared.present, shared.memo[_TABLES], shared.memo,
                                                       slow, getattr(sheet.rows, "line_breaks", True))
    agb = data[mapping["agb"]] if "agb" in mapping and mapping["agb"] < len(data) else None
    derived = _establishments(plain, agb, shared.present) if plain is not None and shared.derived else None
    if plain is not None and not plain.slow and (derived is None or None not in derived) and \
            _in_one_go(shared, numbers, plain, derived, rows, conflicted, report, finish, today):
        return
    for k, number in enumerate(numbers):
        if plain is not None and plain.plain(k):
            imported = ImportedRow(sheet.name, number, None, shared.present, plain.empties[k], shared.columns,
                                   plain.coords[k], _plain=plain, _index=k)
            if derived is not None:
                if derived[k] is None:
                    report.errors.append(_unknown_establishment(number, shared.columns, sheet.name))
                    continue
                imported.key, imported.present = derived[k]
        else:
            imported = _row_by_row(shared, number, [column[k] for column in data], catalog, report)
            if imported is not None and shared.derived:
                imported = _as_establishment(imported, agb[k] if agb is not None else "", shared.columns, report)
        if imported is not None:
            _add(imported, rows, conflicted, report, finish, today)


def _row_by_row(shared: _Sheet, number: int, cells: list[str], catalog: Catalog, report: ImportReport):
    """Convert one row the row-by-row way: every problem named, every note made."""
    row = _Row(shared.sheet, number, cells, shared.mapping, shared.header, shared.memo)
    if not shared.derived and not row.get("id"):
        row.fail("id", "locatiecode is leeg")
        report.errors.extend(row.errors)
        return None
    imported = _convert_row(row, catalog, shared.present, shared.columns)
    report.notes.extend(row.notes)
    if imported is None:
        report.errors.extend(row.errors)
    return imported


def _as_establishment(imported: ImportedRow, agb: str, columns: dict, report: ImportReport) -> ImportedRow | None:
    """Give a row without a location code the id of its establishment (or of its AGB code)."""
    key = key_of(imported.values)
    if key is None:
        report.errors.append(_unknown_establishment(imported.number, columns, imported.sheet))
        return None
    imported.values["id"], imported.key = _establishment_id(key, agb), key
    imported.present = imported.present | {"id"}
    if "provider_id" not in imported.values:  # no KvK number or code: one derived from the name
        imported.values["provider_id"] = _derived_provider_id(key.provider)
        imported.present = imported.present | {"provider_id"}
    return imported


def _establishments(plain: columnwise.Plain, agb: list[str] | None, present: frozenset) -> list:
    """`_as_establishment` for the plain rows of a sheet, by column: per row its key and the fields it then
    states, None for a row whose establishment cannot be told (or that is not plain). The ids, and the
    provider ids derived from names, go into the columns the rows' values are made from."""
    texts = plain.texts
    provider_ids = texts("provider_id")
    keys = keys_of_columns(provider_ids, texts("provider_name"), texts("postcode"), texts("house_number"),
                           texts("house_letter"), texts("house_addition"))
    ids, own = list(plain.ids), list(provider_ids)
    with_id, with_both = present | {"id"}, present | {"id", "provider_id"}
    found: list = [None] * len(keys)
    for k, key in enumerate(keys):
        if key is None or not plain.plain(k):
            continue
        ids[k] = _establishment_id(key, agb[k] if agb is not None else "")
        if own[k]:
            found[k] = (key, with_id)
        else:
            own[k] = _derived_provider_id(key.provider)
            found[k] = (key, with_both)
    plain.set_texts("id", ids)
    plain.set_texts("provider_id", own)
    return found


def _establishment_id(key: Key, agb: str) -> str:
    code = re.sub(r"\s", "", agb) if agb else ""  # an establishment's AGB code is a key of its own
    return f"AGB-{code}" if code else key.id


@lru_cache(maxsize=4096)
def _derived_provider_id(provider: str) -> str:
    """The provider id of a provider without a KvK number or code of its own, from its folded name."""
    return "P-" + hashlib.sha256(provider.encode()).hexdigest()[:8].upper()


def _unknown_establishment(number: int, columns: dict, sheet: str) -> RowError:
    return RowError(number, columns.get("postcode", "Postcode"), "de vestiging is niet te herkennen: aanbieder (naam of "
                    "KvK-nummer), postcode en huisnummer zijn nodig", sheet)


def _add(imported: ImportedRow, rows: dict, conflicted: dict, report: ImportReport, finish: dict, today: str) -> None:
    """Put a row with its location: a new one, or combined with the rows of the same location before it
    (a conflicting value rejects them all, each named); a location of several rows, or one whose contract
    ended, goes in `finish`."""
    number, sheet = imported.number, imported.sheet
    ident = imported.id.casefold()  # 'loc-0109' is 'LOC-0109'
    if ident in conflicted:
        report.errors.append(RowError(number, "", f"locatiecode '{imported.id}' staat ook in rij {conflicted[ident]} "
                                      "met andere waarden; geen van die rijen is overgenomen", sheet, imported.id))
        return
    first = rows.get(ident)
    if first is None:
        rows[ident] = imported
        if (end := imported.value("contract_end")) and end < today:
            finish.setdefault(ident, None)
        return
    finish[ident] = None
    if not first.subs:  # a second row of one location: each row is a sub-agreement of it
        first.subs = [_sub(first)]
    imported.subs = [_sub(imported)]
    conflict = _combine(first, imported)
    if not conflict:
        report.combined_rows.append({"sheet": sheet, "row": number, "into_row": first.number, "id": first.id})
        return
    shown = imported.key and "deze vestiging" or f"locatiecode '{imported.id}'"
    report.errors.append(RowError(number, conflict, f"{shown} staat ook in rij {first.number} met een andere "
                                  f"waarde in kolom '{conflict}'", sheet, first.id))
    for joined in first.rows:  # the rows it met are named too: none of them is published
        report.errors.append(RowError(joined, conflict, f"{shown} staat ook in rij {number} met een andere "
                                      f"waarde in kolom '{conflict}'", first.sheet, first.id))
    report.combined_rows = [c for c in report.combined_rows if c["id"].casefold() != ident]
    conflicted[ident] = first.number
    first.conflict = True  # kept (flagged) so its stored location is kept, never removed by omission


def _finish_all(rows: dict, finish: dict, today: str, report: ImportReport) -> None:
    """Finish the locations of several rows (`_finish`); report the ended sub-agreement of a location of one
    row. `finish` holds the ones to look at (the others have one row whose contract runs), with the report
    of an ended one where the columns told it already."""
    for ident in [ident for ident in rows if ident in finish] if finish else ():
        row = rows[ident]
        if row.subs:
            if not row.conflict:
                _finish(row, today, report)
        elif row.conflict:
            continue
        elif (ended := finish[ident]) is not None:
            report.ended.append(ended)
        elif (end := row.value("contract_end")) and end < today:  # kept: a location's end is its own
            report.ended.append(_ended(row.sheet, row.number, row.id, row.value("contract_id"),
                                       list(row.value("care_types") or []), end))
