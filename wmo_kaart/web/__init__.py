"""The web adapter: a Flask server with one Dash app on top of the core."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import dash
from flask import Flask

from ..config import PROJECT_ROOT, Settings, from_env, open_store
from ..core.catalog import Catalog, load_catalog
from ..core.geocode import GeocoderChain, configured_chain
from ..core.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What the adapters share: immutable settings and catalog, and the store."""

    settings: Settings
    catalog: Catalog
    store: Store
    boundaries: dict | None
    geocoder: GeocoderChain


def services() -> Services:
    """Return the services of the running app."""
    from flask import current_app

    return current_app.extensions["wmo_kaart"]


def _boundaries(settings: Settings) -> dict | None:
    """Return the municipal outlines: the configured file, else the bundled CBS 2025 outlines (offline)."""
    from ..core.geography import municipal_outlines

    return municipal_outlines(settings.boundaries_path)


LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def role_view(role: str):
    """Return the live locations as `role` may see them (the one way adapters read locations)."""
    from ..core import access

    svc = services()
    return access.view_for(svc.store.current(), role, hide_ended=not svc.settings.show_ended_contracts)


def page_guard(capability: str):
    """Return None when the visitor has `capability` (as declared in `core.access`); else the answer: the
    login (and back here) for anonymous visitors, 403 for roles without the page. One rule for every
    server-rendered page behind login (contracts, coverage report, data management)."""
    from urllib.parse import quote

    from flask import abort, redirect, request

    from auth import current_role
    from ..core import access

    role = current_role()
    if role == access.ANONYMOUS:
        return redirect("/login?next=" + quote(request.full_path.rstrip("?")[:500], safe="/?=&"))
    if not access.may(role, capability):
        abort(403)
    return None


def audit_bw(role: str, what: str) -> None:
    """Write one audit record for a response that carries BW figures (API, callbacks, exports, pages)."""
    from flask import request
    from flask_login import current_user

    from auth import users
    from auth.web import engine

    from ..core import access

    if access.may(role, "bw_figures"):
        who = getattr(current_user, "username", None) or getattr(request, "wmo_kaart_api_user", None) or role
        users.audit(engine(), who, "bw_read", what[:120], address=request.remote_addr)


def public_base() -> str | None:
    """Return the site's public address: configured, else the request's own only for a loopback host."""
    from flask import request

    configured = services().settings.public_base
    if configured:
        return configured
    host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host.split("]")[0] + "]"
    return request.host_url.rstrip("/") if host in LOOPBACK else None


def geocoder_chain(settings: Settings) -> GeocoderChain:
    """Return the configured geocoder chain: PDOK first when switched on, then the gazetteer."""
    return configured_chain(settings.pdok_geocoder, settings.pdok_url, settings.geocoder_timeout,
                            settings.demand_path)


def _with_lang(interpolate):
    """Set the page language from `?lang=en`; Dutch otherwise."""
    from flask import request

    from ..i18n import language

    def wrapped(**kwargs):
        html = interpolate(**kwargs)
        return html.replace("{%lang%}", language(request.args.get("lang")))
    return wrapped


def create_app(settings: Settings | None = None) -> Flask:
    """Create the Flask server with the Dash map on it; refuse invalid data."""
    settings = settings or from_env()
    catalog = load_catalog(settings.catalog_path)
    store = open_store(settings, catalog)
    settings.basemap_url  # noqa: B018 - fail early on a bad background map setting
    settings.public_base  # noqa: B018 - and on a bad public address
    from ..core.regions import desks

    desks(settings.wmo_desk)  # and on a Wmo desk table naming no municipality of the region
    server = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "text/csv", "text/plain", "text/javascript",
                                           "application/javascript", "application/json", "application/geo+json",
                                           "image/svg+xml"]
    server.config["COMPRESS_ALGORITHM"] = ["br", "gzip", "deflate"]  # brotli compresses our pages better than zstd
    server.config["COMPRESS_MIN_SIZE"] = 1024  # a tiny answer (one nearest result, an error) costs more to pack than to send
    server.extensions["wmo_kaart"] = Services(settings, catalog, store, _boundaries(settings), geocoder_chain(settings))

    import auth.web

    from . import admin, api, api_edges, embed_page, map_layers, contracts_page, open_data, coverage_report, feedback, health, hsds_api, ogc, pages, public_pages, ratelimit, security, static_files, tiles, usage, usage_page

    from dash import dash_table, dcc

    app = dash.Dash(
        __name__, server=server, url_base_pathname="/", compress=True, serve_locally=True,
        assets_folder=str(PROJECT_ROOT / "assets"), suppress_callback_exceptions=True,
        # Themes load only when asked for (?theme=); the resize script runs on the host page.
        assets_ignore=r"^embed-(resize|page|child)\.js$", assets_path_ignore=["themes"],
        external_stylesheets=["/vendor/leaflet.css"],  # static_files.LEAFLET_CSS: Leaflet's own, from our origin
        title="Wmo-kaart", update_title=None, meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # Dash would load the full plotly.js (four times larger); dcc.Graph fetches ours instead, once the page is
    # drawn, from the address Dash gives it (static_files.DASH_PLOTLY)
    dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]
    dash_table._js_dist[:] = []  # we never draw a DataTable: spare every visitor its bundle
    app.index_string = app.index_string.replace("<html>", '<html lang="{%lang%}">')
    app.interpolate_index = _with_lang(app.interpolate_index)
    auth.web.init_app(server)
    server.register_blueprint(public_pages.bp)
    server.register_blueprint(api.bp)
    server.register_blueprint(ogc.bp)
    server.register_blueprint(hsds_api.bp)
    server.register_blueprint(open_data.bp)
    server.register_blueprint(tiles.bp)
    static_files.init_app(server)
    server.register_blueprint(admin.bp)
    server.register_blueprint(coverage_report.bp)
    server.register_blueprint(contracts_page.bp)
    server.register_blueprint(feedback.bp)
    server.register_blueprint(usage_page.bp)
    server.register_blueprint(map_layers.bp)
    server.register_blueprint(embed_page.bp)
    server.register_blueprint(health.bp)
    server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1024 * 1024
    pages.init_app(app)
    security.init_app(server, app)
    api_edges.init_app(server)
    ratelimit.init_app(server)
    usage.init_app(server)
    if settings.trusted_proxies:
        from . import proxies

        server.wsgi_app = proxies.TrustedProxies(server.wsgi_app, proxies.parse(settings.trusted_proxies))
    # Dash registers its component bundles on the first request and sets its guard before it has
    # (plotly/dash#3971): under threaded workers a bundle request in that gap answered 500. Do it now.
    with server.test_request_context("/"):
        app._setup_server()
    return server


def warm(server: Flask) -> None:
    """Serve the first page and its bundles once inside the worker, before it takes requests, so the
    first visitor after a restart finds every per-process cache (compressed bundles, glyphs) filled."""
    import re

    from .usage import QUIET

    client = server.test_client()
    page = client.get("/", headers={QUIET: "1"})
    for path in re.findall(r'<script src="(/_dash-component-suites/[^"]+)"', page.get_data(as_text=True)):
        client.get(path, headers={"Accept-Encoding": "br", QUIET: "1"})
    from .static_files import DASH_PLOTLY

    client.get(DASH_PLOTLY, headers={"Accept-Encoding": "br", QUIET: "1"})
    # the public view and its nearest index (the API's and the finder's arrays), built before the first visitor
    # (directly, not by a request: a request would spend a unit of the shared rate limit)
    from ..core import access
    from ..core.nearest_index import index_for

    with server.app_context():
        index_for(role_view(access.ANONYMOUS))
