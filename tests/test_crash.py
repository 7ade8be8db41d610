"""Killed at every fsync and rename of a publish and of a rollback: a running app then reads a kept
version, and its next publish loses nothing (no change it saw, no BW record)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import DEMO
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.filestore import FileStore

# Runs one write in a child process that dies (os._exit, like SIGKILL: no clean-up) at the n-th
# fsync or rename; prints "done" when the write finished before the n-th came.
CHILD = r"""
import os, sys
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.filestore import FileStore

data, versions, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
store = FileStore(data, versions, default_catalog())
count = [0]
def dying(real):
    def call(*args, **kwargs):
        count[0] += 1
        if count[0] == n:
            os._exit(9)
        return real(*args, **kwargs)
    return call
os.replace, os.fsync = dying(os.replace), dying(os.fsync)
if mode == "publish":
    live, base = store.collection()
    for f in live["features"]:
        if f["properties"]["id"] == "LOC-0001":
            f["properties"]["name"] = "Gewijzigd door het gedode proces"
        if f["properties"].get("bw_capacity") is not None:
            f["properties"]["bw_occupancy"] = 0
    store.publish(live, actor="kill", source="kill", source_sha256="0", base=base)
else:
    store.rollback(1, actor="kill", base=store.live_version())
print("done")
"""


def _instance(tmp_path):
    """A published instance: version 1 (the data before) and 2 (one change)."""
    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    store = FileStore(data, tmp_path / "versions", default_catalog())
    live, base = store.collection()
    live["features"][1]["properties"]["name"] = "Versie twee"
    store.publish(live, actor="t", source="t", source_sha256="0", base=base)
    return data


@pytest.mark.parametrize("mode", ["publish", "rollback"])
def test_killed_at_every_fsync_and_rename_loses_nothing(tmp_path, mode):
    template = tmp_path / "template"
    template.mkdir()
    _instance(template)
    for n in range(1, 60):
        work = tmp_path / f"run{n}"
        shutil.copytree(template, work)
        data, folder = work / "providers.geojson", work / "versions"
        running = FileStore(data, folder, default_catalog())  # the app, started before the write
        assert len(running.current()) == 280
        child = subprocess.run([sys.executable, "-c", CHILD, str(data), str(folder), str(n), mode],
                               capture_output=True, text=True, timeout=120)
        finished = child.stdout.strip() == "done"
        assert finished or child.returncode == 9, child.stderr[-2000:]
        # what the running app reads now is a kept version: its number and its data agree
        live, number = running.collection()
        version = {v.number: v for v in running.versions()}[number]
        assert json.loads(running.version_data(number)) == live
        assert len(running.current()) == version.locations
        by_id = {f["properties"]["id"]: f["properties"] for f in live["features"]}
        killed_change_visible = (by_id["LOC-0001"]["name"] == "Gewijzigd door het gedode proces") if mode == "publish" \
            else by_id["LOC-0002"]["name"] != "Versie twee"
        # the next publish from the running app, checked against what it read
        by_id["LOC-0003"]["name"] = f"Na de kill {n}"
        running.publish(live, actor="web", source="web", source_sha256="0", base=number)
        after = {f["properties"]["id"]: f["properties"] for f in running.collection()[0]["features"]}
        assert after["LOC-0003"]["name"] == f"Na de kill {n}"
        if killed_change_visible:  # a change the app saw is never dropped by the next publish
            assert after["LOC-0001" if mode == "publish" else "LOC-0002"] == by_id["LOC-0001" if mode == "publish" else "LOC-0002"]
        # the BW history: every record of every kept version exactly once, no cut lines
        records = running.bw_history()
        assert len(records) == len({(r.version, r.location_id) for r in records})
        lines = (folder / "bw_history.jsonl").read_text(encoding="utf-8").splitlines() if (folder / "bw_history.jsonl").exists() else []
        assert all(json.loads(line) for line in lines)
        if mode == "publish" and killed_change_visible:
            assert {r.version for r in records if r.occupancy == 0} == {3}, "the killed version's BW changes are recorded"
        if finished:
            assert n > 3, "the kill points were reached"
            return
    pytest.fail("the write never finished: more kill points than expected")
