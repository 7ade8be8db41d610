"""Coverage figures against an independent computation (pyproj and shapely, written here), the CBS
total, what-if rules, and agreement between the CLI, the API and the page."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, shape

from tests import dash_client
from tests.conftest import TODAY, DEMO, PASSWORD, AuthActions
from wmo_kaart.core import access
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.coverage import Scenario, compute
from wmo_kaart.core.coverage_params import ScenarioError, parse_scenario
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.demand import BUNDLED, from_geojson, load_demand

CBS_TOTAL_14_MUNICIPALITIES = 747_495  # residents 1 January 2021 of the 14 municipalities (CBS, see docs/coverage.md)
RD = Transformer.from_crs(4326, 28992, always_xy=True)


@pytest.fixture(scope="module")
def view():
    return access.view_for(load_geojson(DEMO, default_catalog()), "beleidsadviseur")


@pytest.fixture(scope="module")
def demand():
    return load_demand()


@pytest.fixture(scope="module")
def independent():
    """Areas and demo locations projected to RD here, without the app's code."""
    areas = json.loads(BUNDLED.read_text(encoding="utf-8"))["features"]
    rows = []
    for f in areas:
        polygon = shape(f["geometry"])
        rd_polygon = shape({"type": f["geometry"]["type"], "coordinates": _project(f["geometry"]["coordinates"])})
        point = rd_polygon.representative_point()
        rows.append({"id": f["properties"]["postcode"], "municipality_code": f["properties"]["municipality_code"],
                     "population": f["properties"]["inwoners"], "older": f["properties"]["inwoners_65plus"],
                     "x": point.x, "y": point.y, "wgs": polygon})
    locations = []
    for f in json.loads(DEMO.read_text(encoding="utf-8"))["features"]:
        x, y = RD.transform(*f["geometry"]["coordinates"])
        locations.append({**f["properties"], "x": x, "y": y})
    return rows, locations


def _project(coords):
    if isinstance(coords[0], (int, float)):
        return list(RD.transform(coords[0], coords[1]))
    return [_project(c) for c in coords]


def _in_force(loc) -> bool:
    """A contract counts on the test day unless its end date lies before it (written here, not the app's rule)."""
    return not (loc.get("contract_end") and loc["contract_end"] < TODAY.isoformat())


def _brute(rows, locations, care, target=None, without=(), with_ended=False):
    supply = [(loc["x"], loc["y"], loc["id"]) for loc in locations if care in loc["care_types"]
              and (target is None or target in loc.get("target_groups", [])) and loc["provider_id"] not in without
              and (with_ended or _in_force(loc))]
    out = []
    for r in rows:
        d = [(float(np.hypot(r["x"] - x, r["y"] - y)), i) for x, y, i in supply]
        out.append(min(d))
    return out


@pytest.mark.parametrize(("care", "target"), [("07", None), ("15", None), ("04", "ouderen"), ("02", "ggz")])
def test_figures_match_an_independent_computation(view, demand, independent, care, target):
    rows, locations = independent
    result = compute(demand, view, Scenario(care, target))
    brute = _brute(rows, locations, care, target)
    got = result.areas.set_index("id")
    for r, (distance, nearest) in zip(rows, brute):
        assert got.loc[r["id"], "nearest_m"] == pytest.approx(distance, rel=0.005, abs=2.0)
    pop = np.array([r["older" if target == "ouderen" else "population"] for r in rows], float)
    dist = np.array([d for d, _ in brute])
    assert result.region["mean_m"] == pytest.approx((pop * dist).sum() / pop.sum(), rel=0.005)
    for km in (5, 10, 15):
        assert result.region[f"within_{km:g}"] == pytest.approx(pop[dist <= km * 1000].sum() / pop.sum(), rel=0.005, abs=1e-9)
    oss = [i for i, r in enumerate(rows) if r["municipality_code"] == "GM0828"]
    m = result.municipalities.set_index("code").loc["GM0828"]
    assert m["population"] == pop[oss].sum()
    expected_count = sum(1 for loc in locations if care in loc["care_types"] and loc["municipality_code"] == "GM0828"
                         and (target is None or target in loc.get("target_groups", [])) and _in_force(loc))
    assert m["locations"] == expected_count
    assert m["per_10000"] == pytest.approx(expected_count / pop[oss].sum() * 10_000, rel=0.005)
    assert set(result.gaps["id"]) == {r["id"] for r, (d, _) in zip(rows, brute) if d > 15_000}


def test_region_population_is_the_cbs_total(demand):
    assert demand.frame["population"].sum() == pytest.approx(CBS_TOTAL_14_MUNICIPALITIES, rel=0.01)
    assert len(demand.frame) == 164 and demand.frame["municipality_code"].nunique() == 14


def test_every_demand_point_lies_inside_its_area(demand, independent):
    rows, _ = independent
    by_id = {r["id"]: r["wgs"] for r in rows}
    for a in demand.frame.itertuples():
        assert by_id[a.id].buffer(1e-9).contains(Point(a.lon, a.lat)), a.id


def test_e2sfca_matches_a_hand_computation(view, demand, independent):
    rows, locations = independent
    result = compute(demand, view, Scenario("07"))
    supply = [(loc["x"], loc["y"]) for loc in locations if "07" in loc["care_types"] and _in_force(loc)]

    def weight(d_km):
        return 1.0 if d_km <= 5 else 0.68 if d_km <= 10 else 0.22 if d_km <= 15 else 0.0

    pop = np.array([r["population"] for r in rows], float)
    d = np.array([[np.hypot(r["x"] - x, r["y"] - y) / 1000 for x, y in supply] for r in rows])
    w = np.vectorize(weight)(d)
    ratio = 1.0 / (pop[:, None] * w).sum(axis=0)  # one place per location
    score = (w * ratio[None, :]).sum(axis=1) * 10_000
    assert result.areas["e2sfca"].to_numpy() == pytest.approx(score, rel=0.005)


def test_best_new_location_is_the_exact_best_single_addition(view, demand, independent):
    rows, locations = independent
    result = compute(demand, view, Scenario("15", thresholds_km=(2.0, 5.0)))
    brute = _brute(rows, locations, "15")
    uncovered = [(r, r["population"]) for r, (d, _) in zip(rows, brute) if d > 2000]
    gains = {c["id"]: sum(p for r, p in uncovered if np.hypot(r["x"] - c["x"], r["y"] - c["y"]) <= 2000) for c in rows}
    assert result.best_new["residents_covered"] == max(gains.values())
    assert gains[result.best_new["id"]] == max(gains.values())


def test_what_if_leaving_out_a_provider_never_brings_care_closer(view, demand):
    before = compute(demand, view, Scenario("07"))
    provider = view.loc[view["care:07"], "provider_id"].value_counts().index[0]
    after = compute(demand, view, Scenario("07", without_providers=(provider,)))
    assert (after.areas["nearest_m"].to_numpy() >= before.areas["nearest_m"].to_numpy()).all()
    in_force = view["contract_end"].map(lambda end: not (end and end < TODAY.isoformat())).astype(bool)
    assert after.region["locations"] == before.region["locations"] - int(
        (view["care:07"] & (view["provider_id"] == provider) & in_force).sum())
    assert provider not in set(after.supply["provider_id"])


@pytest.mark.parametrize("care", ["07", "02", "15"])
def test_coverage_counts_only_contracts_in_force_unless_a_what_if_adds_the_ended_back(view, demand, independent, care):
    """On the demo's day some contracts have ended: "now" leaves them out (the public map does too); the
    what-if `with_ended` counts every location, as the page did before."""
    rows, locations = independent
    ended = [loc for loc in locations if care in loc["care_types"] and not _in_force(loc)]
    assert ended, "the demo has ended contracts for this care type"
    now = compute(demand, view, Scenario(care))
    assert not {loc["id"] for loc in ended} & set(now.supply["id"])
    everything = compute(demand, view, Scenario(care, with_ended=True))
    assert len(everything.supply) == len(now.supply) + len(ended)
    brute = _brute(rows, locations, care, with_ended=True)
    got = everything.areas.set_index("id")
    for r, (distance, _) in zip(rows, brute):
        assert got.loc[r["id"], "nearest_m"] == pytest.approx(distance, rel=0.005, abs=2.0)
    later = compute(demand, view, Scenario(care), today=TODAY.replace(year=TODAY.year + 3))  # every demo contract ended
    assert later.supply.empty and later.region["within_15"] == 0


def test_what_if_adding_a_location_at_an_area_puts_it_at_zero(view, demand):
    area = demand.frame.iloc[40]
    after = compute(demand, view, Scenario("15", added=((area["lon"], area["lat"]),)))
    got = after.areas.set_index("id").loc[area["id"]]
    assert got["nearest_m"] <= 1 and got["nearest_id"] == "NIEUW-1"


def test_bw_places_need_the_bw_columns(demand):
    public = access.view_for(load_geojson(DEMO, default_catalog()), "contractmanager")
    with pytest.raises(PermissionError):
        compute(demand, public, Scenario("15"), places=True)


@pytest.mark.parametrize(("kwargs", "parameter", "message"), [
    ({"zorgvorm": None}, "zorgvorm", "kies een zorgvorm"),
    ({"zorgvorm": "99"}, "zorgvorm", "onbekende zorgvorm '99'"),
    ({"doelgroep": "katten"}, "doelgroep", "onbekende doelgroep 'katten'"),
    ({"drempels": "vijf"}, "drempels", "geef 1 tot 5 afstanden in km"),
    ({"drempels": "0,5"}, "drempels", "groter dan 0 en hoogstens 100"),
    ({"drempels": "5,150"}, "drempels", "groter dan 0 en hoogstens 100"),
    ({"drempels": "1,2,3,4,5,6"}, "drempels", "1 tot 5 afstanden"),
    ({"nieuw": ["48.85,2.35"]}, "nieuw", "geen punt in Nederland"),
    ({"nieuw": ["oss"]}, "nieuw", "is geen punt"),
])
def test_bad_scenario_parameters_are_named(kwargs, parameter, message):
    args = {"zorgvorm": "07", **kwargs}
    with pytest.raises(ScenarioError) as info:
        parse_scenario(default_catalog(), **args)
    assert info.value.parameter == parameter and message in info.value.message


def test_suppressed_cbs_values_are_unknown_not_numbers(demand):
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["features"] = data["features"][:3]
    data["features"][0]["properties"]["inwoners"] = -99997
    small = from_geojson(data, "test")
    assert np.isnan(small.frame["population"].iloc[0]) and small.frame["population"].iloc[1] > 0


def _pro_client(app, role="contractmanager"):
    from auth import users

    users.add_user(app.extensions["wmo_kaart_db"], "u", role, PASSWORD)
    auth = AuthActions(app.test_client())
    auth.login("u")
    return auth


def test_cli_api_and_page_agree(app, capsys, monkeypatch, tmp_path):
    from wmo_kaart.cli import main

    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "cli"))
    assert main(["coverage", "--zorgvorm", "07", "--zonder-aanbieder", "AANB-001", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    auth = _pro_client(app)
    api = auth.client.get("/api/v1/coverage?zorgvorm=07&zonder-aanbieder=AANB-001").get_json()
    assert cli["region"] == api["region"] and cli["municipalities"] == api["municipalities"] and cli["areas"] == api["areas"]
    assert set(cli) >= {"region", "municipalities", "areas"}
    assert set(cli["municipalities"][0]) >= {"code", "name", "population", "locations", "per_10000", "mean_m", "share_within"}
    assert set(cli["areas"][0]) >= {"id", "municipality_code", "lat", "lon", "population", "nearest_m", "nearest_id"}
    assert set(cli["region"]) >= {"population", "mean_m", "share_within"} and set(cli["region"]["share_within"]) == {"5", "10", "15"}
    dep = dash_client.find(dash_client.dependencies(auth.client), "cov-table.children")
    values = {("cov-care", "value"): "07", ("cov-drempels", "value"): "5,10,15", ("cov-without", "value"): ["AANB-001"],
              ("cov-without-loc", "data"): [], ("cov-added", "data"): [], ("cov-places", "value"): [],
              ("cov-sort", "value"): "name", ("cov-lang", "data"): "nl"}
    response = dash_client.post(auth.client, dep, values, headers=auth.csrf_header()).get_json()["response"]
    table = response["cov-table"]["children"]["props"]["children"]["props"]["children"]  # the scrolling region, its table
    head = [th["props"]["children"] for th in table[0]["props"]["children"]["props"]["children"]]
    rows = {}
    for tr in table[1]["props"]["children"]:
        cells = [c["props"]["children"] for c in tr["props"]["children"]]
        rows[cells[0]] = dict(zip(head, cells))
    for m in api["municipalities"]:
        assert rows[m["name"]]["Locaties (na wijziging)"] == str(m["locations"])
        shown = float(rows[m["name"]]["Binnen 5 km (%) (na wijziging)"].replace(".", "").replace(",", "."))
        assert shown == pytest.approx(100 * m["share_within"]["5"], abs=0.05)
    assert response["cov-url"]["search"].startswith("?zorgvorm=07")


@pytest.mark.parametrize(("role", "status", "places"), [
    ("anonymous", 401, "0"), ("wmo_consulent", 200, "0"), ("contractmanager", 403, "1"), ("bestuurder", 403, "1"),
    ("bw_consulent", 200, "1"), ("beleidsadviseur", 200, "1"), ("beheerder", 200, "1")])
def test_coverage_api_per_role(app, role, status, places):
    client = app.test_client() if role == "anonymous" else _pro_client(app, role).client
    response = client.get(f"/api/v1/coverage?zorgvorm=15&plaatsen={places}")
    assert response.status_code == status
    if status != 200:
        assert "error" in response.get_json() and "7919" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "sees_bw"), [("wmo_consulent", False), ("contractmanager", False), ("bestuurder", False),
                                              ("bw_consulent", True), ("beleidsadviseur", True), ("beheerder", True)])
def test_coverage_page_and_report_for_every_role(app, role, sees_bw):
    assert app.test_client().get("/dekking").status_code == 302, "anonymous goes to the login"
    auth = _pro_client(app, role)
    assert auth.client.get("/dekking").status_code == 200
    assert auth.client.get("/dekking/rapport?zorgvorm=15").status_code == 200
    assert auth.client.get("/dekking/rapport?zorgvorm=15&plaatsen=1").status_code == (200 if sees_bw else 403)
    dep = dash_client.find(dash_client.dependencies(auth.client), "page.children")
    layout = dash_client.post(auth.client, dep, {("url", "pathname"): "/dekking", ("url", "search"): ""},
                              headers=auth.csrf_header()).get_data(as_text=True)
    assert ("cov-bw-region" in layout) is sees_bw, "the BW overview only for BW roles"


def test_coverage_page_and_report_are_for_professional_roles(app):
    anonymous = app.test_client()
    assert anonymous.get("/dekking").status_code == 302
    assert anonymous.get("/dekking/rapport?zorgvorm=07").status_code == 302
    auth = _pro_client(app, "bestuurder")
    assert auth.client.get("/dekking").status_code == 200
    report = auth.client.get("/dekking/rapport?zorgvorm=07&drempels=5,10,15")
    assert report.status_code == 200 and "<svg" in report.get_data(as_text=True) and "Per gemeente" in report.get_data(as_text=True)
    assert auth.client.get("/dekking/rapport?zorgvorm=07&plaatsen=1").status_code == 403
    bad = auth.client.get("/dekking/rapport?zorgvorm=99")
    assert bad.status_code == 400 and "onbekende zorgvorm" in bad.get_data(as_text=True)


def test_downloads_are_spreadsheets_with_numbers(app):
    from openpyxl import load_workbook
    import io

    auth = _pro_client(app)
    csv = auth.client.get("/api/v1/coverage?zorgvorm=07&f=csv")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbfGemeentecode;Gemeente;Inwoners")
    xlsx = auth.client.get("/api/v1/coverage?zorgvorm=07&f=xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Gemeenten", "Gebieden", "Gaten", "Bron"]
    assert isinstance(book["Gemeenten"]["C2"].value, int) and book["Gemeenten"].freeze_panes == "A2"


def test_population_command_reads_pdok_buurten_and_treats_suppressed_as_unknown(tmp_path, capsys):
    """A stub in the response shape of the PDOK CBS wijken-en-buurten OGC API (recorded fixture)."""
    from pathlib import Path

    from tests.http_stub import StubServer
    from wmo_kaart.cli import main
    from wmo_kaart.core.population import download

    body = (Path(__file__).parent / "fixtures" / "pdok_buurten_GM0755.json").read_bytes()
    stub = StubServer(lambda path: ("application/geo+json", body))
    try:
        collection = download(2024, stub.origin + "/wijken-en-buurten-{year}/ogc/v1", codes=("GM0755",))
        assert stub.requests == ["/wijken-en-buurten-2024/ogc/v1/collections/buurten/items?gemeentecode=GM0755&limit=1000&f=json"]
        props = [f["properties"] for f in collection["features"]]
        assert props[0] == {"id": "BU07550000", "name": "Boekel-Centrum", "municipality_code": "GM0755",
                            "population": 4215, "population_65plus": 985}
        assert props[1]["population"] is None and props[1]["population_65plus"] is None
        demand = from_geojson(collection, "buurten")
        assert demand.frame["population"].sum() == 4215 and np.isnan(demand.frame["population"].iloc[1])
        out = tmp_path / "buurten.geojson"
        assert main(["population", "--year", "2024", "--url", stub.origin + "/wijken-en-buurten-{year}/ogc/v1",
                     "--out", str(out)]) == 1, "the other 13 municipalities are missing in the stub"
        assert "geen buurten gevonden voor" in capsys.readouterr().err
    finally:
        stub.stop()


def test_decimal_thresholds_reach_the_json_per_municipality(view, demand, independent):
    """A threshold such as 9.6 km once broke the JSON (column within_9.6 is no tuple field name)."""
    rows, locations = independent
    result = compute(demand, view, Scenario("07", None, (2.5, 9.6))).as_json()
    oss = next(m for m in result["municipalities"] if m["code"] == "GM0828")
    brute = _brute(rows, locations, "07")
    mine = [(r["population"], d) for r, (d, _) in zip(rows, brute) if r["municipality_code"] == "GM0828"]
    total = sum(p for p, _ in mine)
    assert oss["share_within"]["9.6"] == pytest.approx(sum(p for p, d in mine if d <= 9600) / total, rel=0.005)
    assert oss["share_within"]["2.5"] == pytest.approx(sum(p for p, d in mine if d <= 2500) / total, rel=0.005)


HVB = {"GM0855", "GM0766", "GM0784", "GM0785", "GM0797", "GM0798", "GM0809", "GM0824", "GM0867"}  # by hand, CBS 2025


def test_each_region_is_served_by_its_own_contracts(demand, independent, tmp_path):
    """A dataset where each region contracted the other region's locations (and Tilburg's day care is
    contracted by both): every area's nearest location recomputed here, per region."""
    from wmo_kaart.core.dataset import load_geojson

    data = json.loads(DEMO.read_text(encoding="utf-8"))
    for f in data["features"]:
        p = f["properties"]
        own = "Hart van Brabant" if p["municipality_code"] in HVB else "Brabant Noordoost-oost"
        other = "Brabant Noordoost-oost" if own == "Hart van Brabant" else "Hart van Brabant"
        p["contract_regions"] = [own, other] if p["municipality_code"] == "GM0855" else [other]
    path = tmp_path / "swapped.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    view = access.view_for(load_geojson(path, default_catalog()), "contractmanager")
    result = compute(demand, view, Scenario("07"))
    rows, _ = independent
    locations = []
    for f in data["features"]:
        p = f["properties"]
        if "07" in p["care_types"] and _in_force(p):
            x, y = RD.transform(*f["geometry"]["coordinates"])
            locations.append((x, y, set(p["contract_regions"])))
    got = result.areas.set_index("id")
    differs = 0
    for r in rows:
        region = "Hart van Brabant" if r["municipality_code"] in HVB else "Brabant Noordoost-oost"
        own = min(np.hypot(r["x"] - x, r["y"] - y) for x, y, regions in locations if region in regions)
        anywhere = min(np.hypot(r["x"] - x, r["y"] - y) for x, y, _regions in locations)
        assert got.loc[r["id"], "nearest_m"] == pytest.approx(own, rel=0.005, abs=2.0), r["id"]
        differs += own > anywhere + 1000
    assert differs > 50, "the test data makes the regions matter"


def test_the_printed_report_speaks_dutch_numbers_and_labels(client, auth, make_user):
    """4,82 and 1.234 (not 4.82 and 1234), the target group's label (not its code), the method in words."""
    import re

    auth.login(make_user("beleidsadviseur"))
    page = client.get("/dekking/rapport?zorgvorm=07&doelgroep=ouderen").get_data(as_text=True)
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert any(re.fullmatch(r"\d+,\d\d", c) for c in cells) and not any(re.fullmatch(r"\d+\.\d\d", c) for c in cells)
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", c) for c in cells), "thousands with a dot"
    assert "Doelgroep: Ouderen" in page and "Doelgroep: ouderen" not in page
    assert "toegankelijkheidsscore (E2SFCA" in page
    english = client.get("/dekking/rapport?zorgvorm=07&lang=en").get_data(as_text=True)
    assert any(re.fullmatch(r"\d+\.\d\d", c) for c in re.findall(r"<td>([^<]*)</td>", english))
