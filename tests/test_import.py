"""Spreadsheet import: messy files as Dutch offices make them, rejections, merge, dry run."""

from __future__ import annotations

import csv
import io
import json

import pytest

from wmo_kaart.cli import main
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.geo import to_rd
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.service import run_import

EMPTY = {"type": "FeatureCollection", "features": []}

BASE = {"Locatiecode": "A1", "Aanbiedercode": "P1", "Aanbieder": "Zorg Eén (demo)", "Locatienaam": "Huis Eén",
        "Straat": "Kerkstraat", "Huisnummer": "12", "Postcode": "5341 AB", "Plaats": "Oss", "Gemeente": "GM0828",
        "Zorgvorm": "07", "Breedtegraad": "51.7650", "Lengtegraad": "5.5180"}


def csv_bytes(rows: list[dict], sep: str = ";", encoding: str = "utf-8", bom: bool = False) -> bytes:
    out = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=fields, delimiter=sep, restval="")
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def convert(data: bytes):
    """Import `data` as new locations (no stored data) and return the report."""
    return run_import(data, "test.csv", default_catalog(), GeocoderChain(), EMPTY).report


def with_(**changes) -> dict:
    row = dict(BASE)
    for key, value in changes.items():
        key = key.replace("_", " ")
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    return row


def _rd(lon, lat):
    x, y = to_rd(lon, lat)
    return f"{float(x):.1f}".replace(".", ","), f"{float(y):.1f}".replace(".", ",")


RD_X, RD_Y = _rd(5.5180, 51.7650)

# (description, file bytes, expected properties of the single accepted feature)
MESSY = [
    ("semicolons", csv_bytes([BASE]), {"id": "A1", "postcode": "5341 AB"}),
    ("commas", csv_bytes([BASE], sep=","), {"id": "A1"}),
    ("utf-8 with BOM", csv_bytes([BASE], bom=True), {"provider_name": "Zorg Eén (demo)"}),
    ("windows-1252", csv_bytes([BASE], encoding="cp1252"), {"provider_name": "Zorg Eén (demo)"}),
    ("decimal commas", csv_bytes([with_(Breedtegraad="51,7650", Lengtegraad="5,5180")]), {"coordinates": [5.518, 51.765]}),
    ("postcode without space, lower case", csv_bytes([with_(Postcode="5341ab")]), {"postcode": "5341 AB"}),
    ("house number 12a", csv_bytes([with_(Huisnummer="12a")]), {"house_number": "12", "house_letter": "A"}),
    ("house number 12-3", csv_bytes([with_(Huisnummer="12-3")]), {"house_number": "12", "house_addition": "3"}),
    ("house number 12 bis", csv_bytes([with_(Huisnummer="12 bis")]), {"house_number": "12", "house_addition": "bis"}),
    ("separate addition column", csv_bytes([{**BASE, "Toevoeging": "B"}]), {"house_number": "12", "house_addition": "B"}),
    ("addition 3 is not glued", csv_bytes([{**BASE, "Toev.": "3"}]), {"house_number": "12", "house_addition": "3"}),
    ("separate letter column", csv_bytes([{**BASE, "Huisletter": "a"}]), {"house_number": "12", "house_letter": "A"}),
    ("RD New x/y", csv_bytes([{**with_(Breedtegraad=None, Lengtegraad=None), "X": RD_X, "Y": RD_Y}]),
     {"coordinates": [5.518, 51.765]}),
    ("no coordinates: geocoded", csv_bytes([with_(Breedtegraad=None, Lengtegraad=None)]), {"geocoded": True}),
    ("care type names", csv_bytes([with_(Zorgvorm="Dagbesteding")]), {"care_types": ["07"]}),
    ("care type variant", csv_bytes([with_(Zorgvorm="dagbesteding groep")]), {"care_types": ["07"]}),
    ("BW abbreviation", csv_bytes([with_(Zorgvorm="BW")]), {"care_types": ["15"]}),
    ("several in one cell", csv_bytes([with_(Zorgvorm="Beschermd wonen; Dagbesteding, Kortdurend verblijf")]),
     {"care_types": ["15", "07", "04"]}),
    ("full catalog label with a slash", csv_bytes([with_(Zorgvorm="Begeleiding / individuele ondersteuning")]),
     {"care_types": ["02"]}),
    ("municipality by name", csv_bytes([with_(Gemeente="Oss")]), {"municipality_code": "GM0828"}),
    ("no municipality column: from postcode", csv_bytes([with_(Gemeente=None)]), {"municipality_code": "GM0828"}),
    ("provider by KvK number", csv_bytes([{**with_(Aanbiedercode=None), "KvK-nummer": "12345678"}]),
     {"provider_id": "KVK-12345678"}),
    ("other column order and header variants",
     csv_bytes([{"Plaatsnaam": "Oss", "Zorgvormen": "7", "Vestigingsnaam": "Huis Eén", "PC": "5341AB", "Straatnaam": "Kerkstraat",
                 "Huisnr": "12", "Zorgaanbieder": "Zorg Eén (demo)", "Vestigingscode": "A1", "Aanbiedercode": "P1",
                 "Lat": "51.765", "Lon": "5.518"}]), {"id": "A1", "care_types": ["07"], "city": "Oss"}),
    ("XLSX", xlsx_bytes([BASE]), {"id": "A1"}),
    ("XLSX with numbers as numbers", xlsx_bytes([{**BASE, "Breedtegraad": 51.765, "Lengtegraad": 5.518, "Huisnummer": 12}]),
     {"house_number": "12", "coordinates": [5.518, 51.765]}),
]


@pytest.mark.parametrize(("label", "data", "expected"), MESSY, ids=[m[0] for m in MESSY])
def test_messy_input_is_understood(label, data, expected):
    report = convert(data)
    assert report.errors == [] and len(report.features) == 1, report.errors
    feature = report.features[0]
    props = feature["properties"]
    for key, value in expected.items():
        if key == "coordinates":
            assert feature["geometry"]["coordinates"] == pytest.approx(value, abs=2e-5)
        elif key == "geocoded":
            assert report.geocoded == 1
        else:
            assert props[key] == value


REJECTS = [
    (with_(Postcode="5341-ABC"), "Postcode", "'5341-ABC' is geen geldige postcode"),
    (with_(Postcode=""), "Postcode", "verplicht veld ontbreekt"),
    (with_(Zorgvorm="Zwemles"), "Zorgvorm", "onbekende zorgvorm 'Zwemles'"),
    (with_(Gemeente="Amsterdam"), "Gemeente", "onbekende gemeente 'Amsterdam'"),
    (with_(Huisnummer="twaalf"), "Huisnummer", "'twaalf' is geen huisnummer"),
    (with_(Breedtegraad="48,85", Lengtegraad="2,35"), "Breedtegraad", "liggen buiten Nederland"),
    (with_(Breedtegraad="noord"), "Breedtegraad", "moeten allebei een getal zijn"),
    ({**BASE, "Capaciteit": "8", "Bezetting": "9"}, "Bezetting", "bezetting (9) is hoger dan de capaciteit (8)"),
    ({**BASE, "Capaciteit": "acht"}, "Capaciteit", "'acht' is geen geheel getal"),
    ({**BASE, "Einddatum": "31-02-2027"}, "Einddatum", "'31-02-2027' is geen datum"),
    ({**BASE, "Rolstoeltoegankelijk": "misschien"}, "Rolstoeltoegankelijk", "'misschien' is geen ja of nee"),
    (with_(Aanbiedercode=""), "Aanbiedercode", "verplicht veld ontbreekt"),
    ({**BASE, "Toevoeging": "12345"}, "Toevoeging", "'12345' is geen geldige toevoeging"),
    ({**BASE, "Huisnummer": "12a", "Huisletter": "b"}, "Huisletter", "spreekt het huisnummer '12a' tegen"),
]


@pytest.mark.parametrize(("row", "column", "message"), REJECTS)
def test_rejected_rows_name_row_column_and_reason(row, column, message):
    report = convert(csv_bytes([BASE | {"Locatiecode": "OK"}, row]))
    assert [f["properties"]["id"] for f in report.features] == ["OK"]
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message


def test_repeated_location_code_with_other_values_is_refused():
    """Both rows are named and neither is published: the first never disappears without a word."""
    report = convert(csv_bytes([BASE, with_(Locatienaam="Ander huis")]))
    assert [(e.row, e.column) for e in report.errors] == [(3, "Locatienaam"), (2, "Locatienaam")]
    assert "staat ook in rij 2" in report.errors[0].message and "staat ook in rij 3" in report.errors[1].message
    assert report.features == [] and report.accounting() == {"rows": 2, "accepted": 0, "combined": 0, "rejected": 2}


def test_one_product_per_row_is_combined_into_one_location():
    report = convert(csv_bytes([BASE, with_(Zorgvorm="Kortdurend verblijf"), with_(Zorgvorm="BW")]))
    assert report.errors == [] and len(report.features) == 1
    assert report.features[0]["properties"]["care_types"] == ["07", "04", "15"]
    assert [(c["row"], c["into_row"]) for c in report.combined_rows] == [(3, 2), (4, 2)]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Het bestand is leeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "geen CSV-, XLSX-, ODS- of XLS-bestand"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Het XLS-bestand kan niet worden gelezen"),
    (b"PK\x03\x04broken", "beschadigd"),
    ("Naam;Adres\nx;y\n".encode(), "geen werkblad met een kopregel met een locatiecode of een aanbieder met adres"),
])
def test_unreadable_files(data, message):
    outcome = run_import(data, "x", default_catalog(), GeocoderChain(), EMPTY)
    assert outcome.collection is None and message in outcome.report.errors[0].message


def test_zip_bomb_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    outcome = run_import(out.getvalue(), "bom.xlsx", default_catalog(), GeocoderChain(), EMPTY)
    assert "te groot" in outcome.report.errors[0].message


@pytest.fixture
def published(tmp_path, monkeypatch):
    """Point the command line at a copy of the demo data with its own instance folder."""
    from tests.conftest import DEMO

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    monkeypatch.setenv("WMO_KAART_DATA", str(data))
    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "instance"))
    return data


def test_cli_report_json_and_strictness(published, tmp_path, capsys):
    src = tmp_path / "messy.csv"
    src.write_bytes(csv_bytes([BASE, with_(Locatiecode="A2", Postcode="5366 SS"), with_(Locatiecode="A3", Zorgvorm="?")]))
    before = published.read_bytes()
    assert main(["import", str(src), "--report", str(tmp_path / "report.json")]) == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["accepted"] == 1 and report["rejected"] == 2
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "Postcode"), (4, "Zorgvorm")]
    assert published.read_bytes() == before, "rejected rows: nothing published without --partial"
    assert "rij 3, kolom 'Postcode'" in capsys.readouterr().out


def test_cli_dry_run_writes_nothing(published, tmp_path):
    src = tmp_path / "ok.csv"
    src.write_bytes(csv_bytes([BASE]))
    before = published.read_bytes()
    assert main(["import", str(src), "--merge", "--dry-run"]) == 0
    assert published.read_bytes() == before
    from wmo_kaart.config import from_env, open_store

    store = open_store(from_env())
    assert [v.note for v in store.versions()] == ["gegevens vóór de eerste publicatie"]
    assert not store.dir.exists()  # shown as version 1, not written


def _tree(folder):
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))} if folder.exists() else None


@pytest.mark.parametrize("command", [["nearest", "--place", "Oss"], ["versions"], ["versions"]])
def test_read_only_commands_leave_the_instance_as_it_was(published, tmp_path, command, capsys):
    """On a fresh instance and after a publish: a command that only reads writes nothing, not a version,
    a BW history, a lock file or a folder; a hand edit of the data file is not published as 'systeem'."""
    instance = tmp_path / "instance"
    before = _tree(instance)
    assert main(command) == 0
    assert _tree(instance) == before and published.read_bytes() == DEMO_BYTES()
    src = tmp_path / "ok.csv"
    src.write_bytes(csv_bytes([BASE, with_(Locatiecode="LOC-0001", Locatienaam="Bijgewerkt")]))
    assert main(["import", str(src), "--merge", "--bevestig"]) == 0
    published.write_bytes(published.read_bytes().replace(b"Bijgewerkt", b"Met de hand"))
    before = _tree(instance)
    assert main(command) == 0
    assert _tree(instance) == before


def DEMO_BYTES():  # noqa: N802
    from tests.conftest import DEMO

    return DEMO.read_bytes()


def test_cli_replace_merge_versions_and_rollback(published, tmp_path, capsys):
    src = tmp_path / "ok.csv"
    src.write_bytes(csv_bytes([BASE, with_(Locatiecode="LOC-0001", Locatienaam="Bijgewerkt")]))
    original = published.read_bytes()
    assert main(["import", str(src), "--merge"]) == 0
    merged = json.loads(published.read_text())
    assert len(merged["features"]) == 281 and merged["metadata"]["demo"] is True
    assert next(f for f in merged["features"] if f["properties"]["id"] == "LOC-0001")["properties"]["name"] == "Bijgewerkt"
    assert main(["import", str(src)]) == 1, "replace removes 279 locations: refused without confirmation"
    assert len(json.loads(published.read_text())["features"]) == 281
    assert main(["import", str(src), "--bevestig"]) == 1, "and it shrinks the map by far more than 10 %"
    assert main(["import", str(src), "--bevestig", "--krimp-toestaan"]) == 0
    assert len(json.loads(published.read_text())["features"]) == 2
    capsys.readouterr()
    assert main(["versions"]) == 0
    listing = capsys.readouterr().out
    assert "gegevens vóór de eerste publicatie" in listing and "samenvoegen" in listing and "vervangen" in listing
    assert main(["rollback", "1", "--basis", "2"]) == 1, "version 3 is live now, not 2: look again"
    assert "gewijzigd" in capsys.readouterr().err
    assert main(["rollback", "1", "--basis", "3"]) == 0
    assert json.loads(published.read_bytes())["features"] == json.loads(original)["features"]  # stamped anew
    assert main(["rollback", "99"]) == 1


BW_BASE = {"Locatiecode": "LOC-0003", "Capaciteit": "12", "Bezetting": "11", "Peildatum": "15-11-2026"}


def test_bw_update_touches_only_bw_fields_and_keeps_history(published, tmp_path):
    before = {f["properties"]["id"]: f for f in json.loads(published.read_text())["features"]}
    target = next(i for i, f in before.items() if "15" in f["properties"]["care_types"])
    src = tmp_path / "bw.csv"
    src.write_bytes(csv_bytes([BW_BASE | {"Locatiecode": target}]))
    assert main(["import-bw", str(src)]) == 0
    after = {f["properties"]["id"]: f for f in json.loads(published.read_text())["features"]}
    changed = {i for i in before if before[i] != after[i]}
    assert changed == {target}
    diff = {k for k in after[target]["properties"] if after[target]["properties"][k] != before[target]["properties"].get(k)}
    assert diff <= {"bw_capacity", "bw_occupancy", "bw_updated"}
    assert after[target]["properties"]["bw_updated"] == "2026-11-15"
    from wmo_kaart.config import from_env, open_store

    rows = [r for r in open_store(from_env()).bw_history(target) if r.source == "bw.csv"]
    assert [(r.location_id, r.capacity, r.occupancy, r.as_of) for r in rows] == [(target, 12, 11, "2026-11-15")]
    assert rows[0].actor and rows[0].version == 2


@pytest.mark.parametrize(("row", "column", "message"), [
    (BW_BASE | {"Locatiecode": "NOPE"}, "Locatiecode", "onbekende locatiecode 'NOPE'"),
    (BW_BASE | {"Bezetting": "13"}, "Bezetting", "bezetting (13) is hoger dan de capaciteit (12)"),
    (BW_BASE | {"Peildatum": "november"}, "Peildatum", "'november' is geen datum"),
])
def test_bw_update_rejects(published, tmp_path, capsys, row, column, message):
    src = tmp_path / "bw.csv"
    src.write_bytes(csv_bytes([row]))
    before = published.read_bytes()
    assert main(["import-bw", str(src)]) == 1
    assert f"rij 2, kolom '{column}': {message}" in capsys.readouterr().out
    assert published.read_bytes() == before


def test_xlsx_is_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML, "install defusedxml so openpyxl refuses XML entity attacks"


def test_cli_hand_mapping_is_used_and_remembered(published, tmp_path, capsys):
    src = tmp_path / "eigen.csv"
    src.write_bytes(csv_bytes([{"Locatiecode": "LOC-0001", "Tel algemeen balie": "0412-111111"}]))
    assert main(["import", str(src), "--merge", "--dry-run"]) == 0
    assert "'Tel algemeen balie' -> GENEGEERD, 1 waarde(n), bijvoorbeeld: 0412-111111" in capsys.readouterr().out
    assert main(["import", str(src), "--merge", "--map", "Tel algemeen balie=Telefoon"]) == 0
    assert "'Tel algemeen balie' -> Telefoon (met de hand gekoppeld)" in capsys.readouterr().out
    phone = {f["properties"]["id"]: f["properties"].get("phone") for f in json.loads(published.read_text())["features"]}
    assert phone["LOC-0001"] == "0412-111111"
    src.write_bytes(csv_bytes([{"Locatiecode": "LOC-0002", "Tel algemeen balie": "0412-222222"}]))
    assert main(["import", str(src), "--merge"]) == 0, "the mapping is remembered for the next file"
    phone = {f["properties"]["id"]: f["properties"].get("phone") for f in json.loads(published.read_text())["features"]}
    assert phone["LOC-0002"] == "0412-222222"
    assert main(["import", str(src), "--merge", "--map", "Tel algemeen balie=schoenmaat"]) == 2
    assert "'schoenmaat' is geen bekend veld" in capsys.readouterr().err


def test_cli_sheet_choice_and_skipped_sheets_in_the_report(published, tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Oss"
    first.append(["Locatiecode", "Telefoon"])
    first.append(["LOC-0001", "0412-333333"])
    second = book.create_sheet("Archief")
    second.append(["Locatiecode", "Telefoon"])
    second.append(["LOC-0002", "0412-444444"])
    path = tmp_path / "twee.xlsx"
    book.save(path)
    assert main(["import", str(path), "--merge", "--sheet", "Oss"]) == 0
    out = capsys.readouterr().out
    assert "Werkblad 'Archief': overgeslagen (niet gekozen (--sheet)); 4 waarde(n) niet gelezen." in out
    phones = {f["properties"]["id"]: f["properties"].get("phone") for f in json.loads(published.read_text())["features"]}
    assert phones["LOC-0001"] == "0412-333333" and phones["LOC-0002"] != "0412-444444"


@pytest.mark.parametrize(("cell", "accepted", "stored"), [
    ("https://www.zorg.example/", True, "https://www.zorg.example/"),
    ("http://zorg.example", True, "http://zorg.example"),
    ("www.zorg.example", True, "https://www.zorg.example"),
    ("javascript:alert(1)", False, None), ("data:text/html,<b>x</b>", False, None), ("ftp://zorg.example", False, None),
])
def test_only_http_and_https_websites_are_imported(cell, accepted, stored):
    report = convert(csv_bytes([{**BASE, "Website": cell}]))
    if accepted:
        assert report.errors == [] and report.features[0]["properties"]["website"] == stored
    else:
        assert [(e.row, e.column) for e in report.errors] == [(2, "Website")]
        assert "alleen http- en https-adressen" in report.errors[0].message


def test_formula_in_a_list_field_never_reaches_an_export_as_a_formula():

    from wmo_kaart.core.schema import BY_NAME
    from wmo_kaart.export.tables import _cell

    assert _cell(BY_NAME["specialisms"], ("=HYPERLINK(\"http://evil.example\")", "muziek")).startswith("'")
    assert not _cell(BY_NAME["specialisms"], ("muziek", "=1+1")).split("; ")[1].startswith("=")
