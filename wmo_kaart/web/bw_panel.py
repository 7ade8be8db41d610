"""The BW panel for the BW roles: occupancy per location and totals, with text beside colour."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import html

from ..core import bw
from ..core.reference import BY_CODE
from ..i18n import t
from .components import scroll_table
from ..core import clock


def badge(pct: int, lang: str = "nl") -> html.Span:
    """Return the occupancy as text on a coloured badge (never colour alone)."""
    _slug, nl, en, colour = bw.occupancy_class(pct)
    label = (en if lang == "en" else nl).split(" (")[0]
    return html.Span(f"{pct}% · {label}", className="bw-badge", style={"background": colour})


def _table(caption: str, head: list[str], body: list[list], cls: str = "") -> html.Div:
    return scroll_table(html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
        html.Tbody([html.Tr([html.Th(r[0], scope="row"), *[html.Td(c) for c in r[1:]]]) for r in body]),
    ], className=f"bw-table {cls}"), caption)


def _totals_rows(frame: pd.DataFrame, label, lang: str) -> list[list]:
    return [[label(r), r.locations, r.capacity, r.occupancy, r.free, badge(r.pct, lang)]
            for r in frame.itertuples()]


def bw_panel(view: pd.DataFrame, stale_days: int, today: dt.date | None = None, lang: str = "nl") -> html.Section:
    """Return the confidential BW overview for a BW role's view (raises on any other view)."""
    rows = bw.locations(view, today or clock.today(), stale_days)
    head = [t(k, lang) for k in ("bw_locations", "bw_capacity", "bw_taken", "bw_free", "bw_occupancy")]
    per_mun = bw.totals(rows, "municipality_code")
    per_mun = per_mun.assign(name=per_mun["municipality_code"].map(lambda c: BY_CODE[c].name)).sort_values("name")
    per_prov = bw.totals(rows, "provider_name")
    loc_rows = [[r.name, r.city, r.bw_capacity, r.bw_occupancy, r.free, badge(r.pct, lang),
                 html.Span([r.bw_updated or t("unknown", lang),
                            html.Strong(" " + t("stale", lang), className="stale") if r.stale else ""])]
                for r in rows.sort_values(["pct", "name"], ascending=[False, True]).itertuples()]
    return html.Section([
        html.H2(t("bw_title", lang)),
        html.P(t("bw_intro", lang, days=stale_days)),
        html.Div([
            _table(t("bw_per_municipality", lang), [t("municipality", lang), *head],
                   _totals_rows(per_mun, lambda r: r.name, lang)),
            _table(t("bw_per_provider", lang), [t("provider", lang), *head],
                   _totals_rows(per_prov, lambda r: r.provider_name, lang)),
        ], className="bw-totals"),
        _table(t("bw_per_location", lang),
               [t("location", lang), t("town", lang), *head[1:], t("bw_as_of", lang)], loc_rows, "bw-locations"),
    ], id="bw-panel", className="bw-panel")
