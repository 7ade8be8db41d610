"""Time is an input: one clock, one contract rule for every page, demo data that never ages."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests import dash_client
from tests.conftest import DEMO, TODAY
from wmo_kaart.core import access, clock, contracts, demo_dates
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-11-28", 6, "2027-05-28"), ("2026-08-31", 6, "2027-02-28"), ("2027-08-31", 6, "2028-02-29"),
    ("2026-12-03", 1, "2027-01-03"), ("2026-01-31", 1, "2026-02-28"), ("2026-05-15", 0, "2026-05-15"),
    ("2026-11-30", 24, "2028-11-30"), ("2026-03-31", -1, "2026-02-28"),
])
def test_months_are_calendar_months(day, months, expected):
    assert clock.add_months(dt.date.fromisoformat(day), months).isoformat() == expected


@pytest.mark.parametrize(("end", "today", "months", "within", "ended"), [
    ("2027-05-28", "2026-11-28", 6, True, False), ("2027-05-29", "2026-11-28", 6, False, False),
    ("2026-11-27", "2026-11-28", 0, True, True), ("2026-11-28", "2026-11-28", 0, True, False),
    ("2027-02-28", "2026-08-31", 6, True, False), ("2027-03-01", "2026-08-31", 6, False, False),
    ("", "2026-11-28", 24, False, False), (None, "2026-11-28", 24, False, False),
])
def test_contract_rule_table(end, today, months, within, ended):
    day = dt.date.fromisoformat(today)
    assert contracts.ends_within(end, day, months) is within
    assert contracts.ended(end, day) is ended


@pytest.fixture(scope="module")
def pro_view():
    return access.view_for(load_geojson(DEMO, default_catalog()), "contractmanager")


def test_contracts_page_and_coverage_agree_on_every_day_and_horizon(pro_view):
    """What /contracten lists (contracts.table) and what /dekking leaves out (contracts.ending_ids) for
    every horizon from 0 to 24 months on every day of a year, checked against a rule written here."""
    ends = [(i, e) for i, e in zip(pro_view["id"], pro_view["contract_end"]) if e]
    day = dt.date(2027, 1, 1)
    while day.year == 2027:
        for months in range(25):
            year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
            last_day = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]
            limit = f"{year:04d}-{month + 1:02d}-{min(day.day, last_day):02d}"
            expected = {i for i, e in ends if e <= limit}
            assert set(contracts.ending_ids(pro_view, months, day)) == expected, (day, months)
            if day.day in (1, 28, 31):  # the table is slower: its days at the months' edges
                assert set(contracts.table(pro_view, day, months=months)["id"]) == expected, (day, months)
        day += dt.timedelta(days=1)


def test_contracts_csv_and_coverage_button_list_the_same_contracts(client, auth, make_user):
    import csv
    import io

    auth.login(make_user("contractmanager"))
    dep = dash_client.find(dash_client.dependencies(client), "cov-ending-note.children")
    for months in (0, 3, 6, 13, 24):
        raw = client.get(f"/contracten?maanden={months}&beeindigd=1&f=csv").data.decode("utf-8-sig")
        listed = {r["Contractnummer"] for r in csv.DictReader(io.StringIO(raw), delimiter=";")}
        out = dash_client.post(client, dep, {("cov-ending", "n_clicks"): 1, ("cov-months", "value"): months,
                                             ("cov-lang", "data"): "nl"}, headers=auth.csrf_header()).get_json()
        ids = set(out["response"]["cov-without-loc"]["data"])
        features = {f["properties"]["id"]: f["properties"] for f in json.loads(DEMO.read_text())["features"]}
        assert {features[i]["contract_id"] for i in ids} == listed and listed, months


def test_no_code_asks_the_system_for_the_date():
    """Every date comes from core.clock, so tests (and WMO_KAART_TODAY) set it everywhere."""
    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"date\.today\(\)|datetime\.now\(|datetime\.utcnow\(|datetime\.today\(")
    offenders = [f"{path.relative_to(root)}:{n}" for folder in ("wmo_kaart", "auth", "layers")
                 for path in (root / folder).rglob("*.py") if path.name != "clock.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def _public_count(day: str) -> tuple[int, int]:
    dataset = load_geojson(DEMO, default_catalog(), dt.date.fromisoformat(day))
    public = access.view_for(dataset, None, today=dt.date.fromisoformat(day))
    pro = access.view_for(dataset, "contractmanager")
    ending = len(contracts.ending_ids(pro, 6, dt.date.fromisoformat(day)))
    return len(public), ending


@pytest.mark.parametrize("day", ["2026-11-28", "2029-11-28", "2029-12-03", "2031-02-28", "2024-03-01"])
def test_demo_map_looks_the_same_in_any_year(day):
    """At the demo's own day 72 of 280 contracts have ended... counted by hand from the file below; on any
    other day, three years on or in the past, the same number is public and the same number ends soon."""
    features = json.loads(DEMO.read_text())["features"]
    ended_at_as_of = sum(1 for f in features if (f["properties"].get("contract_end") or "9") < "2026-11-01")
    assert _public_count(day)[0] == len(features) - ended_at_as_of
    assert _public_count(day) == _public_count("2026-11-28")


def test_demo_dates_move_by_whole_months_and_real_data_never():
    data = json.loads(DEMO.read_text())
    moved = demo_dates.current(data, dt.date(2029, 12, 3))
    assert moved["metadata"]["as_of"] == "2029-12-01"
    first, after = data["features"][0]["properties"], moved["features"][0]["properties"]
    assert (first["contract_end"], after["contract_end"]) == ("2028-12-01", "2032-01-01")
    real = {**data, "metadata": {**data["metadata"], "demo": False}}
    assert demo_dates.current(real, dt.date(2029, 12, 3)) is real


def test_a_generated_demo_is_made_for_its_day():
    from wmo_kaart.demo import generate

    data = generate(locations=60, as_of=dt.date(2031, 5, 17))
    ends = sorted(f["properties"]["contract_end"] for f in data["features"])
    assert data["metadata"]["as_of"] == "2031-05-17"
    assert ends[0] >= "2030-12-01" and ends[-1] <= "2033-06-30"


def test_the_clock_is_set_for_tests_and_refuses_a_bad_date(monkeypatch):
    assert clock.today() == TODAY
    monkeypatch.setenv("WMO_KAART_TODAY", "3-12-2026")
    with pytest.raises(ValueError, match="WMO_KAART_TODAY"):
        clock.today()
