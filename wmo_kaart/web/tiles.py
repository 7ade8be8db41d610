"""/tiles/: the background map through our server (browsers never contact the tile source) and our
own label tiles with place names. Both cacheable by browsers; the proxy keeps a disk cache and serves
it when the source is down."""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from flask import Blueprint, Response, abort, current_app, request

from ..core import tiles
from ..core.geography import municipal_outlines, place_labels
from . import services

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
BASEMAP_URL = "/tiles/achtergrond/{z}/{x}/{y}.png"
LABELS_URL = "/tiles/namen/{z}/{x}/{y}.png"


@lru_cache(maxsize=4)
def _proxy(template: str, folder: str, max_bytes: int, timeout: float) -> tiles.Proxy:
    return tiles.Proxy(template, tiles.DiskCache(folder, max_bytes), timeout)


def proxy() -> tiles.Proxy | None:
    """Return the configured background-map proxy, or None when no background map is configured."""
    settings = services().settings
    if not settings.basemap_url:
        return None
    return _proxy(settings.basemap_url, str(settings.instance_path / "tiles"), int(settings.tile_cache_mb * 1024 * 1024),
                  settings.tile_timeout)


def _png(data: bytes, max_age: int, mimetype: str = "image/png") -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


FETCHES_PER_MINUTE = 120  # new background tiles one client may cause upstream (a pan needs a dozen or two)
_fetches: dict[str, list[float]] = {}
_fetches_lock = threading.Lock()


def _may_fetch(address: str) -> bool:
    """A small per-client budget of upstream fetches (per worker; cached tiles are free)."""
    now = time.monotonic()
    with _fetches_lock:
        if len(_fetches) > 10_000:
            _fetches.clear()  # a crowd of addresses: start over rather than grow without end
        recent = [t for t in _fetches.get(address, []) if now - t < 60]
        if len(recent) >= FETCHES_PER_MINUTE:
            _fetches[address] = recent
            return False
        _fetches[address] = [*recent, now]
        return True


def _no_tile(status: int) -> Response:
    response = Response(b"", status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = "10" if status == 429 else "60"
    return response


@bp.get("/achtergrond/<int:z>/<int:x>/<int:y>.png")
def basemap(z: int, x: int, y: int):
    """The background map through our cache. A tile the source cannot give (down, a redirect, no image) is
    a plain 404 the map draws without; too many new tiles from one client, or in all, is a 429."""
    found = proxy()
    if found is None:
        abort(404)
    address = request.remote_addr or ""
    try:
        data = found.tile(z, x, y, may_fetch=lambda: _may_fetch(address))
    except tiles.TileError:
        abort(404)
    except tiles.TileBusy:
        return _no_tile(429)
    except tiles.TileUnavailable as exc:
        current_app.logger.warning("Achtergrondtegel %s/%s/%s niet beschikbaar: %s", z, x, y, exc)
        return _no_tile(404)
    return _png(data, 86_400, tiles.image_type(data) or "image/png")


@lru_cache(maxsize=2048)
def _label_tile(outlines: str | None, z: int, x: int, y: int) -> bytes:
    return tiles.label_tile(place_labels(outlines), z, x, y)


@bp.get("/namen/<int:z>/<int:x>/<int:y>.png")
def labels(z: int, x: int, y: int):
    try:
        data = _label_tile(services().settings.boundaries_path, z, x, y)
    except tiles.TileError:
        abort(404)
    return _png(data, 86_400)


OUTLINES_URL = "/tiles/gemeenten.geojson"


@bp.get("/gemeenten.geojson")
def outlines():
    """The municipal outlines the maps draw (public CBS geography), fetched once by the browser."""
    svc = services()
    if not svc.boundaries:
        abort(404)
    response = Response(_outlines_json(svc.settings.boundaries_path), mimetype="application/geo+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=4)
def _outlines_json(path: str | None) -> bytes:
    import json

    return json.dumps(municipal_outlines(path), separators=(",", ":")).encode()


@bp.get("/<path:_rest>")
def not_a_tile(_rest: str):
    """Anything else under /tiles/ is a plain 404 for the map client, not the app's HTML page."""
    abort(404)
