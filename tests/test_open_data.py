"""Open data at the edges where real clients use it (issue: QGIS with a key, browsers on other sites,
harvesters): keys as HTTP Basic passwords, CORS and JSON errors alike on /api/v1, /ogc and /hsds, OGC
API – Features details (limit, bbox, datetime, exact intersection, queryables, HTML)."""

from __future__ import annotations

import json
import subprocess

import pytest

from auth import users
from auth.keys import key_from_authorization
from tests.conftest import DEMO, PASSWORD, public_rows
from tests.test_ogc import _gdal
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson


@pytest.fixture(scope="module")
def frame():
    return public_rows(load_geojson(DEMO, default_catalog()).frame)


# --- keys every client can send ------------------------------------------------------------------

@pytest.mark.parametrize(("header", "key"), [
    ("Bearer wk_abc", "wk_abc"),
    ("bearer   wk_abc  ", "wk_abc"),
    ("Basic cWdpczp3a19hYmM=", "wk_abc"),          # qgis:wk_abc
    ("Basic d2tfYWJjOg==", "wk_abc"),              # wk_abc: (the key as user name, no password)
    ("BASIC OndrX2FiYw==", "wk_abc"),              # :wk_abc (no user name)
    ("Basic cWdpczpwYXNzOndvcmQ=", "pass:word"),   # qgis:pass:word (a colon in the password stays)
    ("Basic cWdpcw==", None),                      # qgis (no colon: not Basic credentials)
    ("Basic Og==", None),                          # ":" (nothing)
    ("Basic !!!", None),                           # not base64
    ("Basic //79", None),                          # not UTF-8
    ("Digest abc", None),
    ("Bearer", None),
    ("", None),
])
def test_key_from_authorization(header, key):
    assert key_from_authorization(header) == key


def _basic(user: str, password: str) -> dict:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_basic_login_with_the_key_as_password_gives_the_role_on_every_api(client, db):
    users.add_user(db, "qgis-bw", "bw_consulent", PASSWORD)
    key = users.new_api_token(db, "qgis-bw")
    for url in ("/api/v1/locations?zorgvorm=15", "/ogc/collections/locaties-15/items"):
        bw = client.get(url, headers=_basic("wie-dan-ook", key)).get_json()["features"]
        assert bw and all("bw_capacity" in f["properties"] for f in bw), url
        public = client.get(url).get_json()["features"]
        assert public and not any("bw_capacity" in f["properties"] for f in public), url
    services = client.get("/hsds/services?per_page=1000", headers=_basic("qgis", key)).get_json()["contents"]
    assert services
    for url in ("/api/v1/meta", "/ogc/collections", "/hsds/services"):
        refused = client.get(url, headers=_basic("qgis", "wk_verkeerd"))
        assert refused.status_code == 401, url
        assert "Basic" in refused.headers["WWW-Authenticate"] and "Bearer" in refused.headers["WWW-Authenticate"]
        assert "Access-Control-Allow-Origin" not in refused.headers  # never with credentials


def test_a_key_in_the_query_string_counts_for_nothing(client, db):
    users.add_user(db, "qs", "bw_consulent", PASSWORD)
    key = users.new_api_token(db, "qs")
    response = client.get(f"/ogc/collections/locaties-15/items?token={key}")
    assert response.status_code == 400 and "token" in response.get_json()["description"]
    response = client.get(f"/api/v1/locations?zorgvorm=15&api_key={key}")
    assert not any("bw_capacity" in f["properties"] for f in response.get_json()["features"])


def test_gdal_with_basic_auth_reads_bw_fields_only_with_a_bw_key(live_server, db, tmp_path):
    """QGIS 3.22's "Basic" authentication is GDAL's GDAL_HTTP_AUTH=BASIC with a user and password."""
    _gdal()
    users.add_user(db, "qgis322", "beleidsadviseur", PASSWORD)
    key = users.new_api_token(db, "qgis322")

    def fields(*config: str) -> str:
        return subprocess.run(["ogrinfo", *config, "-ro", "-so", f"OAPIF:{live_server.url}/ogc/", "locaties-15"],
                              check=True, capture_output=True, text=True, timeout=120).stdout

    with_key = fields("--config", "GDAL_HTTP_AUTH", "BASIC", "--config", "GDAL_HTTP_USERPWD", f"beleid:{key}")
    assert "bw_capacity: Integer" in with_key and "bw_occupancy: Integer" in with_key
    without = fields()
    assert "bw_capacity" not in without and "contact_name" not in without and "name: String" in without


# --- the same edges on every API -----------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/meta", "/ogc/", "/ogc/collections/locaties/items?limit=2", "/hsds/",
                                 "/hsds/services", "/ogc/api", "/hsds/openapi.json", "/ogc/nergens", "/hsds/nergens"])
def test_cors_on_every_api_for_public_reads(client, url):
    response = client.get(url, headers={"Origin": "https://www.gemeente.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(("url", "shape"), [
    ("/ogc/collections/locaties/queryables/x", "ogc"), ("/ogc/foo", "ogc"), ("/ogc/collections/locaties/items/x/y", "ogc"),
    ("/hsds/foo", "ours"), ("/hsds/services/x/y", "ours"), ("/api/v1/foo", "ours")])
def test_unknown_paths_answer_json_404_not_the_map(client, url, shape):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "application/json", response.data[:100]
    body = response.get_json()
    if shape == "ogc":
        assert body["code"] == "NotFound" and "onbekend pad" in body["description"]
    else:
        assert "onbekend pad" in body["error"]["message"]


def test_429_in_each_apis_own_shape(settings, db):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    client = create_app(replace(settings, rate_api="2 per minute")).test_client()
    for url, check in (("/ogc/collections", lambda b: b["code"] == "TooManyRequests" and "Te veel" in b["description"]),
                       ("/hsds/services", lambda b: "Te veel" in b["error"]["message"])):
        statuses = [client.get(url, environ_base={"REMOTE_ADDR": f"10.0.0.{len(url)}"}).status_code for _ in range(3)]
        last = client.get(url, environ_base={"REMOTE_ADDR": f"10.0.0.{len(url)}"})
        assert statuses[:2] == [200, 200] and last.status_code == 429 and check(last.get_json()), url
        assert last.headers["Access-Control-Allow-Origin"] == "*"


def test_over_long_requests_get_json_414_in_process(client):
    long = "/ogc/collections/locaties/items?q=" + "a" * 9000
    response = client.get(long)
    assert response.status_code == 414 and response.get_json()["code"] == "URITooLong"
    response = client.get("/api/v1/locations?aanbieder=" + ",".join(["P"] * 100) + "&q=" + "b" * 8200)
    assert response.status_code == 414 and "te lang" in response.get_json()["error"]["message"]


def test_the_production_server_reads_the_documented_maximum_and_answers_json_414_beyond(tmp_path):
    """gunicorn's own limit (4,094 bytes) refused a schema-valid request with 100 provider codes with an
    HTML page; now the line limit is gunicorn's maximum and what lies beyond it is JSON."""
    from bench._server import Served, get

    server = Served(tmp_path / "instance", workers=1).start()
    try:
        server.wait_ready()
        codes = ",".join(f"AANBIEDER-{i:030d}" for i in range(100))  # 100 codes of 40 characters
        status, body = get(f"{server.url}/api/v1/locations?aanbieder={codes}&limit=1")
        assert status == 200, body[:200]
        status, body = get(f"{server.url}/ogc/collections/locaties/items?aanbieder={codes}&limit=1")
        assert status == 200, body[:200]
        status, body = get(f"{server.url}/hsds/services?search=" + "x" * 9000)
        assert status == 414 and json.loads(body)["error"]["message"].startswith("het adres is te lang")
        status, body = get(f"{server.url}/ogc/collections?q=" + "x" * 9000)
        assert status == 414 and json.loads(body)["code"] == "URITooLong"
    finally:
        server.stop()


# --- OGC API – Features details ------------------------------------------------------------------

def test_limit_above_the_maximum_is_clamped(client, frame):
    body = client.get("/ogc/collections/locaties/items?limit=50000").get_json()
    assert body["numberReturned"] == min(len(frame), 10_000) and body["numberMatched"] == len(frame)
    assert client.get("/ogc/collections/locaties/items?limit=0").status_code == 400


def test_six_number_bbox_equals_the_four_number_one(client, frame):
    four = client.get("/ogc/collections/locaties/items?bbox=5.4,51.7,5.6,51.8").get_json()["features"]
    six = client.get("/ogc/collections/locaties/items?bbox=5.4,51.7,-10,5.6,51.8,300").get_json()["features"]
    inside = frame[frame["lon"].between(5.4, 5.6) & frame["lat"].between(51.7, 51.8)]
    assert len(four) > 10 and sorted(f["id"] for f in six) == sorted(f["id"] for f in four) == sorted(inside["id"])


@pytest.mark.parametrize(("value", "status"), [
    ("2026-12-03", 200), ("2026-12-03T10:00:00Z", 200), ("2026-01-01/..", 200), ("../2026-12-31T23:59:59+01:00", 200),
    ("2025-01-01/2026-01-01", 200), ("not-a-date", 400), ("2026-13-01", 400), ("2026-02-30", 400), ("2026-12-03T25:00:00Z", 400),
    ("2026-12-03/2026-12-04/2026-12-05", 400), ("12-03-2026", 400), ("2026-12-03 10:00", 400)])
def test_datetime_is_checked_as_rfc3339(client, value, status):
    from urllib.parse import quote

    response = client.get(f"/ogc/collections/locaties/items?limit=1&datetime={quote(value)}")
    assert response.status_code == status
    if status == 400:
        assert "RFC 3339" in response.get_json()["description"]


def test_outline_bbox_filter_intersects_the_geometry_not_its_box(client):
    """150 small boxes over the region: the outlines returned are exactly those whose polygon the box
    touches (shapely's `disjoint`, computed here), not those whose bounding box it touches."""
    from shapely.geometry import box, shape

    outlines = client.get("/ogc/collections/gemeenten/items").get_json()["features"]
    shapes = {f["id"]: shape(f["geometry"]) for f in outlines}
    west, south, east, north = 4.75, 51.35, 6.0, 51.9
    differed = 0
    for i in range(150):
        x = west + (east - west) * ((i * 37) % 150) / 150
        y = south + (north - south) * ((i * 53) % 150) / 150
        small = (x, y, x + 0.01, y + 0.008)
        got = sorted(f["id"] for f in client.get("/ogc/collections/gemeenten/items?bbox=" + ",".join(map(str, small))).get_json()["features"])
        expected = sorted(k for k, s in shapes.items() if not s.disjoint(box(*small)))
        by_box = sorted(k for k, s in shapes.items() if not box(*s.bounds).disjoint(box(*small)))
        differed += expected != by_box
        assert got == expected, small
    assert differed > 5  # the test would have caught the bounding-box comparison


def test_queryables_list_the_filters_with_their_values(client):
    response = client.get("/ogc/collections/locaties-07/queryables")
    assert response.status_code == 200 and response.mimetype == "application/schema+json"
    body = response.get_json()
    assert body["type"] == "object" and body["$id"].endswith("/ogc/collections/locaties-07/queryables")
    assert set(body["properties"]) == {"gemeente", "zorgvorm", "doelgroep", "aanbieder", "q"}
    assert "GM0828" in body["properties"]["gemeente"]["enum"] and "07" in body["properties"]["zorgvorm"]["enum"]
    assert client.get("/ogc/collections/gemeenten/queryables").get_json()["properties"] == {}
    assert client.get("/ogc/collections/nergens/queryables").status_code == 404
    assert "getQueryables" in json.dumps(client.get("/ogc/api").get_json())


def test_html_encoding_of_every_resource_linked_as_alternate(client, frame):
    conformance = client.get("/ogc/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html" in conformance
    first = frame.iloc[0]
    for path in ("/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/locaties",
                 "/ogc/collections/locaties/items?limit=5", f"/ogc/collections/locaties/items/{first['id']}",
                 "/ogc/collections/locaties/queryables"):
        as_json = client.get(path).get_json()
        alternate = next(link for link in as_json["links"] if link["rel"] == "alternate")
        assert alternate["type"] == "text/html" and "f=html" in alternate["href"], path
        page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert page.status_code == 200 and page.mimetype == "text/html", path
        html = page.get_data(as_text=True)
        assert '<html lang="nl">' in html and "<h1>" in html and 'rel="alternate"' in html, path
        assert "Accept" in page.headers["Vary"].split(", ")
    item = client.get(f"/ogc/collections/locaties/items/{first['id']}?f=html").get_data(as_text=True)
    assert first["name"].replace("&", "&amp;").replace("'", "&#39;") in item and first["city"] in item
    # a client asking for anything gets JSON, as before
    assert client.get("/ogc/", headers={"Accept": "*/*"}).mimetype == "application/json"


# --- HSDS as a harvestable feed ------------------------------------------------------------------

@pytest.fixture
def data_app(settings, tmp_path):
    """The app on a writable copy of the demo data (publishing changes it)."""
    from dataclasses import replace

    from wmo_kaart.web import create_app

    import os

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    os.utime(data, (1767225600, 1767225600))  # written on 2026-01-01, before the tests' fixed today
    return create_app(replace(settings, data_path=data))


def _all(client, url: str, headers: dict | None = None) -> list[dict]:
    found, page = [], 1
    while True:
        body = client.get(f"{url}{'&' if '?' in url else '?'}per_page=1000&page={page}", headers=headers or {}).get_json()
        found += body["contents"]
        if body["last_page"]:
            return found
        page += 1


def test_modified_after_returns_exactly_what_a_publish_changed_as_each_role_sees_it(data_app, db):
    """A harvester asks for what changed since its last visit: after a publish that changes one phone
    (public), one BW figure (BW roles only), moves one location and adds one, `modified_after` gives
    exactly those services; the public never learns that a BW figure changed."""
    import copy
    import time

    from wmo_kaart.core import modified

    client = data_app.test_client()
    users.add_user(db, "harvest-bw", "beleidsadviseur", PASSWORD)
    bw_key = {"Authorization": f"Bearer {users.new_api_token(db, 'harvest-bw')}"}
    store = data_app.extensions["wmo_kaart"].store
    collection, base = store.collection()
    time.sleep(1.1)  # publication times are whole seconds
    changed = copy.deepcopy(collection)
    by_id = {f["properties"]["id"]: f for f in changed["features"]}
    public = set(public_rows(load_geojson(DEMO, default_catalog()).frame)["id"])
    ids = sorted(public)
    phone, moved = ids[0], ids[1]
    bw_one = next(i for i in ids if by_id[i]["properties"].get("bw_capacity") and i not in (phone, moved))
    by_id[phone]["properties"]["phone"] = "0412-000111"
    by_id[moved]["geometry"]["coordinates"][1] += 0.002
    props = by_id[bw_one]["properties"]
    props["bw_occupancy"] = 0 if props.get("bw_occupancy") else 1
    new = copy.deepcopy(by_id[ids[3]])
    new["properties"].update(id="LOC-NIEUW", name="Nieuwe locatie (demo)", street="Nieuwstraat")
    changed["features"].append(new)
    version = store.publish(changed, actor="test", source="t.csv", source_sha256="0" * 64, base=base)
    assert modified.__name__  # the store stamped it (see test_store_contract for the rule per tier)

    def locations(services: list[dict]) -> set[str]:
        return {sal["location"]["external_identifier"] for s in services for sal in s["service_at_locations"]}

    since = version.published_at
    anonymous = _all(client, f"/hsds/services?full=true&modified_after={since.replace('+', '%2B')}")
    assert locations(anonymous) == {phone, moved, "LOC-NIEUW"}
    assert all(s["last_modified"] == since for s in anonymous)
    as_bw = _all(client, f"/hsds/services?full=true&modified_after={since.replace('+', '%2B')}", bw_key)
    assert locations(as_bw) == {phone, moved, bw_one, "LOC-NIEUW"}
    # the same through service_at_locations, and a minimal listing for harvesters
    sals = _all(client, f"/hsds/service_at_locations?modified_after={since.replace('+', '%2B')}")
    assert {s["location"]["external_identifier"] for s in sals} == {phone, moved, "LOC-NIEUW"}
    minimal = _all(client, f"/hsds/services?minimal=true&modified_after={since.replace('+', '%2B')}")
    assert sorted(minimal, key=lambda s: s["id"]) == sorted(({"id": s["id"], "last_modified": s["last_modified"]} for s in anonymous),
                                                            key=lambda s: s["id"])
    everything = _all(client, "/hsds/services?minimal=true")
    assert len(everything) > len(minimal) and all(set(s) == {"id", "last_modified"} for s in everything)
    assert client.get("/hsds/services?modified_after=gisteren").status_code == 400
    assert client.get("/hsds/services?minimal=ja").status_code == 400


def test_hsds_has_schedules_specialisms_and_last_checked(client):
    """Opening hours as schedules (a weekly rule where the text is one), specialisms and the last-checked
    date as attributes; every service still validates (test_hsds checks the schemas)."""
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    row = frame[(frame["opening_hours"] == "di, do en vr 10:00-16:00") & frame["specialisms"].map(bool)
                & frame["last_checked"].notna()].iloc[0]
    services = _all(client, "/hsds/services?full=true")
    service = next(s for s in services if s["service_at_locations"][0]["location"]["external_identifier"] == row["id"])
    schedule = service["service_at_locations"][0]["location"]["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("WEEKLY", "TU,TH,FR", "10:00", "16:00")
    assert "di, do en vr 10:00-16:00" in schedule["description"]
    attributes = {(a["taxonomy_term"]["taxonomy"], a["value"]) for a in service["attributes"]}
    assert {("Specialismen Wmo-kaart", s) for s in row["specialisms"]} <= attributes
    assert ("Kenmerken Wmo-kaart", str(row["last_checked"])[:10]) in attributes
    complex_hours = frame[frame["opening_hours"] == "ma-vr 9:30-15:00, wo tot 12:00"].iloc[0]
    other = next(s for s in services if s["service_at_locations"][0]["location"]["external_identifier"] == complex_hours["id"])
    only_text = other["service_at_locations"][0]["location"]["schedules"][0]
    assert "freq" not in only_text and "wo tot 12:00" in only_text["description"]


def test_hsds_has_its_own_openapi_document(client):
    root = client.get("/hsds/").get_json()
    assert root["openapi_url"].endswith("/hsds/openapi.json")
    document = client.get("/hsds/openapi.json").get_json()
    assert document["servers"][0]["url"].endswith("/hsds")
    assert {"/services", "/services/{id}", "/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms"} <= set(document["paths"])
    names = {p["name"] for p in document["paths"]["/services"]["get"]["parameters"]}
    assert {"modified_after", "minimal", "full", "page", "per_page"} <= names
    assert document["components"]["securitySchemes"]["basic"]["scheme"] == "basic"


# --- a dataset people can find -------------------------------------------------------------------

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def _expanded(client) -> list[dict]:
    """/data.json expanded by a JSON-LD processor (W3C algorithm; no document is fetched: the context is inline)."""
    from pyld import jsonld

    response = client.get("/data.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    flat = jsonld.flatten(json.loads(response.data))
    return flat["@graph"] if isinstance(flat, dict) else flat


def _of_type(nodes: list[dict], kind: str) -> list[dict]:
    return [n for n in nodes if DCAT + kind in n.get("@type", [])]


def test_dcat_description_is_json_ld_with_the_required_terms_and_its_links_resolve(data_app):
    client = data_app.test_client()
    nodes = _expanded(client)
    datasets = [n for n in _of_type(nodes, "Dataset") if DCT + "isVersionOf" not in n]
    assert len(datasets) == 1
    dataset = datasets[0]
    for term in ("title", "description", "publisher", "license", "accrualPeriodicity", "spatial", "temporal", "identifier"):
        assert DCT + term in dataset, term
    assert {t["@language"] for t in dataset[DCT + "title"]} == {"nl", "en"}
    assert dataset[DCT + "license"][0]["@id"].startswith("http://creativecommons.org/publicdomain/zero/1.0")
    by_id = {n["@id"]: n for n in nodes}
    publisher = by_id[dataset[DCT + "publisher"][0]["@id"]]
    assert "Brabant Noordoost-oost" in publisher["http://xmlns.com/foaf/0.1/name"][0]["@value"]
    distributions = [by_id[d["@id"]] for d in dataset[DCAT + "distribution"]]
    media = sorted(d[DCAT + "mediaType"][0]["@id"].rsplit("/", 2)[-2] + "/" + d[DCAT + "mediaType"][0]["@id"].rsplit("/", 1)[-1]
                   for d in distributions)
    assert media == sorted(["application/geo+json", "text/csv", "application/json",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
    services = _of_type(nodes, "DataService")
    assert {s[DCAT + "endpointURL"][0]["@id"].split("/", 3)[-1] for s in services} == {"api/v1/", "ogc/", "hsds/"}
    # every link of ours resolves (the licence and themes are other sites' addresses)
    ours = {v["@id"] for n in nodes for key, values in n.items() if key in (
        DCAT + "downloadURL", DCAT + "accessURL", DCAT + "endpointURL", DCAT + "endpointDescription", DCAT + "landingPage")
        for v in values}
    assert len(ours) > 10
    for url in ours:
        path = "/" + url.split("/", 3)[3]
        assert client.get(path).status_code == 200, path


def test_downloads_are_the_public_view_and_each_kept_version_stays_at_its_address(data_app, db):
    import copy

    client = data_app.test_client()
    store = data_app.extensions["wmo_kaart"].store
    first = client.get("/data/actueel/wmo-kaart-locaties.geojson")
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    features = first.get_json()["features"]
    public = public_rows(load_geojson(DEMO, default_catalog()).frame)
    assert sorted(f["id"] for f in features) == sorted(public["id"])
    assert not any(k in f["properties"] for f in features for k in ("bw_capacity", "contact_name", "contract_end"))
    collection, base = store.collection()
    smaller = {**copy.deepcopy(collection), "features": collection["features"][:-5]}
    store.publish(smaller, actor="test", source="t.csv", source_sha256="0" * 64, base=base)
    again = client.get(f"/data/versies/{base}/wmo-kaart-locaties.geojson").get_json()["features"]
    assert sorted(f["id"] for f in again) == sorted(f["id"] for f in features)
    now = client.get("/data/actueel/wmo-kaart-locaties.geojson").get_json()["features"]
    assert len(now) < len(features)
    for suffix in ("csv", "xlsx", "hsds.json"):
        assert client.get(f"/data/versies/{base}/wmo-kaart-locaties.{suffix}").status_code == 200
    assert client.get("/data/versies/999/wmo-kaart-locaties.csv").status_code == 404
    assert client.get("/data/actueel/wmo-kaart-locaties.exe").status_code == 404
    page = client.get("/data").get_data(as_text=True)
    assert f"/data/versies/{base}/wmo-kaart-locaties.csv" in page and 'type="application/ld+json"' in page
    assert "Earlier versions" in client.get("/data?lang=en").get_data(as_text=True)


def test_a_page_on_another_origin_reads_ogc_and_hsds_in_chromium(browser, live_server):
    """A web map viewer on another site: a page on another loopback port fetches /ogc and /hsds."""
    import http.server
    import threading

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server interface
            body = b"<!doctype html><title>Andere site</title><p>andere site</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{other.server_port}/")
        script = ("const done = arguments[arguments.length - 1];"
                  "fetch(arguments[0]).then(r => r.json()).then(j => done(JSON.stringify(j).slice(0, 200000)))"
                  ".catch(e => done('ERROR ' + e));")
        ogc = browser.execute_async_script(script, f"{live_server.url}/ogc/collections/locaties/items?limit=2")
        assert '"FeatureCollection"' in ogc, ogc
        hsds = browser.execute_async_script(script, f"{live_server.url}/hsds/services?per_page=2")
        assert '"total_items"' in hsds, hsds
        catalogue = browser.execute_async_script(script, f"{live_server.url}/data.json")
        assert "dcat:Catalog" in catalogue, catalogue
    finally:
        other.shutdown()
