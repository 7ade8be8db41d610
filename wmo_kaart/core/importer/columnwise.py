"""Convert the data rows of a sheet column by column: each field's rule runs once per distinct cell of its
column (the rules of `cells` and `values`, the same ones the row-by-row conversion calls), and a row's
values are put together from its columns.

A row that a rule cannot settle on its own cells is left to the row-by-row conversion in `convert`,
which names every problem: a cell that is not what its field needs, a value that moves to another field
with a note (a mobile number, a person's e-mail, 'Lindelaan 128 a' in an address column, an occupancy in
per cent), two columns that must agree (a house letter beside the house number, occupancy above
capacity), coordinates in RD or outside the country, a formula without a value. Those rows are few in a
file a data manager can publish; the many plain rows then cost a few list lookups each, and their dicts
are made when they are first asked for (`Plain.row_values`), which is what makes a 30,000-row file read
in less than three times what `pandas.read_csv` takes to split it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..geo import NL_LAT, NL_LON, in_netherlands
from ..reference import municipality
from .cells import (HOUSE_FIELDS, TEXT_FIELDS, is_mobile, is_personal_mail, kvk_provider_id, list_values,
                    municipality_of_postcode, postcode_value, precision_value, street_parts, text_value, website_value)
from .columns import parse_codes
from .values import parse_count, parse_date, parse_number, parse_yes_no, split_house_number

DATE_FIELDS = ("contract_end", "bw_updated", "last_checked")
COUNT_FIELDS = ("bw_capacity", "bw_occupancy", "free_places")
HANDLED = {"id", *TEXT_FIELDS, "provider_id", "kvk", "lot", "agb", *HOUSE_FIELDS, "postcode", "municipality_code",
           "care_types", "target_groups", "contract_regions", "specialisms", "wheelchair_accessible", *DATE_FIELDS,
           *COUNT_FIELDS, "position_precision", "lat", "lon", "x", "y"}
# In the columns of values below, '' is a cell without a value (comparing strings with '' is what Python does
# fastest); a value that is itself '' (a house letter the file's own empty column states) is _EMPTY_TEXT.
_EMPTY_TEXT = object()
ONE_BY_ONE = 64  # a sheet's row dicts made one by one before all are made at once (`Plain.row_values`)
_FAIL = object()  # a cell its field's rule does not accept: the row goes the row-by-row way
# Looks at a whole column joined by NUL, each cell after a NUL (so the search has a literal to go by):
_CANONICAL_POSTCODES = re.compile(r"(?:\x00(?:[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2})?)*")  # '5341 AB' already, or empty
_MOBILE_HINT = re.compile(r"\x00[^\d\x00]*(?:0[^\d\x00]*6|3[^\d\x00]*1[^\d\x00]*6)")  # the digits start 06 or 316
_MAIL_HINT = re.compile(r"\x00[a-z]+\.", re.IGNORECASE)  # what a person's address starts with


class Plain:
    """The data rows of a sheet as columns: which rows the column way settles (`plain(k)`), their
    coordinates, which fields of the file's columns each leaves empty, the location codes as the file has
    them ('' where it has none), and each field's column of values. A row's dict of values is made when it
    is first asked for (`values`), for all rows at once."""

    def __init__(self, slow: set[int], coords: list, empties: list, ids: list, out: dict[str, list], sparse: list[str],
                 lists: set[str]):
        self.slow, self.coords, self.empties, self.ids = slow, coords, empties, ids
        self.out, self.sparse, self.lists = out, sparse, lists
        self._values: list[dict] | None = None
        self._asked = 0  # dicts made one by one so far

    def plain(self, k: int) -> bool:
        return k not in self.slow

    def column(self, name: str) -> list | None:
        """The values of one field, per row ('' where a row has none; meaningless for a row that is not plain)."""
        return self.out.get(name)

    def _field(self, name: str) -> list | None:
        return self.ids if name == "id" else self.out.get(name)

    def value(self, name: str, k: int):
        """Row k's value of one field as its dict will have it; None where it has none."""
        column = self._field(name)
        found = None if column is None else column[k]
        return None if found == "" else "" if found is _EMPTY_TEXT else found

    def texts(self, name: str) -> list[str]:
        """The values of a text field per row, '' where a row has none."""
        column = self._field(name)
        if column is None:
            return [""] * len(self.ids)
        return ["" if v is _EMPTY_TEXT else v for v in column] if name in HOUSE_FIELDS else column

    def set_texts(self, name: str, column: list[str]) -> None:
        """Give a field new values ('' for none) before any row's dict is made."""
        assert self._values is None, "the dicts of the rows are made already"
        if name == "id":
            self.ids = column
            return
        if name not in self.out:
            self.sparse.append(name)
        self.out[name] = column

    def row_values(self, k: int) -> dict:
        """Row k's dict of values: made alone for the first few rows asked (rows that combine with others
        while the sheet is read), for all rows at once after that (what a check of the whole file asks)."""
        if self._values is None and self._asked < ONE_BY_ONE:
            self._asked += 1
            return self._one(k)
        return self.values()[k]

    def _one(self, k: int) -> dict:
        values = {"id": self.ids[k]}
        sparse, lists = self.sparse, self.lists
        for name, column in self.out.items():
            value = column[k]
            if name in sparse:
                if value is _EMPTY_TEXT:
                    values[name] = ""
                    continue
                if value == "":
                    continue
            values[name] = value.copy() if name in lists else value
        return values

    def values(self) -> list[dict]:
        """One dict per row: the id, then every field with a value (the rows that are not plain have one too,
        which nothing reads). Each row its own lists: a change to one row's list must not change another's."""
        if self._values is None:
            out = {name: _own_lists(column) if name in self.lists else column for name, column in self.out.items()}
            self._values = _assemble(self.ids, out, self.sparse)
        return self._values


class _Values(list):
    """A field's values per row, knowing whether one is '' (none) without looking at every row."""

    __slots__ = ("has_empty",)


def _has_empty(column: list) -> bool:
    return column.has_empty if column.__class__ is _Values else "" in column


class _Columns:
    """The data columns of a sheet by field, and the rows that need the row-by-row way."""

    def __init__(self, columns: list[list[str]], mapping: dict[str, int], count: int):
        self.columns, self.mapping, self.count = columns, mapping, count
        self.slow: set[int] = set()

    def has(self, name: str) -> bool:
        return name in self.mapping

    def get(self, name: str) -> list[str] | None:
        if name not in self.mapping:
            return None
        i = self.mapping[name]  # cells come stripped (see `read.Sheet`)
        return self.columns[i] if i < len(self.columns) else [""] * self.count

    def by_cell(self, column: list[str], rule) -> list:
        """Return `rule(cell)` per row, computed once per distinct non-empty cell ('' for an empty one); rows
        whose cell the rule refuses (returns _FAIL) are marked slow and get ''."""
        table = {c: (rule(c) if c else "") for c in set(column)}
        failed = [c for c, v in table.items() if v is _FAIL]
        if failed:
            for c in failed:
                table[c] = ""
            failed = set(failed)
            self.slow.update(i for i, c in enumerate(column) if c in failed)
        found = _Values(map(table.__getitem__, column))
        found.has_empty = "" in table.values()
        return found

    def slow_where(self, column: list[str], hint: re.Pattern, test) -> None:
        """Mark slow the rows whose cell passes `test`; `hint` finds whether any cell might, in one look."""
        if hint.search("\x00" + "\x00".join(column)):
            flagged = {c for c in set(column) if c and test(c)}
            if flagged:
                self.slow.update(i for i, c in enumerate(column) if c in flagged)


def _fail_if_none(rule):
    def checked(cell):
        found = rule(cell)
        return _FAIL if found is None else found
    return checked


def _codes(table: dict, memo: dict, name: str):
    def rule(cell):
        key = (name, cell)
        if key not in memo:
            memo[key] = parse_codes(cell, table)
        codes, unknown = memo[key]
        return _FAIL if unknown or not codes else codes
    return rule


def _date(memo: dict, name: str):
    def rule(cell):
        key = (name, cell)
        if key not in memo:
            memo[key] = parse_date(cell)
        return _FAIL if memo[key] is None else memo[key]
    return rule


def _count(cell: str):
    if cell.rstrip().endswith("%"):
        return _FAIL  # occupancy in per cent: counted from the capacity, with a note
    value = parse_count(cell)
    return _FAIL if value is None or value < 0 else value


def _numbers(cols: _Columns, column: list[str]) -> list:
    """Decimal numbers ('51,765' or '51.765') per row; '' for an empty cell or one that is no number (that
    row is marked slow)."""
    try:  # float() reads a number as parse_number does, or refuses it (a cell with both decimal signs has two
        # dots then); apart from 'nan' and 'inf', which no place in the Netherlands has: `_coordinates` sends them
        # the row way, which refuses them
        if "" not in column:
            found = list(map(float, "\x00".join(column).replace(",", ".").split("\x00")))
            if len(found) == len(column):  # no NUL inside a cell
                return found
        else:
            return [float(c.replace(",", ".")) if c else "" for c in column]
    except ValueError:
        pass
    return cols.by_cell(column, _fail_if_none(parse_number))


def _house(cols: _Columns, out: dict) -> None:
    numbers = cols.get("house_number")
    if numbers is None:
        return
    parts = cols.by_cell(numbers, _fail_if_none(split_house_number))
    out["house_number"] = [p[0] if p else "" for p in parts]
    for k, name in ((1, "house_letter"), (2, "house_addition")):
        own = cols.get(name)
        if own is not None:  # its own column: a value there must agree with the number's, the row way says so
            cols.slow.update(i for i, c in enumerate(own) if c)
            out[name] = [(p[k] or _EMPTY_TEXT) if p else "" for p in parts]
        else:  # without its own column an empty part is unknown, not empty
            out[name] = [p[k] if p else "" for p in parts]


def _texts(cols: _Columns, out: dict, line_breaks: bool) -> None:
    for name in TEXT_FIELDS:
        column = cols.get(name)
        if column is None:
            continue
        if line_breaks and "\n" in "\x00".join(column):
            column = [text_value(c) for c in column]
        out[name] = column
    if "website" in out and "\x00www." in ("\x00" + "\x00".join(out["website"])).lower():
        out["website"] = [website_value(c) if c else c for c in out["website"]]
    if "street" in out and not cols.has("house_number"):  # 'Lindelaan 128 a': split, the row way
        cols.slow.update(i for i, parts in enumerate(cols.by_cell(out["street"], street_parts)) if parts)
    if "phone" in out:
        cols.slow_where(out["phone"], _MOBILE_HINT, is_mobile)
    if "email" in out:
        cols.slow_where(out["email"], _MAIL_HINT, is_personal_mail)


def _provider(cols: _Columns, out: dict) -> None:
    own, kvk = cols.get("provider_id"), cols.get("kvk")
    if kvk is not None:
        from_kvk = cols.by_cell([k if not (own and own[i]) else "" for i, k in enumerate(kvk)],
                                _fail_if_none(kvk_provider_id))
        out["provider_id"] = [(own[i] if own and own[i] else v) for i, v in enumerate(from_kvk)]
    elif own is not None:
        out["provider_id"] = own
    lot = cols.get("lot")
    if lot is not None and "contract_id" in out:
        out["contract_id"] = [f"{c} (perceel {p})" if c and p else c for c, p in zip(out["contract_id"], lot)]


def _place(cols: _Columns, out: dict) -> None:
    postcodes = cols.get("postcode")
    if postcodes is not None:
        joined = "\x00" + "\x00".join(postcodes)
        if joined.count("\x00") == len(postcodes) and _CANONICAL_POSTCODES.fullmatch(joined):  # (no NUL in a cell)
            out["postcode"] = postcodes
        else:
            out["postcode"] = cols.by_cell(postcodes, _fail_if_none(postcode_value))
    codes = cols.get("municipality_code")
    if codes is not None:
        out["municipality_code"] = cols.by_cell(codes, _fail_if_none(lambda gm: getattr(municipality(gm), "code", None)))
    elif postcodes is not None:  # the postcode area tells
        out["municipality_code"] = cols.by_cell([p[:4] for p in out["postcode"]], _fail_if_none(municipality_of_postcode))


def _lists_and_flags(cols: _Columns, out: dict, tables, memo: dict) -> None:
    for name, table, _what in tables:
        column = cols.get(name)
        if column is not None:
            out[name] = cols.by_cell(column, _codes(table, memo, name))
    if (column := cols.get("specialisms")) is not None:
        out["specialisms"] = cols.by_cell(column, list_values)
    if (column := cols.get("wheelchair_accessible")) is not None:
        out["wheelchair_accessible"] = cols.by_cell(column, _fail_if_none(parse_yes_no))
    for name in DATE_FIELDS:
        if (column := cols.get(name)) is not None:
            out[name] = cols.by_cell(column, _date(memo, name))
    for name in COUNT_FIELDS:
        if (column := cols.get(name)) is not None:
            out[name] = cols.by_cell(column, _count)
    if "bw_capacity" in out and "bw_occupancy" in out:  # occupancy above capacity: the row way says so
        cols.slow.update(i for i, (cap, occ) in enumerate(zip(out["bw_capacity"], out["bw_occupancy"]))
                         if isinstance(cap, int) and isinstance(occ, int) and cap < occ)
    if (column := cols.get("position_precision")) is not None:
        out["position_precision"] = cols.by_cell(column, _fail_if_none(precision_value))


def _own_lists(column: list) -> list:
    """Each row its own list (rows with one cell would share the parsed one; a change to one row's list
    must not change another's)."""
    return [v.copy() if v.__class__ is list else v for v in column]


def _coordinates(cols: _Columns) -> list:
    count = cols.count
    lat, lon = cols.get("lat"), cols.get("lon")
    coords: list = [None] * count
    if lat is not None or lon is not None:
        lat, lon = lat or [""] * count, lon or [""] * count
        lats, lons = _numbers(cols, lat), _numbers(cols, lon)
        if count and "" not in lat and "" not in lon and "" not in lats and "" not in lons:
            inside = _in_netherlands(np.array(lons), np.array(lats))  # every row has both: looked at at once
            if inside.all():
                return list(zip(lons, lats))
        for i, (y, x) in enumerate(zip(lats, lons)):
            if y == "" and x == "" and not lat[i] and not lon[i]:
                continue
            if y == "" or x == "" or not in_netherlands(x, y):
                cols.slow.add(i)
            else:
                coords[i] = (x, y)
    for name in ("x", "y"):  # RD coordinates where no latitude and longitude are given: the row way
        if (column := cols.get(name)) is not None:
            cols.slow.update(i for i, c in enumerate(column) if c and coords[i] is None)
    return coords


def _in_netherlands(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """`geo.in_netherlands` for many points."""
    return (NL_LON[0] <= lon) & (lon <= NL_LON[1]) & (NL_LAT[0] <= lat) & (lat <= NL_LAT[1])


def convert(columns: list[list[str]], mapping: dict[str, int], present: frozenset, tables, memo: dict,
            slow_rows: set[int], line_breaks: bool = True) -> Plain | None:
    """Return the values of the data rows as columns (`Plain`), with the rows their own cells do not settle
    (see the module's text) marked slow; `slow_rows` are rows known to need the row way (a formula without
    a value); `line_breaks` False when the reader knows no cell holds one. None when the sheet maps a field
    this module has no rule for: every row then goes the row way."""
    if not set(mapping) <= HANDLED:
        return None
    count = len(columns[0]) if columns else 0
    cols = _Columns(columns, mapping, count)
    cols.slow.update(slow_rows)
    out: dict[str, list] = {}
    ids = cols.get("id")
    if ids is not None and "" in ids:
        cols.slow.update(i for i, c in enumerate(ids) if not c)  # 'locatiecode is leeg'
    _texts(cols, out, line_breaks)
    _provider(cols, out)
    _house(cols, out)
    _place(cols, out)
    _lists_and_flags(cols, out, tables, memo)
    coords = _coordinates(cols)
    ids = ids if ids is not None else [""] * count
    sparse = [name for name, column in out.items() if _has_empty(column) or name in HOUSE_FIELDS and _EMPTY_TEXT in column]
    lists = {name for name in (*(name for name, _table, _what in tables), "specialisms") if name in out}
    return Plain(cols.slow, coords, _empties(out, sparse, present, count), ids, out, sparse, lists)


@lru_cache(maxsize=64)
def _maker(names: tuple[str, ...]):
    """A function of one argument per name that returns {name: argument, ...}: a dict display, which Python
    builds at its full size at once (our field names only, never a header of a file)."""
    assert all(name.isidentifier() for name in names)
    arguments = ", ".join(f"v{i}" for i in range(len(names)))
    return eval(f"lambda {arguments}: {{{', '.join(f'{name!r}: v{i}' for i, name in enumerate(names))}}}")  # noqa: S307


def _assemble(ids: list[str], out: dict[str, list], sparse: list[str]) -> list[dict]:
    """One dict per row: the id, then every field with a value (empty ones left out)."""
    full = [name for name in out if name not in sparse]
    values = list(map(_maker(("id", *full)), ids, *(out[name] for name in full)))
    for name in sparse:
        column = out[name]
        if _EMPTY_TEXT in column:
            column = ["" if v is _EMPTY_TEXT else v if v != "" else None for v in column]
            for row, value in zip(values, column):
                if value is not None:
                    row[name] = value
            continue
        for row, value in zip(values, column):
            if value != "":
                row[name] = value
    return values


def _empties(out: dict[str, list], sparse: list[str], present: frozenset, count: int) -> list[frozenset]:
    """Per row the fields of the file's columns it leaves empty (a house number states its letter and
    addition too), one shared frozenset per pattern of empty cells."""
    masks = np.zeros(count, dtype=np.int64)
    for bit, name in enumerate(sparse[:62]):
        masks |= np.equal(np.array(out[name], dtype=object), "").astype(np.int64) << bit
    masks = masks.tolist()
    for bit, name in enumerate(sparse[62:], start=62):  # more empty-able fields than bits: the rest one by one
        for i, value in enumerate(out[name]):
            if value == "":
                masks[i] |= 1 << bit
    always = present - set(out) - {"id"}  # the id is always a value (derived ones are filled in later)
    patterns: dict[int, frozenset] = {}
    for mask in set(masks):
        missing = {name for bit, name in enumerate(sparse) if mask >> bit & 1}
        empty = always | (present & missing)
        if "house_number" in out and "house_number" not in missing:
            empty -= set(HOUSE_FIELDS)
        patterns[mask] = frozenset(empty)
    return [patterns[m] for m in masks]
