"""The locations layer: one marker per location, coloured and patterned by care type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import DrawContext, Layer

SIZE = 15
# White (and coloured) discs drawn on top of the base disc make the pattern of a care type,
# so care types differ by shape as well as colour (WCAG 1.4.1).
OVERLAYS = {"disc": (), "ring": (("#ffffff", 9),), "dot": (("#ffffff", 5),),
            "target": (("#ffffff", 10), (None, 5))}


def primary_care_type(care_types: tuple[str, ...], order: tuple[str, ...], wanted: tuple[str, ...]) -> str:
    """Return the care type a marker is drawn as: the first wanted one in catalog order."""
    pool = [c for c in order if c in care_types and (not wanted or c in wanted)]
    return pool[0] if pool else care_types[0]


def _marker_trace(rows: pd.DataFrame, colour: str, size: int, meta: str, name: str) -> go.Scattermap:
    return go.Scattermap(
        lat=rows["lat"].round(6).tolist(), lon=rows["lon"].round(6).tolist(), mode="markers",
        marker=dict(size=size, color=colour), customdata=rows["id"].tolist(),
        hovertext=(rows["name"] + " (" + rows["city"] + ")").tolist(), hoverinfo="text",
        name=name, meta=meta, showlegend=False)


RING = 6  # px added to the diameter for each further care type of a location


def secondary_care_types(care_types: tuple[str, ...], order: tuple[str, ...], primary: str) -> list[str]:
    """Return a location's other care types, in catalog order: drawn as rings around its marker."""
    return [c for c in order if c in care_types and c != primary]


def _rings(view: pd.DataFrame, primary: pd.Series, ctx: DrawContext) -> list:
    """Return the rings of locations with more than one care type: one coloured ring per further care
    type, outermost first, so a location's marker shows every care type it offers."""
    order = ctx.catalog.care_codes
    colours = {t.code: t.colour for t in ctx.catalog.care_types}
    others = [secondary_care_types(cts, order, p) for cts, p in zip(view["care_types"], primary)]
    depth = max((len(o) for o in others), default=0)
    traces = []
    for k in range(depth, 0, -1):
        for code in order:
            mask = [len(o) >= k and o[k - 1] == code for o in others]
            rows = view[mask]
            if not rows.empty:
                traces.append(_marker_trace(rows, colours[code], SIZE + RING * k, "ring", code))
    return traces


def draw(view: pd.DataFrame, ctx: DrawContext) -> list:
    """Return the traces of the locations in `view`: rings for further care types, then each marker
    in the colour and pattern of its first (chosen) care type."""
    if view.empty:
        return []
    order = ctx.catalog.care_codes
    primary = view["care_types"].map(lambda cts: primary_care_type(cts, order, ctx.care_filter))
    traces = _rings(view, primary, ctx)
    lang = ctx.lang
    for term in ctx.catalog.care_types:
        rows = view[primary == term.code]
        if rows.empty:
            continue
        traces.append(_marker_trace(rows, term.colour, SIZE, "locations", term.label(lang)))
        for colour, size in OVERLAYS[term.pattern]:
            traces.append(_marker_trace(rows, colour or term.colour, size, "overlay", term.label(lang)))
    return traces


LAYER = Layer("locations", "Locaties", "Locations", draw)
