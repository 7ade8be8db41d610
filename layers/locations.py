"""The locations layer: one marker per location, coloured and patterned by care type.

Up to CLUSTER_FROM locations every marker is drawn with its pattern, rings for further care types,
a count where several locations share one spot and, for professional roles, a warning sign where a
contract has ended or ends soon. From CLUSTER_FROM on (national scale) the map clusters them and
sends coordinates, colour and id only: names and details come on demand, when a marker is chosen.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import plotly.graph_objects as go

from wmo_kaart.core import contracts, glyphs
from wmo_kaart.core.geo import same_spot
from wmo_kaart.i18n import t
from . import DrawContext, Layer

CLUSTER_FROM = 2000
# radius in px by count (under 50, under 500, more); grey-blue: 3:1 against white, black count text 4.5:1 on it
CLUSTER = dict(enabled=True, maxzoom=13, step=[50, 500], size=[14, 19, 25], color="#7f8fa6", opacity=1)

SIZE = 15
GHOST = dict(size=SIZE, opacity=0)  # an invisible marker the size of a location's: plotly places text beside it
# White (and coloured) discs drawn on top of the base disc make the pattern of a care type,
# so care types differ by shape as well as colour (WCAG 1.4.1).
OVERLAYS = {"disc": (), "ring": (("#ffffff", 9),), "dot": (("#ffffff", 5),),
            "target": (("#ffffff", 10), (None, 5))}


def primary_care_type(care_types: tuple[str, ...], order: tuple[str, ...], wanted: tuple[str, ...]) -> str:
    """Return the care type a marker is drawn as: the first wanted one in catalog order."""
    pool = [c for c in order if c in care_types and (not wanted or c in wanted)]
    return pool[0] if pool else care_types[0]


# Marker traces carry one value per location: plotly's per-element validation of those lists took most
# of a redraw at national scale (tests check the figures in the browser instead). All markers of a kind
# share one trace (colours and sizes per point): every trace is a source and four layers in MapLibre,
# and fewer traces make a redraw quicker.
def _marker_trace(rows: pd.DataFrame, colour, size, meta: str, name: str) -> go.Scattermap:
    return go.Scattermap(
        lat=rows["lat"].round(6).tolist(), lon=rows["lon"].round(6).tolist(), mode="markers",
        # opacity 1 said outright: with sizes per point plotly takes a trace for bubbles, 0.7 opaque
        marker=dict(size=size, color=colour, opacity=1), customdata=rows["id"].tolist(),
        hovertext=(rows["name"] + " (" + rows["city"] + ")").tolist(), hoverinfo="text",
        name=name, meta=meta, showlegend=False, _validate=False)


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
    at, colour, size = [], [], []
    for k in range(depth, 0, -1):  # the outermost rings first, so the inner ones lie on top
        for i, other in enumerate(others):
            if len(other) >= k:
                at.append(i)
                colour.append(colours[other[k - 1]])
                size.append(SIZE + RING * k)
    return [_marker_trace(view.iloc[at], colour, size, "ring", t("legend_rings", ctx.lang))] if at else []


def _patterns(view: pd.DataFrame, primary: pd.Series, ctx: DrawContext) -> list:
    """Return the pattern discs on the markers (white ring, dot, target), the larger disc of each first."""
    terms = {term.code: term for term in ctx.catalog.care_types}
    patterns = [OVERLAYS[terms[p].pattern] if p in terms else () for p in primary]
    at, colour, size = [], [], []
    for level in range(max((len(p) for p in patterns), default=0)):
        for i, (pattern, code) in enumerate(zip(patterns, primary)):
            if len(pattern) > level:
                at.append(i)
                colour.append(pattern[level][0] or terms[code].colour)
                size.append(pattern[level][1])
    return [_marker_trace(view.iloc[at], colour, size, "overlay", "")] if at else []


def _beside_markers(lat, lon, ids, text, position: str, font: dict, hover: list[str], meta: str) -> go.Scattermap:
    """Return text beside markers (a count, a warning sign): placed by plotly from the size of the trace's
    own, invisible marker (GHOST), with hover text and the location's id for a click."""
    return go.Scattermap(lat=lat, lon=lon, mode="markers+text", meta=meta, marker=GHOST, customdata=ids, text=text,
                         textposition=position, textfont=font, hovertext=hover, hoverinfo="text", showlegend=False)


def _same_spot_counts(view: pd.DataFrame, lang: str) -> list:
    """Return one count label per spot that several locations share, with their names in its hover text:
    their markers lie on top of each other, the count says so (the list shows each)."""
    spots = defaultdict(list)
    for spot, lat, lon, name, id_ in zip(same_spot(view["lon"], view["lat"]), view["lat"], view["lon"], view["name"], view["id"]):
        spots[spot].append((lat, lon, name, id_))
    shared = [members for members in spots.values() if len(members) > 1]
    if not shared:
        return []
    return [_beside_markers(
        [round(m[0][0], 6) for m in shared], [round(m[0][1], 6) for m in shared], [m[0][3] for m in shared],
        [str(len(m)) for m in shared], "middle right", dict(size=15, color="#111111"),
        [t("same_spot", lang, n=len(m)) + ": " + "; ".join(sorted(x[2] for x in m)) for m in shared], "same-spot")]


def _contract_warnings(view: pd.DataFrame, ctx: DrawContext) -> list:
    """Return a warning sign beside each marker whose contract has ended or ends within the warning
    period; only views that carry the contract end (professional roles) have any."""
    if "contract_end" not in view.columns:
        return []
    status = view["contract_end"].map(lambda end: contracts.status(end, ctx.today))
    flagged = view[status.isin(["ended", "ending"])]
    if flagged.empty:
        return []
    labels = [t(f"contract_{s}", ctx.lang) for s in status[flagged.index]]
    return [_beside_markers(
        flagged["lat"].round(6).tolist(), flagged["lon"].round(6).tolist(), flagged["id"].tolist(), chr(glyphs.WARNING),
        "middle left", dict(size=16, color="#b3261e"), [f"{n}: {lb}" for n, lb in zip(flagged["name"], labels)],
        "contract-warning")]


def _clustered(view: pd.DataFrame, primary: pd.Series, ctx: DrawContext) -> list:
    """Return all locations as one clustered trace: coordinates, a colour index and the id per location."""
    terms = ctx.catalog.care_types
    index = {term.code: i for i, term in enumerate(terms)}
    colours = [term.colour for term in terms]
    scale = [[i / (len(colours) - 1), c] for i, c in enumerate(colours)] if len(colours) > 1 else [[0, colours[0]], [1, colours[0]]]
    return [go.Scattermap(
        lat=view["lat"].round(5).tolist(), lon=view["lon"].round(5).tolist(), mode="markers", meta="locations",
        marker=dict(size=SIZE, color=primary.map(index).tolist(), colorscale=scale, cmin=0, cmax=max(len(colours) - 1, 1)),
        customdata=view["id"].tolist(), hoverinfo="none", cluster=CLUSTER, name=t("list", ctx.lang), showlegend=False,
        _validate=False)]


def draw(view: pd.DataFrame, ctx: DrawContext) -> list:
    """Return the traces of the locations in `view`: rings for further care types, then each marker
    in the colour and pattern of its first (chosen) care type, then counts and warning signs."""
    if view.empty:
        return []
    order = ctx.catalog.care_codes
    primary = view["care_types"].map(lambda cts: primary_care_type(cts, order, ctx.care_filter))
    if len(view) >= CLUSTER_FROM:
        return _clustered(view, primary, ctx)
    colours = {term.code: term.colour for term in ctx.catalog.care_types}
    markers = _marker_trace(view, [colours.get(p, "#555555") for p in primary], SIZE, "locations", t("list", ctx.lang))
    return [*_rings(view, primary, ctx), markers, *_patterns(view, primary, ctx),
            *_same_spot_counts(view, ctx.lang), *_contract_warnings(view, ctx)]


LAYER = Layer("locations", "Locaties", "Locations", draw)
