"""Role × page, layer and field: what each role sees, and that docs/roles.md says the same."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from auth.db import audit_log
from tests import dash_client
from tests.conftest import BW_ROLES, DEMO, PRO_ROLES
from wmo_kaart.config import PROJECT_ROOT
from wmo_kaart.core import access
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.schema import FIELDS

ALL_ROLES = ("anonymous", *PRO_ROLES, *BW_ROLES)


def _doc_matrix(section: str) -> dict[tuple[str, str], bool]:
    text = (PROJECT_ROOT / "docs" / "roles.md").read_text(encoding="utf-8")
    after = text.split(f"### {section}\n", 1)[1].lstrip("\n").splitlines()
    lines = after[: next(i for i, line in enumerate(after) if not line.startswith("|"))]
    roles = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    roles = [r for r in roles if r != "what"]
    matrix = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        item = cells[0].strip("`")
        for role, cell in zip(roles, cells[1:]):
            matrix[(role, item)] = cell == "ja"
    return matrix


def test_documented_field_matrix_equals_enforced():
    enforced = {(r, f.name): f.name in access.visible_fields(r) for r in access.ROLES for f in FIELDS}
    assert _doc_matrix("Fields") == enforced


def test_documented_capability_and_layer_matrices_equal_enforced():
    from layers import registry

    caps = {(r, c): access.may(r, c) for r in access.ROLES for c in access.CAPABILITIES}
    layers = {(r, layer.id): access.may(r, layer.capability) for r in access.ROLES for layer in registry().values()}
    assert _doc_matrix("Capabilities") == caps
    assert _doc_matrix("Layers") == layers
    # hand-checked lines: only the BW roles have the figures, only the data manager manages
    assert [r for r in access.ROLES if access.may(r, "bw_figures")] == ["bw_consulent", "beleidsadviseur", "beheerder"]
    assert [r for r in access.ROLES if access.may(r, "manage_data")] == ["beheerder"]
    with pytest.raises(KeyError):
        access.may("beheerder", "bw")  # a layer's name is not a capability


@pytest.fixture(scope="module")
def bw_row():
    frame = load_geojson(DEMO, default_catalog()).frame
    return frame[frame["bw_capacity"].notna()].iloc[0]


def _login_as(role, make_user, auth):
    if role != "anonymous":
        assert auth.login(make_user(role)).status_code == 302


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_x_page(role, make_user, auth):
    _login_as(role, make_user, auth)
    response = auth.client.get("/pro")
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"] == "/login?next=/pro"
    else:
        assert response.status_code == 200
    deps = dash_client.dependencies(auth.client)
    page = dash_client.post(auth.client, dash_client.find(deps, "page.children"),
                            {("url", "pathname"): "/pro"}, headers=auth.csrf_header())
    text = dash_client.text(page)
    assert ("Geen toegang" in text) is (role == "anonymous")
    assert ("bw-panel" in text) is (role in BW_ROLES)


# role -> (sees professional fields, sees BW fields)
EXPECTED = {"anonymous": (False, False), **{r: (True, False) for r in PRO_ROLES},
            **{r: (True, True) for r in BW_ROLES}}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_x_field_in_details(role, make_user, auth, bw_row):
    _login_as(role, make_user, auth)
    deps = dash_client.dependencies(auth.client)
    response = dash_client.post(auth.client, dash_client.find(deps, "map-details.children"),
                                {("map-layer-locations", "clickData"): {"properties": {"id": bw_row["id"]}}},
                                changed=["map-layer-locations.clickData"], headers=auth.csrf_header())
    assert response.status_code == 200
    text = dash_client.text(response)
    pro, bw = EXPECTED[role]
    assert bw_row["name"] in text and bw_row["phone"] in text
    assert (bw_row["contact_name"] in text) is pro
    assert (f"mailto:{bw_row['contact_email']}" in text) is pro
    assert (bw_row["contract_id"] in text) is pro
    assert ("BW-capaciteit" in text) is bw
    assert (bw_row["bw_updated"] in text) is bw


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_x_layer_on_the_map(role, make_user, auth):
    _login_as(role, make_user, auth)
    deps = dash_client.dependencies(auth.client)
    out = dash_client.post(auth.client, dash_client.find(deps, "map-count.children"), {},
                           headers=auth.csrf_header()).get_json()["response"]
    fetched = {layer: auth.client.get(out[f"map-layer-{layer}"]["url"]) for layer in ("locations", "bw")}
    assert fetched["locations"].get_json()["features"]
    halos = fetched["bw"].get_json()["features"]
    assert bool(halos) is (role in BW_ROLES)
    assert ("plaatsen bezet" in fetched["bw"].get_data(as_text=True)) is (role in BW_ROLES)
    assert "plaatsen bezet" not in json.dumps(out), "the callback itself carries no layer data"
    warned = ["warn" in f["properties"] for f in fetched["locations"].get_json()["features"]]
    assert any(warned) is (role != "anonymous"), "contract warnings on the professional map only"
    if role != "anonymous":  # a copied address is read with the session's role, not the one it was made for
        anonymous = auth.client.application.test_client().get(out["map-layer-bw"]["url"])
        assert anonymous.status_code == 200 and anonymous.get_json()["features"] == []
    # the names of a layer: apart only at national scale (the demo data is regional: none), never of the BW layer
    names = auth.client.get(out["map-layer-locations"]["url"].replace(".geojson?", ".namen.json?"))
    assert names.status_code == 200 and names.get_json() == {}
    assert auth.client.get(out["map-layer-bw"]["url"].replace(".geojson?", ".namen.json?")).status_code == 404
    # the embed's layer is the public one for every role: no contract warnings, the same locations as a visitor's
    public = auth.client.application.test_client().get("/embed/laag.geojson?v=1").get_json()["features"]
    embedded = auth.client.get("/embed/laag.geojson?v=1").get_json()["features"]
    assert embedded == public and not any("warn" in f["properties"] for f in embedded)


def test_provider_filter_offered_on_pro_only(make_user, auth):
    deps = dash_client.dependencies(auth.client)
    route = dash_client.find(deps, "page.children")
    public = dash_client.text(dash_client.post(auth.client, route, {("url", "pathname"): "/"}))
    assert "map-provider" in public and "AANB-001" not in public
    auth.login(make_user("wmo_consulent"))
    pro = dash_client.text(dash_client.post(auth.client, route, {("url", "pathname"): "/pro"},
                                            headers=auth.csrf_header()))
    assert "AANB-001" in pro


def test_bw_view_is_audited_without_figures(make_user, auth, db, bw_row):
    name = make_user("bw_consulent")
    auth.login(name)
    deps = dash_client.dependencies(auth.client)
    dash_client.post(auth.client, dash_client.find(deps, "page.children"), {("url", "pathname"): "/pro"},
                     headers=auth.csrf_header())
    with db.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "bw_view")).all()
    assert [(r.actor, r.target) for r in rows] == [(name, "/pro")]
    assert str(bw_row["bw_capacity"]) not in (rows[0].detail or "")


def test_pro_map_and_bw_panel_in_english(make_user, auth):
    auth.login(make_user("beleidsadviseur"))
    deps = dash_client.dependencies(auth.client)
    text = dash_client.text(dash_client.post(auth.client, dash_client.find(deps, "page.children"),
                                             {("url", "pathname"): "/pro", ("url", "search"): "?lang=en"},
                                             headers=auth.csrf_header()))
    for phrase in ("Wmo map for professionals", "Sheltered housing: capacity and occupancy", "Totals per municipality",
                   "Logged in as user-beleidsadviseur (Policy adviser)"):
        assert phrase in text
    assert "Totalen per gemeente" not in text
