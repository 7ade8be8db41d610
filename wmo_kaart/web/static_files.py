"""Our own static bundles, served pre-compressed: plotly-wmo.min.js (only the trace types we draw,
built by tools/plotly-bundle/build.sh) with brotli (quality 11) and gzip copies made at build time,
and Dash's own bundles compressed once per process instead of on every cold visit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

STATIC = Path(__file__).parent / "static"
PLOTLY = "plotly-wmo.min.js"
DASH_SUITES = "/_dash-component-suites/"


def _accepts(encoding: str) -> bool:
    return any(part.split(";")[0].strip() == encoding for part in request.headers.get("Accept-Encoding", "").split(","))


@lru_cache(maxsize=8)
def _read(name: str) -> bytes:
    return (STATIC / name).read_bytes()


@lru_cache(maxsize=64)
def _brotli(body: bytes) -> bytes:
    """Compress once per process and content, never per requested path: a made-up fingerprint in a bundle's
    address (Dash serves the real file for any) finds the copy made for the real one."""
    import brotli

    return brotli.compress(body, quality=11)  # the smallest it gets


DASH_PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def _dash_plotly():
    """Our plotly.js at the address dcc.Graph loads it from, after the page is drawn: the filters, the list
    and the shortlist work while the map is still on its way (a script in the page would hold them back).
    Pre-compressed copies (brotli, gzip) made at build time; the address carries no version, so browsers
    check it again after a day (ETag)."""
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        if _accepts(encoding) and (STATIC / (PLOTLY + suffix)).exists():
            response = Response(_read(PLOTLY + suffix), mimetype="text/javascript")
            response.headers["Content-Encoding"] = encoding
            break
    else:
        response = Response(_read(PLOTLY), mimetype="text/javascript")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.add_etag()
    return response.make_conditional(request)


LEAFLET_CSS = "/vendor/leaflet.css"
LEAFLET_JS = "/vendor/leaflet.js"


def _leaflet(name: str, mimetype: str) -> Response:
    """A file of Leaflet (its stylesheet for every map, its script for the light embed) from the copy the offline
    export inlines; brotli once per process where the browser takes it."""
    from ..export.html_map import _vendor

    body = _vendor(name)
    packed = _accepts("br")
    response = Response(_brotli(body) if packed else body, mimetype=mimetype)
    if packed:
        response.headers["Content-Encoding"] = "br"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.add_etag()
    return response.make_conditional(request)


def init_app(server: Flask) -> None:
    """Serve our plotly.js where dcc.Graph fetches it, and compress Dash's component bundles and our map
    glyphs with brotli once per process (they never change while it runs; a glyph range is 88 KB raw,
    21 KB so)."""
    server.add_url_rule(DASH_PLOTLY, "dash_plotly", _dash_plotly)
    server.add_url_rule(LEAFLET_CSS, "leaflet_css", lambda: _leaflet("leaflet.css", "text/css"))
    server.add_url_rule(LEAFLET_JS, "leaflet_js", lambda: _leaflet("leaflet.js", "text/javascript"))

    @server.after_request
    def _compress_once(response: Response) -> Response:
        once = request.path.startswith(DASH_SUITES) and request.path.endswith(".js")
        if once and response.status_code == 200 and _accepts("br") and "Content-Encoding" not in response.headers:
            response.direct_passthrough = False
            response.set_data(_brotli(response.get_data()))
            response.headers["Content-Encoding"] = "br"
            response.headers["Vary"] = "Accept-Encoding"
        return response
