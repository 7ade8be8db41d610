"""The nearest index gives exactly what a brute force gives: every location's distance from its own
longitude and latitude (pyproj to RD New, then Pythagoras in Python), filtered by sets written out
here, sorted stably; for every care-type combination, several target-group choices, origins inside
and outside the regions, with ties (locations at one spot), and a new index for a new data version."""

from __future__ import annotations

import copy
import itertools
import math

import pytest
from pyproj import Transformer

from wmo_kaart.core import access, finder
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import Dataset, frame_from_features
from wmo_kaart.core.filters import LocationFilter
from wmo_kaart.core.geocode import Origin
from wmo_kaart.core.reference import BY_CODE
from wmo_kaart.demo import generate

TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
ORIGINS = [Origin("Oss", 51.765, 5.518, "test"), Origin("Tilburg", 51.5555, 5.0913, "test"),
           Origin("Megen", 51.822, 5.562, "test"), Origin("Eindhoven", 51.4416, 5.4697, "test"),
           Origin("Groningen", 53.2194, 6.5665, "test")]
CARE = [c.code for c in default_catalog().care_types]
TARGETS = [(), ("ouderen",), ("ggz",), ("lvb", "nah"), ("jongvolwassenen",)]


@pytest.fixture(scope="module")
def features():
    found = generate(locations=1500)["features"]
    # ties: twenty locations copied onto the spot of another, with other care types
    for i, f in enumerate(found[:20]):
        twin = copy.deepcopy(f)
        twin["properties"]["id"] = f"TWIN-{i:02d}"
        twin["properties"]["care_types"] = list(reversed(f["properties"]["care_types"]))
        found.append(twin)
    return found


@pytest.fixture(scope="module")
def view(features):
    return access.view_for(Dataset(frame_from_features(features), "test", "test"), "anonymous")


def _region_of(props: dict) -> tuple[str, ...]:
    given = props.get("contract_regions") or []
    return tuple(given) if given else ((BY_CODE[props["municipality_code"]].region,)
                                       if props["municipality_code"] in BY_CODE else ())


def brute(view, features, origin, care, targets, region, limit):
    ids = {i: n for n, i in enumerate(view.index)}
    x0, y0 = TO_RD.transform(origin.lon, origin.lat)
    found = []
    for order, f in enumerate(features):
        p = f["properties"]
        if p["id"] not in ids:
            continue
        if care and not set(care) & set(p["care_types"]):
            continue
        if targets and not set(targets) & set(p.get("target_groups") or []):
            continue
        if region is not None and region not in _region_of(p):
            continue
        lon, lat = f["geometry"]["coordinates"]
        x, y = TO_RD.transform(lon, lat)
        found.append((math.hypot(x - x0, y - y0), ids[p["id"]], p["id"]))
    found.sort(key=lambda t: (t[0], t[1]))
    return [(i, round(d)) for d, _o, i in found[:limit]]


def test_view_order_is_feature_order(view, features):
    assert list(view.index) == [f["properties"]["id"] for f in features if f["properties"]["id"] in set(view.index)]


@pytest.mark.parametrize("origin", ORIGINS, ids=lambda o: o.label)
def test_index_equals_brute_force_for_every_care_and_target_combination(view, features, origin):
    from wmo_kaart.core import regions

    region = regions.region_at(origin.lat, origin.lon)
    checked = 0
    for size in range(len(CARE) + 1):
        for care in itertools.combinations(CARE, size):
            for targets in TARGETS:
                for limit in (1, 5, 40):
                    flt = LocationFilter(care_types=care, target_groups=targets)
                    got = finder.find_json(view, origin, flt, limit)
                    assert got["region"] == region
                    expected = brute(view, features, origin, care, targets, region, limit)
                    assert [(r["id"], r["distance_m"]) for r in got["results"]] == expected, (care, targets, limit)
                    rows = finder.find(view, origin, flt, limit).rows
                    assert list(zip(rows.index, rows["distance_m"])) == expected
                    checked += 1
    assert checked == 16 * len(TARGETS) * 3


def test_ties_at_one_spot_come_in_view_order(view, features):
    twin = features[-1]["properties"]
    lon, lat = features[19]["geometry"]["coordinates"]
    got = finder.find_json(view, Origin("hier", lat, lon, "test"), LocationFilter(), 2, own_region=False)
    ids = [r["id"] for r in got["results"]]
    assert ids == [features[19]["properties"]["id"], twin["id"]] and [r["distance_m"] for r in got["results"]] == [0, 0]


def test_other_filters_take_the_full_path_with_the_same_answer(view, features):
    origin = ORIGINS[0]
    flt = LocationFilter(care_types=("07",), municipalities=("GM0828",))
    got = finder.find_json(view, origin, flt, 5)
    in_oss = [f for f in features if f["properties"]["municipality_code"] == "GM0828"]
    assert got["region"] == "Brabant Noordoost-oost"
    assert [(r["id"], r["distance_m"]) for r in got["results"]] == brute(view, in_oss, origin, ("07",), (), got["region"], 5)


def test_a_new_data_version_gets_a_new_index(features):
    origin = ORIGINS[0]
    first = access.view_for(Dataset(frame_from_features(features), "v1", "v1"), "anonymous")
    moved = copy.deepcopy(features)
    nearest_id = finder.find_json(first, origin, LocationFilter(), 1)["results"][0]["id"]
    moved = [f for f in moved if f["properties"]["id"] != nearest_id]
    second = access.view_for(Dataset(frame_from_features(moved), "v2", "v2"), "anonymous")
    assert finder.find_json(second, origin, LocationFilter(), 1)["results"][0]["id"] != nearest_id
    assert finder.find_json(first, origin, LocationFilter(), 1)["results"][0]["id"] == nearest_id
