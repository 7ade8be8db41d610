"""The map page: filters, map, legend, result count, location list and details."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, ctx, dcc, html

from flask import request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth import current_role, users
from auth.web import engine
from layers import DrawContext, registry
from layers.locations import clustered
from ...core import access, clock, contracts, bw, finder, usage, viewport
from ...core.geocode import GeocodeError
from ...core.schema import address_line
from ...core.filters import LocationFilter, apply_filter
from ...core.reference import MUNICIPALITIES
from ...export.formats import FORMATS
from ...i18n import dropdown_labels, language, language_of_query, t
from .. import audit_bw, role_view, services, urlstate
from ..urlstate import strings
from ..bw_panel import bw_panel
from ..usage import count, count_many
from ..components import LIST_STEP, care_icon, details, legend, location_list, steps
from ..leaflet_map import layer_id, location_map, origin_data, selected_data
from ..map_layers import layer_url


def _filters(lang: str, show_providers: bool) -> html.Div:
    svc = services()
    catalog = svc.catalog
    provider_options = []
    if show_providers:  # only the professional map offers the provider filter
        view = role_view(current_role())
        provider_options = [{"label": p.provider_name, "value": p.provider_id} for p in
                            view.drop_duplicates("provider_id").sort_values("provider_name").itertuples()]
    return html.Div([
        html.H2(t("filters", lang), className="h-small"),
        html.Fieldset([
            html.Legend(t("care_type", lang)),
            dcc.Checklist(id="map-care", value=[], options=[
                {"label": html.Span([care_icon(term), term.label(lang)], className="care-option"),
                 "value": term.code} for term in catalog.care_types], className="care-checklist"),
        ]),
        html.Label(t("municipality", lang), htmlFor="map-gemeente"),
        dcc.Dropdown(labels=dropdown_labels(lang), id="map-gemeente", multi=True, placeholder=t("all", lang),
                     options=[{"label": m.name, "value": m.code} for m in MUNICIPALITIES]),
        html.Label(t("target_group", lang), htmlFor="map-doelgroep"),
        dcc.Dropdown(labels=dropdown_labels(lang), id="map-doelgroep", multi=True, placeholder=t("all", lang),
                     options=[{"label": g.label(lang), "value": g.code} for g in catalog.target_groups]),
        html.Div([
            html.Label(t("provider", lang), htmlFor="map-provider"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="map-provider", multi=True, placeholder=t("all", lang),
                         options=provider_options),
        ], hidden=not show_providers),
        html.Label(t("specialism", lang), htmlFor="map-specialism"),
        dcc.Dropdown(labels=dropdown_labels(lang), id="map-specialism", multi=True, placeholder=t("all", lang), options=[
            {"label": s, "value": s} for s in sorted({v for values in role_view(current_role())["specialisms"] for v in values})]),
        dcc.Checklist(id="map-wheelchair", value=[], options=[{"label": t("only_wheelchair", lang), "value": "ja"}],
                      className="check-option"),
        html.Label(t("from_label", lang), htmlFor="map-from"),
        dcc.Input(id="map-from", type="search", debounce=True, value="", className="text-input", autoComplete="postal-code",
                  placeholder=t("from_placeholder", lang)),
        html.Label(t("search", lang), htmlFor="map-q"),
        dcc.Input(id="map-q", type="search", debounce=0.3, value="", className="text-input",
                  autoComplete="off"),
    ], className="filters")


def map_layout(role: str, lang: str = "nl", *, pro: bool = False, header=None, after=None) -> html.Div:
    """Return the map page for `role`."""
    dataset = services().store.current()
    bw_classes = bw.CLASSES if access.may(role, "bw_figures") else ()
    return html.Div([
        dcc.Store(id="map-lang", data=lang),
        dcc.Store(id="map-hash"),  # the view in the address (#map=ZOOM/LAT/LON), read once by the browser
        dcc.Store(id="map-view"),  # the view the server chose, shown once by assets/map.js
        html.A(t("skip", lang), href="#map-list", className="skip-link"),
        header or html.Header([html.H1(t("title", lang)), html.P(t("intro", lang)),
                               html.Div([html.A(t("login", lang), href="/login?lang=en&next=/pro%3Flang%3Den" if lang == "en" else "/login"),
                                         html.A(t("accessibility", lang), href=f"/toegankelijkheid?lang={lang}"),
                                         html.A(t("privacy", lang), href=f"/privacy?lang={lang}"),
                                         html.A("English" if lang == "nl" else "Nederlands", href="/?lang=en" if lang == "nl" else "/",
                                                lang="en" if lang == "nl" else "nl")], className="user-bar")],
                              className="page-header"),
        html.P(t("demo", lang), className="demo-banner") if dataset.meta.get("demo") else None,
        html.Main([
            html.Aside([_filters(lang, pro), legend(services().catalog, lang, bw_classes, contract_warnings=pro)], className="sidebar"),
            html.Section([
                html.Div([html.P(id="map-count", role="status", className="result-count", **{"aria-live": "polite"}),
                          html.P(id="map-downloads", className="downloads")], className="count-bar"),
                html.Div(location_map("map", services().settings, services().boundaries,
                                      DrawContext(services().catalog, (), lang)),
                         role="region", **{"aria-label": t("map_label", lang)}, className="map-wrap"),
            ], className="map-column"),
            html.Section([
                html.Div([html.H2(t("details", lang), className="h-small"),
                          html.Div(html.P(t("details_hint", lang)), id="map-details"),
                          html.Button(t("keep", lang), id="map-keep", n_clicks=0, className="link-button keep-button")],
                         className="details", role="region", **{"aria-live": "polite", "aria-label": t("details", lang)}),
                dcc.Store(id="map-selected"),
                dcc.Store(id="map-applied"),  # what the list showed last: a search or filter value is counted once
                dcc.Store(id="map-row-chosen"),  # set by assets/choose.js when a row of the list is chosen
                dcc.Store(id="map-shortlist", storage_type="session", data=[]),
                html.Section(id="map-shortlist-panel", className="shortlist", **{"aria-label": t("shortlist", lang)}),
                html.H2(t("list", lang), className="h-small", id="map-list-title"),
                html.Div(id="map-list", tabIndex="-1", **{"aria-labelledby": "map-list-title"}),
                html.Button(t("list_more_button", lang), id="map-more", n_clicks=0, hidden=True, className="more-button"),
            ], className="list-column"),
        ], className="map-main"),
        after,
    ])


def public_layout(role: str, search: str) -> html.Div:
    """Return the public map at `/` (`?lang=en` for English)."""
    return map_layout(role, language_of_query(search))


def _pro_header(role: str, lang: str) -> html.Header:
    role_label = access.role(role).en if lang == "en" else access.role(role).nl
    return html.Header([
        html.H1(t("pro_title", lang)),
        html.Div([
            html.Span(t("logged_in_as", lang, name=current_user.username, role=role_label)),
            html.A(t("to_bw", lang), href="#bw-panel") if access.may(role, "bw_figures") else None,
            html.A(t("cov_title", lang), href="/dekking" + ("?lang=en" if lang == "en" else "")),
            html.A(t("contracts", lang), href="/contracten" + ("?lang=en" if lang == "en" else "")),
            html.A(t("change_password", lang), href="/account/password"),
            html.A("English" if lang == "nl" else "Nederlands", href="/pro?lang=en" if lang == "nl" else "/pro",
                   lang="en" if lang == "nl" else "nl"),
            html.Form([dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                       html.Button(t("logout", lang), type="submit", className="link-button")],
                      method="post", action="/logout"),
        ], className="user-bar"),
    ], className="page-header")


def pro_layout(role: str, search: str) -> html.Div:
    """Return the professional map at `/pro`; the BW panel only for roles with the BW layer."""
    svc = services()
    lang = language_of_query(search)
    after = None
    if access.may(role, "bw_figures"):
        after = bw_panel(role_view(role), svc.settings.bw_stale_days, lang=lang)
        users.audit(engine(), current_user.username, "bw_view", "/pro", address=request.remote_addr)
    return map_layout(role, lang, pro=True, header=_pro_header(role, lang), after=after)


def _filter_from(care, gemeente, doelgroep, provider, q) -> LocationFilter:
    return LocationFilter.from_values(care, gemeente, doelgroep, provider, q if isinstance(q, str) else "")


def selection(role, care, gemeente, doelgroep, provider, q, wheelchair, specialism, start, lang):
    """Return the role's view, the filter, the selected rows (nearest first after 'Afstand vanaf') and the
    search point with its message: what the map and its list show."""
    svc = services()
    view = role_view(role)
    flt = _filter_from(care, gemeente, doelgroep, provider, q)
    flt = dataclasses.replace(flt, wheelchair=isinstance(wheelchair, list) and "ja" in wheelchair,
                              specialisms=tuple(strings(specialism))[:20])
    rows = apply_filter(view, flt)
    origin, message, events = None, "", []
    if isinstance(start, str) and start.strip():
        typed = start.strip()[:80]
        try:
            origin, notice = finder.origin_from_text(svc.geocoder, typed)
            found = finder.find(view, origin, flt, limit=None)
            rows = found.rows  # every match, nearest first, no radius
            message = " ".join(filter(None, [notice, t("sorted_from", lang, label=origin.label)]))
            events = usage.found_events(usage.search_kind(typed), typed, found, flt.care_types)
        except GeocodeError as exc:
            message = str(exc)
            events = [("search", f"{usage.search_kind(typed)}|not_found")]
    return view, flt, rows, origin, message, events


def _count(start, events: list, flt: LocationFilter, applied) -> dict:
    """Count a search from a new start and the filter values newly chosen; return what is now applied."""
    before = applied if isinstance(applied, dict) else {}
    now = {"from": start.strip()[:80] if isinstance(start, str) else "", "zorgvorm": list(flt.care_types),
           "gemeente": list(flt.municipalities), "doelgroep": list(flt.target_groups)}
    if now["from"] and now["from"] != before.get("from"):
        count_many(events)
    count_many(usage.filter_events({k: [v for v in before.get(k) or [] if isinstance(v, str)]
                                    for k in ("zorgvorm", "gemeente", "doelgroep")}, now | {"from": []}))
    return now


def update_map(care, gemeente, doelgroep, provider, q, lang, address_view=None, wheelchair=None, specialism=None, start=None,
               applied=None):
    """Return the map's view (the view in the address on the first draw, else fitted to the selection), its
    layers, the search point, the first step of the list and the count for the filters, as the current role
    may see them."""
    svc = services()
    lang = language(lang)
    role = current_role()
    view, flt, rows, origin, message, events = selection(role, care, gemeente, doelgroep, provider, q, wheelchair,
                                                          specialism, start, lang)
    applied = _count(start, events, flt, applied)
    shown = rows.head(5) if origin else rows
    first_draw = ctx.triggered_id in (None, "map-hash")
    view_ = (first_draw and viewport.view_from_hash(address_view)) or viewport.leaflet_view(
        shown["lon"].tolist() + ([origin.lon] if origin else []), shown["lat"].tolist() + ([origin.lat] if origin else []))
    shown_count = t("count", lang, n=len(rows), total=len(view)) + (f" {message}" if message else "")
    audit_bw(role, "kaart")
    layers = [value for layer in registry() for value in (
        layer_url(layer, care, gemeente, doelgroep, provider, q, wheelchair, specialism, start, lang),
        layer == "locations" and clustered(len(rows)))]
    return (view_, *layers, origin_data(origin, lang),
            location_list(rows, svc.catalog, lang, by_distance=origin is not None), shown_count,
            _downloads(flt, lang), len(rows) <= LIST_STEP, 0, applied)


def more_rows(clicks, care, gemeente, doelgroep, provider, q, lang, wheelchair, specialism, start):
    """Return the list one step longer ('Toon meer locaties'), and hide the button when all are shown."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    lang = language(lang)
    _view, _flt, rows, origin, _message, _events = selection(current_role(), care, gemeente, doelgroep, provider, q, wheelchair,
                                                     specialism, start, lang)
    limit = steps(clicks)
    return location_list(rows, services().catalog, lang, by_distance=origin is not None, limit=limit), len(rows) <= limit


def keep(_clicks, selected, shortlist):
    """Put the location whose details are shown on the shortlist (kept in this browser tab); never one
    whose contract has ended (it cannot be offered to a client, and the handout would leave it out)."""
    shortlist = [k for k in strings(shortlist) if urlstate.ID_RE.match(k)]
    if not isinstance(selected, str) or not urlstate.ID_RE.match(selected) or selected in shortlist:
        raise dash.exceptions.PreventUpdate
    view = role_view(current_role())
    if selected not in view.index or (
            "contract_end" in view.columns and contracts.ended(view.at[selected, "contract_end"], clock.today())):
        raise dash.exceptions.PreventUpdate
    count("shortlist", "kaart" if current_role() == access.ANONYMOUS else "pro")
    return (shortlist + [selected])[: urlstate.MAX_SHORTLIST]


def shortlist_panel(shortlist, lang, start, care=None, doelgroep=None, specialism=None, wheelchair=None):
    """Return the shortlist with what the role may see (contacts for professionals) and the handout link."""
    lang = language(lang)
    view = role_view(current_role())
    ids = [k for k in strings(shortlist) if k in view.index]
    if not ids:
        return [html.H2(t("shortlist", lang), className="h-small"), html.P(t("pro_shortlist_empty", lang))]
    rows = view.loc[ids]
    items = [html.Li([html.Strong(r.name), html.Br(), address_line(r),
                      *([html.Br(), f"{t('contact', lang)}: {r.contact_name}"
                         + (f", {r.contact_phone}" if getattr(r, "contact_phone", None) else "")]
                        if getattr(r, "contact_name", None) else [])]) for r in rows.itertuples()]
    query = [("ids", ",".join(ids))] + ([("q", start.strip()[:80])] if isinstance(start, str) and start.strip() else [])
    # the handout says why each option fits the client's wishes
    query += [("zorgvorm", c) for c in strings(care)[:20]] + [("doelgroep", d) for d in strings(doelgroep)[:20]]
    query += [("specialisme", s[:60]) for s in strings(specialism)[:20]]
    if "ja" in strings(wheelchair):
        query.append(("rolstoel", "ja"))
    if lang == "en":
        query.append(("lang", "en"))
    return [html.H2(f"{t('shortlist', lang)} ({len(ids)})", className="h-small"), html.Ol(items),
            html.P(html.A(t("print", lang), href=f"/handout?{urlencode(query)}", target="_blank", className="primary-link",
                          id="map-handout"))]


def _downloads(flt: LocationFilter, lang: str) -> list:
    """Return links that export the filtered selection (the API applies the role again)."""
    query = urlencode([("zorgvorm", c) for c in flt.care_types] + [("gemeente", g) for g in flt.municipalities]
                      + [("doelgroep", d) for d in flt.target_groups] + [("aanbieder", p) for p in flt.providers]
                      + ([("q", flt.text)] if flt.text else []))
    links = [html.A(fmt.label, href=f"/api/v1/export/{fmt.slug}?{query}", download="") for fmt in FORMATS.values()]
    return [t("download", lang), " ", *[x for link in links for x in (link, " ")]]


def clicked_id(click):
    """Return the id of the location whose marker was chosen (a cluster has none: it zooms in by itself)."""
    props = click.get("properties") if isinstance(click, dict) else None
    if not isinstance(props, dict) or props.get("cluster") or not isinstance(props.get("id"), str):
        raise dash.exceptions.PreventUpdate
    return props["id"]


def show_details(click, chosen, lang):
    """Return the details of the chosen location (a marker, or a row of the list), its halo and, when chosen
    in the list, a view that brings its marker into sight."""
    trigger = ctx.triggered_id
    if trigger == "map-row-chosen":
        loc_id = chosen.get("id") if isinstance(chosen, dict) else None
        if loc_id is None:
            raise dash.exceptions.PreventUpdate
    else:
        loc_id = clicked_id(click)
    svc = services()
    lang = language(lang)
    role = current_role()
    view = role_view(role)
    if not isinstance(loc_id, str) or loc_id not in view.index:
        return [html.P(t("not_found", lang))], selected_data(), dash.no_update, None, False
    row = view.loc[loc_id]
    ended = "contract_end" in view.columns and contracts.ended(row["contract_end"], clock.today())
    move = dash.no_update
    if trigger == "map-row-chosen":  # chosen in the list: bring its marker into view, close enough to tell it apart
        move = {"center": [float(row["lat"]), float(row["lon"])], "zoom": 14, "closer": True, "transition": "setView"}
    audit_bw(role, f"details {loc_id}")
    count("details", "kaart" if role == access.ANONYMOUS else "pro")
    shown = details(row, svc.catalog, lang)
    if ended:
        shown.insert(2, html.P(t("not_for_client", lang), className="form-error"))
    return shown, selected_data(row["lon"], row["lat"]), move, loc_id, ended


def register(app: dash.Dash) -> None:
    """Register the map page's callbacks on `app`."""
    layers = [o for layer in registry() for o in (Output(layer_id("map", layer), "url"), Output(layer_id("map", layer), "cluster"))]
    app.callback(
        Output("map-view", "data"), *layers, Output("map-origin", "data"),
        Output("map-list", "children"), Output("map-count", "children"),
        Output("map-downloads", "children"), Output("map-more", "hidden"), Output("map-more", "n_clicks"),
        Output("map-applied", "data"),
        Input("map-care", "value"), Input("map-gemeente", "value"), Input("map-doelgroep", "value"),
        Input("map-provider", "value"), Input("map-q", "value"), State("map-lang", "data"), Input("map-hash", "data"),
        Input("map-wheelchair", "value"), Input("map-specialism", "value"), Input("map-from", "value"),
        State("map-applied", "data"),
    )(update_map)
    app.callback(
        Output("map-list", "children", allow_duplicate=True), Output("map-more", "hidden", allow_duplicate=True),
        Input("map-more", "n_clicks"), State("map-care", "value"), State("map-gemeente", "value"),
        State("map-doelgroep", "value"), State("map-provider", "value"), State("map-q", "value"), State("map-lang", "data"),
        State("map-wheelchair", "value"), State("map-specialism", "value"), State("map-from", "value"),
        prevent_initial_call=True,
    )(more_rows)
    app.callback(Output("map-shortlist", "data"), Input("map-keep", "n_clicks"), State("map-selected", "data"),
                 State("map-shortlist", "data"), prevent_initial_call=True)(keep)
    app.callback(Output("map-shortlist-panel", "children"), Input("map-shortlist", "data"), State("map-lang", "data"),
                 State("map-from", "value"), Input("map-care", "value"), Input("map-doelgroep", "value"),
                 Input("map-specialism", "value"), Input("map-wheelchair", "value"))(shortlist_panel)
    # the view in the address (#map=ZOOM/LAT/LON), read once: the first draw shows it instead of the fitted one
    app.clientside_callback("function(lang) { return window.location.hash || ''; }",
                            Output("map-hash", "data"), Input("map-lang", "data"))
    app.clientside_callback("function(view) { return window.wmoKaart.applyView('map-leaflet', view); }",
                            Output("map-leaflet", "className"), Input("map-view", "data"), prevent_initial_call=True)
    # a chosen location's details come into view (the list may have scrolled them away)
    app.clientside_callback(
        "function(children) { var d = document.getElementById('map-details');"
        " if (d && d.getBoundingClientRect().top < 0 || d && d.getBoundingClientRect().bottom > window.innerHeight) {"
        " d.scrollIntoView({block: 'nearest'}); } return window.dash_clientside.no_update; }",
        Output("map-details", "className"), Input("map-details", "children"), prevent_initial_call=True)
    app.callback(
        Output("map-details", "children"), Output("map-selected-halo", "data"),
        Output("map-view", "data", allow_duplicate=True), Output("map-selected", "data"),
        Output("map-keep", "disabled"),
        Input(layer_id("map", "locations"), "clickData"), Input("map-row-chosen", "data"),
        State("map-lang", "data"), prevent_initial_call=True,
    )(show_details)
