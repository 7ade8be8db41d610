"""The embeddable public map at /embed: finder, filters, list with distances and a shortlist.

Every callback here reads data as the public role, whoever is logged in: professional and BW
fields can never reach an embedded page.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dataclasses

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html

from layers import DrawContext, overlays_for, registry
from ...core import access, finder, usage, viewport
from ...core.filters import LocationFilter, apply_filter
from ...core.geocode import GeocodeError
from ...core.nearest import format_km
from ...core.reference import MUNICIPALITIES
from ...core.schema import address_line
from ...i18n import dropdown_labels, language, t
from .. import role_view, services, urlstate
from ..usage import count, count_many
from ..components import LIST_STEP, care_icon, care_labels, details, list_hint, steps, tel_href
from ..leaflet_map import layer_id, location_map, origin_data, overlay_outputs

PUBLIC = access.ANONYMOUS
THEMES_URL = "/assets/themes/{}.css"


def _controls(state: urlstate.EmbedState, lang: str) -> html.Div:
    catalog = services().catalog
    return html.Div([
        html.Div([
            html.Label(t("finder_label", lang), htmlFor="embed-q"),
            html.Div([
                dcc.Input(id="embed-q", type="search", value=state.q, debounce=True, autoComplete="postal-code",
                          className="text-input"),
                html.Button(t("finder_button", lang), id="embed-go", n_clicks=0, className="primary-button"),
            ], className="finder-row"),
            html.P(t("finder_hint", lang), id="embed-q-hint", className="hint"),
        ], className="finder"),
        html.Details([
            html.Summary(t("more_filters", lang)),
            html.Div([html.Fieldset([
                html.Legend(t("care_type", lang)),
                dcc.Checklist(id="embed-care", value=list(state.zorgvorm), options=[
                    {"label": html.Span([care_icon(term), term.label(lang)], className="care-option"),
                     "value": term.code} for term in catalog.care_types], className="care-checklist"),
            ], className="filter-care"),
            html.Div([
                html.Label(t("municipality", lang), htmlFor="embed-gemeente"),
                dcc.Dropdown(labels=dropdown_labels(lang), id="embed-gemeente", multi=True, value=list(state.gemeente), placeholder=t("all", lang),
                             options=[{"label": m.name, "value": m.code} for m in MUNICIPALITIES]),
            ]),
            html.Div([
                html.Label(t("target_group", lang), htmlFor="embed-doelgroep"),
                dcc.Dropdown(labels=dropdown_labels(lang), id="embed-doelgroep", multi=True, value=list(state.doelgroep), placeholder=t("all", lang),
                             options=[{"label": g.label(lang), "value": g.code} for g in catalog.target_groups]),
            ]),
        ], className="filter-grid")], open=True, className="embed-filters"),
    ], className="embed-controls")


def embed_layout(role: str, search: str) -> html.Div:
    """Return the embed page for the state in the URL."""
    state = urlstate.parse(search, services().catalog)
    lang = state.lang
    return html.Div([
        html.Link(rel="stylesheet", href=THEMES_URL.format(state.theme)) if state.theme else None,
        dcc.Location(id="embed-url", refresh=False),
        dcc.Store(id="embed-lang", data=lang),
        dcc.Store(id="embed-hash"),  # the view in the address (#map=ZOOM/LAT/LON), read once by the browser
        dcc.Store(id="embed-view"),  # the view the server chose, shown once by assets/map.js
        dcc.Store(id="embed-theme", data=state.theme),
        dcc.Store(id="embed-shortlist", data=list(state.bewaard)),
        dcc.Store(id="embed-applied", data={}),
        dcc.Store(id="embed-keep-chosen"),
        dcc.Store(id="embed-details-chosen"),  # set by assets/choose.js when 'Meer informatie' is chosen  # set by assets/choose.js when 'Zet op mijn lijst' is chosen
        html.A(t("skip", lang), href="#embed-list", className="skip-link"),
        html.A(t("skip_shortlist", lang), href="#embed-shortlist-panel", className="skip-link"),
        html.A(id="embed-mylist", href="#embed-shortlist-panel", className="mylist-button",
               children=f"{t('shortlist', lang)} ({len(state.bewaard)})"),
        html.P(id="embed-announce", role="status", className="visually-hidden", **{"aria-live": "polite"}),
        html.Main([
        html.H1(t("embed_title", lang), className="embed-title"),
        _controls(state, lang),
        html.P(id="embed-message", role="status", className="embed-message", **{"aria-live": "polite"}),
        html.P(id="embed-count", role="status", className="result-count", **{"aria-live": "polite"}),
        html.Button(t("show_map", lang), id="embed-toggle", n_clicks=0, className="link-button view-toggle",
                    **{"aria-controls": "embed-body", "aria-expanded": "false"}),
        html.Div(id="embed-body", children=[
            html.Div(location_map("embed", services().settings, services().boundaries, DrawContext(services().catalog, (), lang),
                                  url_view=True, scroll_zoom=False),
                     role="region", **{"aria-label": t("map_label", lang)}, className="embed-map"),
            html.Div([html.H2(t("list", lang), className="h-small", id="embed-list-title"),
                      html.Div(id="embed-list", tabIndex="-1", **{"aria-labelledby": "embed-list-title"}),
                      html.Button(t("list_more_button", lang), id="embed-more", n_clicks=0, hidden=True,
                                  className="more-button")],
                     className="embed-list"),
        ], className="embed-body show-list"),
        html.Section(id="embed-details", className="embed-details", tabIndex="-1",
                     **{"aria-live": "polite", "aria-label": t("details", lang)}),
        html.Section(id="embed-shortlist-panel", className="shortlist", **{"aria-label": t("shortlist", lang)}),
        ]),
        html.Footer([html.A(t("accessibility", lang), href=f"/toegankelijkheid?lang={lang}", target="_top"), " · ",
                     html.A(t("privacy", lang), href=f"/privacy?lang={lang}", target="_top"),
                     html.Span(" · Wmo-kaart")], className="embed-footer"),
    ], className="embed", lang=lang)


def _rows_list(rows, keep: set[str], lang: str, with_distance: bool, limit: int = LIST_STEP) -> list:
    catalog = services().catalog
    if rows.empty:
        return [html.P(t("none", lang))]
    items = []
    targets = {term.code: term.label(lang) for term in catalog.target_groups}
    for r in rows.head(limit).itertuples():
        kept = r.id in keep
        items.append(html.Li([
            html.H3(r.name, className="row-name"),
            html.P(r.provider_name, className="row-provider"),
            html.P(address_line(r), className="row-address"),
            html.P(care_labels(r.care_types, catalog, lang), className="row-care"),
            html.P(f"{t('target_group', lang)}: {', '.join(targets.get(g, g) for g in r.target_groups)}", className="row-targets")
            if r.target_groups else None,
            html.P(t("wheelchair_yes" if r.wheelchair_accessible else "wheelchair_no", lang), className="row-wheelchair")
            if r.wheelchair_accessible is not None and r.wheelchair_accessible == r.wheelchair_accessible else None,
            html.P(f"{t('distance', lang)}: {format_km(int(r.distance_m), lang)}", className="row-distance")
            if with_distance else None,
            html.P([html.A(t("website", lang), href=r.website, target="_blank", rel="noopener noreferrer") if r.website else None,
                    " · " if r.website and r.phone else None,
                    html.A(f"{t('phone', lang)} {r.phone}", href=tel_href(r.phone)) if r.phone else None,
                    " · " if r.email and (r.website or r.phone) else None,
                    html.A(r.email, href=f"mailto:{r.email}") if r.email else None],
                   className="row-links"),
            html.Button(t("unkeep" if kept else "keep", lang), id={"type": "embed-keep", "id": r.id},
                        className="link-button keep-button", **{"data-keep": r.id}),  # assets/choose.js
            html.Button(t("more_info", lang), className="link-button details-button", **{"data-details": r.id},
                        **{"aria-controls": "embed-details"}),
        ], className="embed-row"))
    return [list_hint(len(rows), len(items), lang), html.Ol(items, className="location-list")]


NEAREST_IN_VIEW = 5  # after a search the first view shows the search point and this many nearest


def _results(care, gemeente, doelgroep, q, lang):
    """Return the public view, the filter, the rows (nearest first after a search), the search point, the
    message, the search text and the usage events of the search: what the embed's map and list show."""
    svc = services()
    view = role_view(PUBLIC)
    flt = LocationFilter.from_values(care, gemeente, doelgroep)
    q = q.strip()[:80] if isinstance(q, str) else ""
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
    return view, flt, rows, origin, message, q, events


def _kept(keep) -> set[str]:
    return {k for k in keep if isinstance(k, str)} if isinstance(keep, list) else set()


def _count(q: str, events: list, flt: LocationFilter, applied) -> None:
    """Count a search when its text is new (not on a redraw for a filter or the map's size), and the filter
    values newly chosen; `applied` is what the page showed before."""
    before = applied if isinstance(applied, dict) else {}
    if q and q != before.get("q"):
        count_many(events)
    count_many(usage.filter_events(
        {k: [v for v in before.get(k) or [] if isinstance(v, str)] for k in ("zorgvorm", "gemeente", "doelgroep")},
        {"zorgvorm": flt.care_types, "gemeente": flt.municipalities, "doelgroep": flt.target_groups}))


def update_results(_go, care, gemeente, doelgroep, q, keep, lang, address_view=None, applied=None):
    """Return the map's view and layers, the first step of the list, count and message for the filters and the
    search, as the public sees them. The first view is the one in the address (#map=) or shows every
    location of the selection; after a search, the search point and its nearest results."""
    svc = services()
    lang = language(lang)
    view, flt, rows, origin, message, q, events = _results(care, gemeente, doelgroep, q, lang)
    _count(q, events, flt, applied)
    overlays = overlays_for(PUBLIC, rows, DrawContext(svc.catalog, flt.care_types, lang))
    shown = rows.head(NEAREST_IN_VIEW) if origin else rows
    lons, lats = shown["lon"].tolist() + ([origin.lon] if origin else []), shown["lat"].tolist() + ([origin.lat] if origin else [])
    first_draw = ctx.triggered_id in (None, "embed-hash")
    view_ = (first_draw and viewport.view_from_hash(address_view)) or viewport.leaflet_view(lons, lats)
    applied = {"q": q, "zorgvorm": list(flt.care_types), "gemeente": list(flt.municipalities),
               "doelgroep": list(flt.target_groups)}
    return (view_, *overlay_outputs(overlays), origin_data(origin, lang), _rows_list(rows, _kept(keep), lang, origin is not None),
            t("count", lang, n=len(rows), total=len(view)), message, applied, len(rows) <= LIST_STEP, 0)


def more_results(clicks, care, gemeente, doelgroep, q, keep, lang):
    """Return the list one step longer ('Toon meer locaties'), and hide the button when all are shown."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    lang = language(lang)
    _view, _flt, rows, origin, _message, _q, _events = _results(care, gemeente, doelgroep, q, lang)
    limit = steps(clicks)
    return _rows_list(rows, _kept(keep), lang, origin is not None, limit), len(rows) <= limit


def toggle_keep(chosen, keep, lang):
    """Add or remove the chosen location on the shortlist (kept in the browser and the URL), and say so."""
    loc_id = chosen.get("id") if isinstance(chosen, dict) else None
    if not isinstance(loc_id, str):
        raise dash.exceptions.PreventUpdate
    lang = language(lang)
    keep = [k for k in (keep or []) if isinstance(k, str)] if isinstance(keep, list) else []
    view = role_view(PUBLIC)
    name = view.loc[loc_id, "name"] if loc_id in view.index else loc_id
    if loc_id in keep:
        keep.remove(loc_id)
        said = "removed"
    elif urlstate.ID_RE.match(loc_id) and loc_id in view.index:
        keep.append(loc_id)
        said = "added"
        count("shortlist", "embed")
    else:
        raise dash.exceptions.PreventUpdate
    keep = keep[: urlstate.MAX_SHORTLIST]
    return keep, t(said, lang, name=name, n=len(keep)), f"{t('shortlist', lang)} ({len(keep)})"


def show_details(chosen, lang, click=None):
    """Return every public detail of the chosen location ('Meer informatie', or its marker on the map: opening
    hours, specialisms, when the details were checked, 'Meld een fout')."""
    if ctx.triggered_id == layer_id("embed", "locations"):
        from .map_page import clicked_id

        chosen = {"id": clicked_id(click)}
    loc_id = chosen.get("id") if isinstance(chosen, dict) else None
    view = role_view(PUBLIC)
    if not isinstance(loc_id, str) or not urlstate.ID_RE.match(loc_id) or loc_id not in view.index:
        raise dash.exceptions.PreventUpdate
    lang = language(lang)
    count("details", "embed")
    return [html.H2(t("details", lang), className="h-small"), *details(view.loc[loc_id], services().catalog, lang)]


def show_shortlist(keep, applied, lang, theme):
    """Return the shortlist panel, the keep-button labels and the shareable URL query."""
    lang = language(lang)
    view = role_view(PUBLIC)
    keep = [k for k in (keep or []) if isinstance(k, str) and k in view.index] if isinstance(keep, list) else []
    applied = applied if isinstance(applied, dict) else {}
    gemeente, zorgvorm, doelgroep = (tuple(urlstate.strings(applied.get(k))) for k in ("gemeente", "zorgvorm", "doelgroep"))
    state = urlstate.parse(urlstate.build(urlstate.EmbedState(
        gemeente, zorgvorm, doelgroep,
        str(applied.get("q") or ""), lang, theme if isinstance(theme, str) else "", tuple(keep))), services().catalog)
    query = urlstate.build(state)
    buttons = ctx.outputs_list[1]
    if len(buttons) > len(view) or any(not isinstance(b.get("id"), dict) or b["id"].get("id") not in view.index
                                       for b in buttons):
        raise dash.exceptions.PreventUpdate  # keep buttons exist only for locations that exist: a forgery
    labels = [t("unkeep" if b["id"]["id"] in keep else "keep", lang) for b in buttons]
    if not keep:
        return [html.H2(t("shortlist", lang), className="h-small"), html.P(t("shortlist_empty", lang))], labels, query
    rows = view.loc[keep]
    # the handout says why each option fits: it gets the search and the wishes, never the municipality filter
    handout = "/handout?" + urlencode([("ids", ",".join(keep))] + [("zorgvorm", z) for z in state.zorgvorm]
                                      + [("doelgroep", d) for d in state.doelgroep]
                                      + ([("q", state.q)] if state.q else []) + ([("lang", "en")] if lang == "en" else []))
    panel = [
        html.H2(f"{t('shortlist', lang)} ({len(keep)})", className="h-small"),
        html.Ol([html.Li(f"{r.name}, {address_line(r)}") for r in rows.itertuples()]),
        html.P([html.A(t("print", lang), href=handout, target="_blank", className="primary-link"), " · ",
                html.A(t("share", lang), href=f"/embed{query}", target="_blank", id="embed-share")]),
    ]
    return panel, labels, query


def register(app: dash.Dash) -> None:
    """Register the embed's callbacks on `app`."""
    layers = [o for layer in registry() for o in (Output(layer_id("embed", layer), "data"), Output(layer_id("embed", layer), "cluster"))]
    app.callback(
        Output("embed-view", "data"), *layers, Output("embed-origin", "data"),
        Output("embed-list", "children"), Output("embed-count", "children"),
        Output("embed-message", "children"), Output("embed-applied", "data"),
        Output("embed-more", "hidden"), Output("embed-more", "n_clicks"),
        Input("embed-go", "n_clicks"), Input("embed-care", "value"), Input("embed-gemeente", "value"),
        Input("embed-doelgroep", "value"), Input("embed-q", "value"),
        State("embed-shortlist", "data"), State("embed-lang", "data"), Input("embed-hash", "data"),
        State("embed-applied", "data"),
    )(update_results)
    app.callback(
        Output("embed-list", "children", allow_duplicate=True), Output("embed-more", "hidden", allow_duplicate=True),
        Input("embed-more", "n_clicks"), State("embed-care", "value"), State("embed-gemeente", "value"),
        State("embed-doelgroep", "value"), State("embed-q", "value"), State("embed-shortlist", "data"),
        State("embed-lang", "data"), prevent_initial_call=True,
    )(more_results)
    # on a phone the list comes first; one button shows the map instead (and back)
    app.clientside_callback(
        """function(n, lang) {
            var map = n % 2 === 1, en = lang === 'en';
            return [map ? 'embed-body show-map' : 'embed-body show-list',
                    map ? (en ? 'Show the list' : 'Toon de lijst') : (en ? 'Show the map' : 'Toon de kaart'),
                    map ? 'true' : 'false'];
        }""",
        Output("embed-body", "className"), Output("embed-toggle", "children"), Output("embed-toggle", "aria-expanded"),
        Input("embed-toggle", "n_clicks"), State("embed-lang", "data"))
    app.clientside_callback("function(lang) { return window.location.hash || ''; }",
                            Output("embed-hash", "data"), Input("embed-lang", "data"))
    app.clientside_callback("function(view) { return window.wmoKaart.applyView('embed-leaflet', view); }",
                            Output("embed-leaflet", "className"), Input("embed-view", "data"), prevent_initial_call=True)
    app.callback(
        Output("embed-shortlist", "data"), Output("embed-announce", "children"), Output("embed-mylist", "children"),
        Input("embed-keep-chosen", "data"), State("embed-shortlist", "data"), State("embed-lang", "data"),
        prevent_initial_call=True,
    )(toggle_keep)
    app.callback(Output("embed-details", "children"), Input("embed-details-chosen", "data"), State("embed-lang", "data"),
                 Input(layer_id("embed", "locations"), "clickData"), prevent_initial_call=True)(show_details)
    app.callback(
        Output("embed-shortlist-panel", "children"), Output({"type": "embed-keep", "id": ALL}, "children"),
        Output("embed-url", "search"),
        Input("embed-shortlist", "data"), Input("embed-applied", "data"),
        State("embed-lang", "data"), State("embed-theme", "data"),
    )(show_shortlist)
