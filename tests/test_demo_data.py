"""The demo dataset: big enough, spread over the 14 municipalities, fictional and reproducible."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from tests.conftest import DEMO
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.geo import to_rd
from wmo_kaart.core.reference import BY_CODE, towns
from wmo_kaart.demo import generate


@pytest.fixture(scope="module")
def demo():
    return load_geojson(DEMO, default_catalog())


def test_committed_file_is_what_the_seeded_generator_makes():
    assert json.loads(DEMO.read_text(encoding="utf-8")) == generate(as_of=dt.date(2026, 11, 1))


def test_demo_is_labelled_and_fictional(demo):
    assert demo.meta["demo"] is True
    f = demo.frame
    assert f["provider_name"].str.endswith("(demo)").all()
    for column in ("email", "contact_email"):
        assert f[column].str.endswith(".example").all()
    assert f["website"].str.contains(r"\.example/", regex=True).all()


def test_size_and_spread(demo):
    f = demo.frame
    assert len(f) >= 250 and f["provider_id"].nunique() >= 60
    assert set(f["municipality_code"]) == set(BY_CODE)
    assert f["municipality_code"].value_counts().min() >= 3
    codes = Counter(c for cts in f["care_types"] for c in cts)
    assert set(codes) == {"07", "02", "04", "15"}
    sizes = f["care_types"].map(len)
    assert (sizes <= 2).mean() > 0.9 and sizes.min() >= 1


def test_postcodes_and_towns_belong_to_the_municipality(demo):
    by_town = {t.name: t for t in towns()}
    for row in demo.frame.itertuples():
        town = by_town[row.city]
        assert town.municipality_code == row.municipality_code
        assert row.postcode[:4] in town.pc4


def test_bw_figures_realistic(demo):
    f = demo.frame
    is_bw = f["care_types"].map(lambda c: "15" in c)
    assert f.loc[is_bw, "bw_capacity"].notna().all() and f.loc[~is_bw, "bw_capacity"].isna().all()
    bw = f[is_bw]
    assert (bw["bw_occupancy"] <= bw["bw_capacity"]).all()
    assert (bw["bw_occupancy"] == bw["bw_capacity"]).sum() >= 3, "some locations are full"
    as_of = dt.date.fromisoformat(demo.meta["as_of"])
    age = bw["bw_updated"].map(lambda d: (as_of - dt.date.fromisoformat(d)).days)
    assert (age > 90).sum() >= 3 and (age <= 90).sum() >= 10, "some figures stale, most fresh"


def _rd_outlines(boundaries) -> dict:
    to = lambda a: np.column_stack(to_rd(a[:, 0], a[:, 1]))  # noqa: E731
    return {f["properties"]["statcode"]: shapely.transform(shape(f["geometry"]), to)
            for f in boundaries["features"]}


def test_every_demo_location_lies_in_its_municipality(demo, boundaries):
    outlines = _rd_outlines(boundaries)
    assert set(outlines) == set(BY_CODE)
    far = [(r.id, r.city, round(outlines[r.municipality_code].distance(Point(r.x, r.y))))
           for r in demo.frame.itertuples() if outlines[r.municipality_code].distance(Point(r.x, r.y)) > 300]
    assert far == []


def test_every_gazetteer_town_lies_in_its_municipality(boundaries):
    outlines = _rd_outlines(boundaries)
    far = []
    for town in towns():
        x, y = to_rd(town.lon, town.lat)
        d = outlines[town.municipality_code].distance(Point(float(x), float(y)))
        if d > 300:
            far.append((town.name, round(d)))
    assert far == []


def test_gazetteer_pc4_codes_are_unique_per_town():
    seen = Counter(pc for t in towns() for pc in t.pc4)
    # Hulten and Molenschot share 5124; every other PC4 belongs to one town.
    assert {pc for pc, n in seen.items() if n > 1} == {"5124"}
