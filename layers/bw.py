"""The confidential sheltered-housing (BW) layer: occupancy per location as a halo on the map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wmo_kaart.core import bw
from . import DrawContext, Layer


def _hover(r, lang: str) -> str:
    en = lang == "en"
    text = (f"{r.name}: {r.bw_occupancy} of {r.bw_capacity} places taken ({r.pct}%), {r.free} free"
            if en else f"{r.name}: {r.bw_occupancy} van {r.bw_capacity} plaatsen bezet ({r.pct}%), {r.free} vrij")
    if r.stale:
        text += " (figures out of date)" if en else " (cijfers verouderd)"
    return text


def draw(view: pd.DataFrame, ctx: DrawContext) -> list:
    """Return one halo trace per occupancy class, drawn under the location markers."""
    if view.empty or "bw_capacity" not in view.columns:
        return []
    rows = bw.locations(view, ctx.today, ctx.stale_days)
    lang = ctx.lang
    traces = []
    for _bound, slug, nl, en, colour in bw.CLASSES:
        part = rows[rows["class"] == slug]
        if part.empty:
            continue
        traces.append(go.Scattermap(
            lat=part["lat"].round(6).tolist(), lon=part["lon"].round(6).tolist(), mode="markers",
            marker=dict(size=26, color=colour, opacity=0.55), customdata=part["id"].tolist(),
            hovertext=[_hover(r, lang) for r in part.itertuples()], hoverinfo="text",
            name=en if lang == "en" else nl, meta="bw", showlegend=False))
    return traces


LAYER = Layer("bw", "Beschermd wonen: capaciteit en bezetting", "Sheltered housing: capacity and occupancy", draw)
