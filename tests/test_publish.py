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
from tests.conftest import DEMO, public_rows
from tests.test_import import BASE, EMPTY, csv_bytes
from wmo_kaart.core import filestore as filestore_mod
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.filestore import FileStore
from wmo_kaart.core.importer.service import run_import
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.store import StoreError
from wmo_kaart.core.validate import validate_collection


def _collection(n: int) -> dict:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    return {**data, "features": data["features"][:n]}


class _Publisher:
    """The store under test, with the call shape these tests were written in."""

    def __init__(self, store: FileStore):
        self.store, self.data_path, self.dir = store, store.data_path, store.dir

    def publish(self, collection, actor, source, sha):
        return self.store.publish(collection, actor=actor, source=source, source_sha256=sha)

    def rollback(self, number, actor):
        return self.store.rollback(number, actor=actor)

    def versions(self):
        return self.store.versions()


@pytest.fixture
def publisher(tmp_path):
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    return _Publisher(FileStore(data, tmp_path / "versions", default_catalog()))


def test_keeps_at_least_ten_versions_and_rolls_back(publisher):
    for n in range(1, 13):
        publisher.publish(_collection(n), "tester", f"bron-{n}.csv", "0" * 64)
    versions = publisher.versions()
    assert len(versions) == 10 and versions[-1].number == 13 and versions[0].number == 4
    assert len(list(publisher.dir.glob("v*.geojson"))) == 10
    assert json.loads(publisher.data_path.read_text())["features"] == _collection(12)["features"]
    publisher.rollback(5, "tester")
    assert len(json.loads(publisher.data_path.read_text())["features"]) == 4
    with pytest.raises(StoreError, match="bestaat niet"):
        publisher.rollback(1, "tester")
    with pytest.raises(StoreError, match="al de live versie"):
        publisher.rollback(14, "tester")


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4])
def test_failure_during_the_write_leaves_the_old_data(publisher, monkeypatch, fail_at):
    before = publisher.data_path.read_bytes()
    calls = {"n": 0}
    real = os.replace

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    versions = publisher.versions()
    monkeypatch.setattr(filestore_mod.os, "replace", flaky)
    with pytest.raises(StoreError, match="map"):
        publisher.publish(_collection(3), "tester", "x.csv", "0" * 64)
    assert publisher.data_path.read_bytes() == before
    assert publisher.versions() == versions, "a failed publish never appears in the history"
    assert hashlib.sha256(before).hexdigest() == versions[-1].data_sha256, "the live data is a kept version"
    assert not list(publisher.data_path.parent.rglob(".*.tmp")), "no temporary files left behind"


def test_failure_while_serialising_leaves_the_old_data(publisher):
    before = publisher.data_path.read_bytes()
    bad = _collection(2)
    bad["features"][0]["properties"]["bw_capacity"] = float("nan")
    with pytest.raises(ValueError):
        publisher.publish(bad, "tester", "x.csv", "0" * 64)
    assert publisher.data_path.read_bytes() == before


def test_kill_loop_leaves_no_phantom_version_and_no_temp_files(tmp_path):
    """SIGKILL `wmo-kaart import` at 30 random moments; after each, the next start finds the live data
    equal to the newest kept version, every listed version complete, and no temporary files."""
    import random

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    rows = [BASE | {"Locatiecode": f"K{i}", "Locatienaam": f"Locatie {i}"} for i in range(1500)]
    src = tmp_path / "groot.csv"
    src.write_bytes(csv_bytes(rows))
    env = {**os.environ, "WMO_KAART_DATA": str(data), "WMO_KAART_INSTANCE": str(tmp_path / "instance")}
    rng = random.Random(2026)
    counts = []
    for _ in range(30):
        proc = subprocess.Popen([sys.executable, "-m", "wmo_kaart.cli", "import", str(src), "--merge"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = FileStore(data, tmp_path / "instance" / "versions", default_catalog())  # the next start
        versions = store.versions()
        assert hashlib.sha256(store._live_bytes()).hexdigest() == versions[-1].data_sha256, "readers see a kept version"
        for v in versions:
            assert hashlib.sha256(store.version_data(v.number)).hexdigest() == v.data_sha256
        assert [v.number for v in versions] == sorted({v.number for v in versions})
        counts.append(len(versions))
    live, number = store.collection()
    store.publish(live, actor="t", source="t", source_sha256="0", base=number)  # the next write tidies up
    assert hashlib.sha256(data.read_bytes()).hexdigest() == store.versions()[-1].data_sha256
    assert not list(tmp_path.rglob("*.tmp")), "temporary files are cleaned by the next write"
    assert not (tmp_path / "instance" / "versions" / "publishing.json").exists()
    grew = sum(1 for a, b in zip([1, *counts], counts) if b > a)
    assert 0 < grew < 30, "some kills came after a publish and some before"


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

    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.dataset import load_geojson

    frame = load_geojson(DEMO, default_catalog()).frame
    public = len(public_rows(frame))  # the public map leaves ended contracts out
    assert count() == f"{public} van {public} locaties"
    app.extensions["wmo_kaart"].store.publish(_collection(7), actor="tester", source="x.csv", source_sha256="0" * 64)
    seven = len(public_rows(frame.iloc[:7]))
    assert count() == f"{seven} van {seven} locaties"
    meta = client.get("/api/v1/meta").get_json()
    assert meta["locations"] == 7


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
CELL = st.one_of(TEXT, st.sampled_from(["", "07", "BW", "5341 AB", "5341ab", "12a", "51,7", "GM0828",
                                                        "Oss", "ja", "01-02-2026", "-1", "=1+1", "x" * 300]))
HEADER = list(BASE) + ["Capaciteit", "Bezetting", "Peildatum", "Rolstoeltoegankelijk", "X", "Y", "Doelgroep"]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({h: CELL for h in HEADER}), min_size=1, max_size=6))
def test_generated_rows_never_crash_and_are_either_valid_or_explained(rows):
    report = run_import(csv_bytes(rows), "x.csv", default_catalog(), GeocoderChain(), EMPTY).report
    from wmo_kaart.core.importer.read import clean_cell

    rows_with_errors = {e.row for e in report.errors}
    assert set(report.accepted_rows).isdisjoint(rows_with_errors)
    filled = {n for n, r in enumerate(rows, start=2) if any(clean_cell(v) for v in r.values())}  # blank lines skip
    totals = {t["row"] for sheet in report.sheets for t in sheet.totals_rows}
    combined = {c["row"] for c in report.combined_rows}
    assert set(report.accepted_rows) | rows_with_errors | totals | combined == filled, "every row is accounted for"
    for error in report.errors:
        assert 2 <= error.row <= len(rows) + 1 and error.column and error.message
    collection = {"type": "FeatureCollection", "features": report.features}
    assert validate_collection(collection, default_catalog()) == []
