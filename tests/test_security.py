"""Forged callbacks, CSRF on callbacks and security headers.

Every Dash callback is a public POST endpoint. These tests enumerate all of them from
/_dash-dependencies and post forged inputs as anonymous and as each professional role; no BW
field name or value may come back.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests import dash_client
from tests.conftest import PRO_ROLES, VALID_FEATURE, AuthActions

# Distinctive values that cannot appear by accident: eight digits, where four (7907) once turned up by
# chance in a page that changes per request.
SECRET = {"bw_capacity": 79190313, "bw_occupancy": 79070313, "bw_updated": "2019-03-17",
          "contact_name": "Geheim Contactpersoon", "contact_email": "geheim@secret.example",
          "contact_phone": "06-99887766", "contract_id": "CONTRACT-XYZZY", "contract_end": "2031-07-13"}
BW_STRINGS = ["bw_capacity", "bw_occupancy", "bw_updated", "BW-capaciteit", "BW-bezetting", "bw-panel",
              "79190313", "79070313", "2019-03-17", "plaatsen bezet"]
PRO_STRINGS = [*(v for k, v in SECRET.items() if not k.startswith("bw_")), "contact_name", "Contactpersoon"]


@pytest.fixture
def secret_app(settings, write_geojson):
    import copy

    from wmo_kaart.web import create_app

    bw = copy.deepcopy(VALID_FEATURE)
    bw["properties"].update(SECRET, id="BW-1", care_types=["15"])
    plain = copy.deepcopy(VALID_FEATURE)
    plain["properties"].update(id="PLAIN-1", care_types=["07"])
    for key in SECRET:
        plain["properties"].pop(key, None)
    return create_app(replace(settings, data_path=write_geojson([bw, plain])))


def _forgeries(dep: dict) -> list[tuple[dict, list[str] | None]]:
    """Return (values, changedPropIds) combinations to post to `dep`."""
    ids = [(i["id"], i["property"]) for i in dep["inputs"] + dep["state"]]
    plain = [(cid, prop) for cid, prop in ids if not cid.startswith("{")]
    candidates = [None, "15", ["15"], ["07", "15"], "BW-1", 1, {"properties": {"id": "BW-1"}},
                  "/pro", "/dekking", "/beheer", "/", "en", {"id": "BW-1"}, [{"customdata": "BW-1"}]]
    combos: list[tuple[dict, list[str] | None]] = [({k: v for k in plain}, None) for v in candidates]
    smart = {("url", "pathname"): "/pro", ("map-care", "value"): ["15"],
             ("map-layer-locations", "clickData"): {"properties": {"id": "BW-1"}}, ("map-lang", "data"): "nl",
             ("map-row-chosen", "data"): {"id": "BW-1", "at": 1}, ("embed-keep-chosen", "data"): {"id": "BW-1", "at": 1},
             ("embed-details-chosen", "data"): {"id": "BW-1", "at": 1}, ("cov-misses", "value"): ["1"],
             ("embed-q", "value"): "Oss", ("embed-shortlist", "data"): ["BW-1"], ("embed-care", "value"): ["15"],
             ("cov-care", "value"): "15", ("cov-places", "value"): ["1"], ("cov-lang", "data"): "nl",
             ("cov-drempels", "value"): "5,10,15", ("cov-ending", "n_clicks"): 1, ("cov-months", "value"): 600,
             ("cov-areas", "clickData"): {"properties": {"id": "5341"}}, ("cov-best", "data"): [51.7, 5.5], ("cov-sort", "value"): "population",
             ("map-hash", "data"): "#map=12/51.7/5.5", ("embed-hash", "data"): "#map=12/51.7/5.5",
             ("embed-layer-locations", "clickData"): {"properties": {"id": "BW-1"}},
             ("map-from", "value"): "5351", ("map-wheelchair", "value"): ["ja"], ("map-specialism", "value"): ["dementie"],
             ("map-selected", "data"): "BW-1", ("map-shortlist", "data"): ["BW-1", "PLAIN-1"], ("map-keep", "n_clicks"): 1,
             ("map-more", "n_clicks"): 1, ("embed-more", "n_clicks"): 1}
    combos.append((smart, None))
    for cid, prop in ids:
        changed = (json.dumps({"id": "BW-1", "type": "map-row"}, separators=(",", ":")) if cid.startswith("{")
                   else cid) + f".{prop}"
        combos.append((smart, [changed]))
    return combos


def _leaks(text: str, forbidden: list[str]) -> list[str]:
    return [s for s in forbidden if s in text]


@pytest.mark.parametrize("role", ["anonymous", *PRO_ROLES])
def test_no_callback_leaks_bw_data(secret_app, role):
    from auth import users

    client = secret_app.test_client()
    auth = AuthActions(client)
    if role != "anonymous":
        users.add_user(secret_app.extensions["wmo_kaart_db"], "u", role, "correct-horse-battery-staple")
        assert auth.login("u", "correct-horse-battery-staple").status_code == 302
    forbidden = BW_STRINGS + (PRO_STRINGS if role == "anonymous" else [])
    deps = dash_client.dependencies(client)
    assert len(deps) >= 3
    posted = 0
    for dep in deps:
        for values, changed in _forgeries(dep):
            response = dash_client.post(client, dep, values, changed=changed, headers=auth.csrf_header())
            assert response.status_code < 500, (dep["output"], values)
            body = response.get_data(as_text=True)
            text = dash_client.text(response) if response.is_json else body
            assert _leaks(text, forbidden) == [], (role, dep["output"], values)
            posted += 1
    assert posted > 40


def test_bw_role_does_get_the_figures(secret_app):
    """The same forgery harness finds the figures for a BW role: the leak check can fail."""
    from auth import users

    client = secret_app.test_client()
    auth = AuthActions(client)
    users.add_user(secret_app.extensions["wmo_kaart_db"], "u", "bw_consulent", "correct-horse-battery-staple")
    auth.login("u", "correct-horse-battery-staple")
    deps = dash_client.dependencies(client)
    found = set()
    for dep in deps:
        for values, changed in _forgeries(dep):
            text = dash_client.text(dash_client.post(client, dep, values, changed=changed, headers=auth.csrf_header()))
            found |= set(_leaks(text, BW_STRINGS))
    assert {"79190313", "79070313", "bw-panel"} <= found


def test_callbacks_need_the_csrf_header_when_logged_in(auth, make_user):
    auth.login(make_user("contractmanager"))
    deps = dash_client.dependencies(auth.client)
    dep = dash_client.find(deps, "map-count.children")
    assert dash_client.post(auth.client, dep).status_code == 400
    assert dash_client.post(auth.client, dep, headers={"X-CSRFToken": "forged"}).status_code == 400
    assert dash_client.post(auth.client, dep, headers=auth.csrf_header()).status_code == 200


def test_anonymous_visitors_get_no_cookies(client):
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).headers.getlist("Set-Cookie") == [], path
    deps = dash_client.dependencies(client)
    response = dash_client.post(client, dash_client.find(deps, "map-count.children"))
    assert response.headers.getlist("Set-Cookie") == []


def test_callbacks_posted_as_text_plain_are_refused(client):
    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-count.children")
    response = client.post("/_dash-update-component", data=json.dumps({"output": dep["output"]}),
                           content_type="text/plain")
    assert response.status_code in (400, 415)


@pytest.mark.parametrize("path", ["/", "/pro", "/login", "/logout", "/_dash-layout", "/nope"])
def test_security_headers_everywhere(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_embed_shows_public_fields_only_even_to_bw_roles(secret_app):
    from auth import users

    client = secret_app.test_client()
    auth = AuthActions(client)
    users.add_user(secret_app.extensions["wmo_kaart_db"], "u", "beheerder", "correct-horse-battery-staple")
    auth.login("u", "correct-horse-battery-staple")
    assert not [d for d in dash_client.dependencies(client) if "embed-" in d["output"]], "the embed has no callbacks"
    # the light embed is pages and a layer by address: every state of it, as a data manager (who may see everything)
    paths = ["/embed", "/embed?q=Oss", "/embed?q=Zonnehoeve", "/embed?info=BW-1", "/embed?info=PLAIN-1",
             "/embed?bewaard=BW-1,PLAIN-1&op=BW-1", "/embed?zorgvorm=15", "/embed?meer=3&zorgvorm=15&q=5341AB"]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert _leaks(page.get_data(as_text=True), BW_STRINGS + PRO_STRINGS) == [], path
        layer = client.get(path.replace("/embed", "/embed/laag.geojson"))
        assert layer.status_code == 200 and _leaks(layer.get_data(as_text=True), BW_STRINGS + PRO_STRINGS) == [], path
    for path in ("/handout?ids=BW-1,PLAIN-1", "/embed/code"):
        assert _leaks(client.get(path).get_data(as_text=True), BW_STRINGS + PRO_STRINGS) == [], path


MACHINE_ROUTES = ["/api/v1/locations", "/api/v1/nearest?van=Oss", "/api/v1/export/csv", "/api/v1/export/geojson",
                  "/api/v1/export/xlsx", "/api/v1/export/hsds", "/ogc/collections/locaties/items",
                  "/ogc/collections/locaties-15/items", "/ogc/collections/locaties/items/BW-1", "/hsds/services",
                  "/hsds/service_at_locations", "/hsds/organizations"]


@pytest.mark.parametrize("role", ["anonymous", *PRO_ROLES, "bw_consulent", "beleidsadviseur", "beheerder"])
def test_role_x_machine_interface(secret_app, role):
    """Every JSON, OGC and HSDS route, with each role's API key: BW values only for BW roles,
    professional values only for professional roles; the nested HSDS services of the BW location too."""
    import io
    import zipfile

    from auth import users

    client = secret_app.test_client()
    headers = {}
    if role != "anonymous":
        db = secret_app.extensions["wmo_kaart_db"]
        users.add_user(db, "machine", role, "correct-horse-battery-staple", actor="test")
        headers = {"Authorization": f"Bearer {users.new_api_token(db, 'machine')}"}
    bodies = []
    for path in MACHINE_ROUTES:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        data = response.data
        if data[:4] == b"PK\x03\x04":  # XLSX: read the sheets' XML
            data = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
        bodies.append((path, data.decode("utf-8", "replace")))
    services = json.loads(client.get("/hsds/services", headers=headers).data)["contents"]
    for service in services:
        bodies.append((service["id"], client.get(f"/hsds/services/{service['id']}", headers=headers).get_data(as_text=True)))
    sees_bw = role in ("bw_consulent", "beleidsadviseur", "beheerder")
    for path, text in bodies:
        if not sees_bw:
            assert not _leaks(text, ["79190313", "79070313", "2019-03-17", "bw_capacity", "capacities"]), path
        if role == "anonymous":
            assert not _leaks(text, [v for k, v in SECRET.items() if not k.startswith("bw_")]), path
    everything = "".join(text for _p, text in bodies)
    assert ("79190313" in everything) is sees_bw
    assert ("CONTRACT-XYZZY" in everything) is (role != "anonymous")
