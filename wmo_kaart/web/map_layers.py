"""The professional and public map's layers as GeoJSON by URL, prepared once per filter.

The map callback answers with an address per layer (`/kaart/laag/<layer>.geojson?<the filters>`) instead
of the features themselves: the browser fetches each from here, where it is built once per data
version, role view and filter, kept encoded and compressed (`prepared`), and answered 304 when the
browser has it. The role is the session's, checked where the data is read (`overlay_for`), exactly as
in the callback: a layer a role may not see is empty.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, request

from auth import current_role
from layers import DrawContext, overlay_for, registry
from layers.locations import names_apart

from ..core import access
from ..i18n import language
from . import audit_bw, role_view, services
from .prepared import encode, prepared
from .urlstate import strings

bp = Blueprint("map_layers", __name__)
MAX_QUERY = 2000  # characters: the filters of a map, not a document


def layer_url(layer: str, care, gemeente, doelgroep, provider, q, wheelchair, specialism, start, lang: str) -> str:
    """Return the address of a layer for the map's filters (what `layer` reads back)."""
    query = ([("zorgvorm", v) for v in strings(care)[:20]] + [("gemeente", v) for v in strings(gemeente)[:20]]
             + [("doelgroep", v) for v in strings(doelgroep)[:20]] + [("aanbieder", v) for v in strings(provider)[:50]]
             + ([("q", q[:100])] if isinstance(q, str) and q else [])
             + ([("rolstoel", "ja")] if "ja" in strings(wheelchair) else [])
             + [("specialisme", v[:60]) for v in strings(specialism)[:20]]
             + ([("van", start.strip()[:80])] if isinstance(start, str) and start.strip() else []) + [("lang", lang)]
             + [("v", services().store.current().version[:16])])  # a new data version is a new address: fetched again
    return f"/kaart/laag/{layer}.geojson?{urlencode(query)}"


@bp.get("/kaart/laag/<layer>.geojson")
def layer(layer: str):
    """Return one layer of the map for the filters in the query, as the session's role may see it; a clustered
    (national) layer without the names of its locations (`names`)."""
    return _answer(layer, names=False)


@bp.get("/kaart/laag/<layer>.namen.json")
def names(layer: str):
    """Return {location id: [name, town]} of a clustered layer for the same query (fetched by the browser when
    it first draws a location's own marker: its accessible name); {} when the layer keeps its names."""
    if layer != "locations":
        abort(404)
    return _answer(layer, names=True)


def _answer(layer: str, names: bool):
    from .api import prepared_response
    from .pages.map_page import selection

    if layer not in registry() or len(request.query_string) > MAX_QUERY:
        abort(404)
    role = current_role()
    args = request.args
    lang = language(args.get("lang"))
    view = role_view(role)
    ready = prepared(view)

    query = tuple(sorted((k, tuple(args.getlist(k))) for k in args))

    def key(of_names: bool) -> tuple:
        return ("map-layer", layer, of_names, query)

    def make() -> bytes:
        svc = services()
        _view, flt, rows, _origin, _message, _events = selection(  # the usage counts are the callback's
            role, args.getlist("zorgvorm"), args.getlist("gemeente"), args.getlist("doelgroep"), args.getlist("aanbieder"),
            args.get("q", ""), args.getlist("rolstoel"), args.getlist("specialisme"), args.get("van", ""), lang)
        ctx = DrawContext(svc.catalog, flt.care_types, lang, stale_days=svc.settings.bw_stale_days)
        overlay = overlay_for(role, layer, rows, ctx)
        if layer != "locations":
            return encode(overlay.collection())
        drawn, named = names_apart(overlay)
        bodies = {False: encode(drawn.collection()), True: encode(named)}
        ready.answer(key(not names), lambda: bodies[not names])  # the other half of one selection, kept for its request
        return bodies[names]

    answer = ready.answer(key(names), make)
    if layer == "bw":
        audit_bw(role, "kaart-laag bw")
    return prepared_response(ready, answer, "application/json" if names else "application/geo+json",
                             public=role == access.ANONYMOUS)
