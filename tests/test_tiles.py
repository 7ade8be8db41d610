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
    upstream = StubServer(lambda path: ("image/png", b"\x89PNG-stub"))
    try:
        app = create_app(replace(settings, basemap=upstream.origin + "/{z}/{x}/{y}.png", instance_path=tmp_path / "i2"))
        client = app.test_client()
        assert client.get("/tiles/achtergrond/5/16/10.png").data == b"\x89PNG-stub"
        assert upstream.requests == ["/5/16/10.png"]
        policy = client.get("/").headers["Content-Security-Policy"]
        assert "img-src 'self' data: blob:;" in policy and upstream.origin not in policy
    finally:
        upstream.stop()
    with pytest.raises(ValueError):
        replace(settings, basemap="http://tiles.example/{z}/{x}/{y}.png").basemap_url  # plain http only on this machine
