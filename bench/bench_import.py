"""Benchmark: reading a 30,000-row CSV into location rows (the importer's `read_rows`, every value parsed
and accounted for) vs `pandas.read_csv` of the same file (text only, no checks), in the same process;
and the whole check (read, match to the stored data, geocode offline, validate, describe the change).
The target of the contract-export issue: reading at most 3x `pandas.read_csv`.

Run: .venv/bin/python bench/bench_import.py  (prints medians and ratios; not a test).
"""

from __future__ import annotations

import csv
import io
import time

import pandas as pd

from wmo_kaart.benchmarks import median_ms
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.convert import read_rows
from wmo_kaart.core.importer.read import read_workbook
from wmo_kaart.core.importer.service import ImportOptions, run_import
from wmo_kaart.demo import generate

N = 30_000
HEADER = ["Locatiecode", "Aanbiedercode", "Aanbieder", "Locatie", "Straat", "Huisnummer", "Postcode", "Plaats", "Gemeente", "Zorgvorm",
          "Doelgroep", "Telefoon", "Website", "Einddatum", "Breedtegraad", "Lengtegraad"]


def file_bytes(features) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for f in features:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        writer.writerow([p["id"], p["provider_id"], p["provider_name"], p["name"], p["street"], p["house_number"], p["postcode"], p["city"],
                         p["municipality_code"], "; ".join(p["care_types"]), "; ".join(p.get("target_groups", [])),
                         p.get("phone", ""), p.get("website", ""), p.get("contract_end", ""),
                         str(lat).replace(".", ","), str(lon).replace(".", ",")])
    return out.getvalue().encode("utf-8")


def contract_export_bytes(features) -> bytes:
    """The same locations as a contract administration exports them: no location code, a KvK number."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["KvK-nummer", "Aanbieder", "Locatie", "Straat", "Huisnummer", "Postcode", "Plaats", "Gemeente",
                     "Zorgvorm", "Einddatum", "Breedtegraad", "Lengtegraad"])
    for f in features:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        kvk = str(sum(map(ord, p["provider_id"])) * 7919 % 10**8).zfill(8)  # fictional, one per provider
        writer.writerow([kvk, p["provider_name"], p["name"], p["street"], p["house_number"], p["postcode"], p["city"],
                         p["municipality_code"], "; ".join(p["care_types"]), p.get("contract_end", ""),
                         str(lat).replace(".", ","), str(lon).replace(".", ",")])
    return out.getvalue().encode("utf-8")


def main() -> None:
    features = generate(locations=N)["features"]
    raw = file_bytes(features)
    catalog = default_catalog()
    print(f"{N:,} rows, {len(raw) / 1e6:.1f} MB")

    def pandas_read():
        return pd.read_csv(io.BytesIO(raw), sep=";", dtype=str)

    def ours():
        rows, _report = read_rows(read_workbook(raw), catalog)
        return rows

    assert len(ours()) == len(pandas_read()) == N
    p, o, ratio = interleaved(pandas_read, ours, ROUNDS)
    print(f"read: ours {o:8.0f} ms   pandas.read_csv {p:6.0f} ms   ratio {ratio:4.2f}x (target <= 3x; medians of "
          f"{ROUNDS} rounds, each timing both, the ratio per round)")
    export = contract_export_bytes(features)
    export_p, export_o, export_ratio = interleaved(lambda: pd.read_csv(io.BytesIO(export), sep=";", dtype=str),
                                                  lambda: read_rows(read_workbook(export), catalog), 7)
    print(f"read, a contract export without location codes (the establishment is the location): ours {export_o:6.0f} ms"
          f"   pandas.read_csv {export_p:4.0f} ms   ratio {export_ratio:4.1f}x")
    start = time.perf_counter()
    outcome = run_import(raw, "bench.csv", catalog, GeocoderChain(), {"type": "FeatureCollection", "features": []},
                         options=ImportOptions())
    whole = (time.perf_counter() - start) * 1000
    print(f"whole check (read, validate, describe): {whole:8.0f} ms ({whole / p:4.1f}x pandas.read_csv); "
          f"{len(outcome.report.features):,} accepted")
    publish(outcome.collection)
    publish_postgis(outcome.collection)


ROUNDS = 15


def interleaved(baseline, ours, rounds: int) -> tuple[float, float, float]:
    """Time both, one after the other, `rounds` times (a shared machine's slow moments then fall on both);
    return the median times (ms) and the median of the per-round ratios. A result is freed inside its
    timing, as `median_ms` does."""
    import statistics

    times: list[tuple[float, float]] = []
    for _ in range(rounds):
        start = time.perf_counter()
        baseline()
        middle = time.perf_counter()
        ours()
        times.append(((middle - start) * 1000, (time.perf_counter() - middle) * 1000))
    return (statistics.median(b for b, _ in times), statistics.median(o for _, o in times),
            statistics.median(o / b for b, o in times))


def publish(collection: dict) -> None:
    """Publish 30,000 locations to the file store (validate, write, keep the version, BW history) vs
    json.loads of the published file (the least any reader of it does)."""
    import json
    import tempfile
    from pathlib import Path

    from wmo_kaart.core.filestore import FileStore

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "providers.geojson"
        data.write_text(json.dumps(generate(locations=50)), encoding="utf-8")
        store = FileStore(data, Path(tmp) / "versions", default_catalog())
        start = time.perf_counter()
        store.publish(collection, actor="bench", source="bench.csv", source_sha256="0" * 64)
        ours = (time.perf_counter() - start) * 1000
        text = data.read_bytes()
        loads = median_ms(lambda: json.loads(text), 3)
    print(f"publish {len(collection['features']):,} (file store): {ours:8.0f} ms (target <= 3,000 ms); "
          f"json.loads of the file {loads:5.0f} ms ({ours / loads:4.1f}x)")


def publish_postgis(collection: dict) -> None:
    """Publish 30,000 locations to the PostGIS store (one transaction: the version, every location as a row
    with its point, the BW history), in a database of its own; skipped when PostgreSQL is not reachable
    (WMO_KAART_BENCH_POSTGRES, default the local server)."""
    import os

    from sqlalchemy import create_engine, text

    from _postgres import LOCAL, create_database  # this folder, beside the script
    from wmo_kaart.core.pgstore import PostgisStore

    try:
        url, drop = create_database(os.environ.get("WMO_KAART_BENCH_POSTGRES", LOCAL), "wmo_kaart_bench")
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL here: say so and go on
        print(f"publish (PostGIS): skipped, PostgreSQL not reachable ({type(exc).__name__})")
        return
    try:
        with create_engine(url).begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        import json
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            seed = Path(tmp) / "seed.geojson"
            seed.write_text(json.dumps(generate(locations=50)), encoding="utf-8")
            store = PostgisStore(url, default_catalog(), seed=seed)
        start = time.perf_counter()
        store.publish(collection, actor="bench", source="bench.csv", source_sha256="0" * 64)
        ours = (time.perf_counter() - start) * 1000
        store.engine.dispose()
        print(f"publish {len(collection['features']):,} (PostGIS): {ours:8.0f} ms (target <= 3,000 ms)")
    finally:
        drop()


if __name__ == "__main__":
    main()
