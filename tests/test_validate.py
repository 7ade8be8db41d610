"""Validation reports every problem with feature index, id, field and a Dutch reason."""

from __future__ import annotations

import pytest

from tests.conftest import collection
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.validate import validate_collection


def _set(path: str, value):
    def change(feature):
        target = feature
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return change


CASES = [
    # (change, field, message fragment)
    (_set("properties.name", KeyError), "name", "verplicht veld ontbreekt"),
    (_set("properties.postcode", ""), "postcode", "verplicht veld ontbreekt"),
    (_set("properties.care_types", KeyError), "care_types", "verplicht veld ontbreekt"),
    (_set("properties.care_types", "07"), "care_types", "verwacht lijst van teksten"),
    (_set("properties.care_types", []), "care_types", "minstens één zorgvorm"),
    (_set("properties.care_types", ["07", "99"]), "care_types", "onbekende zorgvorm (iWmo-code) '99'"),
    (_set("properties.care_types", [7]), "care_types", "verwacht lijst van teksten"),
    (_set("properties.target_groups", ["kinderen"]), "target_groups", "onbekende doelgroep 'kinderen'"),
    (_set("properties.municipality_code", "GM0796"), "municipality_code", "onbekende gemeentecode 'GM0796'"),
    (_set("properties.municipality_code", 828), "municipality_code", "verwacht tekst"),
    (_set("properties.wheelchair_accessible", "ja"), "wheelchair_accessible", "verwacht ja/nee"),
    (_set("properties.bw_capacity", "10"), "bw_capacity", "verwacht geheel getal"),
    (_set("properties.bw_capacity", 10.5), "bw_capacity", "verwacht geheel getal"),
    (_set("properties.bw_occupancy", 11), "bw_occupancy", "bezetting (11) is hoger dan de capaciteit (10)"),
    (_set("properties.bw_occupancy", -1), "bw_occupancy", "bezetting mag niet negatief zijn"),
    (_set("properties.bw_capacity", -3), "bw_capacity", "capaciteit mag niet negatief zijn"),
    (_set("properties.bw_updated", "01-10-2026"), "bw_updated", "verwacht datum (JJJJ-MM-DD)"),
    (_set("properties.contract_end", "2027-02-30"), "contract_end", "verwacht datum"),
    (_set("properties.postcode", "5341-AB"), "postcode", "ongeldige postcode '5341-AB'"),
    (_set("properties.postcode", "0341 AB"), "postcode", "ongeldige postcode"),
    (_set("properties.postcode", "5341 SS"), "postcode", "ongeldige postcode"),
    (_set("geometry.coordinates", [51.765, 5.518]), "geometry", "buiten Nederland"),
    (_set("geometry.coordinates", [2.35, 48.85]), "geometry", "buiten Nederland"),
    (_set("geometry.coordinates", ["5.5", "51.7"]), "geometry", "coördinaten moeten"),
    (_set("geometry.type", "Polygon"), "geometry", "geen Point"),
    (_set("geometry", None), "geometry", "geen Point"),
]


@pytest.mark.parametrize(("change", "field", "message"), CASES)
def test_invalid_feature_is_reported(feature, change, field, message):
    change(feature)
    problems = validate_collection(collection(feature), default_catalog(), "x.geojson")
    assert [(p.index, p.field) for p in problems] == [(0, field)]
    assert message in problems[0].message
    assert "x.geojson, feature 0" in str(problems[0])


def test_valid_feature_passes(feature):
    assert validate_collection(collection(feature), default_catalog()) == []


@pytest.mark.parametrize("postcode", ["5341 AB", "5341AB", "5341 ab", "1011ac"])
def test_postcode_variants_accepted(feature, postcode):
    feature["properties"]["postcode"] = postcode
    assert validate_collection(collection(feature), default_catalog()) == []


def test_duplicate_id_names_both_features(feature):
    other = {**feature, "properties": {**feature["properties"]}}
    problems = validate_collection(collection(feature, other), default_catalog(), "x.geojson")
    assert [(p.index, p.feature_id, p.field) for p in problems] == [(1, "T-1", "id")]
    assert "dubbele id (ook bij feature 0)" in problems[0].message


def test_every_problem_is_reported_not_only_the_first(feature):
    feature["properties"]["postcode"] = "bad"
    feature["properties"]["care_types"] = ["99"]
    del feature["properties"]["city"]
    problems = validate_collection(collection(feature), default_catalog())
    assert {p.field for p in problems} == {"postcode", "care_types", "city"}


@pytest.mark.parametrize(("data", "message"), [
    ([], "geen GeoJSON FeatureCollection"),
    ({"type": "FeatureCollection"}, "'features' moet een lijst zijn"),
    ({"type": "FeatureCollection", "features": [{"type": "Point"}]}, "geen GeoJSON Feature"),
])
def test_bad_structure(data, message):
    problems = validate_collection(data, default_catalog())
    assert len(problems) == 1 and message in problems[0].message


def test_region_may_add_care_types(feature, tmp_path):
    from wmo_kaart.core.catalog import load_catalog

    extra = tmp_path / "catalog.json"
    extra.write_text('{"care_types": [{"code": "01", "nl": "Hulp bij het huishouden", "en": "Household help"}]}')
    feature["properties"]["care_types"] = ["01"]
    assert validate_collection(collection(feature), default_catalog())
    catalog = load_catalog(str(extra))
    assert catalog.care_codes == ("07", "02", "04", "15", "01")
    assert validate_collection(collection(feature), catalog) == []
