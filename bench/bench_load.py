"""Benchmark: the production server under load. 50 clients for several minutes against `wmo-kaart serve`
(gunicorn, the default workers and threads), with rate limits in memory and in Redis, against a trivial
Flask app under the same gunicorn settings in the same run. Reports requests per second, p50/p95/p99 and
every 5xx or connection error (there should be none), and the p95 ratio to the trivial app.

Run: .venv/bin/python bench/bench_load.py   (BENCH_SECONDS=180, BENCH_CLIENTS=50, BENCH_LOCATIONS=30000,
REDIS_URL=redis://127.0.0.1:6379/13; not a test).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Served, free_port, get  # noqa: E402  (this folder, beside the script)

SECONDS = float(os.environ.get("BENCH_SECONDS", "180"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
LOCATIONS = int(os.environ.get("BENCH_LOCATIONS", "30000"))
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
PATHS = ["/api/v1/nearest?van=Oss&k=5", "/api/v1/nearest?van=5051&zorgvorm=02", "/api/v1/locations?gemeente=GM0855&limit=50",
         "/", "/healthz", "/tiles/gemeenten.geojson"]
TRIVIAL = '''from flask import Flask, jsonify
app = Flask(__name__)
@app.route("/", defaults={"path": ""})
@app.route("/<path:path>")
def any_path(path):
    return jsonify(ok=True, path=path)
'''


def hammer(url: str, paths: list[str]) -> dict:
    end = time.monotonic() + SECONDS

    def client(n: int) -> list[tuple]:
        got, i = [], n
        while time.monotonic() < end:
            start = time.perf_counter()
            try:
                status = get(url + paths[i % len(paths)], timeout=60)[0]
            except OSError as exc:
                status = type(exc).__name__
            got.append((status, time.perf_counter() - start))
            i += 1
        return got

    begun = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for part in pool.map(client, range(CLIENTS)) for r in part]
    took = time.monotonic() - begun
    times = sorted(t for _, t in results)
    q = statistics.quantiles(times, n=100)
    bad = {}
    for status, _ in results:
        if not (isinstance(status, int) and status < 500):
            bad[str(status)] = bad.get(str(status), 0) + 1
    return {"requests": len(results), "per_s": round(len(results) / took, 1), "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1), "max_ms": round(times[-1] * 1000, 1),
            "429": sum(1 for s, _ in results if s == 429), "errors": bad}


def trivial(folder: Path) -> dict:
    (folder / "trivial_app.py").write_text(TRIVIAL)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "-b",
                             f"127.0.0.1:{port}", "trivial_app:app"], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if get(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        return hammer(f"http://127.0.0.1:{port}", PATHS)
    finally:
        proc.terminate()
        proc.wait()


def ours(folder: Path, data: Path, redis_url: str | None) -> dict:
    # the anonymous API limit (120 a minute per address) would answer most of one address's load with 429:
    # raised here so that the work itself is measured; the limiter still counts every request
    env = {"WMO_KAART_DATA": str(data), "WMO_KAART_RATE_API": "1000000 per minute"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    server = Served(folder / ("instance-redis" if redis_url else "instance"), env).start()
    try:
        server.wait_ready(180)
        return hammer(server.url, PATHS)
    finally:
        server.stop()


def main() -> None:
    from wmo_kaart.demo import generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "providers.geojson"
        data.write_text(json.dumps(generate(locations=LOCATIONS)), encoding="utf-8")
        print(f"{CLIENTS} clients, {SECONDS:.0f} s each, {LOCATIONS} locations, paths: {', '.join(PATHS)}")
        base = trivial(folder)
        print("trivial Flask app (same gunicorn settings):", base)
        for label, redis_url in (("ours, rate limits in memory", None), ("ours, rate limits in Redis", REDIS)):
            got = ours(folder, data, redis_url)
            print(f"{label}: {got}; p95 ratio to the trivial app {got['p95_ms'] / base['p95_ms']:.1f}x")


if __name__ == "__main__":
    main()
