"""The contract administration's own export: no location codes of ours, one row per sub-agreement per
product per establishment. Ground truth written here by hand from tests/fixtures/contract_export
(fictional data, made by make_exports.py there)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.changes import blockers
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.establishment import APART, SAME
from wmo_kaart.core.importer.service import ImportOptions, run_import

HERE = Path(__file__).parent / "fixtures" / "contract_export"
EMPTY = {"type": "FeatureCollection", "features": []}

# establishment -> (care types, contract end, sub-agreements, house number, addition, municipality)
TRUTH_2027 = {
    "De Linde Dagcentrum": (["07", "02"], "2028-06-30", "DO-2025-0101 (perceel 1); DO-2025-0102 (perceel 2)", "12", "bis", "GM0828"),
    "De Linde Berghem": (["07"], "2028-12-31", "DO-2025-0104 (perceel 1)", "3", "A", "GM0828"),
    "Huize Maasland": (["15"], "2028-12-31", "DO-2024-0500 (perceel 4)", "8", "3", "GM0828"),
    "Het Anker Uden": (["02"], "2027-12-31", "DO-2025-0300 (perceel 2)", "1", None, "GM1991"),
    "Het Oude Raadhuis": (["07"], "2026-06-30", "DO-2023-0007 (perceel 1)", "5", None, "GM0828"),  # every sub-agreement ended
}


def _import(name: str, base: dict = EMPTY, **options):
    raw = (HERE / name).read_bytes()
    return run_import(raw, name, default_catalog(), GeocoderChain(), base, options=ImportOptions(partial=True, **options))


def _by_name(collection: dict) -> dict:
    return {f["properties"]["name"]: f for f in collection["features"]}


@pytest.fixture
def first(monkeypatch):
    monkeypatch.setenv("WMO_KAART_TODAY", "2026-11-28")
    return _import("contractadministratie_2027.xlsx")


def test_the_2027_export_becomes_one_location_per_establishment(first):
    report = first.report
    found = _by_name(first.collection)
    assert set(found) == set(TRUTH_2027)
    for name, (care, end, subs, number, addition, municipality) in TRUTH_2027.items():
        props = found[name]["properties"]
        assert props["care_types"] == care, name
        assert props["contract_end"] == end, name
        assert props["contract_id"] == subs, name
        assert (props["house_number"], props.get("house_addition"), props["municipality_code"]) == (number, addition, municipality)
    # the KvK number keeps its leading zero (the cell shows 09876543); the same provider at two addresses
    assert {found[n]["properties"]["provider_id"] for n in ("De Linde Dagcentrum", "De Linde Berghem")} == {"KVK-09876543"}
    sheet = report.sheets[0]
    assert sheet.header_row == 5 and [t["row"] for t in sheet.title_rows] == [1, 2, 3]
    assert [t["row"] for t in sheet.totals_rows] == [15]
    # rows 6-13: eight sub-agreements; 7 and 8 join 6; 12 is an unknown product, named, its location stands
    assert report.accounting() == {"rows": 8, "accepted": 5, "combined": 2, "rejected": 1}
    assert [(c["row"], c["into_row"]) for c in report.combined_rows] == [(7, 6), (8, 6)]
    assert [(e.row, e.column) for e in report.errors] == [(12, "Productcode")] and "99Z99" in report.errors[0].message
    assert sorted((e["row"], e["contract_id"]) for e in report.ended) == [(8, "DO-2025-0103 (perceel 3)"),
                                                                          (13, "DO-2023-0007 (perceel 1)")]
    ignored = [c.header for c in sheet.columns if c.field is None]
    assert ignored == ["Productomschrijving", "Ingangsdatum"]  # named in the report with their values


def test_the_identity_is_the_same_on_every_import_and_in_every_format(first, monkeypatch):
    ids = {n: f["properties"]["id"] for n, f in _by_name(first.collection).items()}
    again = {n: f["properties"]["id"] for n, f in _by_name(_import("contractadministratie_2027.xlsx").collection).items()}
    assert ids == again and all(i.startswith("V-") for i in ids.values())
    xls = _import("contractadministratie_2027.xls")
    assert {n: f["properties"]["id"] for n, f in _by_name(xls.collection).items()} == {
        n: ids[n] for n in ("De Linde Dagcentrum", "De Linde Berghem")}
    text = _import("contractadministratie_2027_unicode.txt")  # Excel's 'Unicode text': UTF-16 with tabs
    assert {n: f["properties"]["id"] for n, f in _by_name(text.collection).items()} == {
        n: ids[n] for n in ("Huize Maasland", "Het Anker Uden")}


def test_excel_97_merged_hidden_and_formatted_cells(first):
    outcome = _import("contractadministratie_2027.xls")
    sheet = outcome.report.sheets[0]
    assert sheet.hidden_rows == [3] and sheet.merged == 3  # the provider merged over four rows reaches all four
    found = _by_name(outcome.collection)
    assert {f["properties"]["provider_name"] for f in found.values()} == {"Zorggroep De Linde (fictief)"}
    assert {f["properties"]["phone"] for f in found.values()} == {"0412650000"}  # shown with its leading zero
    assert outcome.report.accounting() == {"rows": 4, "accepted": 2, "combined": 2, "rejected": 0}


def test_libreoffice_with_line_breaks_in_a_cell(first):
    outcome = _import("contractadministratie_2027.ods")
    props = _by_name(outcome.collection)["De Linde Dagcentrum"]["properties"]
    assert props["specialisms"] == ["autisme", "NAH", "dementie"]  # 'autisme⏎NAH' is two specialisms


@pytest.fixture
def stored_2027(first):
    """The 2027 data as the region keeps it: BW figures, a contact person and a position set by hand."""
    stored = copy.deepcopy(first.collection)
    found = _by_name(stored)
    found["Huize Maasland"]["properties"].update(bw_capacity=12, bw_occupancy=10, bw_updated="2027-10-01")
    found["De Linde Dagcentrum"]["properties"].update(contact_name="Anne Fictief", contact_phone="06-11111111")
    found["De Linde Dagcentrum"]["geometry"]["coordinates"] = [5.5201, 51.7661]
    return stored


def test_the_yearly_refresh_keeps_what_hangs_on_unchanged_locations_and_asks(stored_2027, monkeypatch):
    monkeypatch.setenv("WMO_KAART_TODAY", "2027-11-28")
    before = _by_name(stored_2027)
    outcome = _import("contractadministratie_2028.csv", stored_2027)
    after = _by_name(outcome.collection)
    linde, maasland = after["De Linde Dagcentrum"], after["Huize Maasland"]
    assert linde["properties"]["id"] == before["De Linde Dagcentrum"]["properties"]["id"]
    assert linde["properties"]["contact_name"] == "Anne Fictief" and linde["geometry"]["coordinates"] == [5.5201, 51.7661]
    assert linde["properties"]["contract_end"] == "2029-12-31"  # the later of the Excel day numbers 47483 and 47299
    assert maasland["properties"]["id"] == before["Huize Maasland"]["properties"]["id"]
    assert (maasland["properties"]["bw_capacity"], maasland["properties"]["bw_occupancy"]) == (12, 10)
    assert {"De Boomgaard", "Op Maat Berghem"} <= set(after)  # two establishments added
    change = outcome.report.change
    gone = {before[n]["properties"]["id"] for n in ("Het Anker Uden", "Het Oude Raadhuis", "De Linde Berghem")}
    assert {r["id"] for r in change["removed"]} == gone
    assert any("verwijdert 3 locatie(s)" in r for r in blockers(change, confirm=False, allow_shrink=True))
    # De Linde Berghem moved: same provider and name at another address is a question, not a guess
    [question] = outcome.report.questions
    assert question["stored_id"] == before["De Linde Berghem"]["properties"]["id"]
    assert question["reason"] == "zelfde aanbieder en naam, ander adres" and question["row"] == 6
    assert outcome.report.accounting() == {"rows": 6, "accepted": 5, "combined": 1, "rejected": 0}


def test_an_answered_question_is_remembered_for_the_import(stored_2027, monkeypatch):
    monkeypatch.setenv("WMO_KAART_TODAY", "2027-11-28")
    asked = _import("contractadministratie_2028.csv", stored_2027).report.questions[0]
    same = _import("contractadministratie_2028.csv", stored_2027, mappings={SAME + asked["id"]: asked["stored_id"]})
    moved = _by_name(same.collection)["De Linde Berghem"]["properties"]
    assert moved["id"] == asked["stored_id"] and moved["street"] == "Kerkweg" and same.report.questions == []
    assert len(same.report.change["removed"]) == 2
    apart = _import("contractadministratie_2028.csv", stored_2027, mappings={APART + asked["id"]: "apart"})
    assert apart.report.questions == [] and len(apart.report.change["removed"]) == 3


def test_a_stored_dataset_with_codes_refreshed_from_an_export_without(monkeypatch):
    """Mixed: the stored locations have codes of their own (and no KvK); the export matches them on provider
    name and address: nothing duplicated, nothing lost."""
    monkeypatch.setenv("WMO_KAART_TODAY", "2026-11-28")
    from tests.conftest import VALID_FEATURE

    def coded(code, provider, name, street, number, addition, postcode, extra):
        f = copy.deepcopy(VALID_FEATURE)
        f["properties"].update(id=code, provider_id=f"P-{code}", provider_name=provider, name=name, street=street,
                               house_number=number, postcode=postcode, **extra)
        f["properties"].pop("house_letter", None)
        if addition:
            f["properties"]["house_addition"] = addition
        return f

    stored = {"type": "FeatureCollection", "features": [
        coded("LOC-0001", "Zorggroep De Linde", "Dagcentrum De Linde", "Kerkstraat", "12", "bis", "5341 AB",
              {"care_types": ["07"], "contact_name": "Anne Fictief"}),
        coded("LOC-0002", "Stichting Beschut Wonen Maasland", "Huize Maasland", "Molenstraat", "8", "3", "5342 CC",
              {"care_types": ["15"], "bw_capacity": 14, "bw_occupancy": 11, "bw_updated": "2026-10-01"}),
    ]}
    outcome = _import("contractadministratie_2027.xlsx", stored)
    ids = [f["properties"]["id"] for f in outcome.collection["features"]]
    assert len(ids) == len(set(ids)) == 5  # 2 kept under their codes + 3 new establishments
    by_id = {f["properties"]["id"]: f["properties"] for f in outcome.collection["features"]}
    assert by_id["LOC-0001"]["contact_name"] == "Anne Fictief" and by_id["LOC-0001"]["care_types"] == ["07", "02"]
    assert (by_id["LOC-0002"]["bw_capacity"], by_id["LOC-0002"]["bw_occupancy"]) == (14, 11)
    assert outcome.report.change["removed"] == []


@pytest.mark.parametrize("name,rows", [("contractadministratie_2027.xlsx", 8), ("contractadministratie_2028.csv", 6),
                                       ("contractadministratie_2027.xls", 4), ("contractadministratie_2027.ods", 2),
                                       ("contractadministratie_2027_unicode.txt", 2)])
def test_the_counts_of_every_file_add_up_to_its_rows(name, rows, monkeypatch):
    monkeypatch.setenv("WMO_KAART_TODAY", "2026-11-28")
    count = _import(name).report.accounting()
    assert count["rows"] == rows and count["accepted"] + count["combined"] + count["rejected"] == rows


def test_the_import_corpus_counts_add_up():
    corpus = Path(__file__).parent / "fixtures" / "import_corpus"
    for path in sorted(corpus.glob("*.truth.json")):
        data = next(p for p in corpus.glob(path.name.replace(".truth.json", ".*")) if not p.name.endswith(".json"))
        raw = data.read_bytes()
        report = run_import(raw, data.name, default_catalog(), GeocoderChain(), EMPTY,
                            options=ImportOptions(partial=True)).report
        count = report.accounting()
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert count["accepted"] + count["combined"] + count["rejected"] == count["rows"], data.name
        assert count["accepted"] == len(truth["locations"]), data.name


def test_configured_product_prefixes_map_to_a_care_type(tmp_path):
    """'99Z99' is unknown to the bundled catalog; a catalog that lists it as a product of care type 07 maps it."""
    from wmo_kaart.core.catalog import load_catalog
    from wmo_kaart.core.importer.columns import care_table, parse_codes

    extra = tmp_path / "catalogus.json"
    extra.write_text(json.dumps({"care_types": [{"code": "07", "nl": "Dagbesteding", "en": "Day activities",
                                                 "colour": "#0068A8", "pattern": "disc", "products": ["99Z"]}]}))
    assert parse_codes("99Z99", care_table(load_catalog(None))) == ([], ["99Z99"])
    assert parse_codes("99Z99 Proef nieuwe dienst", care_table(load_catalog(str(extra)))) == (["07"], [])
