"""The embeddable public map at /embed: a light page the server renders, for residents' phones.

Search, filters, the list, "Mijn lijst", the details and the handout are plain HTML: a form and links
whose addresses hold the whole state (`urlstate`), so the page works without JavaScript and every view
can be shared. `assets/embed-page.js` makes it quicker where JavaScript runs: the same links and the
form are fetched and only the parts that change are swapped in, filters apply as they are ticked, and
the map (Leaflet, `assets/map.js`, no Dash) draws the locations from `/embed/laag.geojson`.

Everything here reads data as the public role, whoever is logged in: professional and BW fields can never
reach an embedded page.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from dash import html
from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from layers import DrawContext, overlay_for
from layers.locations import legend_of

from ..config import BASEMAPS
from ..core import access, finder, usage, viewport
from ..core.filters import LocationFilter, apply_filter
from ..core.geocode import GeocodeError
from ..core.nearest import format_km
from ..core.reference import MUNICIPALITIES
from ..core.schema import address_line
from ..i18n import t
from . import role_view, services, urlstate
from .components import LIST_STEP, care_icon, care_labels, details, list_hint, tel_href
from .html_text import render
from .leaflet_map import origin_data
from .prepared import encode, prepared
from .tiles import BASEMAP_URL, LABELS_URL, OUTLINES_URL
from .usage import count, count_many

bp = Blueprint("embed", __name__)
PUBLIC = access.ANONYMOUS
NEAREST_IN_VIEW = 5  # after a search the first view shows the search point and this many nearest
THEMES_URL = "/assets/themes/{}.css"
MAX_STEPS = 100  # "Toon meer locaties" at most this often: 5,000 rows


@dataclass(frozen=True)
class Results:
    """What the embed shows for a state: the public view, the filter, the rows (nearest first after a search),
    the search point, the message and the usage events of the search."""

    view: pd.DataFrame
    flt: LocationFilter
    rows: pd.DataFrame
    origin: object
    message: str
    events: list


def results(state: urlstate.EmbedState) -> Results:
    """Return the embed's results for `state`, as the public sees them: a text that is a place sorts by
    distance from it; one that is not searches the names of providers, locations and towns."""
    svc = services()
    lang = state.lang
    view = role_view(PUBLIC)
    flt = LocationFilter.from_values(list(state.zorgvorm), list(state.gemeente), list(state.doelgroep))
    q = state.q
    message, origin, events = "", None, []
    if q:
        try:
            origin, notice = finder.locate(svc.geocoder, q)
            message = " ".join(filter(None, [notice, t("sorted_from", lang, label=origin.label)]))
        except GeocodeError as exc:
            if q[0].isdigit():
                message = str(exc)
                events = [("search", f"{usage.search_kind(q)}|not_found")]
            else:  # not a place: search provider, location and town names instead
                flt = dataclasses.replace(flt, text=q)
                message = t("not_a_place", lang, q=q)
    found = finder.find(view, origin, flt, limit=None) if origin else None
    rows = found.rows if found else apply_filter(view, flt)
    if found is not None:
        events = usage.found_events(usage.search_kind(q), q, found, flt.care_types)
        if found.region:
            message = " ".join(filter(None, [message, t("own_region", lang, region=found.region)]))
    elif flt.text:
        events = usage.name_events(not rows.empty)
    if origin is None:
        rows = rows.sort_values(["city", "name"]).assign(distance_m=0)
    return Results(view, flt, rows, origin, message, events)


def address(state: urlstate.EmbedState, **extra) -> str:
    """Return the embed's address for `state`, with `extra` parameters (a step of the list, details)."""
    query = urlstate.build(state)
    more = urlencode([(k, v) for k, v in extra.items() if v not in (None, "", 0)])
    return "/embed" + (query + ("&" + more if more else "") if query else ("?" + more if more else ""))


def _steps(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) < MAX_STEPS else 0


def _known_id(raw: str | None, view: pd.DataFrame) -> str | None:
    return raw if isinstance(raw, str) and urlstate.ID_RE.match(raw) and raw in view.index else None


def _row(r, state: urlstate.EmbedState, steps: int, lang: str, with_distance: bool, targets: dict) -> html.Li:
    catalog = services().catalog
    kept = r.id in state.bewaard
    keep = tuple(k for k in state.bewaard if k != r.id) if kept else (*state.bewaard, r.id)[: urlstate.MAX_SHORTLIST]
    keep_href = address(dataclasses.replace(state, bewaard=keep), meer=steps,
                        **({"weg": r.id} if kept else {"op": r.id})) + f"#rij-{r.id}"
    return html.Li([
        html.H3(r.name, className="row-name"),
        html.P(r.provider_name, className="row-provider"),
        html.P(address_line(r), className="row-address"),
        html.P(care_labels(r.care_types, catalog, lang), className="row-care"),
        html.P(f"{t('target_group', lang)}: {', '.join(targets.get(g, g) for g in r.target_groups)}", className="row-targets")
        if r.target_groups else None,
        html.P(t("wheelchair_yes" if r.wheelchair_accessible else "wheelchair_no", lang), className="row-wheelchair")
        if r.wheelchair_accessible is not None and r.wheelchair_accessible == r.wheelchair_accessible else None,
        html.P(f"{t('distance', lang)}: {format_km(int(r.distance_m), lang)}", className="row-distance") if with_distance else None,
        html.P([html.A(t("website", lang), href=r.website, target="_blank", rel="noopener noreferrer") if r.website else None,
                " · " if r.website and r.phone else None,
                html.A(f"{t('phone', lang)} {r.phone}", href=tel_href(r.phone)) if r.phone else None,
                " · " if r.email and (r.website or r.phone) else None,
                html.A(r.email, href=f"mailto:{r.email}") if r.email else None], className="row-links"),
        html.P([
            # a link (it works without JavaScript, and Enter follows it): its text says what it does
            html.A(t("unkeep" if kept else "keep", lang), href=keep_href, id=f"keep-{r.id}", className="keep-button",
                   **{"data-swap": "keep"}),
            " · ",
            html.A(t("more_info", lang), href=address(state, meer=steps, info=r.id) + "#embed-details",
                   className="details-button", **{"data-swap": "details", "aria-controls": "embed-details"}),
        ], className="row-actions"),
    ], className="embed-row", id=f"rij-{r.id}")


def _list(res: Results, state: urlstate.EmbedState, steps: int, lang: str) -> html.Div:
    if res.rows.empty:
        return html.Div(html.P(t("none", lang)), id="embed-list-box")
    limit = LIST_STEP * (steps + 1)
    targets = {term.code: term.label(lang) for term in services().catalog.target_groups}
    rows = [_row(r, state, steps, lang, res.origin is not None, targets) for r in res.rows.head(limit).itertuples()]
    more = None
    if len(res.rows) > limit:
        first_new = res.rows.iloc[limit]["id"]
        more = html.A(t("list_more_button", lang), href=address(state, meer=steps + 1) + f"#rij-{first_new}",
                      className="more-button", **{"data-swap": "more", "data-focus": f"rij-{first_new}"})
    return html.Div([list_hint(len(res.rows), len(rows), lang), html.Ol(rows, className="location-list"), more],
                    id="embed-list-box")


def _shortlist(state: urlstate.EmbedState, view: pd.DataFrame, lang: str) -> list:
    keep = [k for k in state.bewaard if k in view.index]
    if not keep:
        return [html.H2(t("shortlist", lang), className="h-small"), html.P(t("shortlist_empty", lang))]
    # the handout says why each option fits: it gets the search and the wishes, never the municipality filter
    handout = "/handout?" + urlencode([("ids", ",".join(keep))] + [("zorgvorm", z) for z in state.zorgvorm]
                                      + [("doelgroep", d) for d in state.doelgroep]
                                      + ([("q", state.q)] if state.q else []) + ([("lang", "en")] if lang == "en" else []))
    return [
        html.H2(f"{t('shortlist', lang)} ({len(keep)})", className="h-small"),
        html.Ol([html.Li(f"{r.name}, {address_line(r)}") for r in view.loc[keep].itertuples()]),
        html.P([html.A(t("print", lang), href=handout, target="_blank", className="primary-link"), " · ",
                html.A(t("share", lang), href=address(state), target="_blank", id="embed-share")]),
    ]


def _map_data(res: Results, state: urlstate.EmbedState, lang: str) -> dict:
    """Return what assets/embed-page.js needs to draw the map: the layer's address, the legend, the search
    point, the view that fits the selection and the background."""
    settings = services().settings
    shown = res.rows.head(NEAREST_IN_VIEW) if res.origin else res.rows
    origin = res.origin
    lons = shown["lon"].tolist() + ([origin.lon] if origin else [])
    lats = shown["lat"].tolist() + ([origin.lat] if origin else [])
    query = urlstate.build(dataclasses.replace(state, bewaard=(), theme=""))
    version = services().store.current().version[:16]
    return {
        "layer": "/embed/laag.geojson" + (query + "&" if query else "?") + urlencode([("v", version)]),
        "hideout": legend_of(DrawContext(services().catalog, res.flt.care_types, lang)),
        "origin": origin_data(origin, lang), "view": viewport.leaflet_view(lons, lats),
        "outlines": OUTLINES_URL if services().boundaries else None, "labels": LABELS_URL,
        "labels_credit": t("labels_credit", lang),
        "basemap": BASEMAP_URL if settings.basemap_url else None,
        "basemap_credit": (t("basemap_credit", lang) if settings.basemap in BASEMAPS else settings.basemap_attribution)
        if settings.basemap_url else None,
        "details": address(state, info="ID") + "#embed-details",
    }


def _count(state: urlstate.EmbedState, res: Results) -> None:
    """Count a search when its form was sent with a new text, and the filter values newly chosen (`was`: the
    state the form was sent from); the shortlist and the details when asked for."""
    args = request.args
    if args.get("zoek"):
        before = urlstate.parse(args.get("was", ""), services().catalog)
        if state.q and state.q != before.q:
            count_many(res.events)
        count_many(usage.filter_events(
            {"zorgvorm": before.zorgvorm, "gemeente": before.gemeente, "doelgroep": before.doelgroep},
            {"zorgvorm": res.flt.care_types, "gemeente": res.flt.municipalities, "doelgroep": res.flt.target_groups}))


@bp.get("/embed")
def page():
    """The embed page for the state in its address."""
    svc = services()
    state = urlstate.parse(request.query_string.decode("utf-8", "replace"), svc.catalog)
    lang = state.lang
    res = results(state)
    _count(state, res)
    steps = _steps(request.args.get("meer"))
    view = res.view
    announce = ""
    kept = [k for k in state.bewaard if k in view.index]  # an id that is gone (or never was) is not on the list
    added, removed = _known_id(request.args.get("op"), view), _known_id(request.args.get("weg"), view)
    if added and added in kept:
        count("shortlist", "embed")
        announce = t("added", lang, name=view.loc[added, "name"], n=len(kept))
    elif removed and removed not in kept:
        announce = t("removed", lang, name=view.loc[removed, "name"], n=len(kept))
    info = _known_id(request.args.get("info"), view)
    if info:
        count("details", "embed")
    catalog = svc.catalog
    state_query = urlstate.build(state)
    context = {
        "lang": lang, "state": state, "t": lambda key, **v: t(key, lang, **v),
        "title": (f"{t('search_title', lang)}: {state.q} · " if state.q else "") + t("embed_title", lang),
        "theme": THEMES_URL.format(state.theme) if state.theme else None,
        "care_types": [(term, render(care_icon(term))) for term in catalog.care_types],
        "municipalities": [(m.code, m.name) for m in MUNICIPALITIES],  # (value, label) of a checkbox
        "target_groups": [(g.code, g.label(lang)) for g in catalog.target_groups],
        "message": res.message, "count": t("count", lang, n=len(res.rows), total=len(view)),
        "list": render(_list(res, state, steps, lang)),
        "details": render([html.H2(t("details", lang), className="h-small"), *details(view.loc[info], catalog, lang)])
        if info else Markup(""),
        "shortlist": render(_shortlist(state, view, lang)),
        "kept": len(kept),
        "announce": announce, "was": state_query,
        # JSON in a script element: no "<" at all, so nothing in it can end or confuse the element
        "map": Markup(json.dumps(_map_data(res, state, lang), ensure_ascii=False).replace("<", "\\u003c")),
    }
    return render_template("embed.html", **context)


@bp.get("/embed/laag.geojson")
def layer():
    """The embed map's locations for the state in the query, as the public sees them: built once per data
    version and query, kept compressed, 304 when the browser has it."""
    from .api import prepared_response

    if len(request.query_string) > 4000:
        abort(404)
    svc = services()
    state = urlstate.parse(request.query_string.decode("utf-8", "replace"), svc.catalog)
    ready = prepared(role_view(PUBLIC))

    def make() -> bytes:
        res = results(state)
        return encode(overlay_for(PUBLIC, "locations", res.rows, DrawContext(svc.catalog, res.flt.care_types, state.lang))
                      .collection())

    answer = ready.answer(("embed-layer", urlstate.build(dataclasses.replace(state, bewaard=(), theme=""))), make)
    return prepared_response(ready, answer, "application/geo+json", public=True)
