"""The public map through the Flask test client: page, headers and callbacks."""

from __future__ import annotations

import json

import pytest

from tests import dash_client
from tests.conftest import DEMO, public_rows
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson


def _layer(client, out: dict, layer: str = "locations") -> dict:
    """Fetch a layer of the map from the address the callback gave it (as the browser does)."""
    url = out[f"map-layer-{layer}"]["url"]
    assert url.startswith(f"/kaart/laag/{layer}.geojson?")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    return response.get_json()


def _points(out: dict, client) -> int:
    return len(_layer(client, out)["features"])


def test_index_is_served_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="nl">' in response.data
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_page_references_only_our_own_host(client):
    html = client.get("/").data.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_routing_renders_public_map(client):
    deps = dash_client.dependencies(client)
    response = dash_client.post(client, dash_client.find(deps, "page.children"), {("url", "pathname"): "/"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "map-leaflet" in text and "Demogegevens" in text


def test_unknown_page(client):
    deps = dash_client.dependencies(client)
    response = dash_client.post(client, dash_client.find(deps, "page.children"), {("url", "pathname"): "/nope"})
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def _map(client, headers=None, **values):
    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-count.children")
    response = dash_client.post(client, dep, {(f"map-{k}", "value"): v for k, v in values.items()}, headers=headers)
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]


def test_map_callback_draws_every_location(client):
    out = _map(client)
    total = len(public_rows(load_geojson(DEMO, default_catalog()).frame))  # ended contracts are not public
    assert _points(out, client) == total
    assert out["map-count"]["children"] == f"{total} van {total} locaties"


@pytest.mark.parametrize("code", ["07", "02", "04", "15"])
def test_map_callback_filters_by_care_type(client, code):
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    expected = sum(code in cts for cts in frame["care_types"])
    out = _map(client, care=[code])
    assert _points(out, client) == expected
    drawn_as = {f["properties"]["care"][0] for f in _layer(client, out)["features"]}
    assert drawn_as == {code}, "with one care type chosen, every marker is drawn as that type"


def test_map_callback_survives_forged_input_types(client):
    out = _map(client, care={"x": 1}, gemeente=42, doelgroep=[None], q=["<script>"])
    assert "map-layer-locations" in out


def test_public_responses_carry_no_confidential_fields(client):
    out = _map(client)
    text = json.dumps(out) + json.dumps(_layer(client, out)) + json.dumps(_layer(client, out, "bw"))
    for name in ("contact_name", "contact_email", "contract_id", "bw_capacity", "bw_occupancy"):
        assert name not in text
    frame = load_geojson(DEMO, default_catalog()).frame
    assert frame.iloc[0]["contact_email"] not in text


def test_details_callback_shows_public_fields_only(client):
    frame = load_geojson(DEMO, default_catalog()).frame
    row = frame[frame["care_types"].map(lambda c: "15" in c)].iloc[0]
    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-details.children")
    response = dash_client.post(client, dep, {("map-layer-locations", "clickData"): {"properties": {"id": row["id"]}}},
                                changed=["map-layer-locations.clickData"])
    text = dash_client.text(response)
    assert response.status_code == 200
    assert "Rolstoeltoegankelijk" in text and ("\"ja\"" in text or "\"nee\"" in text)
    assert row["name"] in text and row["phone"] in text and row["website"] in text
    assert row["contact_name"] not in text and row["contract_id"] not in text
    assert "BW-capaciteit" not in text


def test_details_for_a_list_row_and_an_unknown_id(client):
    frame = load_geojson(DEMO, default_catalog()).frame
    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-details.children")
    first = frame.iloc[3]["id"]
    chosen = {("map-row-chosen", "data"): {"id": first, "at": 1}}  # what assets/choose.js sets for a row
    text = dash_client.post(client, dep, chosen, changed=["map-row-chosen.data"]).get_data(as_text=True)
    assert frame.iloc[3]["name"] in text
    forged = dash_client.post(client, dep, {("map-layer-locations", "clickData"): {"properties": {"id": "NOPE"}}},
                              changed=["map-layer-locations.clickData"])
    assert "bestaat niet" in forged.get_data(as_text=True)
    for junk in ({"id": ["x"]}, "LOC-0001", {"id": "<b>x</b>" * 100}):
        answer = dash_client.post(client, dep, {("map-row-chosen", "data"): junk}, changed=["map-row-chosen.data"])
        assert answer.status_code in (200, 204) and "<b>" not in answer.get_data(as_text=True)


def test_host_header_is_never_reflected(settings):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    evil = {"Host": "evil.example"}
    client = create_app(settings).test_client()
    assert "evil.example" not in client.get("/embed/code", headers=evil).get_data(as_text=True)
    assert client.get("/api/v1/openapi.json", headers=evil).get_json()["servers"] == [{"url": "/api/v1"}]
    local = client.get("/embed/code").get_data(as_text=True)
    assert "http://localhost/embed" in local, "a loopback host is fine for local work"
    public = create_app(replace(settings, public_url="https://kaart.example.nl/")).test_client()
    assert "https://kaart.example.nl/embed" in public.get("/embed/code", headers=evil).get_data(as_text=True)
    assert public.get("/api/v1/openapi.json", headers=evil).get_json()["servers"] == [{"url": "https://kaart.example.nl/api/v1"}]


def test_trusted_proxies_and_hsts(settings):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    app = create_app(replace(settings, trusted_proxies="127.0.0.1", hsts_seconds=31536000))
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in create_app(settings).test_client().get("/healthz").headers


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_dropdown_speaks_the_pages_language(app, lang, monkeypatch):
    """Dash's dropdowns say 'Search', 'Select All' and 'Deselect All' in English on their own."""
    from dash import dcc

    from wmo_kaart.web.pages import coverage_page, map_page

    def dropdowns(component):
        found = [component] if isinstance(component, dcc.Dropdown) else []
        children = getattr(component, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children] if children is not None else []:
            found += dropdowns(child)
        return found

    from types import SimpleNamespace

    monkeypatch.setattr(map_page, "current_user", SimpleNamespace(username="consulent"))  # the page header names them
    search = "?lang=en" if lang == "en" else ""
    with app.test_request_context("/"):
        layouts = [map_page.public_layout("anonymous", search), map_page.pro_layout("contractmanager", search),
                   coverage_page.coverage_layout("contractmanager", search)]
    found = [d for layout in layouts for d in dropdowns(layout)]
    assert len(found) >= 6
    expected = ("Alles kiezen", "Zoeken", "Niets gevonden") if lang == "nl" else ("Select all", "Search", "No options found")
    assert all((d.labels["select_all"], d.labels["search"], d.labels["no_options_found"]) == expected for d in found)


def test_forwarded_addresses_count_only_from_the_configured_proxies(settings):
    """A client that connects directly cannot name its own address with X-Forwarded-For (it could give a new
    one for every password guess); through the proxy the client's address is used."""
    from dataclasses import replace

    from flask import request

    from wmo_kaart.web import create_app

    app = create_app(replace(settings, trusted_proxies="10.0.0.0/8, 127.0.0.1"))

    @app.route("/_test/addr")
    def addr():
        return request.remote_addr

    client = app.test_client()
    forged = {"X-Forwarded-For": "203.0.113.7"}
    assert client.get("/_test/addr", headers=forged, environ_base={"REMOTE_ADDR": "198.51.100.9"}).text == "198.51.100.9"
    assert client.get("/_test/addr", headers=forged, environ_base={"REMOTE_ADDR": "10.1.2.3"}).text == "203.0.113.7"
    chain = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1, 10.9.9.9"}  # forged first hop, then the real client
    assert client.get("/_test/addr", headers=chain, environ_base={"REMOTE_ADDR": "127.0.0.1"}).text == "198.51.100.1"
    with pytest.raises(ValueError, match="is een aantal"):
        create_app(replace(settings, trusted_proxies="1"))


def test_forged_forwarded_addresses_do_not_reset_the_login_throttle(settings):
    from dataclasses import replace

    from tests.conftest import AuthActions
    from wmo_kaart.web import create_app
    from auth import users

    app = create_app(replace(settings, trusted_proxies="10.0.0.0/8"))
    users.add_user(app.extensions["wmo_kaart_db"], "anne", "contractmanager", "correct-horse-battery-staple")
    actions = AuthActions(app.test_client())
    refused = 0
    for i in range(40):
        actions.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{i}"
        answer = actions.login("anne", "wrong-password", address="198.51.100.9")
        refused += "Te veel" in answer.get_data(as_text=True) or answer.status_code == 429
    assert refused >= 30, "the direct client's own address is throttled, whatever it forwards"


@pytest.mark.parametrize("query", ["", "zorgvorm=<script>&gemeente=1&doelgroep=&rolstoel=x&lang=xx",
                                   "van=99999&q=" + "x" * 300, "specialisme=dementie&specialisme=&aanbieder=AANB-001",
                                   "van=Megen&zorgvorm=07&lang=en"])
def test_a_map_layer_survives_any_query(client, query):
    response = client.get(f"/kaart/laag/locations.geojson?{query}")
    assert response.status_code == 200 and response.get_json()["type"] == "FeatureCollection"
    again = client.get(f"/kaart/laag/locations.geojson?{query}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304, "a repeat costs nothing"
    assert client.get("/kaart/laag/geheim.geojson").status_code == 404
    assert client.get("/kaart/laag/locations.geojson?q=" + "x" * 3000).status_code == 404


def test_a_map_layer_follows_a_new_data_version(settings, tmp_path):
    import shutil
    from dataclasses import replace

    from tests.conftest import DEMO
    from wmo_kaart.web import create_app

    data = tmp_path / "providers.geojson"
    shutil.copy(DEMO, data)  # the file store publishes into its data file: never the repository's
    app = create_app(replace(settings, data_path=data))
    client = app.test_client()
    before = _map(client)["map-layer-locations"]["url"]
    store = app.extensions["wmo_kaart"].store
    live, number = store.collection()
    live["features"] = live["features"][:10]
    store.publish(live, actor="test", source="test", source_sha256="0" * 64, base=number)
    after = _map(client)["map-layer-locations"]["url"]
    assert after != before, "a new version is a new address, so the browser fetches it"
    assert 0 < len(client.get(after).get_json()["features"]) <= 10


@pytest.mark.parametrize("role", [None, "bw_consulent"])
def test_a_national_layer_fetches_its_names_apart_for_the_same_role(settings, tmp_path, role, monkeypatch):
    """At national scale the layer draws clusters first: names and towns come from `.namen.json` for exactly the
    locations of that layer, as the session's role may see them."""
    from dataclasses import replace

    from auth import users
    from tests.conftest import PASSWORD, AuthActions
    from wmo_kaart.core import access
    from wmo_kaart.demo import write
    from wmo_kaart.web import create_app

    data = tmp_path / "many.geojson"
    write(data, locations=2500, providers=60)
    app = create_app(replace(settings, data_path=data))
    client = app.test_client()
    headers = None
    if role:
        users.add_user(app.extensions["wmo_kaart_db"], "bw", role, PASSWORD, actor="test")
        actions = AuthActions(client)
        assert actions.login("bw").status_code == 302
        client.get("/pro")
        headers = actions.csrf_header()
    out = _map(client, headers)
    from wmo_kaart.web.pages import map_page

    selected = []
    real = map_page.selection
    monkeypatch.setattr(map_page, "selection", lambda *a: selected.append(a) or real(*a))
    drawn = _layer(client, out)["features"]
    assert out["map-layer-locations"]["cluster"] is True
    assert all("name" not in f["properties"] and "city" not in f["properties"] for f in drawn)
    answer = client.get(out["map-layer-locations"]["url"].replace(".geojson?", ".namen.json?"))
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    names = answer.get_json()
    assert len(selected) == 1, "the layer and its names come from one selection"
    view = access.view_for(app.extensions["wmo_kaart"].store.current(), role or access.ANONYMOUS)
    assert set(names) == {f["properties"]["id"] for f in drawn} == set(view["id"])
    expected = dict(zip(view["id"], zip(view["name"], view["city"])))
    assert all(tuple(pair) == expected[i] for i, pair in names.items())
    assert client.get("/kaart/laag/bw.namen.json").status_code == 404
