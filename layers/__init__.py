"""Map layers. Each layer module declares its id, titles and how it draws itself.

Each layer names the capability a role needs to see it (`wmo_kaart.core.access`); `overlay_for` asks.
A layer returns GeoJSON points with what to draw; `assets/map.js` draws them with Leaflet (SVG, no WebGL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from wmo_kaart.core import access, clock
from wmo_kaart.core.catalog import Catalog


@dataclass(frozen=True)
class DrawContext:
    """What a layer needs besides the rows: configuration and the user's choices."""

    catalog: Catalog
    care_filter: tuple[str, ...] = ()
    lang: str = "nl"
    today: dt.date = field(default_factory=clock.today)
    stale_days: int = 90


@dataclass(frozen=True)
class Overlay:
    """What a layer draws: GeoJSON point features (the browser draws each with the layer's own function in
    assets/map.js), clustered or not."""

    features: list[dict] = field(default_factory=list)
    cluster: bool = False

    def collection(self) -> dict:
        return {"type": "FeatureCollection", "features": self.features}


def point(lon: float, lat: float, properties: dict) -> dict:
    """Return a GeoJSON point feature, coordinates to 5 decimals (about 1 m: under a pixel up to zoom 17, and
    a sixth of the bytes of a national layer less than 6 decimals)."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
            "properties": properties}


@dataclass(frozen=True)
class Layer:
    """A map layer: an id, Dutch and English titles, and a function that returns its overlay."""

    id: str
    nl: str
    en: str
    draw: Callable[[pd.DataFrame, DrawContext], Overlay]
    capability: str = "public_map"  # what a role needs to see it (core.access.CAPABILITIES)


def registry() -> dict[str, Layer]:
    """Return every layer by id, in drawing order (bottom first)."""
    from . import bw, locations

    return {layer.id: layer for layer in (bw.LAYER, locations.LAYER)}


def overlay_for(role: str | None, layer_id: str, rows: pd.DataFrame, ctx: DrawContext) -> Overlay:
    """Return the overlay of layer `layer_id`, drawn from rows of the role's view; empty when the role may not see
    that layer. Only the layer asked for is drawn."""
    layer = registry()[layer_id]
    return layer.draw(rows, ctx) if access.may(role, layer.capability) else Overlay()
