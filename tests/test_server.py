"""The production server as it runs in the field: the first visitor after a restart, load, Redis."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench._server import Served, bundle_paths, get

REDIS = os.environ.get("WMO_KAART_TEST_REDIS", "redis://127.0.0.1:6379/13")


def _redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_timeout=2)
        client.flushdb()
        return client
    except Exception as exc:  # noqa: BLE001 - any failure means: no Redis here
        if os.environ.get("WMO_KAART_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis required but not reachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")


def test_first_page_and_bundles_right_after_every_restart(tmp_path):
    """Right after `wmo-kaart serve` starts listening: the first page and 40 parallel bundle requests, over
    three restarts: every answer 200 (Dash's bundle registry used to be empty in that gap: 500)."""
    server = Served(tmp_path / "instance").start()
    try:
        server.wait_ready()
        bundles = bundle_paths(get(server.url + "/")[1].decode())
    finally:
        server.stop()
    assert len(bundles) >= 5
    paths = ["/", *[bundles[i % len(bundles)] for i in range(40)]]
    for _restart in range(3):
        server = Served(tmp_path / "instance").start()
        try:
            server.wait_listening()
            with ThreadPoolExecutor(len(paths)) as pool:
                statuses = list(pool.map(lambda p: get(server.url + p, {"Accept-Encoding": "br, gzip"})[0], paths))
        finally:
            log = server.stop()
        assert statuses == [200] * len(paths), log[-3000:]


def _hammer(url: str, paths: list[str], clients: int, seconds: float) -> tuple[int, dict]:
    """`clients` threads request `paths` in turn for `seconds`; return the number done and the statuses."""
    end = time.monotonic() + seconds

    def client(n: int) -> list[int]:
        got, i = [], n
        while time.monotonic() < end:
            try:
                got.append(get(url + paths[i % len(paths)], timeout=60)[0])
            except OSError as exc:
                got.append(f"{type(exc).__name__}")
            i += 1
        return got

    with ThreadPoolExecutor(clients) as pool:
        results = [s for part in pool.map(client, range(clients)) for s in part]
    counts = {}
    for status in results:
        counts[status] = counts.get(status, 0) + 1
    return len(results), counts


LOAD_PATHS = ["/api/v1/nearest?van=Oss&k=5", "/api/v1/locations?gemeente=GM0855", "/healthz",
              "/api/v1/nearest?van=5051&zorgvorm=02", "/tiles/gemeenten.geojson"]


@pytest.mark.parametrize("with_redis", [False, True], ids=["memory", "redis"])
def test_fifty_clients_get_no_server_error(tmp_path, with_redis):
    """50 clients at once on the API (with the default rate limit switched on): 429 is allowed, 5xx and
    stalls are not."""
    env = {"WMO_KAART_RATE_API": "100000 per minute"}
    if with_redis:
        _redis_or_skip()
        env["REDIS_URL"] = REDIS
    server = Served(tmp_path / "instance", env, workers=2).start()
    try:
        server.wait_ready()
        done, counts = _hammer(server.url, LOAD_PATHS, clients=50, seconds=12)
    finally:
        log = server.stop()
    errors = {k: v for k, v in counts.items() if not (isinstance(k, int) and k < 500)}
    assert errors == {}, (counts, log[-3000:])
    assert done > 100


def test_redis_url_works_and_limits_count_across_workers(tmp_path):
    """With REDIS_URL the server starts (the dependency is there) and the anonymous API limit holds for the
    whole server, not per worker: 4 workers, a limit of 12 per minute, 40 requests: 12 accepted."""
    client = _redis_or_skip()
    server = Served(tmp_path / "instance", {"REDIS_URL": REDIS, "WMO_KAART_RATE_API": "12 per minute"}, workers=4).start()
    try:
        server.wait_ready()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: get(server.url + "/api/v1/meta")[0], range(40)))
    finally:
        log = server.stop()
    assert statuses.count(200) == 12 and statuses.count(429) == 28, (statuses, log[-2000:])
    assert client.keys("*"), "the counts live in Redis"


def test_memory_rate_limits_hold_under_threads_without_a_timer_thread():
    """200 threads count at once (limits' own timer raced here: 'threads can only be started once'); every
    count is right, expired windows start again, and no thread is left waiting on a clock (under
    `faketime` such a wait never ended and held up every worker's exit)."""
    import threading

    from limits.storage import storage_from_string

    from wmo_kaart.web.ratelimit import MEMORY, ThreadSafeMemoryStorage

    storage = storage_from_string(MEMORY)
    assert isinstance(storage, ThreadSafeMemoryStorage)
    before = threading.active_count()
    errors = []

    def hit(n):
        try:
            for _ in range(20):
                storage.incr(f"key-{n % 10}", 60)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
    threads = [threading.Thread(target=hit, args=(n,)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and [storage.get(f"key-{k}") for k in range(10)] == [400] * 10
    storage.incr("short", 0.05)
    time.sleep(0.1)
    assert storage.get("short") == 0
    assert threading.active_count() <= before
