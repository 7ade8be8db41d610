"""Loading, access views and reloading the dataset when the file changes."""

from __future__ import annotations

import os

import pytest

from wmo_kaart.core import access
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.geo import to_rd, to_wgs84
from wmo_kaart.core.filestore import FileStore
from wmo_kaart.core.validate import InvalidDataError


def test_load_normalises_and_projects(write_geojson, feature):
    feature["properties"]["postcode"] = "5341ab"
    ds = load_geojson(write_geojson([feature]), default_catalog())
    row = ds.frame.loc["T-1"]
    assert row["postcode"] == "5341 AB"
    assert row["care_types"] == ("07", "15")
    x, y = to_rd(5.5180, 51.7650)
    assert (row["x"], row["y"]) == (pytest.approx(float(x)), pytest.approx(float(y)))


@pytest.mark.parametrize(("lon", "lat", "x", "y"), [
    (5.38720621, 52.15517440, 155_000, 463_000),  # Amersfoort, origin of RD New
])
def test_rd_projection_round_trip(lon, lat, x, y):
    rx, ry = to_rd(lon, lat)
    assert (float(rx), float(ry)) == (pytest.approx(x, abs=2), pytest.approx(y, abs=2))
    blon, blat = to_wgs84(rx, ry)
    assert (float(blon), float(blat)) == (pytest.approx(lon, abs=1e-7), pytest.approx(lat, abs=1e-7))


def test_invalid_file_is_refused_with_report(write_geojson, feature):
    feature["properties"]["postcode"] = "nope"
    with pytest.raises(InvalidDataError) as err:
        load_geojson(write_geojson([feature]), default_catalog())
    assert "providers.geojson, feature 0, id 'T-1', veld 'postcode'" in str(err.value)


def test_unreadable_and_non_json_files(tmp_path):
    with pytest.raises(InvalidDataError, match="niet leesbaar"):
        load_geojson(tmp_path / "missing.geojson", default_catalog())
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(InvalidDataError, match="geen geldige JSON"):
        load_geojson(bad, default_catalog())


@pytest.mark.parametrize(("role", "has_contact", "has_bw"), [
    ("anonymous", False, False), (None, False, False), ("unknown-role", False, False),
    ("wmo_consulent", True, False), ("contractmanager", True, False), ("bestuurder", True, False),
    ("bw_consulent", True, True), ("beleidsadviseur", True, True), ("beheerder", True, True),
])
def test_view_for_role_is_built_from_the_allow_list(write_geojson, feature, role, has_contact, has_bw):
    view = access.view_for(load_geojson(write_geojson([feature]), default_catalog()), role)
    assert ("contact_name" in view.columns) is has_contact
    assert ("contract_id" in view.columns) is has_contact
    assert ("bw_capacity" in view.columns) is has_bw
    assert ("bw_occupancy" in view.columns) is has_bw
    flags = {"care:07", "care:15", "target:ouderen"}  # derived from public lists only
    assert set(view.columns) == set(access.visible_fields(role)) | {"lon", "lat", "x", "y", "search_text"} | flags


def test_store_reloads_changed_file_and_keeps_last_good(write_geojson, feature):
    path = write_geojson([feature])
    store = FileStore(path, path.parent / "versions", default_catalog())
    first = store.current()
    assert store.current() is first
    feature["properties"]["name"] = "Nieuwe naam"
    write_geojson([feature])
    os.utime(path, ns=(1, 1))  # a different stamp even on coarse clocks
    second = store.current()
    assert second is not first and second.frame.loc["T-1", "name"] == "Nieuwe naam"
    feature["properties"]["postcode"] = "broken"
    write_geojson([feature])
    os.utime(path, ns=(2, 2))
    assert store.current() is second
