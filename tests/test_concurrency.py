"""One writer at a time and no lost updates: concurrent merges in separate processes, merges against
rollbacks, and unique version numbers that form one line of history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from tests.conftest import DEMO
from tests.test_import import BASE, csv_bytes
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.filestore import FileStore
from wmo_kaart.core.geocode import GeocoderChain

from wmo_kaart.core.publishing import Job, check_and_publish

PAIRS = 20


def _ids(raw: bytes) -> set[str]:
    return {f["properties"]["id"] for f in json.loads(raw)["features"]}


def test_twenty_pairs_of_concurrent_merges_lose_nothing(tmp_path):
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    env = {**os.environ, "WMO_KAART_DATA": str(data), "WMO_KAART_INSTANCE": str(tmp_path / "instance")}
    files = {}
    for pair in range(PAIRS):
        for side in "ab":
            path = tmp_path / f"merge-{pair}{side}.csv"
            path.write_bytes(csv_bytes([BASE | {"Locatiecode": f"R{pair}{side}", "Locatienaam": f"Race {pair}{side}"}]))
            files[(pair, side)] = path
    codes = []
    for pair in range(PAIRS):
        procs = [subprocess.Popen([sys.executable, "-m", "wmo_kaart.cli", "import", "--merge", str(files[(pair, side)])],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for side in "ab"]
        codes += [(p.wait(timeout=120), p.stdout.read().decode()) for p in procs]
    assert all(code == 0 for code, _ in codes), [out for code, out in codes if code][:2]
    assert {f"R{p}{s}" for p in range(PAIRS) for s in "ab"} <= _ids(data.read_bytes()), "no merge's rows vanished"
    store = FileStore(data, tmp_path / "instance" / "versions", default_catalog())
    versions = store.versions()
    assert versions[-1].number == 1 + 2 * PAIRS, "one version per publish, the first keeps the data before"
    assert [v.number for v in versions] == list(range(versions[0].number, versions[-1].number + 1))
    assert all(v.base == v.number - 1 for v in versions[1:]), "each version was built on the one before it"


def test_merges_against_rollbacks_keep_one_line_of_history(tmp_path):
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    store = FileStore(data, tmp_path / "versions", default_catalog(), keep=200)
    original = store.live_version()
    errors, refused = [], []

    def merge(code: str) -> None:
        raw = csv_bytes([BASE | {"Locatiecode": code}])
        try:
            check_and_publish(store, Job(f"{code}.csv", "merge", raw, "merger"), default_catalog(), GeocoderChain())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    def rollback() -> None:
        from wmo_kaart.core.store import StoreError

        try:
            store.rollback(original, actor="terugzetter")
        except StoreError as exc:  # the original may be live at that moment: then there is nothing to do
            (refused if "al de live versie" in str(exc) else errors).append(exc)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    for pair in range(PAIRS):
        threads = [threading.Thread(target=merge, args=(f"M{pair}",)), threading.Thread(target=rollback)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    versions = store.versions()
    assert len(versions) == 1 + 2 * PAIRS - len(refused) and len({v.number for v in versions}) == len(versions)
    assert all(v.base == prev.number for prev, v in zip(versions, versions[1:])), "one line of history"
    original_ids = _ids(store.version_data(original))
    for prev, v in zip(versions, versions[1:]):
        ids = _ids(store.version_data(v.number))
        if v.actor == "merger":
            code = v.source.removesuffix(".csv")
            assert ids == _ids(store.version_data(prev.number)) | {code}, "a merge is built on the version before it"
        else:
            assert ids == original_ids


@pytest.mark.parametrize("workers", [4])
def test_parallel_publishes_get_unique_numbers(tmp_path, workers):
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    store = FileStore(data, tmp_path / "versions", default_catalog(), keep=100)
    collection, _ = store.collection()
    numbers, lock = [], threading.Lock()

    def publish(i: int) -> None:
        version = store.publish({**collection, "features": collection["features"][: 100 + i]}, actor="t",
                                source=f"{i}", source_sha256="0" * 64)
        with lock:
            numbers.append(version.number)

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(workers * 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(numbers) == list(range(2, 2 + workers * 5))
    assert store.versions()[-1].data_sha256 == __import__("hashlib").sha256(data.read_bytes()).hexdigest()
