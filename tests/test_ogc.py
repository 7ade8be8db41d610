"""OGC API – Features under /ogc/: the documents QGIS needs, paging, bbox, roles, and GDAL's OAPIF
driver (the engine under QGIS) as the client that nobody here wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from auth import users
from tests.conftest import DEMO, PASSWORD, public_rows
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"


@pytest.fixture(scope="module")
def frame():
    """The locations the public sees (ended contracts are not public)."""
    return public_rows(load_geojson(DEMO, default_catalog()).frame)


def _ids(features):
    return sorted(f["id"] for f in features)


def test_landing_page_conformance_and_collections(client):
    landing = client.get("/ogc/").get_json()
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"].startswith("application/vnd.oai.openapi+json")
    assert set(client.get("/ogc/conformance").get_json()["conformsTo"]) >= {CORE, GEOJSON, OAS30}
    ids = [c["id"] for c in client.get("/ogc/collections").get_json()["collections"]]
    assert ids == ["locaties", "locaties-07", "locaties-02", "locaties-04", "locaties-15", "gemeenten"]
    api = client.get("/ogc/api")
    assert api.status_code == 200 and api.get_json()["openapi"].startswith("3.0")


def test_items_page_with_next_links_until_every_location(client, frame):
    seen, url, pages = [], "/ogc/collections/locaties/items?limit=100", 0
    while url:
        page = client.get(url).get_json()
        assert page["numberMatched"] == len(frame) and page["numberReturned"] == len(page["features"])
        seen += page["features"]
        url = next((link["href"].replace("http://localhost", "") for link in page["links"] if link["rel"] == "next"), None)
        pages += 1
    assert pages == -(-len(frame) // 100) and _ids(seen) == sorted(frame["id"])
    assert all(f["id"] == f["properties"]["id"] for f in seen)


def test_collection_per_care_type_and_filters(client, frame):
    day = client.get("/ogc/collections/locaties-07/items?limit=10000").get_json()["features"]
    assert _ids(day) == sorted(frame[frame["care_types"].map(lambda c: "07" in c)]["id"])
    oss = client.get("/ogc/collections/locaties-15/items?gemeente=Oss").get_json()["features"]
    expected = frame[frame["care_types"].map(lambda c: "15" in c) & (frame["municipality_code"] == "GM0828")]
    assert _ids(oss) == sorted(expected["id"])


def test_bbox_matches_an_independent_filter(client, frame):
    got = client.get("/ogc/collections/locaties/items?bbox=5.4,51.7,5.6,51.8").get_json()["features"]
    inside = frame[(frame["lon"] >= 5.4) & (frame["lon"] <= 5.6) & (frame["lat"] >= 51.7) & (frame["lat"] <= 51.8)]
    assert len(inside) > 10 and _ids(got) == sorted(inside["id"])


def test_single_feature_and_outlines(client, frame):
    fid = frame["id"].iloc[0]
    feature = client.get(f"/ogc/collections/locaties/items/{fid}").get_json()
    assert feature["id"] == fid and feature["type"] == "Feature"
    outlines = client.get("/ogc/collections/gemeenten/items").get_json()["features"]
    assert len(outlines) == 14 and {f["geometry"]["type"] for f in outlines} <= {"Polygon", "MultiPolygon"}
    assert client.get("/ogc/collections/gemeenten/items/GM0828").get_json()["properties"]["naam"] == "Oss"


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/ogc/collections/nergens/items", 404, "onbekende collectie"),
    ("/ogc/collections/locaties/items/LOC-9999", 404, "bestaat niet"),
    ("/ogc/collections/locaties-07/items/" + "LOC-0003", None, None),
    ("/ogc/collections/locaties/items?limit=0", 400, "limit moet tussen 1 en 10000"),
    ("/ogc/collections/locaties/items?bbox=1,2,3", 400, "vier getallen"),
    ("/ogc/collections/locaties/items?kleur=rood", 400, "onbekende parameter 'kleur'"),
    ("/ogc/collections/locaties/items?bbox-crs=EPSG:28992", 400, "CRS84"),
    ("/ogc/collections/locaties/items?f=xml", 400, "f moet json of html zijn"),
    ("/ogc/collections/locaties/items?datetime=not-a-date", 400, "RFC 3339"),
    ("/ogc/collections/locaties/items?datetime=2026-02-30", 400, "RFC 3339"),
    ("/ogc/collections/locaties/items?bbox=1,2,3,4,5", 400, "zes"),
])
def test_bad_requests_answer_ogc_exceptions_in_dutch(client, frame, url, status, words):
    response = client.get(url)
    if status is None:  # a location outside the care type's collection is not in it
        in_07 = "07" in frame.set_index("id").loc["LOC-0003", "care_types"]
        assert response.status_code == (200 if in_07 else 404)
        return
    body = response.get_json()
    assert response.status_code == status and words in body["description"] and body["code"]


def test_roles_and_audit(client, db, frame):
    anonymous = client.get("/ogc/collections/locaties-15/items").get_json()["features"][0]["properties"]
    assert "contact_name" not in anonymous and "bw_capacity" not in anonymous
    users.add_user(db, "gis", "beleidsadviseur", PASSWORD)
    headers = {"Authorization": f"Bearer {users.new_api_token(db, 'gis')}"}
    bw = client.get("/ogc/collections/locaties-15/items", headers=headers).get_json()["features"]
    assert all("bw_capacity" in f["properties"] for f in bw)
    from tests.test_hardening import _bw_reads

    assert any(actor == "gis" and "/ogc/collections/locaties-15/items" in target for actor, target in _bw_reads(db))
    assert client.get("/ogc/collections", headers={"Authorization": "Bearer wk_fout"}).status_code == 401


# --- GDAL's OAPIF driver as the GIS client -------------------------------------------------------

def _gdal():
    if shutil.which("ogr2ogr") is None:
        if os.environ.get("WMO_KAART_REQUIRE_GDAL") == "1":
            pytest.fail("GDAL required but ogr2ogr not found (apt-get install gdal-bin)")
        pytest.skip("GDAL (gdal-bin) not installed")


def _ogr2ogr(tmp_path, url: str, layer: str, *extra: str, token: str | None = None) -> dict:
    out = tmp_path / f"{layer}.geojson"
    out.unlink(missing_ok=True)
    config = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"] if token else []
    subprocess.run(["ogr2ogr", *config, "-f", "GeoJSON", str(out), f"OAPIF:{url}/ogc/", layer, "-oo", "PAGE_SIZE=60", *extra],
                   check=True, capture_output=True, timeout=120)
    return json.loads(out.read_text(encoding="utf-8"))


def _fields(url: str, layer: str, token: str | None = None) -> dict[str, str]:
    config = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"] if token else []
    text = subprocess.run(["ogrinfo", *config, "-ro", "-so", f"OAPIF:{url}/ogc/", layer],
                          check=True, capture_output=True, text=True, timeout=120).stdout
    return {line.split(":")[0]: line.split(":", 1)[1].strip().split(" ")[0]
            for line in text.splitlines() if ": " in line and not line.startswith((" ", "Layer", "Geometry", "Feature", "Extent", "Data"))}


def test_gdal_lists_collections_and_reads_every_feature_with_types(live_server, db, frame, tmp_path):
    _gdal()
    listing = subprocess.run(["ogrinfo", "-ro", f"OAPIF:{live_server.url}/ogc/"], check=True, capture_output=True,
                             text=True, timeout=120).stdout
    assert "locaties (title:" in listing and "gemeenten (title:" in listing
    everything = _ogr2ogr(tmp_path, live_server.url, "locaties")
    assert sorted(f["properties"]["id"] for f in everything["features"]) == sorted(frame["id"])
    first = frame.iloc[0]
    got = next(f for f in everything["features"] if f["properties"]["id"] == first["id"])
    assert got["geometry"]["coordinates"] == pytest.approx([first["lon"], first["lat"]], abs=1e-6)
    public = _fields(live_server.url, "locaties")
    assert (public["care_types"], public["wheelchair_accessible"]) == ("StringList", "Integer(Boolean)")
    assert "bw_capacity" not in public
    users.add_user(db, "qgis", "bw_consulent", PASSWORD)
    token = users.new_api_token(db, "qgis")
    bw = _fields(live_server.url, "locaties-15", token)
    assert (bw["bw_capacity"], bw["bw_occupancy"], bw["bw_updated"], bw["contract_end"]) == ("Integer", "Integer", "Date", "Date")


def test_gdal_spatial_filter_equals_bbox(live_server, client, tmp_path):
    _gdal()
    box = (5.4, 51.7, 5.6, 51.8)
    spat = _ogr2ogr(tmp_path, live_server.url, "locaties", "-spat", *map(str, box))
    api = client.get("/ogc/collections/locaties/items?bbox=" + ",".join(map(str, box))).get_json()
    assert len(api["features"]) > 10
    assert sorted(f["properties"]["id"] for f in spat["features"]) == _ids(api["features"])
