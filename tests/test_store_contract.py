"""The store's contract, run against both backends: the GeoJSON file store and the PostGIS store."""

from __future__ import annotations

import copy

import contextlib
import hashlib
import json
import threading
import time
import uuid

import pytest

from tests.conftest import DEMO
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.store import StaleError, StoreError


@pytest.fixture(params=["file", "postgis"])
def store(request, tmp_path):
    """A store seeded with the demo data as version 1."""
    if request.param == "file":
        from wmo_kaart.core.filestore import FileStore

        data = tmp_path / "providers.geojson"
        data.write_bytes(DEMO.read_bytes())
        yield FileStore(data, tmp_path / "versions", default_catalog(), staging_dir=tmp_path / "staging", keep=10)
        return
    from wmo_kaart.core.pgstore import PostgisStore

    with postgis_schema(request.getfixturevalue("postgres_url")) as url:
        store = PostgisStore(url, default_catalog(), seed=DEMO, keep=10, check_seconds=0)
        yield store
        store.engine.dispose()


@contextlib.contextmanager
def postgis_schema(base: str):
    """Yield a URL of the test database whose search path starts with a fresh schema (PostGIS in public)."""
    from sqlalchemy import create_engine, text

    schema = f"s_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema},public"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _some(store, n):
    collection, _ = store.collection()
    return {**collection, "features": collection["features"][:n]}


def test_seed_is_version_one_and_current(store):
    assert [v.number for v in store.versions()] == [1] and store.live_version() == 1
    assert len(store.current()) == 280
    assert hashlib.sha256(store.version_data(1)).hexdigest() == store.versions()[0].data_sha256


def test_publish_is_seen_and_a_stale_check_is_refused(store):
    version = store.publish(_some(store, 100), actor="anne", source="a.csv", source_sha256="0" * 64, base=1)
    assert (version.number, version.base, version.locations) == (2, 1, 100)
    assert len(store.current()) == 100 and store.collection()[1] == 2
    with pytest.raises(StaleError, match="gewijzigd sinds de controle"):
        store.publish(_some(store, 50), actor="bert", source="b.csv", source_sha256="0" * 64, base=1)
    assert store.live_version() == 2


def test_rollback_publishes_an_old_version_again(store):
    store.publish(_some(store, 10), actor="anne", source="a.csv", source_sha256="0" * 64)
    with pytest.raises(StoreError, match="al de live versie"):
        store.rollback(2, actor="anne")
    again = store.rollback(1, actor="bert")
    assert again.number == 3 and again.note == "terug naar versie 1"
    back, first = json.loads(store.version_data(3)), json.loads(store.version_data(1))
    assert back["features"] == first["features"] and len(store.current()) == 280
    # the locations version 2 left out are back: changed as of the rollback, the others keep their time
    stamps, before = back["metadata"]["modified"], json.loads(store.version_data(2))["metadata"]["modified"]
    kept = set(before)
    assert len(kept) == 10 and all(stamps[i] == before[i] for i in kept)
    assert all(stamps[i] == again.published_at for i in set(stamps) - kept)


def test_every_publish_stamps_what_changed_per_tier(store):
    """A publish stamps a location when its position or a field changed, per tier: a changed BW figure
    is news for BW roles only, a changed phone for everyone."""
    from wmo_kaart.core.access import role
    from wmo_kaart.core.modified import modified_times

    collection, _ = store.collection()
    first = store.publish(collection, actor="anne", source="a.csv", source_sha256="0" * 64)
    time.sleep(1.1)  # publication times are whole seconds
    changed = copy.deepcopy(collection)
    features = {f["properties"]["id"]: f for f in changed["features"]}
    ids = sorted(features)
    features[ids[0]]["properties"]["phone"] = "0412-999999"
    bw_one = next(i for i in ids if features[i]["properties"].get("bw_capacity"))
    features[bw_one]["properties"]["bw_occupancy"] = features[bw_one]["properties"]["bw_capacity"] - 1 \
        if features[bw_one]["properties"].get("bw_occupancy") != features[bw_one]["properties"]["bw_capacity"] - 1 else 0
    features[ids[2]]["geometry"]["coordinates"][0] += 0.001
    second = store.publish(changed, actor="bert", source="b.csv", source_sha256="1" * 64)
    meta = json.loads(store.version_data(second.number))["metadata"]
    public = modified_times(meta, role("anonymous").tiers)
    bw = modified_times(meta, role("beleidsadviseur").tiers)
    assert {i for i in ids if public[i] == second.published_at} == {ids[0], ids[2]}
    assert {i for i in ids if bw[i] == second.published_at} == {ids[0], ids[2], bw_one}
    earlier = modified_times(json.loads(store.version_data(first.number))["metadata"], role("anonymous").tiers)
    assert all(public[i] == earlier[i] != second.published_at for i in ids if i not in (ids[0], ids[2]))


def test_concurrent_publishes_get_unique_numbers_in_one_line(store):
    collection, _ = store.collection()
    errors = []

    def publish(i):
        try:
            store.publish({**collection, "features": collection["features"][: 200 + i]}, actor=f"t{i}", source=str(i),
                          source_sha256="0" * 64)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
    threads = [threading.Thread(target=publish, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    versions = store.versions()
    assert [v.number for v in versions] == list(range(1, 10))
    assert all(v.base == prev.number for prev, v in zip(versions, versions[1:]))


def test_every_bw_change_is_in_the_history_with_who_and_source(store):
    collection, base = store.collection()
    target = next(f for f in collection["features"] if f["properties"].get("bw_capacity"))
    target["properties"]["bw_capacity"] += 3
    store.publish(collection, actor="anne", source="bw.csv", source_sha256="0" * 64, base=base)
    store.rollback(1, actor="bert")
    rows = [r for r in store.bw_history(target["properties"]["id"]) if r.version > 1]
    assert [(r.actor, r.source, r.capacity, r.version) for r in rows] == [
        ("anne", "bw.csv", target["properties"]["bw_capacity"], 2), ("bert", "v1", target["properties"]["bw_capacity"] - 3, 3)]


def test_at_least_ten_versions_are_kept(store):
    for i in range(12):
        store.publish(_some(store, 100 + i), actor="t", source=str(i), source_sha256="0" * 64)
    numbers = [v.number for v in store.versions()]
    assert numbers == list(range(4, 14))
    with pytest.raises(StoreError, match="bestaat niet"):
        store.version_data(1)


def test_staging_and_remembered_mappings(store):
    token = store.stage({"source": "x.csv", "state": "running"})
    assert store.staged(token)["source"] == "x.csv"
    store.stage({"source": "x.csv", "state": "done"}, token)
    assert store.staged(token)["state"] == "done"
    store.discard(token)
    assert store.staged(token) is None and store.staged("../../etc") is None
    store.remember_mappings({"tel balie": "phone"})
    store.remember_mappings({"tel balie": "contact_phone", "pc": "postcode"})
    assert store.column_mappings() == {"tel balie": "contact_phone", "pc": "postcode"}


def test_postgis_keeps_the_live_locations_as_points_with_a_spatial_index(store):
    if not hasattr(store, "engine"):
        pytest.skip("PostGIS only")
    from sqlalchemy import text

    with store.engine.connect() as conn:
        near = conn.execute(text("SELECT count(*) FROM store_locations WHERE ST_DWithin(geom::geography, "
                                 "ST_SetSRID(ST_MakePoint(5.518, 51.765), 4326)::geography, 5000)")).scalar()
        index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'store_locations_geom'")).scalar()
    expected = sum(1 for f in json.loads(DEMO.read_text())["features"]
                   if _haversine(f["geometry"]["coordinates"], (5.518, 51.765)) <= 5000)
    assert near == expected and "gist" in index.lower()


def _haversine(a, b) -> float:
    import math

    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_the_app_and_the_command_line_run_on_postgis(postgres_url, tmp_path, settings, monkeypatch):
    from dataclasses import replace

    from tests.conftest import public_rows
    from tests.test_import import BASE, csv_bytes
    from wmo_kaart.cli import main
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.dataset import load_geojson
    from wmo_kaart.web import create_app

    with postgis_schema(postgres_url) as url:
        monkeypatch.setenv("WMO_KAART_STORE", url)
        monkeypatch.setenv("WMO_KAART_DATA", str(DEMO))
        monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "instance"))
        src = tmp_path / "nieuw.csv"
        src.write_bytes(csv_bytes([BASE | {"Locatiecode": "PG-1"}]))
        assert main(["import", "--merge", str(src)]) == 0
        app = create_app(replace(settings, store_url=url))
        client = app.test_client()
        assert client.get("/readyz").get_json()["data_version"] == 2
        public = len(public_rows(load_geojson(DEMO, default_catalog()).frame))  # a visitor counts contracts in force
        assert client.get("/api/v1/meta").get_json()["locations"] == public + 1
        assert app.extensions["wmo_kaart"].store.versions()[-1].locations == 281
        app.extensions["wmo_kaart"].store.engine.dispose()


def test_bw_trend_ends_a_removed_locations_line_and_ends_at_the_live_totals(store):
    """Remove two BW locations: the history holds one record without figures for each, and the trend's
    last point equals the live totals (the removed ones counted nowhere)."""
    import datetime as dt

    from wmo_kaart.core import access, bw as bw_rules

    live, base = store.collection()
    bw_ids = [f["properties"]["id"] for f in live["features"] if f["properties"].get("bw_capacity") is not None][:2]
    live["features"] = [f for f in live["features"] if f["properties"]["id"] not in bw_ids]
    store.publish(live, actor="t", source="t", source_sha256="0", base=base)
    assert sorted(r.location_id for r in store.bw_history() if r.capacity is None) == sorted(bw_ids)
    series = bw_rules.trend(store.bw_history())
    rows = bw_rules.locations(access.view_for(store.current(), "beleidsadviseur"), dt.date(2026, 11, 28))
    assert (int(series.iloc[-1]["capacity"]), int(series.iloc[-1]["occupancy"])) == (
        int(rows["bw_capacity"].sum()), int(rows["bw_occupancy"].sum()))


def test_servers_starting_together_on_an_empty_database_migrate_and_seed_once(postgres_url):
    """Four processes open the PostGIS store on the same empty schema at once: all start, one version 1."""
    import subprocess
    import sys

    child = ("import sys\nfrom wmo_kaart.core.catalog import default_catalog\nfrom wmo_kaart.core.pgstore import PostgisStore\n"
             "store = PostgisStore(sys.argv[1], default_catalog(), seed=sys.argv[2])\nprint(store.live_version())\n")
    for _trial in range(2):
        with postgis_schema(postgres_url) as url:
            procs = [subprocess.Popen([sys.executable, "-c", child, url, str(DEMO)], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(4)]
            results = [(p.wait(120), p.stdout.read().strip(), p.stderr.read()[-1500:]) for p in procs]
            assert [(code, out) for code, out, _ in results] == [(0, "1")] * 4, [err for *_, err in results]
            from wmo_kaart.core.pgstore import PostgisStore

            store = PostgisStore(url, default_catalog(), seed=DEMO)
            assert [v.number for v in store.versions()] == [1]
            store.engine.dispose()
