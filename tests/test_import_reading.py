"""Reading what the person saw: display formats, group headers, personal-looking values, combined address
cells, footers, case, BW dates, hidden rows. Each case as an office makes it; expected values by hand."""

from __future__ import annotations

import copy
import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from tests.conftest import VALID_FEATURE
from tests.test_import import BASE, EMPTY, convert, csv_bytes
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.service import ImportOptions, run_import


def _xlsx(build) -> bytes:
    book = Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _props(report, code="A1") -> dict:
    return {f["properties"]["id"]: f["properties"] for f in report.features}[code]


def test_display_formats_leading_zeros_and_percentages():
    base = dict(BASE, Zorgvorm="15")

    def build(sheet):
        sheet.append([*base, "Telefoon", "KvK", "BW-capaciteit", "BW-bezetting", "BW-cijfers per"])
        sheet.append([*base.values(), 412650000, 9876543, 10, 0.5, "2026-10-01"])
        sheet["M2"].number_format = "0000000000"  # shown as 0412650000
        sheet["N2"].number_format = "00000000"    # shown as 09876543
        sheet["P2"].number_format = "0%"          # shown as 50 %
    report = convert(_xlsx(build))
    props = _props(report)
    assert props["phone"] == "0412650000" and props["bw_capacity"] == 10
    assert props["bw_occupancy"] == 5  # half of 10 places
    assert "50 %" in report.notes[0]["message"]


def test_a_phone_under_the_contact_group_header_is_the_contacts():
    def build(sheet):
        sheet.append(["", "", "", "", "", "", "", "", "", "", "", "", "Contactpersoon", "", ""])
        sheet.merge_cells("M1:O1")
        sheet.append([*BASE, "Naam", "Telefoon", "E-mail"])
        sheet.append([*BASE.values(), "Anne Fictief", "0412-999999", "anne@zorg.example"])
        sheet["M1"].font = Font(bold=True)
    report = convert(_xlsx(build))
    props = _props(report)
    assert (props["contact_name"], props["contact_phone"], props["contact_email"]) == (
        "Anne Fictief", "0412-999999", "anne@zorg.example")
    assert "phone" not in props and "email" not in props  # never published as the public ones
    assert report.sheets[0].group_row == 1


def test_a_personal_looking_public_value_goes_to_the_contact_fields_and_is_noted():
    report = convert(csv_bytes([BASE | {"Telefoon": "06-12345678", "E-mail": "j.jansen@zorg.example"},
                                BASE | {"Locatiecode": "A2", "Telefoon": "0412-123456", "E-mail": "info@zorg.example"}]))
    first, second = _props(report, "A1"), _props(report, "A2")
    assert first.get("phone") is None and first["contact_phone"] == "06-12345678"
    assert first.get("email") is None and first["contact_email"] == "j.jansen@zorg.example"
    assert (second["phone"], second["email"]) == ("0412-123456", "info@zorg.example")
    assert [(n["row"], n["column"]) for n in report.notes] == [(2, "E-mail"), (2, "Telefoon")]


def test_a_combined_address_cell_is_split():
    row = {k: v for k, v in BASE.items() if k not in ("Straat", "Huisnummer")} | {"Adres": "Lindelaan 128 a"}
    props = _props(convert(csv_bytes([row])))
    assert (props["street"], props["house_number"], props.get("house_letter")) == ("Lindelaan", "128", "A")


def test_a_footer_with_a_count_is_no_location():
    data = csv_bytes([BASE]) + "Aantal records: 1\r\n".encode()
    report = convert(data)
    assert [t["row"] for t in report.sheets[0].totals_rows] == [3] and report.errors == []


def test_a_lower_case_code_is_the_stored_location():
    stored = copy.deepcopy(VALID_FEATURE)
    stored["properties"]["id"] = "LOC-0109"
    base = {"type": "FeatureCollection", "features": [stored]}
    raw = csv_bytes([{"Locatiecode": "loc-0109", "Telefoon": "0412-000000"}])
    outcome = run_import(raw, "x.csv", default_catalog(), GeocoderChain(), base, options=ImportOptions(merge=True))
    assert [f["properties"]["id"] for f in outcome.collection["features"]] == ["LOC-0109"]
    assert outcome.collection["features"][0]["properties"]["phone"] == "0412-000000"
    assert "opgeslagen als 'LOC-0109'" in outcome.report.notes[0]["message"]


def test_a_full_import_never_moves_bw_dates_backwards():
    stored = copy.deepcopy(VALID_FEATURE)
    stored["properties"].update(id="A1", bw_capacity=10, bw_occupancy=8, bw_updated="2026-10-01")
    base = {"type": "FeatureCollection", "features": [stored]}
    raw = csv_bytes([BASE | {"Zorgvorm": "07; 15", "BW-capaciteit": "9", "BW-bezetting": "9", "BW-cijfers per": "01-07-2026"}])
    outcome = run_import(raw, "x.csv", default_catalog(), GeocoderChain(), base, options=ImportOptions())
    props = outcome.collection["features"][0]["properties"]
    assert (props["bw_capacity"], props["bw_occupancy"], props["bw_updated"]) == (10, 8, "2026-10-01")
    assert "ouder dan de opgeslagen" in outcome.report.notes[0]["message"]


def test_hidden_rows_and_columns_are_read_and_named():
    def build(sheet):
        sheet.append(list(BASE))
        sheet.append(list(BASE.values()))
        sheet.append(list((BASE | {"Locatiecode": "A2"}).values()))
        sheet.row_dimensions[3].hidden = True
        sheet.column_dimensions["B"].hidden = True
    report = convert(_xlsx(build))
    assert {f["properties"]["id"] for f in report.features} == {"A1", "A2"}
    assert report.sheets[0].hidden_rows == [3] and report.sheets[0].hidden_columns == ["B"]


def test_excel_day_numbers_and_iso_date_times_in_date_columns():
    report = convert(csv_bytes([BASE | {"Einddatum": "46387"}, BASE | {"Locatiecode": "A2", "Einddatum": "2027-12-31T00:00:00"},
                                BASE | {"Locatiecode": "A3", "Postcode": "5341-AB"}]))
    assert _props(report, "A1")["contract_end"] == "2026-12-31" and _props(report, "A2")["contract_end"] == "2027-12-31"
    assert _props(report, "A3")["postcode"] == "5341 AB"


def test_sep_line_and_utf16_text():
    text = "sep=;\r\n" + csv_bytes([BASE]).decode()
    report = convert(text.encode())
    assert report.features and report.sheets[0].header_row == 2
    tabbed = csv_bytes([BASE], sep="\t").decode().encode("utf-16")
    assert convert(tabbed).features


def test_two_spellings_of_one_provider_at_one_address_are_asked_about():
    row = {"Zorgaanbieder": "Zorggroep De Linde", "Vestiging": "Dagcentrum", "Straat": "Kerkstraat", "Huisnr": "12",
           "Postcode": "5341 AB", "Plaats": "Oss", "Productcode": "07A01"}
    report = convert(csv_bytes([row, row | {"Zorgaanbieder": "Zorgroep Linde", "Productcode": "02A08"}]))
    assert len(report.features) == 2  # kept apart until the data manager says otherwise
    assert [(n["row"], n["column"]) for n in report.notes] == [(3, "Zorgaanbieder")]
    assert "zelfde adres als rij 2" in report.notes[0]["message"]


@pytest.mark.parametrize("data,words", [
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": [1, 2], '
     b'"geometry": {"type": "Point", "coordinates": [5.5, 51.7]}}]}', "'properties' is geen object"),
    (b'{"type": "FeatureCollection", "features": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "te diep genest"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": ' + b"[" * 5000 + b"]" * 5000
     + b'}, "geometry": {"type": "Point", "coordinates": [5.5, 51.7]}}]}', "te diep genest"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     b'"geometry": {"type": "Point", "coordinates": {"x": 1}}}]}', "geen punt als geometrie"),
    ('Locatiecode;Locatienaam\nA1;"'.encode() + b"x" * 1_100_000 + b'"\n', "kan niet worden gelezen"),
])
def test_malformed_uploads_end_in_a_report_line(data, words):
    """Each of these stopped the background check (the page stayed at 0 %); now a report line says why."""
    report = run_import(data, "x", default_catalog(), GeocoderChain(), EMPTY).report
    assert report.errors and words in report.errors[0].message and report.errors[0].row == 0


def test_a_long_cell_within_limits_is_read_and_judged():
    report = convert(csv_bytes([BASE | {"Locatienaam": "x" * 140_000}]))
    assert report.rows_total == 1  # read (csv's default limit of 131,072 characters stopped it before)
