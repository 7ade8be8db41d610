"""One contract rule on every surface: a dataset with a running, an ending, an ended and an open-ended
contract, and per surface (coverage, finder, /pro, handout, exports, API, OGC) which locations it shows,
written here by hand. The clock is pinned by conftest (WMO_KAART_TODAY=2026-11-28)."""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import replace

import pytest

from tests import dash_client
from tests.conftest import VALID_FEATURE

# contract ends, against today 2026-11-28
ENDS = {"RUN": "2028-12-31",     # running
        "SOON": "2027-01-31",    # ending within 6 months: still in force
        "ENDED": "2026-10-01",   # ended: never public, never counted 'now', never offered to a client
        "OPEN": None}            # no end date: in force
IN_FORCE = {"RUN", "SOON", "OPEN"}
EVERY = set(ENDS)


def _feature(code: str, end: str | None, k: int) -> dict:
    f = copy.deepcopy(VALID_FEATURE)
    f["geometry"]["coordinates"] = [5.5180 + 0.002 * k, 51.7650]
    f["properties"].update(id=code, name=f"Locatie {code}", contract_id=f"C-{code}", care_types=["07"])
    if end is None:
        f["properties"].pop("contract_end")
    else:
        f["properties"]["contract_end"] = end
    return f


@pytest.fixture
def settings(settings, write_geojson):
    return replace(settings, data_path=write_geojson([_feature(c, e, k) for k, (c, e) in enumerate(ENDS.items())]))


def _ids_api(client, path) -> set[str]:
    return {f["id"] for f in client.get(path).get_json()["features"]}


def _ids_csv(client, path) -> set[str]:
    text = client.get(path).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.split("\n")[0].count(";") else ","))
    column = rows[0].index("Locatiecode")
    return {r[column] for r in rows[1:] if r}


def _oss(client, path) -> int:
    body = client.get(path).get_json()
    return next(m["locations"] for m in body["municipalities"] if m["code"] == "GM0828")


PUBLIC_SURFACES = [
    ("API /locations", lambda c: _ids_api(c, "/api/v1/locations?limit=100"), IN_FORCE),
    ("API /nearest", lambda c: {r["id"] for r in c.get("/api/v1/nearest?van=Oss&limit=10").get_json()["results"]}, IN_FORCE),
    ("OGC items", lambda c: _ids_api(c, "/ogc/collections/locaties/items?limit=100"), IN_FORCE),
    ("CSV export", lambda c: _ids_csv(c, "/api/v1/export/csv"), IN_FORCE),
    ("HSDS", lambda c: {s["service_at_locations"][0]["location"]["external_identifier"]
                        for s in c.get("/api/v1/export/hsds").get_json()}, IN_FORCE),
    ("handout", lambda c: {code for code in EVERY if f"Locatie {code}<" in c.get(
        "/handout?ids=RUN,SOON,ENDED,OPEN&q=Oss").get_data(as_text=True)}, IN_FORCE),
]


@pytest.mark.parametrize("surface,read,expected", PUBLIC_SURFACES, ids=[s[0] for s in PUBLIC_SURFACES])
def test_public_surfaces_show_the_contracts_in_force(client, surface, read, expected):
    assert read(client) == expected, surface


def test_the_handout_names_what_it_left_out(client):
    page = client.get("/handout?ids=RUN,ENDED&q=Oss").get_data(as_text=True)
    assert "1 locatie(s) van uw lijst staan niet op deze hand-out" in page


PRO_SURFACES = [
    ("API /locations", "contractmanager", lambda c: _ids_api(c, "/api/v1/locations?limit=100"), EVERY),
    ("CSV export", "contractmanager", lambda c: _ids_csv(c, "/api/v1/export/csv"), EVERY),
    ("coverage now", "bestuurder", lambda c: _oss(c, "/api/v1/coverage?zorgvorm=07"), len(IN_FORCE)),
    ("coverage with ended", "bestuurder", lambda c: _oss(c, "/api/v1/coverage?zorgvorm=07&met-beeindigd=1"), len(EVERY)),
    ("coverage report", "beleidsadviseur",
     lambda c: c.get("/dekking/rapport?zorgvorm=07").get_data(as_text=True).count("Locatie ENDED"), 0),
]


@pytest.mark.parametrize("surface,role,read,expected", PRO_SURFACES, ids=[s[0] for s in PRO_SURFACES])
def test_professional_surfaces(client, auth, make_user, surface, role, read, expected):
    auth.login(make_user(role))
    assert read(client) == expected, surface


def test_pro_shows_the_ended_contract_flagged_and_never_lets_it_be_kept(client, auth, make_user):
    auth.login(make_user("wmo_consulent"))
    deps = dash_client.dependencies(client)
    listing = dash_client.find(deps, "map-count.children")
    out = dash_client.post(client, listing, {("map-gemeente", "value"): []}, headers=auth.csrf_header()).get_json()["response"]
    text = dash_client.text_of(out["map-list"]["children"])
    assert all(f"Locatie {code}" in text for code in EVERY)
    assert text.count("Contract beëindigd") == 1
    keep = dash_client.find(deps, "map-shortlist.data")
    for code, kept in (("ENDED", False), ("SOON", True), ("OPEN", True)):
        answer = dash_client.post(client, keep, {("map-keep", "n_clicks"): 1, ("map-selected", "data"): code,
                                                 ("map-shortlist", "data"): []}, headers=auth.csrf_header())
        assert (answer.status_code == 200) is kept, code


def test_on_a_later_date_the_ending_contract_has_ended_everywhere(client, monkeypatch):
    """Time is an input: on 2027-02-01 SOON has ended too, on every public surface alike."""
    monkeypatch.setenv("WMO_KAART_TODAY", "2027-02-01")
    for surface, read, _expected in PUBLIC_SURFACES:
        assert read(client) == {"RUN", "OPEN"}, surface


def test_coverage_of_a_region_without_any_contract_in_force_answers(client, auth, make_user):
    """Every location here is BNO-O's: Hart van Brabant's areas have nothing in reach, said as null (was a 500)."""
    auth.login(make_user("bestuurder"))
    answer = client.get("/api/v1/coverage?zorgvorm=07")
    assert answer.status_code == 200
    tilburg = [a for a in answer.get_json()["areas"] if a["municipality_code"] == "GM0855"]
    assert tilburg and all(a["nearest_id"] is None and a["nearest_m"] is None for a in tilburg)
    assert client.get("/api/v1/coverage?zorgvorm=07&f=csv").status_code == 200
    assert client.get("/api/v1/coverage?zorgvorm=07&f=xlsx").status_code == 200


def test_meta_and_readyz_count_what_the_caller_may_see(client, auth, make_user):
    """A visitor is told 3 (the contracts in force), a contract manager 4; /readyz names no process id."""
    assert client.get("/api/v1/meta").get_json()["locations"] == len(IN_FORCE)
    ready = client.get("/readyz").get_json()
    assert ready["locations"] == len(IN_FORCE)
    import os

    assert str(os.getpid()) != str(ready["worker"]) and len(str(ready["worker"])) == 8
    auth.login(make_user("contractmanager"))
    assert client.get("/api/v1/meta").get_json()["locations"] == len(EVERY)
