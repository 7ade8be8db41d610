"""Publishing is atomic and keeps versions; a failed or killed import leaves the data as it was;
the running app picks up a new version without a restart; hypothesis rows never crash the parser."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests import dash_client
from tests.conftest import DEMO
from tests.test_import import BASE, csv_bytes
from wmo_kaart.core import publish as publish_mod
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.importer import convert_rows, read_table
from wmo_kaart.core.publish import Publisher
from wmo_kaart.core.validate import validate_collection


def _collection(n: int) -> dict:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    return {**data, "features": data["features"][:n]}


@pytest.fixture
def publisher(tmp_path):
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    return Publisher(data, tmp_path / "versions")


def test_keeps_at_least_ten_versions_and_rolls_back(publisher):
    for n in range(1, 13):
        publisher.publish(_collection(n), "tester", f"bron-{n}.csv", "0" * 64)
    versions = publisher.versions()
    assert len(versions) == 10 and versions[-1].number == 13 and versions[0].number == 4
    assert len(list(publisher.dir.glob("v*.geojson"))) == 10
    assert json.loads(publisher.data_path.read_text())["features"] == _collection(12)["features"]
    publisher.rollback(5, "tester")
    assert len(json.loads(publisher.data_path.read_text())["features"]) == 4
    with pytest.raises(ValueError, match="bestaat niet"):
        publisher.rollback(1, "tester")


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_failure_during_the_write_leaves_the_old_data(publisher, monkeypatch, fail_at):
    before = publisher.data_path.read_bytes()
    calls = {"n": 0}
    real = os.replace

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError("schijf vol (gesimuleerd)")
        return real(src, dst)

    monkeypatch.setattr(publish_mod.os, "replace", flaky)
    with pytest.raises(OSError):
        publisher.publish(_collection(3), "tester", "x.csv", "0" * 64)
    assert publisher.data_path.read_bytes() == before
    assert not list(publisher.data_path.parent.glob(".*.tmp")), "no temporary files left behind"


def test_failure_while_serialising_leaves_the_old_data(publisher):
    before = publisher.data_path.read_bytes()
    bad = _collection(2)
    bad["features"][0]["properties"]["bw_capacity"] = float("nan")
    with pytest.raises(ValueError):
        publisher.publish(bad, "tester", "x.csv", "0" * 64)
    assert publisher.data_path.read_bytes() == before


def test_killed_import_never_leaves_a_half_written_file(tmp_path):
    """Kill `wmo-kaart import` at many moments; the data file is always the old or the new one."""
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    old = hashlib.sha256(data.read_bytes()).hexdigest()
    rows = [BASE | {"Locatiecode": f"K{i}", "Locatienaam": f"Locatie {i}"} for i in range(3000)]
    src = tmp_path / "groot.csv"
    src.write_bytes(csv_bytes(rows))
    env = {**os.environ, "WMO_KAART_DATA": str(data), "WMO_KAART_INSTANCE": str(tmp_path / "instance")}
    seen = set()
    for delay in (0.2, 0.6, 1.0, 1.4, 1.8, 2.4, 3.0, 4.0, 6.0):
        proc = subprocess.Popen([sys.executable, "-m", "wmo_kaart.cli", "import", str(src)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        raw = data.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != old:
            assert len(json.loads(raw)["features"]) == 3000, "a changed file is the whole new dataset"
        seen.add(digest == old)
    assert True in seen, "at least one kill came before publishing"


def test_running_app_shows_a_new_version_without_restart(settings, tmp_path):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    app = create_app(replace(settings, data_path=data))
    client = app.test_client()
    dep = dash_client.find(dash_client.dependencies(client), "map-count.children")

    def count():
        return dash_client.post(client, dep).get_json()["response"]["map-count"]["children"]

    assert count() == "280 van 280 locaties"
    Publisher(data, tmp_path / "versions").publish(_collection(7), "tester", "x.csv", "0" * 64)
    assert count() == "7 van 7 locaties"
    meta = client.get("/api/v1/meta").get_json()
    assert meta["locations"] == 7


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
CELL = st.one_of(TEXT, st.sampled_from(["", "07", "BW", "5341 AB", "5341ab", "12a", "51,7", "GM0828",
                                                        "Oss", "ja", "01-02-2026", "-1", "=1+1", "x" * 300]))
HEADER = list(BASE) + ["Capaciteit", "Bezetting", "Peildatum", "Rolstoeltoegankelijk", "X", "Y", "Doelgroep"]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({h: CELL for h in HEADER}), min_size=1, max_size=6))
def test_generated_rows_never_crash_and_are_either_valid_or_explained(rows):
    report = convert_rows(read_table(csv_bytes(rows)), default_catalog())
    rows_with_errors = {e.row for e in report.errors}
    assert set(report.accepted_rows).isdisjoint(rows_with_errors)
    filled = [r for r in rows if any(v.strip() for v in r.values())]  # blank lines are skipped
    assert len(report.accepted_rows) + len(rows_with_errors) == len(filled)
    for error in report.errors:
        assert 2 <= error.row <= len(rows) + 1 and error.column and error.message
    collection = {"type": "FeatureCollection", "features": report.features}
    ids = [f["properties"]["id"] for f in report.features]
    if len(ids) == len(set(ids)):
        assert validate_collection(collection, default_catalog()) == []
