"""Tiles from our own origin: the background-map proxy and its disk cache, and our label tiles."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from wmo_kaart.core import tiles
from wmo_kaart.core.geography import place_labels


def _opaque_pixels(png: bytes, box=None) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    if box:
        image = image.crop(box)
    histogram = image.getchannel("A").histogram()
    return sum(histogram[129:])


def _png_bytes() -> bytes:
    import io as _io

    from PIL import Image

    out = _io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(out, format="PNG")
    return out.getvalue()


PNG = _png_bytes()


def test_label_tiles_show_names_where_the_towns_are_and_nothing_elsewhere():
    labels = place_labels()
    x, y = tiles.lonlat_to_pixel(5.5180, 51.7650, 11)  # Oss
    png = tiles.label_tile(labels, 11, int(x // 256), int(y // 256))
    px, py = x % 256, y % 256
    assert _opaque_pixels(png, (max(0, px - 30), max(0, py - 12), min(256, px + 30), min(256, py + 12))) > 40
    sea_x, sea_y = tiles.lonlat_to_pixel(3.0, 52.5, 11)  # the North Sea
    assert _opaque_pixels(tiles.label_tile(labels, 11, int(sea_x // 256), int(sea_y // 256))) == 0


def test_labels_never_overlap_and_the_larger_town_wins():
    shown = tiles.placed(place_labels(), 11)
    boxes = [b for _label, b in shown]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3]
    names = {label.text for label, _b in shown}
    assert {"Tilburg", "Oss", "Uden", "Waalwijk"} <= names


@pytest.mark.parametrize(("z", "x", "y"), [(20, 0, 0), (3, 8, 0), (3, 0, -1)])
def test_tile_addresses_outside_the_pyramid_are_refused(z, x, y):
    with pytest.raises(tiles.TileError):
        tiles.check_address(z, x, y)


def test_disk_cache_stays_under_its_limit_dropping_the_least_recently_used(tmp_path):
    import time

    cache = tiles.DiskCache(tmp_path, max_bytes=3100)  # three tiles of 1,000 bytes and their fetch times
    for i in range(3):
        cache.put(f"t{i}", b"x" * 1000)
        time.sleep(0.02)  # file times step at least a clock tick
    cache.get("t0")  # used again: now the most recent
    time.sleep(0.02)
    cache.put("t3", b"y" * 1000)
    assert cache.size() <= 3100
    assert cache.get("t0") == (b"x" * 1000, pytest.approx(0.06, abs=5)) and cache.get("t1") is None
    assert cache.get("t3")[0] == b"y" * 1000


def test_proxy_serves_a_stale_copy_when_the_source_is_down_and_fails_cleanly_without_one(tmp_path):
    calls = []

    def source(url, timeout):
        calls.append((url, timeout))
        if len(calls) > 1:
            raise tiles.TileUnavailable("down")
        return b"png-1"

    proxy = tiles.Proxy("https://tiles.example/{z}/{x}/{y}.png", tiles.DiskCache(tmp_path, 10**6), timeout=2.5,
                        max_age=0, fetch=source)
    assert proxy.tile(5, 16, 10) == b"png-1"
    assert calls[0] == ("https://tiles.example/5/16/10.png", 2.5)
    assert proxy.tile(5, 16, 10) == b"png-1"  # source down, max_age 0: the stale copy
    with pytest.raises(tiles.TileUnavailable):
        proxy.tile(5, 16, 11)


def test_tile_routes_and_a_policy_of_our_own_origin(settings, tmp_path):
    from tests.http_stub import StubServer
    from wmo_kaart.web import create_app

    plain = create_app(settings).test_client()
    assert plain.get("/tiles/achtergrond/5/16/10.png").status_code == 404  # no background map configured
    label = plain.get("/tiles/namen/11/1055/677.png")
    assert label.status_code == 200 and label.mimetype == "image/png" and "max-age" in label.headers["Cache-Control"]
    assert plain.get("/tiles/namen/25/0/0.png").status_code == 404
    upstream = StubServer(lambda path: ("image/png", PNG))
    try:
        app = create_app(replace(settings, basemap=upstream.origin + "/{z}/{x}/{y}.png", instance_path=tmp_path / "i2"))
        client = app.test_client()
        assert client.get("/tiles/achtergrond/5/16/10.png").data == PNG
        assert upstream.requests == ["/5/16/10.png"]
        policy = client.get("/").headers["Content-Security-Policy"]
        assert "img-src 'self' data: blob:;" in policy and upstream.origin not in policy
    finally:
        upstream.stop()
    with pytest.raises(ValueError):
        replace(settings, basemap="http://tiles.example/{z}/{x}/{y}.png").basemap_url  # plain http only on this machine


class _Upstream:
    """A tile source on a free local port that answers each path with `respond(path)` -> (status, headers, body),
    counting requests and the most at once."""

    def __init__(self, respond):
        import http.server
        import threading

        upstream = self
        self.requests, self.now, self.most = 0, 0, 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                with upstream.lock:
                    upstream.requests += 1
                    upstream.now += 1
                    upstream.most = max(upstream.most, upstream.now)
                try:
                    status, headers, body = respond(self.path)
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with upstream.lock:
                        upstream.now -= 1

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_2000_concurrent_new_tiles_never_answer_5xx_and_stay_within_the_limits(settings, tmp_path):
    """2,000 new tiles at once through the proxy: no 5xx, the cache within its limit, at most `concurrent`
    upstream fetches at a time, and one client's budget of new tiles per minute respected."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from wmo_kaart.web import create_app, tiles as web_tiles

    def slow_png(_path):
        time.sleep(0.005)
        return 200, {"Content-Type": "image/png"}, PNG

    upstream = _Upstream(slow_png)
    try:
        limit_mb = 0.05  # room for about 60 tiles of this size: eviction runs all the time
        app = create_app(replace(settings, basemap=upstream.origin + "/{z}/{x}/{y}.png", instance_path=tmp_path / "i",
                                 tile_cache_mb=limit_mb))
        web_tiles._fetches.clear()
        with app.test_request_context("/"):
            proxy = web_tiles.proxy()
        real_fetch, state = proxy.fetch, {"now": 0, "most": 0}
        import threading

        lock = threading.Lock()

        def counted(url, timeout):  # upstream fetches in flight, counted where they are made
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            try:
                return real_fetch(url, timeout)
            finally:
                with lock:
                    state["now"] -= 1
        proxy.fetch = counted

        def one(i):
            client = app.test_client()
            address = f"10.0.{i % 40}.1"  # 40 clients, 50 tiles each
            return client.get(f"/tiles/achtergrond/12/{i}/{i % 4096}.png", environ_base={"REMOTE_ADDR": address}).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            codes = list(pool.map(one, range(2000)))
        assert not [c for c in codes if c >= 500], "no 5xx"
        assert set(codes) <= {200, 429}
        cache = tiles.DiskCache(tmp_path / "i" / "tiles", int(limit_mb * 1024 * 1024))
        assert cache.size() <= limit_mb * 1024 * 1024 + len(PNG) + 12
        assert state["most"] <= proxy.concurrent and upstream.requests == codes.count(200)
        web_tiles._fetches.clear()
        one_client = [app.test_client().get(f"/tiles/achtergrond/13/{i}/7.png", environ_base={"REMOTE_ADDR": "10.9.9.9"}
                                            ).status_code for i in range(web_tiles.FETCHES_PER_MINUTE + 5)]
        assert one_client[:web_tiles.FETCHES_PER_MINUTE].count(200) == web_tiles.FETCHES_PER_MINUTE
        assert one_client[web_tiles.FETCHES_PER_MINUTE:] == [429] * 5
    finally:
        upstream.stop()


@pytest.mark.parametrize("answer", [
    (302, {"Location": "http://169.254.169.254/latest/meta-data"}, b""),   # a redirect: never followed
    (200, {"Content-Type": "text/html"}, b"<html>Onderhoud</html>"),        # a maintenance page: no tile
    (200, {"Content-Type": "image/png"}, b"<html>no png</html>"),          # says PNG, is not
    (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"0" * 1_100_000),  # over a tile's size
    (500, {"Content-Type": "text/plain"}, b"down"),                       # the source is down
])
def test_the_proxy_caches_and_serves_only_tile_images(settings, tmp_path, answer):
    from wmo_kaart.web import create_app

    upstream = _Upstream(lambda path: answer)
    try:
        app = create_app(replace(settings, basemap=upstream.origin + "/{z}/{x}/{y}.png", instance_path=tmp_path / "i"))
        response = app.test_client().get("/tiles/achtergrond/5/16/10.png")
        assert response.status_code == 404 and response.data == b""
        assert list((tmp_path / "i" / "tiles").glob("*/*.tile")) == []
        assert upstream.requests == 1
    finally:
        upstream.stop()
