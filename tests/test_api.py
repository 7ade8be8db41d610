"""The JSON API and exports: filters, errors naming the parameter, roles, CORS, tokens, strict
JSON, formula neutralisation, HSDS, a round trip export -> import, and schemathesis."""

from __future__ import annotations

import io
import json

import pytest

from auth import users
from tests.conftest import DEMO, PASSWORD, public_rows
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.export.tables import neutralise

TOTAL = 280


@pytest.fixture(scope="module")
def frame():
    return load_geojson(DEMO, default_catalog()).frame


@pytest.mark.parametrize(("query", "expected"), [
    ("", lambda f: f),
    ("?zorgvorm=07", lambda f: f[f["care_types"].map(lambda c: "07" in c)]),
    ("?zorgvorm=07,15", lambda f: f[f["care_types"].map(lambda c: "07" in c or "15" in c)]),
    ("?gemeente=GM0828&gemeente=Tilburg", lambda f: f[f["municipality_code"].isin(["GM0828", "GM0855"])]),
    ("?doelgroep=ggz", lambda f: f[f["target_groups"].map(lambda c: "ggz" in c)]),
    ("?bbox=5.6,51.5,5.8,51.7", lambda f: f[f["lon"].between(5.6, 5.8) & f["lat"].between(51.5, 51.7)]),
])
def test_locations_filters(client, frame, query, expected):
    data = client.get(f"/api/v1/locations{query}").get_json()
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(expected(public_rows(frame))["id"])


@pytest.mark.parametrize(("query", "status", "parameter", "message"), [
    ("/locations?zorgvorm=99", 400, "zorgvorm", "onbekende zorgvorm '99'"),
    ("/locations?gemeente=Atlantis", 400, "gemeente", "onbekende gemeente 'Atlantis'"),
    ("/locations?doelgroep=kinderen", 400, "doelgroep", "onbekende doelgroep"),
    ("/locations?bbox=1,2,3", 400, "bbox", "vier getallen"),
    ("/locations?bbox=1,2,3,nan", 400, "bbox", "vier getallen"),
    ("/locations?q=" + "x" * 201, 400, "q", "hoogstens 200 tekens"),
    ("/locations?aanbieder=" + ",".join(str(i) for i in range(101)), 400, "aanbieder", "hoogstens 100 waarden"),
    ("/nearest", 400, "van", "geef een vertrekpunt"),
    ("/nearest?van=12345", 404, "van", "geen geldige postcode"),
    ("/nearest?van=Atlantis", 404, "van", "niet gevonden"),
    ("/nearest?van=48.8,2.3", 404, "van", "niet in Nederland"),
    ("/nearest?van=Oss&limit=1000", 400, "limit", "limit moet tussen 1 en 100 liggen"),
    ("/nearest?van=Oss&limit=veel", 400, "limit", "'veel' is geen geheel getal"),
    ("/nearest?van=Oss&zorgvorm=99", 400, "zorgvorm", "onbekende zorgvorm"),
    ("/onbekend", 404, None, "onbekend pad"),
])
def test_bad_parameters_are_named(client, query, status, parameter, message):
    response = client.get(f"/api/v1{query}")
    assert response.status_code == status and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and message in error["message"]


def test_a_box_north_below_south_is_empty_and_one_across_the_antimeridian_wraps(client, frame):
    assert client.get("/api/v1/locations?bbox=5,52,6,51").get_json()["features"] == []
    wrapped = client.get("/api/v1/locations?bbox=5.5,50,5.4,53").get_json()["features"]
    public = public_rows(frame)
    expected = public[(public["lon"] >= 5.5) | (public["lon"] <= 5.4)]
    assert sorted(f["id"] for f in wrapped) == sorted(expected["id"])


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_wrong_methods_answer_json_405_with_allow(client, method):
    response = getattr(client, method)("/api/v1/locations")
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert "GET" in response.headers["Allow"] and "methode" in response.get_json()["error"]["message"]
    assert getattr(client, method)("/ogc/collections").status_code == 405


def test_every_operation_refuses_a_bad_key(client):
    for path in ("/locations", "/nearest?van=Oss", "/meta", "/coverage?zorgvorm=07", "/export/csv"):
        response = client.get(f"/api/v1{path}", headers={"Authorization": "Bearer wk_nope"})
        assert response.status_code == 401, path


def test_nearest_matches_the_cli_shape(client):
    data = client.get("/api/v1/nearest?van=Megen&zorgvorm=07&limit=3").get_json()
    assert data["origin"]["source"] == "gazetteer" and len(data["results"]) == 3
    assert [r["distance_m"] for r in data["results"]] == sorted(r["distance_m"] for r in data["results"])


def test_public_api_allows_cors_without_credentials(client):
    response = client.get("/api/v1/locations")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers.getlist("Set-Cookie") == []


def test_strict_json(client):
    text = client.get("/api/v1/locations").get_data(as_text=True)
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))


@pytest.mark.parametrize(("role", "contact", "bw"), [
    (None, False, False), ("contractmanager", True, False), ("bw_consulent", True, True),
])
def test_api_token_and_roles(client, db, frame, role, contact, bw):
    headers = {}
    if role:
        users.add_user(db, "api", role, PASSWORD)
        headers = {"Authorization": f"Bearer {users.new_api_token(db, 'api')}"}
    data = client.get("/api/v1/locations?zorgvorm=15", headers=headers).get_json()
    props = data["features"][0]["properties"]
    assert ("contact_name" in props) is contact and ("bw_capacity" in props) is bw
    response = client.get("/api/v1/locations", headers=headers)
    assert ("Access-Control-Allow-Origin" in response.headers) is (role is None)


def test_bad_token_is_refused(client):
    response = client.get("/api/v1/locations", headers={"Authorization": "Bearer wk_nope"})
    assert response.status_code == 401 and response.get_json()["error"]["parameter"] == "Authorization"


@pytest.mark.parametrize(("role", "visible", "hidden"), [
    ("anonymous", ["Locatiecode", "Telefoon"], ["Contactpersoon", "BW-capaciteit"]),
    ("contractmanager", ["Contactpersoon", "Contractnummer"], ["BW-capaciteit"]),
    ("beleidsadviseur", ["Contactpersoon", "BW-capaciteit (plaatsen)", "BW-cijfers per"], []),
])
def test_exports_hold_only_what_the_role_may_see(client, auth, make_user, role, visible, hidden):
    if role != "anonymous":
        auth.login(make_user(role))
    csv_text = client.get("/api/v1/export/csv").get_data().decode("utf-8-sig")
    header = csv_text.splitlines()[0].split(";")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/api/v1/export/xlsx").data)).active
    xlsx_header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == xlsx_header
    for column in visible:
        assert column in header
    for column in hidden:
        assert not any(h.startswith(column) for h in header)
    hsds = client.get("/api/v1/export/hsds").get_json()
    assert any("capacities" in s for s in hsds) is (role == "beleidsadviseur")
    assert any("contacts" in sal for s in hsds for sal in s["service_at_locations"]) is (role != "anonymous")
    geo = client.get("/api/v1/export/geojson").get_json()
    assert ("bw_capacity" in geo["features"][0]["properties"]) is (role == "beleidsadviseur")


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+31 6", "'+31 6"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("Oss", "Oss"), ("06-1234", "06-1234"),
])
def test_formula_neutralisation(value, expected):
    assert neutralise(value) == expected


def test_export_then_import_round_trip(client, tmp_path, auth, make_user, frame):
    from wmo_kaart.core.geocode import GeocoderChain
    from wmo_kaart.core.importer.service import run_import

    auth.login(make_user("beheerder"))
    for fmt in ("csv", "xlsx"):
        raw = client.get(f"/api/v1/export/{fmt}?gemeente=GM0755").data
        outcome = run_import(raw, f"export.{fmt}", default_catalog(), GeocoderChain(), {"type": "FeatureCollection", "features": []})
        assert outcome.report.errors == [], outcome.report.errors[:3]
        got = {f["properties"]["id"]: f["properties"] for f in outcome.collection["features"]}
        expected = frame[frame["municipality_code"] == "GM0755"]
        assert set(got) == set(expected["id"])
        for r in expected.itertuples():
            p = got[r.id]
            assert (p["name"], p["postcode"], p["care_types"], p.get("contact_name")) == (
                r.name, r.postcode, list(r.care_types), r.contact_name)


def test_openapi_document_names_every_field_a_role_can_receive(client, db):
    from wmo_kaart.core.schema import FIELDS

    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and set(doc["paths"]) == {"/locations", "/nearest", "/meta", "/coverage", "/export/{fmt}"}
    documented = doc["components"]["schemas"]["Location"]["properties"]["properties"]
    assert documented["additionalProperties"] is False
    assert set(documented["properties"]) == {f.name for f in FIELDS}
    users.add_user(db, "alles", "beheerder", PASSWORD)
    headers = {"Authorization": f"Bearer {users.new_api_token(db, 'alles')}"}
    received = client.get("/api/v1/locations?zorgvorm=15&limit=1", headers=headers).get_json()["features"][0]["properties"]
    assert set(received) == set(documented["properties"])


@pytest.mark.parametrize("role", [None, "wmo_consulent", "bw_consulent"])
@pytest.mark.parametrize(("document", "operations"), [("/api/v1/openapi.json", 5), ("/ogc/api", 7), ("/hsds/openapi.json", 11)],
                         ids=["api", "ogc", "hsds"])
def test_schemathesis_all_checks_pass(live_server, db, tmp_path, role, document, operations):
    """Run Schemathesis (all checks, positive-data acceptance and unsupported methods included) over
    every operation of each API's OpenAPI document, as anonymous, professional and BW caller."""
    import subprocess
    import sys
    from pathlib import Path

    command = [str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_server.url}{document}",
               "--checks", "all", "--max-examples", "30", "--generation-deterministic", "--mode", "all", "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--suppress-health-check", "all", "--no-color"]
    if role:
        users.add_user(db, f"st-{role}", role, PASSWORD)
        command += ["--header", f"Authorization: Bearer {users.new_api_token(db, f'st-{role}')}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:]
    assert f"{operations} / {operations}" in result.stdout.replace(f"{operations}/{operations}", f"{operations} / {operations}")


def test_geojson_is_compressed(client):
    response = client.get("/api/v1/locations", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert response.headers.get("Content-Encoding") == "gzip"


def test_xlsx_export_has_typed_cells_a_frozen_filtered_header_and_provenance(client, auth, make_user):
    import io

    from openpyxl import load_workbook

    auth.login(make_user("beheerder"))
    book = load_workbook(io.BytesIO(client.get("/api/v1/export/xlsx?zorgvorm=15").data))
    sheet = book["Locaties"]
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2])}
    assert isinstance(row["BW-capaciteit (plaatsen)"], int) and isinstance(row["Breedtegraad"], float)
    assert isinstance(row["Einddatum contract"], __import__("datetime").datetime)
    assert isinstance(row["Postcode"], str) and isinstance(row["Huisnummer"], str) and "15" in row["Zorgvormen"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    about = {r[0].value: r[1].value for r in book["Bron"].iter_rows()}
    assert about["Gegevensversie"] == "1" and about["Demogegevens"].startswith("ja")


def test_geojson_features_carry_a_stable_id(client):
    features = client.get("/api/v1/locations?gemeente=GM0755").get_json()["features"]
    assert features and all(f["id"] == f["properties"]["id"] for f in features)


def test_locations_are_paged_with_next_links(client, frame):
    public = public_rows(frame)
    day = len(public[public["care_types"].map(lambda c: "07" in c)])
    assert day > 100
    first = client.get("/api/v1/locations?zorgvorm=07&limit=100").get_json()
    assert first["numberMatched"] == day and first["numberReturned"] == 100 and len(first["features"]) == 100
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "zorgvorm=07" in nxt and "offset=100" in nxt
    second = client.get(nxt).get_json()
    assert second["numberReturned"] == day - 100 and second["links"] == []
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert len(set(ids)) == day
    assert client.get("/api/v1/locations?limit=0").status_code == 400
