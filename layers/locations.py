"""The locations layer: one marker per location, coloured and patterned by care type.

Every marker is drawn with its pattern, rings for further care types, a count where several locations
share one spot and, for professional roles, a warning sign where a contract has ended or ends soon
(drawn in the browser by assets/map.js from what `draw` sends). From CLUSTER_FROM on (national scale)
the map clusters them; details come on demand, when a marker is chosen.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from wmo_kaart.core import contracts
from wmo_kaart.core.geo import same_spot
from wmo_kaart.i18n import t
from . import DrawContext, Layer, Overlay, point

SIZE = 15  # px: a marker's diameter
RING = 6  # px added to the diameter for each further care type of a location
# White (and coloured) discs drawn on the base disc make the pattern of a care type (colour, diameter),
# so care types differ by shape as well as colour (WCAG 1.4.1); None is the care type's own colour.
OVERLAYS = {"disc": (), "ring": (("#ffffff", 9),), "dot": (("#ffffff", 5),),
            "target": (("#ffffff", 10), (None, 5))}
CLUSTER_FROM = 2000
# supercluster's options: clusters until zoom 13 (Leaflet's zoom), a cluster's radius in px
CLUSTER_OPTIONS = {"radius": 60, "maxZoom": 13}


def clustered(n: int) -> bool:
    """Return whether a map of `n` locations clusters them (national scale)."""
    return n >= CLUSTER_FROM


def primary_care_type(care_types: tuple[str, ...], order: tuple[str, ...], wanted: tuple[str, ...]) -> str:
    """Return the care type a marker is drawn as: the first wanted one in catalog order."""
    pool = [c for c in order if c in care_types and (not wanted or c in wanted)]
    return pool[0] if pool else care_types[0]


def secondary_care_types(care_types: tuple[str, ...], order: tuple[str, ...], primary: str) -> list[str]:
    """Return a location's other care types, in catalog order: drawn as rings around its marker."""
    return [c for c in order if c in care_types and c != primary]


def legend_of(ctx: DrawContext) -> dict:
    """Return what the browser needs to draw and name any marker (the GeoJSON layer's `hideout`): per care
    type its colour, pattern and label in the page's language."""
    return {"care": {term.code: {"colour": term.colour, "pattern": term.pattern, "label": term.label(ctx.lang)}
                     for term in ctx.catalog.care_types},
            "marker": {"size": SIZE, "ring": RING, "patterns": OVERLAYS}}


def _same_spot_counts(view: pd.DataFrame) -> dict[int, int]:
    """Return, per spot that several locations share, the position of its first location and how many share
    it: their markers lie on top of each other, the count beside the marker says so (the list shows each)."""
    first: dict[int, int] = {}
    size: dict[int, int] = defaultdict(int)
    for i, spot in enumerate(same_spot(view["lon"], view["lat"])):
        first.setdefault(spot, i)
        size[spot] += 1
    return {first[spot]: n for spot, n in size.items() if n > 1}


def _contract_warnings(view: pd.DataFrame, ctx: DrawContext) -> list[str]:
    """Return per location the warning of a contract that has ended or ends within the warning period, or '';
    only views that carry the contract end (professional roles) have any."""
    if "contract_end" not in view.columns:
        return [""] * len(view)
    return [t(f"contract_{s}", ctx.lang) if s in ("ended", "ending") else ""
            for s in (contracts.status(end, ctx.today) for end in view["contract_end"])]


def draw(view: pd.DataFrame, ctx: DrawContext) -> Overlay:
    """Return a point per location in `view` with its care types (the first, chosen one fills the marker, the
    others are rings), name and town (its accessible name), a count where several share a spot and a
    contract warning; clustered from CLUSTER_FROM locations on."""
    if view.empty:
        return Overlay()
    order = ctx.catalog.care_codes
    counts = {} if clustered(len(view)) else _same_spot_counts(view)
    warnings = _contract_warnings(view, ctx)
    features = []
    drawn_as: dict[tuple, list[str]] = {}  # per distinct set of care types: the order they are drawn in
    for i, (id_, name, city, care, lon, lat, warn) in enumerate(zip(
            view["id"].tolist(), view["name"].tolist(), view["city"].tolist(), view["care_types"].tolist(),
            view["lon"].tolist(), view["lat"].tolist(), warnings)):
        key = tuple(care)
        if key not in drawn_as:
            first = primary_care_type(key, order, ctx.care_filter)
            drawn_as[key] = [first, *secondary_care_types(key, order, first)]
        props = {"id": id_, "name": name, "city": city, "care": list(drawn_as[key])}
        if i in counts:
            props["count"] = counts[i]
        if warn:
            props["warn"] = warn
        features.append(point(lon, lat, props))
    if clustered(len(view)):  # neighbours next to each other: a national layer compresses a quarter better
        features.sort(key=lambda f: (f["properties"]["city"], f["geometry"]["coordinates"]))
    return Overlay(features, cluster=clustered(len(view)))


NAMED_BY = ("name", "city")  # what a marker's accessible name takes from its location, besides the care types


def names_apart(overlay: Overlay) -> tuple[Overlay, dict[str, list[str]]]:
    """Return a clustered overlay without the locations' names and towns, and those by location id: at national
    scale the map first shows clusters, so the names (a third of the layer's bytes) are fetched only when a
    location's own marker is drawn (assets/map.js). An overlay that does not cluster keeps its names."""
    if not overlay.cluster:
        return overlay, {}
    names, features = {}, []
    for f in overlay.features:
        props = dict(f["properties"])
        names[props["id"]] = [props.pop(k, "") for k in NAMED_BY]
        features.append({**f, "properties": props})
    return Overlay(features, cluster=True), names


LAYER = Layer("locations", "Locaties", "Locations", draw)
