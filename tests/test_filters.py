"""Filtering by care type, municipality, target group, provider and free text."""

from __future__ import annotations

import pytest

from tests.conftest import collection
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import frame_from_features
from wmo_kaart.core.filters import LocationFilter, apply_filter


def _loc(fid, care, gm="GM0828", city="Oss", groups=("ouderen",), provider="P-1", pname="Zorg A", name="Locatie"):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.5, 51.7]},
            "properties": {"id": fid, "provider_id": provider, "provider_name": pname, "name": name,
                           "street": "Markt", "house_number": "1", "postcode": "5341AB", "city": city,
                           "municipality_code": gm, "care_types": list(care), "target_groups": list(groups)}}


@pytest.fixture(scope="module")
def frame():
    feats = [
        _loc("a", ["07"]),
        _loc("b", ["07", "15"], groups=("ggz",)),
        _loc("c", ["02"], gm="GM0855", city="Tilburg", provider="P-2", pname="Thuiszorg Berkel"),
        _loc("d", ["15"], gm="GM0855", city="Berkel-Enschot", groups=("ggz", "lvb"), provider="P-2", pname="Thuiszorg Berkel"),
        _loc("e", ["04", "02"], gm="GM1982", city="Boxmeer", groups=(), name="Het Anker"),
    ]
    return frame_from_features(collection(*feats)["features"])


@pytest.mark.parametrize(("flt", "expected"), [
    (LocationFilter(), "abcde"),
    (LocationFilter(care_types=("07",)), "ab"),
    (LocationFilter(care_types=("15",)), "bd"),
    (LocationFilter(care_types=("07", "02")), "abce"),
    (LocationFilter(municipalities=("GM0855",)), "cd"),
    (LocationFilter(municipalities=("GM0855", "GM1982")), "cde"),
    (LocationFilter(target_groups=("ggz",)), "bd"),
    (LocationFilter(care_types=("15",), municipalities=("GM0828",)), "b"),
    (LocationFilter(providers=("P-2",)), "cd"),
    (LocationFilter(text="berkel"), "cd"),
    (LocationFilter(text="BOXMEER"), "e"),
    (LocationFilter(text="anker box"), "e"),
    (LocationFilter(text="tilburg thuiszorg"), "c"),
    (LocationFilter(text="nergens"), ""),
    (LocationFilter(care_types=("99",)), ""),
])
def test_filter(frame, flt, expected):
    assert "".join(apply_filter(frame, flt)["id"]) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (dict(care_types=None, text=None), LocationFilter()),
    (dict(care_types="07"), LocationFilter(care_types=("07",))),
    (dict(care_types=["07", 15]), LocationFilter(care_types=("07", "15"))),
    (dict(text="  oss  "), LocationFilter(text="oss")),
    (dict(text="x" * 500), LocationFilter(text="x" * 200)),
])
def test_filter_from_loose_values(raw, expected):
    assert LocationFilter.from_values(**raw) == expected


def test_demo_care_type_filter_counts_match_data():
    from wmo_kaart.core.dataset import load_geojson
    from tests.conftest import DEMO

    frame = load_geojson(DEMO, default_catalog()).frame
    for code in default_catalog().care_codes:
        expected = sum(code in cts for cts in frame["care_types"])
        assert len(apply_filter(frame, LocationFilter(care_types=(code,)))) == expected > 0


def test_a_location_with_several_care_types_shows_each_as_a_ring():
    """Every further care type of a location is a ring around its marker, in that care type's colour."""
    import pandas as pd

    from layers import DrawContext
    from layers.locations import RING, SIZE, draw
    from wmo_kaart.core.catalog import default_catalog

    catalog = default_catalog()
    view = pd.DataFrame([{"id": "A", "name": "A", "city": "Oss", "lat": 51.7, "lon": 5.5, "care_types": ("07", "02", "15")},
                         {"id": "B", "name": "B", "city": "Oss", "lat": 51.8, "lon": 5.6, "care_types": ("04",)}])
    props = {f["properties"]["id"]: f["properties"] for f in draw(view, DrawContext(catalog, (), "nl")).features}
    assert props["A"]["care"] == ["07", "02", "15"], "the first fills the marker; the others are rings, in catalog order"
    assert props["B"]["care"] == ["04"]
    chosen = {f["properties"]["id"]: f["properties"] for f in draw(view, DrawContext(catalog, ("15",), "nl")).features}
    assert chosen["A"]["care"] == ["15", "07", "02"], "a chosen care type fills the marker"
    # the browser draws ring k at SIZE + k * RING px (assets/map.js)
    assert (SIZE, RING) == (15, 6)


SPELLINGS = ("Coöperatie", "cooperatie", "COOPERATIE", "coöperatie", "CoöPeRaTiE")


def test_text_folds_case_and_accents_everywhere_a_name_is_typed(client):
    """The API, the OGC API and the public map find the same locations for every spelling."""
    from tests import dash_client

    dep = dash_client.find(dash_client.dependencies(client), "map-count.children")
    found = set()
    for spelling in SPELLINGS:
        api = {f["id"] for f in client.get(f"/api/v1/locations?q={spelling}&limit=10000").get_json()["features"]}
        ogc = {f["id"] for f in client.get(f"/ogc/collections/locaties/items?q={spelling}&limit=1000").get_json()["features"]}
        out = dash_client.post(client, dep, {("map-q", "value"): spelling}).get_json()["response"]
        assert api == ogc and api, spelling
        assert out["map-count"]["children"].startswith(f"{len(api)} van"), spelling
        found.add(frozenset(api))
    assert len(found) == 1


@pytest.mark.parametrize(("typed", "folded"), [
    ("Coöperatie", "cooperatie"), ("COOPERATIE", "cooperatie"), ("'s-Hertogenbosch", "s hertogenbosch"),
    ("Zorggroep  De Linde (demo)", "zorggroep de linde demo"), ("Straße", "strasse"), ("e-mail_adres", "e mail adres"),
])
def test_one_fold(typed, folded):
    from wmo_kaart.core.text import fold

    assert fold(typed) == folded
