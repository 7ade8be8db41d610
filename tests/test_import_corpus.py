"""Ten realistic spreadsheets: the import matches the hand-written ground truth, and every value in
every file is either imported or named in the report (zero silent losses)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.geo import to_rd
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.service import ImportOptions, run_import

CORPUS = Path(__file__).parent / "fixtures" / "import_corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv", ".xlsx"))
EMPTY = {"type": "FeatureCollection", "features": []}
DERIVED = {"lat", "lon", "x", "y", "kvk"}  # fields that feed the geometry or another field


def raw_cells(path: Path) -> dict[tuple[str, int, str], str]:
    """Read every non-empty cell independently of the importer: {(sheet, row, column letter): text}."""
    cells = {}
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, data_only=False)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None and str(cell.value).strip():
                        cells[(sheet.title, cell.row, cell.column_letter)] = str(cell.value)
        return cells
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    delimiter = "\t" if path.suffix == ".tsv" else (";" if ";" in text.splitlines()[0] else ",")
    for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        for i, value in enumerate(row):
            if value.replace("\u00a0", " ").strip():
                cells[("", n, get_column_letter(i + 1))] = value
    return cells


def run(path: Path):
    return run_import(path.read_bytes(), path.name, default_catalog(), GeocoderChain(), EMPTY,
                      options=ImportOptions(partial=True)).report


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_import_matches_ground_truth(path):
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    report = run(path)
    features = {f["properties"]["id"]: f for f in report.features}
    assert set(features) == set(truth["locations"])
    for fid, expected in truth["locations"].items():
        feature = features[fid]
        for name, value in expected.items():
            if name == "coordinates":
                assert feature["geometry"]["coordinates"] == pytest.approx(value, abs=1e-6)
            elif name == "rd":
                x, y = to_rd(*feature["geometry"]["coordinates"])
                assert (float(x), float(y)) == pytest.approx(value, abs=1.0)
            else:
                assert feature["properties"].get(name) == value, (fid, name)
    assert [s.name for s in report.sheets if not s.read] == truth["skipped_sheets"]
    assert [[s.name, t["row"]] for s in report.sheets for t in s.title_rows] == truth["title_rows"]
    assert [[s.name, t["row"]] for s in report.sheets for t in s.totals_rows] == truth["totals_rows"]
    assert [[e.sheet, e.row, e.column] for e in report.errors] == truth["rejected_rows"]
    assert [[c["sheet"], c["row"], c["into_row"]] for c in report.combined_rows] == truth["combined_rows"]
    assert [[sheet, c.letter, c.header] for sheet, c in report.ignored_columns()] == truth["ignored_columns"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_value_is_imported_or_named_in_the_report(path):
    report = run(path)
    cells = raw_cells(path)
    sheets = {s.name: s for s in report.sheets}
    named_rows = {(s.name, t["row"]) for s in report.sheets for t in [*s.title_rows, *s.totals_rows]}
    named_rows |= {(s.name, s.header_row) for s in report.sheets if s.read}
    named_rows |= {(e.sheet, e.row) for e in report.errors}
    named_rows |= {(c["sheet"], c["row"]) for c in report.combined_rows}
    ignored = {(sheet, c.letter) for sheet, c in report.ignored_columns()}
    features = {f["properties"]["id"]: f for f in report.features}
    silent = []
    for (sheet, row, col), value in cells.items():
        report_sheet = sheets[sheet]
        if not report_sheet.read or (sheet, row) in named_rows or (sheet, col) in ignored:
            continue
        columns = {c.letter: c for c in report_sheet.columns}
        id_letter = next(c.letter for c in report_sheet.columns if c.field == "id")
        fid = cells.get((sheet, row, id_letter))
        column = columns.get(col)
        if fid in features and column is not None and column.field:
            landed = column.field in DERIVED or features[fid]["properties"].get(column.field) not in (None, "", [])
            if landed:
                continue
        silent.append((sheet, row, col, value))
    assert silent == [], "values neither imported nor named in the report"
    assert sum(s.values for s in report.sheets) == len(cells), "the report counts every value of the file"


def test_corpus_is_what_the_generator_writes(tmp_path, monkeypatch):
    """The committed spreadsheets are reproducible from make_corpus.py (text files byte for byte)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for path in FILES:
        if path.suffix != ".xlsx":
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
        else:
            assert raw_cells(tmp_path / path.name) == raw_cells(path), path.name
