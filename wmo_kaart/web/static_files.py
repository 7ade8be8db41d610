"""Our own static bundles, served pre-compressed: plotly-wmo.min.js (only the trace types we draw,
built by tools/plotly-bundle/build.sh) with brotli (quality 11) and gzip copies made at build time,
and Dash's own bundles compressed once per process instead of on every cold visit."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, request

STATIC = Path(__file__).parent / "static"
PLOTLY = "plotly-wmo.min.js"
bp = Blueprint("wmo_static", __name__, url_prefix="/static/wmo")
DASH_SUITES = "/_dash-component-suites/"


@lru_cache(maxsize=1)
def plotly_url() -> str:
    """Return the URL of our plotly.js, versioned by its content (browsers may keep it a year)."""
    digest = hashlib.sha256((STATIC / PLOTLY).read_bytes()).hexdigest()[:12]
    return f"/static/wmo/{PLOTLY}?v={digest}"


def _accepts(encoding: str) -> bool:
    return any(part.split(";")[0].strip() == encoding for part in request.headers.get("Accept-Encoding", "").split(","))


@lru_cache(maxsize=8)
def _read(name: str) -> bytes:
    return (STATIC / name).read_bytes()


@bp.get("/<name>")
def bundle(name: str):
    if name != PLOTLY:
        abort(404)
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        if _accepts(encoding) and (STATIC / (name + suffix)).exists():
            response = Response(_read(name + suffix), mimetype="text/javascript")
            response.headers["Content-Encoding"] = encoding
            break
    else:
        response = Response(_read(name), mimetype="text/javascript")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


GLYPHS = "/tiles/glyphs/"


@lru_cache(maxsize=64)
def _brotli(path: str, body: bytes) -> bytes:
    import brotli

    return brotli.compress(body, quality=11)  # once per process and file: the smallest it gets


def init_app(server: Flask) -> None:
    """Compress Dash's component bundles and our map glyphs with brotli once per process (they never change
    while it runs; a glyph range is 102 KB raw, 28 KB so)."""

    @server.after_request
    def _compress_once(response: Response) -> Response:
        once = (request.path.startswith(DASH_SUITES) and request.path.endswith(".js")) or (
            request.path.startswith(GLYPHS) and request.path.endswith(".pbf"))
        if once and response.status_code == 200 and _accepts("br") and "Content-Encoding" not in response.headers:
            response.direct_passthrough = False
            response.set_data(_brotli(request.path, response.get_data()))
            response.headers["Content-Encoding"] = "br"
            response.headers["Vary"] = "Accept-Encoding"
        return response
