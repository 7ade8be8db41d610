"""The coverage page /dekking: choropleth, tables, charts, gaps, what-if, downloads; BW overview for BW roles.

Every callback recomputes from the core with the caller's own role: a forged request for BW places
from another role gets a refusal, never figures."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, State, ctx, dcc, html

from auth import current_role
from ...core import access
from ...core import clock, contracts, usage_report
from ...core.coverage import DEFAULT_THRESHOLDS
from ...core.coverage_params import ScenarioError, parse_scenario
from ...i18n import dropdown_labels, language, number, t
from .. import audit_bw, role_view, services
from ..urlstate import strings
from ..bw_overview import bw_overview
from ..coverage_figures import CLASS_LABELS, CLASSES, bar_chart, histogram, table
from ..coverage_figures import coverage_map as area_map
from ..leaflet_map import coverage_map
from ..coverage_service import demand, figures
from ..components import scroll_table
from ..figure import graph_config

MAX_ADDED = 10
SORTS = (("name", "cov_sort_name"), ("population", "cov_sort_population"), ("per_10000", "cov_sort_per10000"),
         ("mean_km", "cov_sort_mean"), ("within_first", "cov_sort_within"))


def _state(search: str) -> dict:
    try:
        params = parse_qs((search or "").lstrip("?")[:4000], max_num_fields=50)
    except ValueError:
        params = {}

    def one(key, default=""):
        return (params.get(key) or [default])[0][:200]

    def many(key):
        return [v for raw in params.get(key, []) for v in raw.split(",") if v][:500]
    return {"zorgvorm": one("zorgvorm", "07"), "doelgroep": one("doelgroep") or None,
            "drempels": one("drempels", ",".join(f"{v:g}" for v in DEFAULT_THRESHOLDS)),
            "zonder_aanbieder": many("zonder-aanbieder"), "zonder_locatie": many("zonder-locatie"),
            "nieuw": params.get("nieuw", [])[:MAX_ADDED], "plaatsen": one("plaatsen") == "1",
            "met_beeindigd": one("met-beeindigd") == "1", "lang": language(one("lang"))}


def query(state: dict) -> str:
    """Return the query string of a page state (also used for the downloads and the report)."""
    pairs = [("zorgvorm", state["zorgvorm"])]
    if state.get("doelgroep"):
        pairs.append(("doelgroep", state["doelgroep"]))
    pairs.append(("drempels", state["drempels"]))
    pairs += [("zonder-aanbieder", v) for v in state.get("zonder_aanbieder") or []]
    if state.get("zonder_locatie"):
        pairs.append(("zonder-locatie", ",".join(state["zonder_locatie"])))
    pairs += [("nieuw", v) for v in state.get("nieuw") or []]
    if state.get("met_beeindigd"):
        pairs.append(("met-beeindigd", "1"))
    if state.get("plaatsen"):
        pairs.append(("plaatsen", "1"))
    if state.get("lang") == "en":
        pairs.append(("lang", "en"))
    return "?" + urlencode(pairs)


def _controls(role: str, state: dict, lang: str) -> html.Div:
    catalog = services().catalog
    view = role_view(role)
    providers = view.drop_duplicates("provider_id").sort_values("provider_name")
    may_bw = access.may(role, "bw_figures")
    return html.Div([
        html.Label(t("care_type", lang), htmlFor="cov-care"),
        dcc.Dropdown(labels=dropdown_labels(lang), id="cov-care", value=state["zorgvorm"], clearable=False,
                     options=[{"label": f"{c.label(lang)} ({c.code})", "value": c.code} for c in catalog.care_types]),
        html.Label(t("target_group", lang), htmlFor="cov-target"),
        dcc.Dropdown(labels=dropdown_labels(lang), id="cov-target", value=state["doelgroep"], placeholder=t("all", lang),
                     options=[{"label": g.label(lang), "value": g.code} for g in catalog.target_groups]),
        html.Label(t("cov_thresholds", lang), htmlFor="cov-drempels"),
        dcc.Input(id="cov-drempels", value=state["drempels"], debounce=True, className="text-input"),
        html.Div(dcc.Checklist(id="cov-places", value=["1"] if state["plaatsen"] and may_bw else [],
                               options=[{"label": t("cov_places", lang), "value": "1"}]), hidden=not may_bw),
        html.Div(dcc.Checklist(id="cov-misses", value=[],
                               options=[{"label": t("cov_misses", lang), "value": "1"}]),
                 hidden=not access.may(role, "usage")),
        html.Fieldset([
            html.Legend(t("cov_whatif", lang)),
            html.Label(t("cov_without", lang), htmlFor="cov-without"),
            dcc.Dropdown(labels=dropdown_labels(lang), id="cov-without", multi=True, value=state["zonder_aanbieder"], placeholder=t("provider", lang),
                         options=[{"label": p.provider_name, "value": p.provider_id} for p in providers.itertuples()]),
            html.Label(t("cov_months", lang), htmlFor="cov-months"),
            html.Div([dcc.Input(id="cov-months", type="number", min=0, max=120, step=1, value=6, className="text-input"),
                      html.Button(t("cov_ending", lang), id="cov-ending", className="link-button")], className="inline"),
            html.P(id="cov-ending-note", role="status"),
            dcc.Checklist(id="cov-with-ended", value=["1"] if state["met_beeindigd"] else [],
                          options=[{"label": t("cov_with_ended", lang), "value": "1"}]),
            html.P(t("cov_add_hint", lang), className="hint"),
            html.Button(t("cov_add_best", lang), id="cov-add-best", className="link-button"),
            html.Button(t("cov_reset", lang), id="cov-reset", className="link-button"),
        ]),
    ], className="filters")


def coverage_layout(role: str, search: str = "") -> html.Div:
    """Return the coverage page for a professional role."""
    state = _state(search)
    lang = state["lang"]
    return html.Div([
        dcc.Location(id="cov-url", refresh=False),
        dcc.Store(id="cov-lang", data=lang),
        dcc.Store(id="cov-without-loc", data=state["zonder_locatie"]),
        dcc.Store(id="cov-added", data=state["nieuw"]),
        dcc.Store(id="cov-best"),
        dcc.Store(id="cov-view"),  # the view that shows the areas, shown once by assets/map.js
        html.Header([html.H1(t("cov_title", lang)), html.P(t("cov_intro", lang)),
                     html.Div([html.A(t("cov_to_map", lang), href="/pro" + ("?lang=en" if lang == "en" else ""))],
                              className="user-bar")], className="page-header"),
        html.Main([
            html.Aside(_controls(role, state, lang), className="sidebar"),
            html.Section([
                html.Div(id="cov-summary", role="status", **{"aria-live": "polite"}),
                html.P(id="cov-downloads", className="downloads"),
                html.Div(coverage_map("cov", services().settings, services().boundaries, lang),
                         role="region", **{"aria-label": t("cov_map_label", lang)}, className="map-frame"),
                html.Ul([html.Li([html.Span(className="swatch", style={"background": colour}, **{"aria-hidden": "true"}),
                                  f"{t('cov_distance_km', lang)} {label}"]) for (_u, colour), label in zip(CLASSES, CLASS_LABELS)],
                        className="cov-legend", **{"aria-label": t("legend", lang)}),
                html.H2(t("cov_table", lang), id="cov-table-title"),
                html.Div([html.Label(t("cov_sort", lang), htmlFor="cov-sort"),
                          dcc.Dropdown(labels=dropdown_labels(lang), id="cov-sort", value="name", clearable=False, options=[
                              {"label": t(label, lang), "value": value} for value, label in SORTS])], className="sort-bar"),
                html.Div(id="cov-table", className="table-scroll", role="region", tabIndex="0",
                         **{"aria-labelledby": "cov-table-title"}),
                html.Div(id="cov-gaps"),
                html.Div(dcc.Graph(id="cov-bar", config=graph_config(lang, scroll_zoom=False)), className="chart-frame"),
                html.Div(dcc.Graph(id="cov-hist", config=graph_config(lang, scroll_zoom=False)), className="chart-frame"),
                bw_overview(role, lang) if access.may(role, "bw_figures") else None,
            ], className="content"),
        ], className="coverage-main"),
    ])


def _summary(now, after, lang: str) -> html.Table:
    keys = [f"{k:g}" for k in now.scenario.thresholds_km]
    cols = [now] + ([after] if after else [])

    def pct(v):
        return "–" if v != v else f"{100 * v:.1f}%".replace(".", ",")
    rows = [(t("cov_locations", lang), [str(c.region["locations"]) for c in cols]),
            (t("cov_mean", lang), [f"{c.region['mean_m'] / 1000:.2f}".replace(".", ",") for c in cols]),
            *[(t("cov_within", lang, km=k), [pct(c.region[f"within_{k}"]) for c in cols]) for k in keys]]
    head = [html.Th(t("cov_region", lang), scope="col"), html.Th(t("cov_now", lang), scope="col")]
    if after:
        head.append(html.Th(t("cov_after", lang), scope="col"))
    return html.Table([html.Thead(html.Tr(head)),
                       html.Tbody([html.Tr([html.Th(label, scope="row"), *[html.Td(v) for v in values]]) for label, values in rows])],
                      className="bw-table")


def _gaps(result, lang: str, missed: dict[str, int] | None = None) -> html.Div:
    km = f"{max(result.scenario.thresholds_km):g}"
    names = {m.code: m.name for m in result.municipalities.itertuples()}
    items = [html.Li(t("cov_gap_row", lang, id=g.id, municipality=names.get(g.municipality_code, g.municipality_code),
                       population=f"{g.population:,.0f}".replace(",", "."), km=f"{g.nearest_m / 1000:.1f}".replace(".", ",")))
             for g in result.gaps.itertuples()]
    best = result.best_new
    first = f"{min(result.scenario.thresholds_km):g}"
    advice = t("cov_best", lang, id=best["id"], municipality=names.get(best["municipality_code"], ""),
               n=f"{best['residents_covered']:,}".replace(",", "."), km=first) if best else t("cov_best_none", lang, km=first)
    parts = [html.H2(t("cov_gaps", lang, km=km)), html.Ul(items) if items else html.P(t("cov_no_gaps", lang, km=km)),
             html.P(advice)]
    if missed:
        parts += [html.H3(t("cov_misses", lang)),
                  html.Ul([html.Li(t("cov_miss_row", lang, id=pc4, n=n))
                           for pc4, n in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))])]
    return html.Div(parts)


def _html_table(columns: list[dict], rows: list[dict], sort: str, lang: str) -> html.Table:
    """Return the municipality table sorted by `sort` (the region row stays last)."""
    keys = [c["id"] for c in columns]
    key = sort if sort in keys else next((k for k in keys if k.startswith("within_")), "name") if sort == "within_first" else "name"
    body, region = rows[:-1], rows[-1:]
    reverse = key not in ("name", "mean_km")
    body = sorted(body, key=lambda r: (r.get(key) is None, r.get(key) if key == "name" else -(r.get(key) or 0) if reverse
                                       else (r.get(key) or 0)))

    def cell(value):
        return number(value, lang) if value is None or isinstance(value, (int, float)) else value
    return html.Table([html.Thead(html.Tr([html.Th(c["name"], scope="col") for c in columns])),
                       html.Tbody([html.Tr([html.Th(r["name"], scope="row"), *[html.Td(cell(r.get(k))) for k in keys[1:]]],
                                           className="total-row" if r in region else None) for r in body + region])],
                      className="bw-table coverage-table")


def _misses(role: str) -> dict[str, int]:
    """Return {postcode area: searches of the past year that found nothing within 15 km}, for roles with the
    usage figures only (checked here, where the counts are read)."""
    if not access.may(role, "usage"):
        return {}
    from ..usage import tally

    tally().flush()  # this worker's latest counts first
    today = clock.today()
    rows = services().store.usage.rows((today - dt.timedelta(days=364)).isoformat(), today.isoformat())
    return usage_report.misses_per_area(rows)


def update(care, target, drempels, without, without_loc, added, places, sort, with_ended, lang, misses=None):
    """Recompute every figure for the caller's role and draw it; nothing is computed for a refused choice."""
    lang = language(lang)
    role = current_role()
    if not access.may(role, "coverage"):
        raise dash.exceptions.PreventUpdate
    missed = _misses(role) if misses == ["1"] else {}
    state = {"zorgvorm": care, "doelgroep": target, "drempels": drempels if isinstance(drempels, str) else "",
             "zonder_aanbieder": strings(without), "zonder_locatie": strings(without_loc),
             "nieuw": strings(added)[:MAX_ADDED],
             "plaatsen": places == ["1"], "met_beeindigd": with_ended == ["1"], "lang": lang}
    try:
        after_scenario = parse_scenario(services().catalog, care if isinstance(care, str) else None,
                                        target if isinstance(target, str) else None, state["drempels"],
                                        state["zonder_aanbieder"], state["zonder_locatie"], state["nieuw"],
                                        "1" if state["met_beeindigd"] else None)
        base = parse_scenario(services().catalog, after_scenario.care_type, after_scenario.target_group, state["drempels"])
        now = figures(role, base, state["plaatsen"])
        whatif = after_scenario != base
        after = figures(role, after_scenario, state["plaatsen"]) if whatif else None
    except ScenarioError as exc:
        message = html.P(t("cov_error", lang, message=f"{exc.parameter}: {exc.message}"), className="form-error")
        return (message, *([dash.no_update] * 11), None)
    except PermissionError as exc:
        return (html.P(t("cov_error", lang, message=str(exc)), className="form-error"), *([dash.no_update] * 11), None)
    if state["plaatsen"]:
        audit_bw(role, f"dekking {base.care_type}")
    shown = after or now
    q = query(state)
    downloads = [t("cov_downloads", lang), " ", html.A("CSV", href=f"/api/v1/coverage{q}&f=csv"), " · ",
                 html.A("Excel", href=f"/api/v1/coverage{q}&f=xlsx"), " · ",
                 html.A(t("cov_report", lang), href=f"/dekking/rapport{q}")]
    columns, rows = table(now, after, lang)
    best = [shown.best_new["lat"], shown.best_new["lon"]] if shown.best_new else None
    summary = [scroll_table(_summary(now, after, lang), t("cov_region", lang))]
    if state["nieuw"]:
        summary.append(html.P(t("cov_added_n", lang, n=len(state["nieuw"]))))
    drawn = area_map(shown, demand().outlines, lang, missed)
    return (summary, downloads, drawn["view"], drawn["areas"], drawn["locations"], drawn["added"], drawn["misses"],
            scroll_table(_html_table(columns, rows, sort if isinstance(sort, str) else "name", lang), t("municipality", lang)),
            _gaps(shown, lang, missed), bar_chart(now, after, lang), histogram(shown, lang), q, best)


def ending(n_clicks, months, lang):
    """Leave out the locations whose contract ends within the chosen number of months."""
    role = current_role()
    if not n_clicks or not access.may(role, "coverage"):
        raise dash.exceptions.PreventUpdate
    months = int(months) if isinstance(months, (int, float)) and 0 <= months <= 120 else 6
    today = clock.today()
    ids = list(contracts.ending_ids(role_view(role), months, today))
    until = contracts.horizon(today, months).strftime("%d-%m-%Y")
    return ids, t("cov_ending_done", language(lang), n=len(ids), date=until)


def add_point(click, best_clicks, reset_clicks, added, best):
    """Add a hypothetical location at the clicked area's demand point (or the best one); or clear the what-if."""
    if not access.may(current_role(), "coverage"):
        raise dash.exceptions.PreventUpdate
    added = strings(added)[:MAX_ADDED]
    if ctx.triggered_id == "cov-reset":
        return [], [], []
    if ctx.triggered_id == "cov-add-best" and isinstance(best, list) and len(best) == 2 \
            and all(isinstance(v, (int, float)) for v in best):
        point = f"{float(best[0]):.6f},{float(best[1]):.6f}"
    elif ctx.triggered_id == "cov-areas" and isinstance(click, dict) and isinstance(click.get("properties"), dict):
        area = click["properties"].get("id")
        found = demand().frame.loc[demand().frame["id"] == str(area)]
        if found.empty:
            raise dash.exceptions.PreventUpdate
        point = f"{found['lat'].iloc[0]:.6f},{found['lon'].iloc[0]:.6f}"
    else:
        raise dash.exceptions.PreventUpdate
    return added + [point] if point not in added and len(added) < MAX_ADDED else added, dash.no_update, dash.no_update


def register(app: dash.Dash) -> None:
    """Register the coverage page's callbacks on `app`."""
    app.callback(
        Output("cov-summary", "children"), Output("cov-downloads", "children"), Output("cov-view", "data"),
        Output("cov-areas", "data"), Output("cov-points", "data"), Output("cov-added-points", "data"),
        Output("cov-misses-points", "data"),
        Output("cov-table", "children"), Output("cov-gaps", "children"),
        Output("cov-bar", "figure"), Output("cov-hist", "figure"), Output("cov-url", "search"), Output("cov-best", "data"),
        Input("cov-care", "value"), Input("cov-target", "value"), Input("cov-drempels", "value"), Input("cov-without", "value"),
        Input("cov-without-loc", "data"), Input("cov-added", "data"), Input("cov-places", "value"), Input("cov-sort", "value"),
        Input("cov-with-ended", "value"), State("cov-lang", "data"), Input("cov-misses", "value"),
    )(update)
    app.clientside_callback("function(view) { return window.wmoKaart.applyView('cov-leaflet', view); }",
                            Output("cov-leaflet", "className"), Input("cov-view", "data"), prevent_initial_call=True)
    app.callback(Output("cov-without-loc", "data", allow_duplicate=True), Output("cov-ending-note", "children"),
                 Input("cov-ending", "n_clicks"), State("cov-months", "value"), State("cov-lang", "data"),
                 prevent_initial_call=True)(ending)
    app.callback(Output("cov-added", "data"), Output("cov-without-loc", "data"), Output("cov-without", "value"),
                 Input("cov-areas", "clickData"), Input("cov-add-best", "n_clicks"), Input("cov-reset", "n_clicks"),
                 State("cov-added", "data"), State("cov-best", "data"), prevent_initial_call=True)(add_point)
