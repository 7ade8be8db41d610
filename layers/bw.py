"""The confidential sheltered-housing (BW) layer: occupancy per location as a halo on the map."""

from __future__ import annotations

import pandas as pd

from wmo_kaart.core import bw
from . import DrawContext, Layer, Overlay, point


HALO = 30  # px: the outer size of every class's halo
INNER = {"disc": 0, "ring": 22, "thin": 26}  # px: a white disc inside makes the ring; 0: a full disc


def _title(r, lang: str) -> str:
    en = lang == "en"
    text = (f"{r.name}: {r.bw_occupancy} of {r.bw_capacity} places taken ({r.pct}%), {r.free} free"
            if en else f"{r.name}: {r.bw_occupancy} van {r.bw_capacity} plaatsen bezet ({r.pct}%), {r.free} vrij")
    if r.stale:
        text += " (figures out of date)" if en else " (cijfers verouderd)"
    return text


def draw(view: pd.DataFrame, ctx: DrawContext) -> Overlay:
    """Return the halo of each BW location under its marker, in the colour of its occupancy class and of its
    shape: a full disc (full), a thick ring (nearly full) or a thin ring (places free), so classes differ by
    shape too; the figures in its title."""
    if view.empty or "bw_capacity" not in view.columns:
        return Overlay()
    rows = bw.locations(view, ctx.today, ctx.stale_days)
    colours = {slug: colour for _bound, slug, _nl, _en, colour in bw.CLASSES}
    return Overlay([point(r.lon, r.lat, {"id": r.id, "shape": bw.SHAPES[slug], "colour": colours[slug], "size": HALO,
                                         "inner": INNER[bw.SHAPES[slug]], "title": _title(r, ctx.lang)})
                    for r, slug in zip(rows.itertuples(index=False), rows["class"])])

LAYER = Layer("bw", "Beschermd wonen: capaciteit en bezetting", "Sheltered housing: capacity and occupancy", draw,
              capability="bw_figures")
