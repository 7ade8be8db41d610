"""Answers prepared once per data version: the same bytes as encoding the collection, an ETag that a repeat
gets 304 for, compressed copies only where they pay, and a new answer as soon as a new version is live, in
every worker, on the file store and on PostGIS."""

from __future__ import annotations

import copy
import gzip
import json
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from wmo_kaart.core import access
from wmo_kaart.core.filters import LocationFilter, apply_filter
from wmo_kaart.export.tables import to_geojson


def test_the_prepared_collection_is_the_collection_encoded_at_once(app, client):
    body = client.get("/api/v1/locations?gemeente=GM0828&zorgvorm=07&limit=7&offset=2").data
    view = access.view_for(app.extensions["wmo_kaart"].store.current(), "anonymous")
    rows = apply_filter(view, LocationFilter(care_types=("07",), municipalities=("GM0828",)))
    page = rows.iloc[2:9]
    expected = {**to_geojson(page), "numberMatched": len(rows), "numberReturned": 7, "links": [
        {"rel": "next", "type": "application/geo+json",
         "href": "/api/v1/locations?gemeente=GM0828&zorgvorm=07&limit=7&offset=9"}]}
    assert json.loads(body) == expected
    assert body == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()


def test_a_repeat_with_the_etag_costs_nothing_and_other_queries_differ(client):
    first = client.get("/api/v1/locations?gemeente=GM0828")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/locations?gemeente=GM0828", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = client.get("/api/v1/locations?gemeente=GM0855")
    assert other.headers["ETag"] != etag
    assert client.get("/api/v1/locations?gemeente=GM0828", headers={"If-None-Match": 'W/"anders"'}).status_code == 200


def test_compressed_where_it_pays_and_never_for_tiny_answers(client):
    plain = client.get("/api/v1/locations?gemeente=GM0828&limit=500").data
    for encoding, unpack in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = client.get("/api/v1/locations?gemeente=GM0828&limit=500", headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding and unpack(packed.data) == plain
        assert len(packed.data) < len(plain) / 3
    tiny = client.get("/api/v1/nearest?van=Oss&limit=1", headers={"Accept-Encoding": "gzip, br"})
    assert tiny.status_code == 200 and len(tiny.data) < 1024 and "Content-Encoding" not in tiny.headers
    one = client.get("/api/v1/locations?gemeente=GM0828&limit=1", headers={"Accept-Encoding": "gzip"})
    assert len(json.dumps(one.get_json())) < 1024 and "Content-Encoding" not in one.headers


def test_a_role_gets_its_own_answer_and_no_public_caching(app, client, make_user, auth):
    assert auth.login(make_user("beheerder")).status_code == 302
    mine = auth.client.get("/api/v1/locations?gemeente=GM0828")
    assert mine.headers["Cache-Control"] == "no-store"
    anonymous = app.test_client().get("/api/v1/locations?gemeente=GM0828")
    assert mine.headers["ETag"] != anonymous.headers["ETag"]
    assert "bw_capacity" in mine.get_data(as_text=True) and "bw_capacity" not in anonymous.get_data(as_text=True)


def _renamed(collection: dict, suffix: str) -> dict:
    changed = copy.deepcopy(collection)
    for feature in changed["features"]:
        if feature["properties"]["municipality_code"] == "GM0828":
            feature["properties"]["name"] += suffix
    return changed


@pytest.mark.parametrize("backend", ["file", "postgis"])
def test_a_new_version_reaches_every_worker(backend, tmp_path, request):
    import time

    from bench._server import Served, get
    from wmo_kaart.config import from_env, open_store

    import shutil

    from tests.conftest import DEMO

    data = tmp_path / "providers.geojson"
    shutil.copy(DEMO, data)  # the file store publishes into its data file: never the repository's
    env = {"WMO_KAART_RATE_API": "100000 per minute", "WMO_KAART_DATA": str(data)}
    if backend == "postgis":
        from bench._postgres import create_database

        url, drop = create_database(request.getfixturevalue("postgres_url"), "wmo_kaart_prepared")
        request.addfinalizer(drop)
        env["WMO_KAART_STORE"] = url
    server = Served(tmp_path / "instance", env, workers=3).start()
    path = "/api/v1/locations?gemeente=GM0828&limit=10000"
    try:
        server.wait_ready()
        with ThreadPoolExecutor(12) as pool:
            before = set(pool.map(lambda _: get(server.url + path)[1], range(36)))
        assert len(before) == 1 and " (v2)" not in before.pop().decode()
        store = open_store(from_env({**env, "WMO_KAART_INSTANCE": str(tmp_path / "instance")}))
        live, number = store.collection()
        store.publish(_renamed(live, " (v2)"), actor="test", source="test", source_sha256="0" * 64, base=number)
        deadline = time.monotonic() + 15  # PostGIS workers look for a new version at most once a second
        while True:
            time.sleep(1.0)
            with ThreadPoolExecutor(12) as pool:
                after = list(pool.map(lambda _: get(server.url + path)[1], range(36)))
            if all(b" (v2)" in body for body in after) or time.monotonic() > deadline:
                break
    finally:
        server.stop()
    names = [f["properties"]["name"] for body in after for f in json.loads(body)["features"]]
    assert names and all(name.endswith(" (v2)") for name in names)
