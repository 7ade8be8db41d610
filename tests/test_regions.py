"""The client's own region: BNO-O and Hart van Brabant buy care separately; a search offers the locations
contracted by the region of the searched place, and the handout names that municipality's Wmo desk."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.conftest import DEMO, collection

# written here by hand (CBS codes of 2025), not taken from the app
HVB_CODES = {"GM0855", "GM0766", "GM0784", "GM0785", "GM0797", "GM0798", "GM0809", "GM0824", "GM0867"}
BNOO_CODES = {"GM0828", "GM1721", "GM0755", "GM1982", "GM1991"}


@pytest.mark.parametrize(("place", "codes"), [("5051", HVB_CODES), ("Goirle", HVB_CODES), ("Tilburg", HVB_CODES),
                                              ("Berghem", BNOO_CODES), ("5341", BNOO_CODES), ("Ruwaard", BNOO_CODES)])
def test_a_search_offers_the_locations_of_the_searched_places_region(client, place, codes):
    by_id = {f["properties"]["id"]: f["properties"] for f in json.loads(DEMO.read_text())["features"]}
    body = client.get(f"/api/v1/nearest?van={place}&limit=50").get_json()
    assert body["results"] and all(by_id[r["id"]]["municipality_code"] in codes for r in body["results"]), place
    assert body["region"] == ("Hart van Brabant" if codes is HVB_CODES else "Brabant Noordoost-oost")


def test_from_outside_the_regions_every_location_counts(client):
    body = client.get("/api/v1/nearest?van=51.69,5.30&limit=40").get_json()  # 's-Hertogenbosch
    assert body["region"] is None
    by_id = {f["properties"]["id"]: f["properties"] for f in json.loads(DEMO.read_text())["features"]}
    assert {by_id[r["id"]]["municipality_code"] in BNOO_CODES for r in body["results"]} == {True, False}


def test_a_location_both_regions_contracted_is_offered_to_both(settings, write_geojson, feature):
    from wmo_kaart.web import create_app

    oss = {**feature, "properties": {**feature["properties"], "id": "BOTH", "contract_regions":
                                     ["Brabant Noordoost-oost", "Hart van Brabant"]}}
    only = {**feature, "properties": {**feature["properties"], "id": "OSS-ONLY"}}
    client = create_app(replace(settings, data_path=write_geojson([oss, only]))).test_client()
    found = [r["id"] for r in client.get("/api/v1/nearest?van=Goirle").get_json()["results"]]
    assert found == ["BOTH"]
    assert sorted(r["id"] for r in client.get("/api/v1/nearest?van=Oss").get_json()["results"]) == ["BOTH", "OSS-ONLY"]


def test_the_handout_names_the_wmo_desk_of_the_searched_places_municipality(settings):
    from wmo_kaart.web import create_app

    desks = "GM0828 = Wmo-loket Oss, 0412-629629 | Goirle = Wmo-loket Goirle, 013-5310610 | * = het Wmo-loket van uw gemeente"
    client = create_app(replace(settings, wmo_desk=desks)).test_client()
    goirle = client.get("/handout?ids=LOC-0001&q=5051").get_data(as_text=True)
    assert "Wmo-loket Goirle, 013-5310610" in goirle and "Wmo-loket Oss" not in goirle
    oss = client.get("/handout?ids=LOC-0001&q=Berghem").get_data(as_text=True)
    assert "Wmo-loket Oss, 0412-629629" in oss and "Goirle" not in oss
    tilburg = client.get("/handout?ids=LOC-0001&q=Tilburg").get_data(as_text=True)
    assert "het Wmo-loket van uw gemeente" in tilburg
    assert "Niet gecontracteerd voor uw gemeente" in goirle and "Niet gecontracteerd" not in oss  # LOC-0001 lies in Oss
    one = create_app(replace(settings, wmo_desk="Wmo-loket, 0800-1234, bellen kan ook")).test_client()
    assert "Wmo-loket, 0800-1234, bellen kan ook" in one.get("/handout?ids=LOC-0001&q=5051").get_data(as_text=True)
    with pytest.raises(ValueError, match="Nergenshuizen"):
        create_app(replace(settings, wmo_desk="Nergenshuizen = iets | Oss = iets anders"))


def test_the_import_reads_the_contracting_regions(tmp_path):
    from tests.test_import import BASE, csv_bytes
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.geocode import GeocoderChain
    from wmo_kaart.core.importer.service import ImportOptions, run_import

    raw = csv_bytes([BASE | {"Inkoopregio": "HvB; BNO-O"}, BASE | {"Locatiecode": "A2", "Inkoopregio": "Regio Oss"},
                     BASE | {"Locatiecode": "A3", "Inkoopregio": "Utrecht"}])
    outcome = run_import(raw, "regio.csv", default_catalog(), GeocoderChain(), collection(),
                         options=ImportOptions(partial=True))
    accepted = {f["properties"]["id"]: f["properties"].get("contract_regions") for f in outcome.collection["features"]}
    assert sorted(accepted[BASE["Locatiecode"]]) == ["Brabant Noordoost-oost", "Hart van Brabant"]
    assert accepted["A2"] == ["Brabant Noordoost-oost"] and "A3" not in accepted
    rows = json.dumps(outcome.report.as_json(), ensure_ascii=False)
    assert "Utrecht" in rows and "Inkoopregio" in rows  # the unknown region is named, in the file's own column
