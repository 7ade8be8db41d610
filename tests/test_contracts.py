"""Ended contracts: never on the public map, the embed or the public APIs (unless configured),
flagged on /pro; and the status rule itself."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from tests import dash_client
from tests.conftest import DEMO, TODAY as CONF_TODAY
from tests.test_embed import _embed
from wmo_kaart.core import contracts

TODAY = CONF_TODAY.isoformat()


@pytest.fixture(scope="module")
def demo():
    features = json.loads(DEMO.read_text(encoding="utf-8"))["features"]
    ended = {f["properties"]["id"] for f in features if (f["properties"].get("contract_end") or "9999") < TODAY}
    return {f["properties"]["id"] for f in features}, ended


@pytest.mark.parametrize(("end", "expected"), [
    (None, None), ("", None), ("2026-11-27", "ended"), ("2026-11-28", "ending"), ("2027-05-20", "ending"),
    ("2027-06-30", "running"),
])
def test_status(end, expected):
    assert contracts.status(end, dt.date(2026, 11, 28)) == expected


def test_public_interfaces_never_show_an_ended_contract(client, demo):
    everything, ended = demo
    assert ended, "the demo data has ended contracts"
    api = {f["id"] for f in client.get("/api/v1/locations?limit=10000").get_json()["features"]}
    assert api == everything - ended
    ogc = {f["id"] for f in client.get("/ogc/collections/locaties/items?limit=10000").get_json()["features"]}
    assert ogc == everything - ended
    hsds = {s["service_at_locations"][0]["location"]["external_identifier"] for s in client.get("/api/v1/export/hsds").get_json()}
    assert hsds == everything - ended
    page = _embed(client)
    assert page.text("embed-count") == f"{len(everything - ended)} van {len(everything - ended)} locaties"
    layer = {f["properties"]["id"] for f in client.get(page.map_data()["layer"]).get_json()["features"]}
    assert layer == everything - ended
    one = sorted(ended)[0]
    assert client.get(f"/ogc/collections/locaties/items/{one}").status_code == 404
    assert one not in client.get(f"/handout?ids={one}").get_data(as_text=True)


def test_professional_roles_see_ended_contracts_flagged(client, auth, make_user, demo):
    everything, ended = demo
    auth.login(make_user("contractmanager"))
    api = {f["id"] for f in client.get("/api/v1/locations?limit=10000").get_json()["features"]}
    assert api == everything
    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-count.children")
    out = dash_client.post(client, dep, {("map-gemeente", "value"): []}, headers=auth.csrf_header()).get_json()["response"]
    listed = dash_client.text_of(out["map-list"]["children"])
    assert "Contract beëindigd" in listed


def test_configured_to_show_ended_contracts_publicly(settings, demo, db):
    from wmo_kaart.web import create_app

    everything, _ended = demo
    client = create_app(replace(settings, show_ended_contracts=True)).test_client()
    assert {f["id"] for f in client.get("/api/v1/locations?limit=10000").get_json()["features"]} == everything


def test_an_ended_contract_is_never_offered_to_a_client_and_never_dropped_silently(client, auth, make_user, demo):
    """The consultant sees an ended contract flagged, 'Zet op mijn lijst' is switched off for it and a forged
    keep is refused; a handout asked for it names what it left out instead of printing an empty list."""
    everything, ended = demo
    auth.login(make_user("wmo_consulent"))
    deps = dash_client.dependencies(client)
    one, running = sorted(ended)[0], sorted(everything - ended)[0]
    details = dash_client.find(deps, "map-keep.disabled")
    out = dash_client.post(client, details, {("map-row-chosen", "data"): {"id": one}}, changed=["map-row-chosen.data"],
                           headers=auth.csrf_header()).get_json()["response"]
    assert out["map-keep"]["disabled"] is True
    assert "Niet aan te bieden aan een cliënt" in dash_client.text_of(out["map-details"]["children"])
    out = dash_client.post(client, details, {("map-row-chosen", "data"): {"id": running}}, changed=["map-row-chosen.data"],
                           headers=auth.csrf_header()).get_json()["response"]
    assert out["map-keep"]["disabled"] is False
    keep = dash_client.find(deps, "map-shortlist.data")
    refused = dash_client.post(client, keep, {("map-keep", "n_clicks"): 1, ("map-selected", "data"): one,
                                              ("map-shortlist", "data"): []}, headers=auth.csrf_header())
    assert refused.status_code == 204
    kept = dash_client.post(client, keep, {("map-keep", "n_clicks"): 1, ("map-selected", "data"): running,
                                           ("map-shortlist", "data"): []}, headers=auth.csrf_header()).get_json()
    assert kept["response"]["map-shortlist"]["data"] == [running]
    page = client.get(f"/handout?ids={one},{running}").get_data(as_text=True)
    assert "1 locatie(s) van uw lijst staan niet op deze hand-out" in page and one not in page
    only_ended = client.get(f"/handout?ids={one}").get_data(as_text=True)
    assert "1 locatie(s) van uw lijst staan niet op deze hand-out" in only_ended
