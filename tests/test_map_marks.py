"""What the locations layer sends the browser: counts where locations share a spot, contract warnings on the
professional map, clustering at national scale, and the legend the markers are drawn with."""

from __future__ import annotations

import datetime as dt
import json

from pyproj import Transformer

from layers import DrawContext
from layers import locations as layer
from tests.conftest import collection
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import frame_from_features
from wmo_kaart.core.geo import same_spot

TODAY = dt.date(2026, 11, 28)
RD_TO_WGS84 = Transformer.from_crs(28992, 4326, always_xy=True)


def _at(x: float, y: float) -> tuple[float, float]:
    return RD_TO_WGS84.transform(x, y)


def test_same_spot_links_locations_within_fifty_metres():
    points = [_at(160_000, 420_000), _at(160_030, 420_000), _at(160_060, 420_020), _at(160_200, 420_000), _at(170_000, 420_000)]
    spots = same_spot([p[0] for p in points], [p[1] for p in points])
    assert spots[0] == spots[1] == spots[2], "30 m apart, and 36 m on: one chain"
    assert len({spots[0], spots[3], spots[4]}) == 3
    assert same_spot([], []) == []


def _loc(fid, lon, lat, care=("07",), end=None, name=None):
    props = {"id": fid, "provider_id": "P-1", "provider_name": "Zorg A", "name": name or f"Locatie {fid}",
             "street": "Markt", "house_number": "1", "postcode": "5341AB", "city": "Oss", "municipality_code": "GM0828",
             "care_types": list(care), "target_groups": ["ouderen"]}
    if end:
        props["contract_end"] = end
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def _frame(*features):
    return frame_from_features(collection(*features)["features"])


def _props(overlay) -> dict:
    return {f["properties"]["id"]: f["properties"] for f in overlay.features}


def test_locations_sharing_a_spot_get_one_count():
    a, b, c = _at(160_000, 420_000), _at(160_020, 420_010), _at(165_000, 420_000)
    view = _frame(_loc("a", *a, name="De Linde"), _loc("b", *b, name="Het Anker"), _loc("c", *c))
    props = _props(layer.draw(view, DrawContext(default_catalog(), today=TODAY)))
    assert [(k, p.get("count")) for k, p in props.items()] == [("a", 2), ("b", None), ("c", None)]
    assert props["a"]["name"] == "De Linde" and props["b"]["name"] == "Het Anker", "each keeps its own name"


def test_contract_warnings_only_where_the_view_carries_contracts_and_they_end():
    rows = [_loc("ended", 5.5, 51.7, end="2026-01-31"), _loc("soon", 5.6, 51.7, end="2027-02-28"),
            _loc("later", 5.7, 51.7, end="2029-12-31"), _loc("none", 5.8, 51.7)]
    view = _frame(*rows)
    props = _props(layer.draw(view, DrawContext(default_catalog(), today=TODAY)))
    warned = {k: p["warn"] for k, p in props.items() if "warn" in p}
    assert list(warned) == ["ended", "soon"]
    assert "beëindigd" in warned["ended"] and "6 maanden" in warned["soon"]
    public = view.drop(columns=["contract_end"])
    assert not [p for p in _props(layer.draw(public, DrawContext(default_catalog(), today=TODAY))).values() if "warn" in p]


def test_national_scale_clusters_and_keeps_what_names_a_marker():
    n = layer.CLUSTER_FROM
    view = _frame(*[_loc(f"L{i}", 4.0 + (i % 100) * 0.02, 51.0 + (i // 100) * 0.01, care=("07",) if i % 2 else ("04",))
                    for i in range(n)])
    overlay = layer.draw(view, DrawContext(default_catalog(), today=TODAY))
    assert overlay.cluster is True and len(overlay.features) == n
    by_id = {f["properties"]["id"]: f for f in overlay.features}
    first, second = by_id["L0"], by_id["L1"]
    assert first["properties"] == {"id": "L0", "name": "Locatie L0", "city": "Oss", "care": ["04"]}
    assert second["properties"]["care"] == ["07"] and second["geometry"]["coordinates"] == [4.02, 51.0]
    # neighbours next to each other (by town, then west to east): the layer compresses better
    assert [f["properties"]["id"] for f in overlay.features[:3]] == ["L0", "L100", "L200"]
    # a location in the JSON: two coordinates, id, name, town and care types (colours come once, in the hideout)
    assert len(json.dumps(overlay.collection())) / n < 170
    assert overlay.cluster is False or not any("count" in f["properties"] for f in overlay.features)


def test_a_national_layer_sends_names_apart_and_every_one_of_them():
    n = layer.CLUSTER_FROM
    towns = ("Oss", "Uden", "Tilburg")
    rows = [_loc(f"L{i}", 4.0 + (i % 100) * 0.02, 51.0 + (i // 100) * 0.01) for i in range(n)]
    for i, row in enumerate(rows):
        row["properties"]["city"] = towns[i % 3]
    overlay = layer.draw(_frame(*rows), DrawContext(default_catalog(), today=TODAY))
    drawn, names = layer.names_apart(overlay)
    assert drawn.cluster and len(drawn.features) == n
    assert all(set(f["properties"]) == {"id", "care"} for f in drawn.features), "only what draws a marker"
    assert names == {f"L{i}": [f"Locatie L{i}", towns[i % 3]] for i in range(n)}
    assert all("name" in f["properties"] for f in overlay.features), "the overlay itself is left whole"
    small = layer.draw(_frame(*rows[:5]), DrawContext(default_catalog(), today=TODAY))
    assert layer.names_apart(small) == (small, {}), "a regional map keeps its names in the layer"


def test_a_smaller_selection_is_not_clustered():
    view = _frame(*[_loc(f"L{i}", 4.0 + i * 0.02, 51.0) for i in range(5)])
    overlay = layer.draw(view, DrawContext(default_catalog(), today=TODAY))
    assert overlay.cluster is False and [f["properties"]["name"] for f in overlay.features][:1] == ["Locatie L0"]


def test_the_legend_the_browser_draws_with_names_every_care_type():
    catalog = default_catalog()
    legend = layer.legend_of(DrawContext(catalog, lang="en"))
    assert set(legend["care"]) == {term.code for term in catalog.care_types}
    assert legend["care"]["07"] == {"colour": catalog.care_types[0].colour, "pattern": catalog.care_types[0].pattern,
                                    "label": "Day activities"}
    assert legend["marker"]["patterns"]["target"] == (("#ffffff", 10), (None, 5))
