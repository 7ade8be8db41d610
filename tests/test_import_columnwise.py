"""The column-by-column reading gives what the row-by-row reading gives, on messy files.

The row-by-row conversion (`read_rows(..., force_rows=True)`) and Python's csv module are the
references: every rule of the importer is written for one row, and the hand-written ground truths of
the import corpus and the contract exports hold it (tests/test_import_corpus.py, test_contract_export.py).
Here both ways read the same files, made at random from cells a data manager meets (good ones, bad ones,
ones a rule moves to another field), and must agree on every row, value, note, error and count.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.importer import read
from wmo_kaart.core.importer.convert import read_rows
from wmo_kaart.core.importer.read import SpreadsheetError, read_workbook

TODAY = "2026-11-28"
FIXTURES = Path(__file__).parent / "fixtures"

# header -> cells of that column, good and bad (fictional values; real postcodes and municipalities of the region)
CELLS = {
    "Locatiecode": ["LOC-0001", "LOC-0002", "loc-0002", "LOC-0003", "LOC-0004", "", "Totaal", "LOC-0005 ", "LOC-0006"],
    "Aanbieder": ["Stichting Linde (fictief)", "Zorg BV (fictief)", "", "Totaal", "Linde"],
    "KvK-nummer": ["09876543", "9876543", "123456789", "", "KvK 0987 6543", "abc"],
    "Locatie": ["De Linde", "Het Anker", "", "De Linde\nachterhuis", "Aantal records: 3"],
    "Straat": ["Lindelaan", "Lindelaan 128 a", "Kerkstraat 3", "", "Molenweg"],
    "Huisnummer": ["12", "12a", "12-3", "12 bis", "0", "abc", "", "7 A"],
    "Huisletter": ["", "", "A", "b", "AB"],
    "Toevoeging": ["", "", "3", "bis", "toolong"],
    "Postcode": ["5341 AB", "5341AB", "5341-ab", "1234 SA", "99999", "", "5038 AA", "5361 AA", "5341 AB\x005342 CD"],
    "Plaats": ["Oss", "Tilburg", "", "Grave"],
    "Gemeente": ["Oss", "GM0828", "Atlantis", "", "0855"],
    "Zorgvorm": ["07A01 Dagbesteding groep", "Dagbesteding", "onbekend product", "07A01; 02A08", "", "15 Beschermd wonen",
                 "02A08 Begeleiding individueel"],
    "Doelgroep": ["", "ouderen", "onbekende groep", "ouderen; lvb"],
    "Telefoon": ["0412 123456", "06-12345678", "+31 6 12345678", "", "0412-650000", "013 1234567"],
    "E-mail": ["info@linde.example", "j.jansen@linde.example", "", "jan.de.vries@linde.example"],
    "Website": ["www.linde.example", "https://linde.example", "", "ftp://linde.example"],
    "Einddatum": ["31-12-2027", "2027-12-31", "46387", "31 dec 2027", "morgen", "", "2020-01-01", "2027-12-31T00:00:00"],
    "Capaciteit": ["10", "-1", "1.000", "x", "", "12"],
    "Bezetting": ["5", "100 %", "12", "", "50%", "3"],
    "Peildatum": ["2026-10-01", "", "gisteren"],
    "Breedtegraad": ["51,765", "51.765", "", "abc", "10", "51,7", "51.5"],
    "Lengtegraad": ["5,518", "5.518", "", "5,6", "1", "5.1"],
    "X": ["", "162170", "abc", "162.170,5"],
    "Y": ["", "416300", "900000"],
    "Rolstoeltoegankelijk": ["ja", "nee", "misschien", "", "x"],
    "Specialisme": ["autisme; NAH", "", "autisme\nNAH", ";"],
    "Nauwkeurigheid positie": ["", "pc6", "onzin"],
    "Perceel": ["1", "", "2"],
    "Contractnummer": ["DO-2026-001", "", "DO-2026-002", "DO-2026-001\nDO-2026-003"],
    "Contactpersoon": ["", "J. Jansen"],
    "Telefoon contactpersoon": ["", "06-99999999"],
    "Openingstijden": ["", "ma-vr 9-17"],
    "Vrije plaatsen": ["", "3", "-2"],
    "AGB-code vestiging": ["", "12345678", "1234 5678"],
}
ALWAYS = ["Aanbieder", "Postcode", "Huisnummer"]


def _snapshot(rows, report) -> tuple:
    return ([(r.sheet, r.number, r.values, set(r.present), set(r.empty), r.columns, r.coords, r.key, r.subs, r.rows,
              r.conflict) for r in rows], report.as_json())


def _both_ways(raw: bytes) -> tuple:
    try:
        workbook = read_workbook(raw)
    except SpreadsheetError:
        return None, None
    catalog = default_catalog()
    return (_snapshot(*read_rows(workbook, catalog, today=TODAY)),
            _snapshot(*read_rows(workbook, catalog, today=TODAY, force_rows=True)))


def _messy_file(rnd: random.Random, rows: int, plain: float) -> bytes:
    """A file with some of the columns, in any order; each cell the first (good) one of its column with
    chance `plain`, any of them otherwise."""
    headers = [h for h in CELLS if h in ALWAYS or rnd.random() < 0.45]
    if rnd.random() < 0.3 and "Locatiecode" in headers:
        headers.remove("Locatiecode")  # a contract export: the establishment is the location
    rnd.shuffle(headers)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=rnd.choice(";,\t"))
    if rnd.random() < 0.3:
        writer.writerow(["Overzicht vestigingen (fictief)"])
    writer.writerow(headers)
    for n in range(rows):
        writer.writerow([(f"LOC-{n:04d}" if h == "Locatiecode" else CELLS[h][0]) if rnd.random() < plain
                         else rnd.choice(CELLS[h]) for h in headers])
    if rnd.random() < 0.3:
        writer.writerow(["Totaal", str(rows)])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("seed", range(80))
def test_column_and_row_ways_agree_on_random_messy_files(seed, monkeypatch):
    from wmo_kaart.core.importer import columnwise

    if seed % 2:  # the rows' dicts made all at once from the first row asked (else one by one: files are short)
        monkeypatch.setattr(columnwise, "ONE_BY_ONE", 0)
    rnd = random.Random(seed)
    raw = _messy_file(rnd, rnd.randint(1, 40), plain=rnd.choice([0.0, 0.5, 0.9, 0.98]))
    columnwise, rowwise = _both_ways(raw)
    assert columnwise == rowwise


def test_column_and_row_ways_agree_on_every_fixture():
    compared = 0
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".xlsx", ".xls", ".ods", ".txt", ".geojson"):
            columnwise, rowwise = _both_ways(path.read_bytes())
            assert columnwise == rowwise, path.name
            compared += columnwise is not None
    assert compared >= 10


def test_a_clean_file_goes_the_column_way_whole():
    """No row of a clean file needs the row way; the values are the cells (a check the test can fail:
    the row way leaves `Plain` out)."""
    raw = ("Locatiecode;Aanbieder;Straat;Huisnummer;Postcode;Plaats;Zorgvorm;Breedtegraad;Lengtegraad\n"
           "LOC-1;Linde (fictief);Lindelaan;12a;5341 AB;Oss;07A01 Dagbesteding groep;51,765;5,518\n"
           "LOC-2;Linde (fictief);Kerkstraat;3;5341AB;Oss;Dagbesteding;51.7;5.5\n").encode()
    rows, report = read_rows(read_workbook(raw), default_catalog(), today=TODAY)
    assert [r.id for r in rows] == ["LOC-1", "LOC-2"]
    assert rows[0].values["house_number"] == "12" and rows[0].values["house_letter"] == "A"
    assert rows[1].values["postcode"] == "5341 AB" and rows[1].values["municipality_code"] == "GM0828"
    assert rows[0].coords == (5.518, 51.765) and rows[1].coords == (5.5, 51.7)
    assert rows[0].values["care_types"] == ["07"] and rows[0].values["care_types"] is not rows[1].values["care_types"]
    assert report.accounting() == {"rows": 2, "accepted": 2, "combined": 0, "rejected": 0}


def test_a_sheet_counts_every_cell_that_holds_something():
    """The values a sheet's report counts are its non-empty cells (and formulas), counted here cell by cell,
    on every fixture and on random messy files (the reader counts them from its column reports)."""
    workbooks = [p.read_bytes() for p in sorted(FIXTURES.rglob("*"))
                 if p.is_file() and p.suffix in (".csv", ".xlsx", ".xls", ".ods", ".txt")]
    workbooks += [_messy_file(random.Random(3000 + seed), 30, plain=0.5) for seed in range(40)]
    counted = 0
    for raw in workbooks:
        try:
            workbook = read_workbook(raw)
        except SpreadsheetError:
            continue
        _rows, report = read_rows(workbook, default_catalog(), today=TODAY)
        by_name = {s.name: s for s in workbook.sheets}
        for sheet_report in report.sheets:
            sheet = by_name[sheet_report.name]
            cells = sum(1 for _n, row in sheet.rows for cell in row if cell) + len(sheet.formulas)
            assert sheet_report.values == cells, sheet_report.name
            counted += sheet_report.read
    assert counted > 15


@pytest.mark.parametrize("seed", range(30))
def test_a_new_location_merges_as_one_stored_without_properties(seed):
    """`merge_properties` makes a new location in one step; the rules for a stored one (here with no
    properties at all) are the reference, on the rows of random messy files."""
    from wmo_kaart.core.changes import merge_properties

    rnd = random.Random(2000 + seed)
    try:
        workbook = read_workbook(_messy_file(rnd, rnd.randint(1, 40), plain=rnd.choice([0.0, 0.5, 0.9])))
    except SpreadsheetError:
        return
    rows, _report = read_rows(workbook, default_catalog(), today=TODAY)
    from wmo_kaart.core.importer.convert import ImportedRow

    made = ImportedRow("", 2, {"id": "LOC-1", "house_number": "12", "house_letter": "A", "city": ""},
                       frozenset({"id", "house_number", "city"}), frozenset({"city"}), {})
    assert merge_properties(None, made, False) == {"id": "LOC-1", "house_number": "12", "house_letter": "A"}
    for row in [*rows, made]:
        for clear in (False, True):
            assert merge_properties(None, row, clear) == merge_properties({}, row, clear)


@pytest.mark.parametrize("seed", range(40))
def test_a_row_answers_before_its_values_are_made_as_they_say_after(seed):
    """A row the column way read has its dict of values made when first asked for; what it answers before
    (its id, `value(name)`) is what that dict says, and the dicts of a sheet are made once, together."""
    from wmo_kaart.core.schema import FIELDS

    rnd = random.Random(1000 + seed)
    raw = _messy_file(rnd, rnd.randint(1, 40), plain=rnd.choice([0.5, 0.9, 1.0]))
    try:
        workbook = read_workbook(raw)
    except SpreadsheetError:
        return
    rows, _report = read_rows(workbook, default_catalog(), today=TODAY)
    names = [f.name for f in FIELDS] + ["kvk", "lot"]
    before = [(r.id, {name: r.value(name) for name in names}) for r in rows]
    after = [(r.id, {name: r.values.get(name) for name in names}) for r in rows]
    assert before == after
    lists = [v for r in rows for v in r.values.values() if isinstance(v, list)]
    assert len({id(v) for v in lists}) == len(lists)  # each row its own lists


def test_the_values_of_a_clean_sheet_are_made_when_asked_for(monkeypatch):
    """Reading a clean file makes no dict per row; the first rows asked get one each (rows that combine
    while a sheet is read), and after a few all rows get theirs at once, once."""
    from wmo_kaart.core.importer import columnwise

    made = []
    assemble = columnwise._assemble
    monkeypatch.setattr(columnwise, "_assemble", lambda *a: made.append(1) or assemble(*a))
    raw = ("Locatiecode;Aanbieder;Huisnummer;Postcode;Zorgvorm;Einddatum\n"
           + "".join(f"LOC-{n};Linde (fictief);{n};5341 AB;07A01;2020-01-0{1 + n % 2}\n" for n in range(1, 201))).encode()
    rows, report = read_rows(read_workbook(raw), default_catalog(), today=TODAY)
    assert made == [] and len(report.ended) == 200  # the ended contracts were found without the dicts
    assert report.ended[0] == {"sheet": "", "row": 2, "id": "LOC-1", "contract_id": None, "care_types": ["07"],
                               "end": "2020-01-02"}
    one_by_one = [row.values for row in rows[:columnwise.ONE_BY_ONE]]
    assert made == [] and one_by_one[7]["house_number"] == "8" and one_by_one[0]["care_types"] == ["07"]
    assert [row.values["house_number"] for row in rows] == [str(n) for n in range(1, 201)]
    assert made == [1]


def _csv_cells(rnd: random.Random) -> str:
    pieces = ["a", "b", " ", " ", '"', ";", ";", ",", "\n", "\r", "\r\n", "\t", "\u00a0", "x y", "  ", '""', "é", "\u2009",
              "\x0c", "; ", ' "', '" ']
    return "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60)))


@pytest.mark.parametrize("seed", range(600))
def test_pandas_and_the_csv_module_split_a_text_alike(seed):
    """pandas' C parser (fast) and Python's csv module (the reference) give the same rows; where pandas
    reads a text otherwise (a quote that does not close), the reader falls back to the csv module."""
    rnd = random.Random(seed)
    text = _csv_cells(rnd)
    by_columns = read._rows_by_columns(text, ";", 1)
    by_bytes = read._rows_by_columns(text, ";", 1, text.encode("utf-8"), "utf-8")
    assert (list(by_columns) if by_columns else None) == (list(by_bytes) if by_bytes else None)
    try:
        by_line = read._rows_by_line(text, ";", 1)
    except SpreadsheetError:
        by_line = None
    if by_columns is None:
        return  # the csv module reads it
    trimmed = [(n, cells[:max([i + 1 for i, c in enumerate(cells) if c], default=0)]) for n, cells in by_columns]
    assert by_line is not None
    assert trimmed == [(n, cells[:max([i + 1 for i, c in enumerate(cells) if c], default=0)]) for n, cells in by_line]


def test_a_row_wider_than_those_above_it_loses_no_cell():
    """pandas cuts a row wider than the columns it was told of with only a warning: the reader counts
    again, or lets the csv module read the file."""
    lines = ["Locatiecode;Aanbieder;Postcode"] + [f"LOC-{n:05d};Linde (fictief);5341 AB" for n in range(3000)]
    lines.append("LOC-99999;Linde (fictief);5341 AB;extra;nog een")  # beyond the first 64 KB the width is taken from
    workbook = read_workbook("\n".join(lines).encode())
    number, cells = workbook.sheets[0].rows[-1]
    assert number == 3002 and cells[:5] == ["LOC-99999", "Linde (fictief)", "5341 AB", "extra", "nog een"]
    multi_line = 'Locatiecode;Aanbieder\n"LOC-1\nb";x;y;z\n'  # a quoted line break: one row over two lines
    number, cells = read_workbook(multi_line.encode()).sheets[0].rows[-1]
    assert number == 2 and cells[:4] == ["LOC-1\nb", "x", "y", "z"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_every_encoding_reads_as_the_csv_module_reads_it(encoding):
    """UTF-8 (with and without its mark), Windows-1252 and Excel's UTF-16 'Unicode text', with an Excel
    'sep=;' line: the cells, row numbers and encoding as Python's csv module gives them."""
    text = ('sep=;\nLocatiecode;Naam;Plaats\nLOC-1;Café € "De Linde";Oss\n\nLOC-2;"Twee\nregels";\'s-Hertogenbosch\n'
            'LOC-3;  ruimte  ;Grave\n')
    raw = text.replace('"De Linde"', "De Linde").encode(encoding)
    workbook = read_workbook(raw)
    decoded = raw.decode("utf-16" if encoding == "utf-16" else "utf-8-sig" if encoding.startswith("utf-8") else encoding)
    by_line = read._rows_by_line(decoded.partition("\n")[2], ";", 2)
    assert list(workbook.sheets[0].rows) == [(n, cells + [""] * (3 - len(cells))) for n, cells in by_line]
    assert workbook.sheets[0].rows[2] == (5, ["LOC-2", "Twee\nregels", "'s-Hertogenbosch"])  # a record counts once
    assert workbook.encoding == {"utf-8-sig": "utf-8"}.get(encoding, encoding)


def test_a_cell_holding_a_nul_is_not_taken_for_two_cells():
    """The column way looks at a column joined by NUL: a NUL inside a cell must not make one bad
    postcode look like two good ones."""
    good = "".join(f"LOC-{n};Linde (fictief);5341 AB;{n}\n" for n in range(1, 201))  # a NUL in the first 4 KB: no CSV
    raw = ("Locatiecode;Aanbieder;Postcode;Huisnummer\n" + good + "LOC-999;Linde (fictief);5341 AB\x005342 CD;2\n").encode()
    columnwise, rowwise = _both_ways(raw)
    assert columnwise == rowwise
    rows, report = read_rows(read_workbook(raw), default_catalog(), today=TODAY)
    assert len(rows) == 200 and [(e.row, e.column) for e in report.errors] == [(202, "Postcode")]


@pytest.mark.parametrize(("cell", "provider_id"), [
    ("09876543", "KVK-09876543"), ("9876543", "KVK-09876543"), ("KvK 0987 6543", "KVK-09876543"),
    ("123456789", None), ("abc", None), ("", None)])
def test_a_kvk_number_is_at_most_eight_digits(cell, provider_id):
    """A KvK number shown without its leading zero is one; nine digits is none, refused in the file's words,
    both ways."""
    from wmo_kaart.core.importer.cells import kvk_provider_id

    assert kvk_provider_id(cell) == provider_id
    raw = f"KvK-nummer;Aanbieder;Postcode;Huisnummer\n{cell};Linde (fictief);5341 AB;12\n".encode()
    for force in (False, True):
        rows, report = read_rows(read_workbook(raw), default_catalog(), today=TODAY, force_rows=force)
        if provider_id is None and cell:
            assert rows == [] and [(e.row, e.column) for e in report.errors] == [(2, "KvK-nummer")]
        elif provider_id:
            assert rows[0].values["provider_id"] == provider_id
