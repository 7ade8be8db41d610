"""Findings of the red team, each with a test: audit of every BW response, no-store caching, private
files, malformed input gives 400, and the input bugs that reached the code."""

from __future__ import annotations

import json
import os
import stat

import pytest
from sqlalchemy import select

from auth import users
from auth.db import audit_log
from tests import dash_client
from tests.conftest import PASSWORD, AuthActions


def _bw_reads(db) -> list[tuple[str, str]]:
    with db.connect() as conn:
        return [(r.actor, r.target) for r in conn.execute(select(audit_log).where(audit_log.c.action == "bw_read"))]


@pytest.mark.parametrize(("role", "audited"), [("bw_consulent", True), ("beheerder", True), ("contractmanager", False),
                                               ("anonymous", False)])
def test_every_api_response_with_bw_figures_is_audited_once(app, db, role, audited):
    headers = {}
    if role != "anonymous":
        users.add_user(db, "u", role, PASSWORD)
        headers = {"Authorization": "Bearer " + users.new_api_token(db, "u")}
    client = app.test_client()
    for path in ("/api/v1/locations?zorgvorm=15", "/api/v1/nearest?van=5341&zorgvorm=15", "/api/v1/export/csv"):
        assert client.get(path, headers=headers).status_code == 200
    reads = _bw_reads(db)
    assert len(reads) == (3 if audited else 0), reads
    if audited:
        assert {actor for actor, _ in reads} == {"u"} and reads[0][1].startswith("/api/v1/locations")


def test_callbacks_with_bw_figures_are_audited(app, db):
    users.add_user(db, "bw", "bw_consulent", PASSWORD)
    auth = AuthActions(app.test_client())
    auth.login("bw")
    deps = dash_client.dependencies(auth.client)
    dash_client.post(auth.client, dash_client.find(deps, "map-count.children"), {("map-care", "value"): ["15"]},
                     headers=auth.csrf_header())
    assert _bw_reads(db) == [("bw", "kaart")]


def test_pages_and_callbacks_with_professional_data_are_not_cached(app, db):
    users.add_user(db, "beheer", "beheerder", PASSWORD)
    auth = AuthActions(app.test_client())
    auth.login("beheer")
    for path in ("/pro", "/dekking", "/beheer", "/account/password", "/api/v1/locations"):
        assert auth.client.get(path).headers.get("Cache-Control") == "no-store", path
    dep = dash_client.find(dash_client.dependencies(auth.client), "map-count.children")
    assert dash_client.post(auth.client, dep, headers=auth.csrf_header()).headers["Cache-Control"] == "no-store"
    assert "no-store" not in (app.test_client().get("/assets/wmo-kaart.css").headers.get("Cache-Control") or "")


def test_accounts_database_and_instance_folder_are_private(app, settings):
    assert stat.S_IMODE(os.stat(settings.instance_path).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(settings.instance_path / "wmo-kaart.sqlite").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(settings.instance_path / "secret_key").st_mode) == 0o600


def test_a_callback_that_fails_answers_400_not_500(app, monkeypatch):
    from wmo_kaart.web.pages import map_page

    def broken(*args):
        raise KeyError("boom")
    client = app.test_client()
    dep = dash_client.find(dash_client.dependencies(client), "map-count.children")
    monkeypatch.setattr(map_page, "update_map", broken)  # registered already: patch what it calls instead
    monkeypatch.setattr(map_page, "apply_filter", broken)
    response = dash_client.post(client, dep)
    assert response.status_code == 400 and response.get_json() == {"error": "ongeldige invoer voor dit onderdeel"}


@pytest.mark.parametrize("value", [1.5, 3, True, {"a": 1}, [1.5, None, ["x"]]])
def test_filters_take_any_json_without_crashing(value):
    from wmo_kaart.core.filters import LocationFilter

    flt = LocationFilter.from_values(value, value, value, value, value)
    assert all(isinstance(v, str) for v in (*flt.care_types, *flt.municipalities))


def test_more_than_fifty_query_fields_fall_back_to_defaults():
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.web import urlstate

    state = urlstate.parse("?" + "&".join(f"x{i}=1" for i in range(80)), default_catalog())
    assert state == urlstate.EmbedState()


@pytest.mark.parametrize("query", [
    "was=5&zoek=1&zorgvorm=7.5&q=3", "meer=-1", "meer=99999999999999999999", "info=<script>alert(1)</script>",
    "op=../../etc&weg=%01x", "bewaard=" + ",".join(f"L{i}" for i in range(500)), "gemeente=" + "x" * 5000,
    "q=%3Cscript%3E&lang=xx&theme=../../x", "zorgvorm=07&zorgvorm=07&zorgvorm=" + "0" * 300])
def test_the_embed_answers_any_address_with_a_page(client, query):
    response = client.get(f"/embed?{query}")
    assert response.status_code in (200, 400), response.status_code
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "Traceback" not in body and "../../x" not in body
    layer = client.get(f"/embed/laag.geojson?{query}")
    assert layer.status_code in (200, 400, 404) and "Traceback" not in layer.get_data(as_text=True)


def test_anonymous_api_and_callbacks_are_rate_limited(settings, db):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    app = create_app(replace(settings, rate_api="3 per minute", rate_callbacks="4 per minute"))
    client = app.test_client()
    codes = [client.get("/api/v1/meta").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Te veel verzoeken" in client.get("/api/v1/meta").get_json()["error"]["message"]
    other = app.test_client()
    assert other.get("/api/v1/meta", environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code == 200, "per address"
    dep = dash_client.find(dash_client.dependencies(client), "map-count.children")
    codes = [dash_client.post(client, dep).status_code for _ in range(5)]
    assert codes[:4] == [200] * 4 and codes[4] == 429
    users.add_user(app.extensions["wmo_kaart_db"], "u", "contractmanager", PASSWORD)
    token = users.new_api_token(app.extensions["wmo_kaart_db"], "u")
    assert client.get("/api/v1/meta", headers={"Authorization": f"Bearer {token}"}).status_code == 200, "keys are not limited"


def test_a_formula_in_a_location_code_is_text_in_every_export(tmp_path):
    """A location code '=1+2' (accepted on import) is neutralised in every export, the coverage XLSX and CSV
    included; the coverage XLSX keeps its provenance rows (Zorgvorm, Doelgroep)."""
    import copy
    import io as _io

    from openpyxl import load_workbook

    from tests.conftest import VALID_FEATURE
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.coverage import compute
    from wmo_kaart.core.coverage_params import parse_scenario
    from wmo_kaart.core.dataset import parse_bytes
    from wmo_kaart.core.demand import load_demand
    from wmo_kaart.export import coverage_tables
    from wmo_kaart.export.formats import FORMATS

    feature = copy.deepcopy(VALID_FEATURE)
    feature["properties"].update(id="=1+2", name="@SUM(A1)", care_types=["07"])
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    dataset = parse_bytes(data, default_catalog(), "test")
    result = compute(load_demand(), dataset.frame, parse_scenario(default_catalog(), "07", "ouderen"))
    book = load_workbook(_io.BytesIO(coverage_tables.to_xlsx(result, "CBS")))
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    nearest = {ws.title: [c.value for row in ws.iter_rows() for c in row] for ws in book.worksheets}
    assert "'=1+2" in nearest["Gebieden"]
    assert "Zorgvorm" in nearest["Bron"] and "Doelgroep" in nearest["Bron"]
    assert b"=1+2" not in coverage_tables.to_csv(result).replace(b"'=1+2", b"")
    rows = dataset.frame
    for fmt in FORMATS.values():
        body = fmt.write(rows, default_catalog(), {})
        if fmt.slug == "xlsx":
            sheet = load_workbook(_io.BytesIO(body))
            assert not [c for ws in sheet.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
        elif fmt.slug == "csv":
            assert b"'=1+2" in body and b";=1+2" not in body and b"'@SUM(A1)" in body


@pytest.mark.parametrize("method,path,data,machine", [
    ("post", "/login", {"username": "beheer\x00", "password": "x"}, False),
    ("post", "/melding", {"bericht": "Het adres klopt niet\x00 meer", "locatie": "LOC-0001"}, False),
    ("get", "/api/v1/locations?q=Oss%00", None, True),
    ("get", "/ogc/collections/locaties/items?q=%01", None, True),
    ("get", "/hsds/services?zoek=%1b", None, True),
    ("get", "/handout?ids=LOC-0001&q=Oss%00", None, False),
])
def test_control_characters_are_refused_at_the_edge(client, method, path, data, machine):
    from tests.conftest import csrf_from

    if data:  # a real form post: with the page's CSRF token, so the control character is what is judged
        page = client.get(path + ("?locatie=LOC-0001" if path == "/melding" else "")).get_data(as_text=True)
        data = {**data, "csrf_token": csrf_from(page)}
    response = getattr(client, method)(path, data=data) if data else getattr(client, method)(path)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "stuurteken" in body and "Traceback" not in body
    assert (response.mimetype == "application/json") is machine


def test_rate_limits_count_per_client_across_an_apis_routes_and_ignore_fake_keys(settings, db):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    app = create_app(replace(settings, rate_api="120 per minute", rate_callbacks="4 per minute"))
    client = app.test_client()
    paths = ["/api/v1/meta", "/api/v1/locations?limit=1", "/api/v1/nearest?van=Oss&limit=1", "/api/v1/openapi.json"]
    codes = [client.get(paths[i % 4]).status_code for i in range(130)]
    assert codes[:120].count(429) == 0 and codes[120:] == [429] * 10, "one budget for the four routes"
    fake = app.test_client()
    answers = [fake.get("/api/v1/meta", headers={"Authorization": "x"}, environ_base={"REMOTE_ADDR": "10.8.8.8"}).status_code
               for _ in range(125)]
    assert 429 in answers, "'Authorization: x' gets the anonymous limit"
    dep = dash_client.find(dash_client.dependencies(client), "map-count.children")
    codes = [dash_client.post(client, dep, headers={"Authorization": "x"}).status_code for _ in range(5)]
    assert codes[4] == 429, "a header is no session for the callbacks"
    # the embed's searches and its layer, and the map's layer names, have a budget of their own kind each
    for path in ("/embed?q=Oss", "/embed/laag.geojson?q=Oss", "/kaart/laag/locations.namen.json?lang=nl"):
        visitor = app.test_client()
        codes = [visitor.get(path, environ_base={"REMOTE_ADDR": f"10.9.9.{len(path)}"}).status_code for _ in range(5)]
        assert codes[:4].count(429) == 0 and codes[4] == 429, (path, codes)
    refused = visitor.get("/embed", environ_base={"REMOTE_ADDR": "10.9.9.1"})
    for _ in range(4):
        refused = visitor.get("/embed", environ_base={"REMOTE_ADDR": "10.9.9.1"})
    assert refused.status_code == 429 and refused.mimetype == "text/plain" and "Te veel verzoeken" in refused.get_data(as_text=True)


def test_callback_bodies_are_limited_to_what_a_real_callback_needs(client):
    big = {"output": "..embed-shortlist-panel.children...", "outputs": [{"id": {"type": "embed-keep", "id": f"L{i}"},
                                                                         "property": "children"} for i in range(5000)],
           "inputs": [], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=big)
    assert response.status_code == 413


def _cpu(client, path: str, headers: dict, repeat: int = 5) -> float:
    """Median CPU time (this process: the test client runs the app in it) of one request."""
    import statistics
    import time

    times = []
    for _ in range(repeat):
        start = time.process_time()
        client.get(path, headers=headers)
        times.append(time.process_time() - start)
    return statistics.median(times)


def test_a_made_up_static_or_glyph_path_costs_no_more_than_a_known_one(app):
    """Compression is keyed on the content, never on the requested path: a made-up bundle fingerprint is
    served from the copy compressed for the real file; a made-up tile is a cheap 404."""
    import re as _re

    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    known = next(p for p in _re.findall(r'src="(/_dash-component-suites/dash/dcc/dash_core_components[^"]+\.js)"', page))
    brotli = {"Accept-Encoding": "br"}
    client.get(known, headers=brotli)  # the first request compresses; every later one is cached
    made_up = _re.sub(r"\.v[0-9_a-z]+m[0-9]+\.js$", ".v9_9_9m123456789.js", known)
    assert made_up != known and client.get(made_up, headers=brotli).status_code == 200
    assert _cpu(client, made_up, brotli) <= 2 * _cpu(client, known, brotli) + 0.002
    assert client.get("/_dash-component-suites/nonexistent/x.js").status_code == 404
    label = "/tiles/namen/11/1055/677.png"
    client.get(label)
    made_up_tile = "/tiles/namen/25/99999999/0.png"  # outside the pyramid: refused before any drawing
    assert client.get(made_up_tile).status_code == 404
    assert _cpu(client, made_up_tile, {}) <= 2 * _cpu(client, label, {}) + 0.002
