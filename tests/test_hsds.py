"""HSDS 3.1: the export and the HSDS API validate against the official schemas (vendored in
tests/fixtures/hsds-3.1 with their licence), additional properties forbidden and formats checked,
as the specification's own CI validates; identifiers are stable UUIDs; roles decide what is in it."""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from auth import users
from tests.conftest import DEMO, PASSWORD, public_rows
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson

SCHEMAS = Path(__file__).parent / "fixtures" / "hsds-3.1"
FORMATS = FormatChecker()


def _strict(schema):
    """Forbid additional properties on every object schema, as the specification's CI does."""
    if isinstance(schema, dict):
        schema = {k: _strict(v) for k, v in schema.items()}
        if "properties" in schema and schema.get("type", "object") == "object":
            schema.setdefault("additionalProperties", False)
        return schema
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(_strict(json.loads(path.read_text())), default_specification=_spec()))
        for path in SCHEMAS.glob("*.json"))
    schema = _strict(json.loads((SCHEMAS / name).read_text()))
    return Draft202012Validator(schema, registry=registry, format_checker=FORMATS)


def _spec():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def errors(name: str, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(instance)][:10]


def test_the_format_checks_are_real():
    """Without rfc3339 and uri checkers installed, the format checks below would pass anything."""
    assert not FORMATS.conforms("2026-10-01", "date-time") and FORMATS.conforms("2026-10-01T00:00:00+02:00", "date-time")
    assert not FORMATS.conforms("geen uri", "uri") and not FORMATS.conforms("LOC-1", "uuid")
    assert errors("service.json", {"id": "LOC-1", "name": "x", "status": "active", "kleur": "rood"})


@pytest.fixture(scope="module")
def frame():
    return load_geojson(DEMO, default_catalog()).frame


@pytest.fixture
def bw_headers(db):
    users.add_user(db, "hsds-bw", "beleidsadviseur", PASSWORD)
    return {"Authorization": f"Bearer {users.new_api_token(db, 'hsds-bw')}"}


@pytest.mark.parametrize("role", [None, "contractmanager", "beleidsadviseur"])
def test_every_exported_service_validates(client, db, frame, role):
    headers = {}
    if role:
        users.add_user(db, "hsds", role, PASSWORD)
        headers = {"Authorization": f"Bearer {users.new_api_token(db, 'hsds')}"}
    package = client.get("/api/v1/export/hsds", headers=headers).get_json()
    seen = frame if role else public_rows(frame)  # ended contracts are not public
    assert len(package) == sum(len(c) for c in seen["care_types"])
    for service in package:
        assert errors("service.json", service) == [], service["name"]
    has_capacity = any("capacities" in s for s in package)
    has_contacts = any("contacts" in sal for s in package for sal in s["service_at_locations"])
    assert has_capacity is (role == "beleidsadviseur") and has_contacts is (role is not None)


def test_identifiers_are_stable_uuids_derived_from_ours(client, frame):
    first = client.get("/api/v1/export/hsds").get_json()
    again = client.get("/api/v1/export/hsds?gemeente=GM0828").get_json()
    by_name = {s["name"]: s["id"] for s in first}
    assert all(by_name[s["name"]] == s["id"] for s in again)
    for service in first:
        uuid.UUID(service["id"])
    loc = frame.iloc[0]
    service = next(s for s in first if s["service_at_locations"][0]["location"]["external_identifier"] == loc["id"])
    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (round(loc["lat"], 6), round(loc["lon"], 6))
    assert location["addresses"][0]["postal_code"] == loc["postcode"]


def test_taxonomies_link_care_types_and_target_groups(client, frame):
    package = client.get("/api/v1/export/hsds?zorgvorm=07").get_json()
    loc = frame[frame["care_types"].map(lambda c: "07" in c)].iloc[0]
    service = next(s for s in package if s["service_at_locations"][0]["location"]["external_identifier"] == loc["id"]
                   and any(a["value"] == "07" for a in s["attributes"]))
    codes = {(a["taxonomy_term"]["taxonomy"], a["value"]) for a in service["attributes"]}
    assert ("iWmo productcategorie", "07") in codes
    assert {v for t, v in codes if t == "Doelgroepen Wmo-kaart"} == set(loc["target_groups"])
    wheelchair = service["service_at_locations"][0]["location"].get("accessibility")
    if loc["wheelchair_accessible"] is not None:
        assert wheelchair[0]["description"] == ("Rolstoeltoegankelijk" if loc["wheelchair_accessible"] else "Niet rolstoeltoegankelijk")


def test_bw_capacity_per_location(client, frame, bw_headers):
    package = client.get("/api/v1/export/hsds?zorgvorm=15", headers=bw_headers).get_json()
    row = frame[frame["bw_capacity"].notna()].iloc[0]
    service = next(s for s in package if s["service_at_locations"][0]["location"]["external_identifier"] == row["id"]
                   and "capacities" in s)
    capacity = service["capacities"][0]
    assert (capacity["maximum"], capacity["available"]) == (int(row["bw_capacity"]), int(row["bw_capacity"] - row["bw_occupancy"]))
    assert capacity["updated"].startswith(row["bw_updated"] + "T00:00:00+0")


def test_the_hsds_api_pages_and_validates(client, bw_headers):
    root = client.get("/hsds/").get_json()
    assert root["version"] == "3.1"
    first = client.get("/hsds/services?per_page=100", headers=bw_headers).get_json()
    assert first["page_number"] == 1 and first["first_page"] and not first["last_page"] and first["size"] == 100
    total, seen, page = first["total_items"], [], 1
    while True:
        body = client.get(f"/hsds/services?per_page=100&page={page}", headers=bw_headers).get_json()
        seen += body["contents"]
        if body["last_page"]:
            break
        page += 1
    assert len(seen) == total == len({s["id"] for s in seen}) and page == first["total_pages"]
    for item in seen[:60]:
        assert errors("compiled/service_list.json", item) == []
    full = client.get(f"/hsds/services/{seen[0]['id']}", headers=bw_headers).get_json()
    assert errors("service.json", full) == []
    orgs = client.get("/hsds/organizations?per_page=1000").get_json()["contents"]
    for item in orgs:
        assert errors("compiled/organization_list.json", item) == []
    org = client.get(f"/hsds/organizations/{orgs[0]['id']}").get_json()
    assert errors("organization.json", {k: v for k, v in org.items() if k != "services"}) == []
    assert org["services"] and all(errors("service.json", s) == [] for s in org["services"])
    sals = client.get(f"/hsds/service_at_locations?organization_id={orgs[0]['id']}").get_json()["contents"]
    assert sals and all(errors("compiled/service_at_location_list.json", s) == [] for s in sals)
    sal = client.get(f"/hsds/service_at_locations/{sals[0]['id']}").get_json()
    assert errors("service_at_location.json", {k: v for k, v in sal.items() if k != "service"}) == []
    for name, path in (("taxonomy.json", "taxonomies"), ("taxonomy_term.json", "taxonomy_terms")):
        contents = client.get(f"/hsds/{path}").get_json()["contents"]
        assert contents and all(errors(name, item) == [] for item in contents)
        assert client.get(f"/hsds/{path}/{contents[0]['id']}").get_json() == contents[0]


def test_hsds_api_filters_and_errors(client):
    terms = client.get("/hsds/taxonomy_terms?per_page=100").get_json()["contents"]
    day = next(t for t in terms if t["code"] == "07")
    services = client.get(f"/hsds/services?taxonomy_term_id={day['id']}&per_page=1000").get_json()["contents"]
    assert services and all(s["name"].startswith(day["name"]) for s in services)
    assert client.get("/hsds/services/00000000-0000-0000-0000-000000000000").status_code == 404
    bad = client.get("/hsds/services?per_page=0")
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "per_page"
    assert client.get("/hsds/services?kleur=rood").status_code == 400
    assert client.get("/hsds/services", headers={"Authorization": "Bearer wk_nee"}).status_code == 401
