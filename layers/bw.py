"""The confidential sheltered-housing (BW) layer: capacity and occupancy per location."""

from __future__ import annotations

import pandas as pd

from wmo_kaart.core.catalog import Catalog

from . import Layer


def draw(view: pd.DataFrame, catalog: Catalog, care_filter: tuple[str, ...], lang: str) -> list:
    """Return no map traces: BW figures are shown in the BW panel, not as markers."""
    return []


LAYER = Layer("bw", "Beschermd wonen: capaciteit en bezetting", "Sheltered housing: capacity and occupancy", draw)
