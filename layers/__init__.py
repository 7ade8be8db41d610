"""Map layers. Each layer module declares its id, titles and how it draws itself.

Each layer names the capability a role needs to see it (`wmo_kaart.core.access`); `traces_for` asks.
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
class Layer:
    """A map layer: an id, Dutch and English titles, and a function that returns traces."""

    id: str
    nl: str
    en: str
    draw: Callable[[pd.DataFrame, DrawContext], list]
    capability: str = "public_map"  # what a role needs to see it (core.access.CAPABILITIES)


def registry() -> dict[str, Layer]:
    """Return every layer by id, in drawing order (bottom first)."""
    from . import bw, locations

    return {layer.id: layer for layer in (bw.LAYER, locations.LAYER)}


def traces_for(role: str | None, rows: pd.DataFrame, ctx: DrawContext) -> list:
    """Return the traces of every layer the role may see, drawn from rows of the role's view."""
    return [trace for layer in registry().values() if access.may(role, layer.capability)
            for trace in layer.draw(rows, ctx)]
