"""/contracten for contract managers and policymakers: who may open it, filters, sort, export, overview."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import DEMO, PRO_ROLES, SIX_MONTHS_ON, TODAY


@pytest.fixture(scope="module")
def demo():
    return [f["properties"] for f in json.loads(DEMO.read_text(encoding="utf-8"))["features"]]


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/contracten")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [*PRO_ROLES, "bw_consulent", "beheerder"])
def test_every_professional_role_sees_every_contract_and_no_bw_figures(client, auth, make_user, demo, role):
    auth.login(make_user(role))
    response = client.get("/contracten")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.count('<th scope="row">') >= len(demo)
    assert "bw_capacity" not in html and "BW-capaciteit" not in html


def _csv_rows(client, query: str) -> list[dict]:
    raw = client.get(f"/contracten?{query}&f=csv").data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw), delimiter=";"))


def test_ends_within_months_filter_sort_and_export(client, auth, make_user, demo):
    auth.login(make_user("contractmanager"))
    horizon = SIX_MONTHS_ON
    expected = sorted(p["contract_id"] for p in demo if p.get("contract_end") and p["contract_end"] <= horizon
                      and p["municipality_code"] == "GM0828")
    rows = _csv_rows(client, "maanden=6&gemeente=GM0828&beeindigd=1")
    assert sorted(r["Contractnummer"] for r in rows) == expected
    ends = [r["Einddatum contract"] for r in rows]
    assert ends == sorted(ends)
    ended = [r for r in rows if r["Status"] == "Beëindigd"]
    assert all(r["Einddatum contract"] < TODAY.isoformat() for r in ended) and ended
    kept = _csv_rows(client, "maanden=6&gemeente=GM0828")  # by default: contracts still running only
    assert len(kept) == len(rows) - len(ended) and all(r["Status"] != "Beëindigd" for r in kept)
    assert {r["Status"] for r in kept} == {"Loopt binnen 6 maanden af"}
    assert {r["Status"] for r in _csv_rows(client, "maanden=12&gemeente=GM0828")} <= {"Loopt binnen 12 maanden af"}
    by_provider = [r["Aanbieder"].casefold() for r in _csv_rows(client, "sorteer=provider_name")]
    assert by_provider == sorted(by_provider)


def test_the_overview_follows_the_filters(client, auth, make_user, demo):
    import re

    auth.login(make_user("contractmanager"))
    html = client.get("/contracten?gemeente=GM0855&zorgvorm=15&beeindigd=1").get_data(as_text=True)
    overview = html.split("Locaties per aanbieder, zorgvorm en gemeente", 1)[1]
    expected = sum(1 for p in demo if p["municipality_code"] == "GM0855" and "15" in p["care_types"])
    assert sum(int(n) for n in re.findall(r"<td>(\d+)</td>", overview)) >= expected > 0
    assert "Oss" not in overview.split("</table>", 1)[0]


def test_overview_counts_locations_per_provider_care_type_and_municipality(client, auth, make_user, demo):
    auth.login(make_user("bestuurder"))
    html = client.get("/contracten?lang=en").get_data(as_text=True)
    first = min(demo, key=lambda p: p["provider_name"])
    count = sum(1 for p in demo if p["provider_name"] == first["provider_name"] and "07" in p["care_types"]
                and p["municipality_code"] == first["municipality_code"])
    assert "Locations per provider, care type and municipality" in html
    assert count == 0 or f"<td>{count}</td>" in html


def test_bad_filters_are_named_in_dutch(client, auth, make_user):
    auth.login(make_user("contractmanager"))
    response = client.get("/contracten?maanden=veel")
    assert response.status_code == 400 and "maanden" in response.get_data(as_text=True)
    assert client.get("/contracten?gemeente=GM9999").status_code == 400
