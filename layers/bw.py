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


HALO = 30  # px: the outer size of every class's halo
INNER = {"disc": None, "ring": 22, "thin": 26}  # a white disc inside makes the ring; none: a full disc


def draw(view: pd.DataFrame, ctx: DrawContext) -> list:
    """Return the halo of each occupancy class, opaque, under the location markers: a full disc
    (full), a thick ring (nearly full) or a thin ring (places free), so classes differ by shape too."""
    if view.empty or "bw_capacity" not in view.columns:
        return []
    rows = bw.locations(view, ctx.today, ctx.stale_days)
    lang = ctx.lang
    traces = []
    for _bound, slug, nl, en, colour in bw.CLASSES:
        part = rows[rows["class"] == slug]
        if part.empty:
            continue
        lat, lon = part["lat"].round(6).tolist(), part["lon"].round(6).tolist()
        traces.append(go.Scattermap(
            lat=lat, lon=lon, mode="markers", marker=dict(size=HALO, color=colour), customdata=part["id"].tolist(),
            hovertext=[_hover(r, lang) for r in part.itertuples()], hoverinfo="text",
            name=en if lang == "en" else nl, meta="bw", showlegend=False))
        inner = INNER[bw.SHAPES[slug]]
        if inner:
            traces.append(go.Scattermap(lat=lat, lon=lon, mode="markers", marker=dict(size=inner, color="#ffffff"),
                                        hoverinfo="skip", meta="bw-inner", showlegend=False))
    return traces


LAYER = Layer("bw", "Beschermd wonen: capaciteit en bezetting", "Sheltered housing: capacity and occupancy", draw,
              capability="bw_figures")
