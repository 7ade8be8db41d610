"""The location maps on Leaflet (dash-leaflet): SVG markers drawn by assets/map.js, no WebGL.

Everything comes from our own origin: the background map through our tile proxy (when configured),
the municipal outlines, our tiles with place names. One GeoJSON component per map layer (`layers/`),
the search point and the chosen location's halo.
"""

from __future__ import annotations

import dash_leaflet as dl

from layers import DrawContext, Overlay, point, registry
from layers.locations import CLUSTER_OPTIONS, legend_of

from ..config import BASEMAPS, Settings
from ..core.viewport import LEAFLET_REGION
from ..i18n import t
from .tiles import BASEMAP_URL, LABELS_URL, OUTLINES_URL

EMPTY = {"type": "FeatureCollection", "features": []}
DRAWN_BY = {"locations": "location", "bw": "bw"}  # the function of assets/map.js that draws a layer's points


def js(name: str) -> dict:
    """Return a reference to a function of assets/map.js (window.wmoKaart), as dash-leaflet takes it."""
    return {"variable": f"wmoKaart.{name}"}


def layer_id(prefix: str, layer: str) -> str:
    return f"{prefix}-layer-{layer}"


def background(settings: Settings, boundaries: dict | None, lang: str) -> list:
    """Return the background: the map through our tile proxy (when configured), the municipal outlines and
    our place-name tiles (above the outlines, under the markers, never catching a click)."""
    parts = []
    if settings.basemap_url:
        credit = t("basemap_credit", lang) if settings.basemap in BASEMAPS else settings.basemap_attribution
        parts.append(dl.TileLayer(url=BASEMAP_URL, attribution=credit or "", maxZoom=19))
    if boundaries:  # by URL: the browser fetches the outlines once, not inside every redraw
        parts.append(dl.GeoJSON(url=OUTLINES_URL, style=js("outline"), interactive=False))
    parts.append(dl.Pane(dl.TileLayer(url=LABELS_URL, attribution=t("labels_credit", lang), maxZoom=19, pane="names"),
                         name="names", style={"zIndex": 450, "pointerEvents": "none"}))
    return parts


def location_map(prefix: str, settings: Settings, boundaries: dict | None, ctx: DrawContext) -> dl.Map:
    """Return the map of `prefix` (`map`: `/` and `/pro`): background, one GeoJSON per layer (fetched from the
    address the page's callback gives it, `map_layers`), the search point and the chosen location's halo. The
    view is kept in the address (#map=ZOOM/LAT/LON). The embed draws with plain Leaflet (`embed_page`)."""
    overlays = [dl.GeoJSON(id=f"{prefix}-selected-halo", data=EMPTY, pointToLayer=js("selected"), interactive=False),
                dl.GeoJSON(id=f"{prefix}-origin", data=EMPTY, pointToLayer=js("origin"), interactive=False)]
    for layer in registry().values():
        overlays.append(dl.GeoJSON(
            id=layer_id(prefix, layer.id), data=None, pointToLayer=js(DRAWN_BY.get(layer.id, "location")),
            clusterToLayer=js("cluster"), superClusterOptions=CLUSTER_OPTIONS, zoomToBoundsOnClick=True,
            hideout=legend_of(ctx) if layer.id == "locations" else None))
    return dl.Map([*background(settings, boundaries, ctx.lang), *overlays], id=f"{prefix}-leaflet",
                  center=LEAFLET_REGION["center"], zoom=LEAFLET_REGION["zoom"], minZoom=6, maxZoom=18,
                  zoomSnap=0.25, trackViewport=False, className="leaflet-map url-view",
                  attributionControl=True)


def origin_data(origin, lang: str) -> dict:
    """Return the search point, labelled with the place searched for."""
    if origin is None:
        return EMPTY
    return Overlay([point(origin.lon, origin.lat, {"label": f"{t('your_location', lang)}: {origin.label}"})]).collection()


def selected_data(lon: float | None = None, lat: float | None = None) -> dict:
    """Return the halo under the chosen location (none without one)."""
    if lon is None or lat is None:
        return EMPTY
    return Overlay([point(lon, lat, {})]).collection()


def coverage_map(prefix: str, settings: Settings, boundaries: dict | None, lang: str) -> dl.Map:
    """Return the coverage map: areas filled by distance class (a click adds a what-if location there), the
    suitable locations, the added ones, residents' searches that found nothing nearby, and the outlines."""
    layers = [dl.GeoJSON(id=f"{prefix}-areas", data=EMPTY, style=js("area"), onEachFeature=js("titled")),
              dl.GeoJSON(id=f"{prefix}-points", data=EMPTY, pointToLayer=js("dot"), onEachFeature=js("titled")),
              dl.GeoJSON(id=f"{prefix}-added-points", data=EMPTY, pointToLayer=js("dot"), onEachFeature=js("titled")),
              dl.GeoJSON(id=f"{prefix}-misses-points", data=EMPTY, pointToLayer=js("square"))]
    return dl.Map([*background(settings, boundaries, lang), *layers], id=f"{prefix}-leaflet", center=LEAFLET_REGION["center"],
                  zoom=LEAFLET_REGION["zoom"], minZoom=6, maxZoom=16, zoomSnap=0.25, trackViewport=False, className="leaflet-map",
                  attributionControl=True)
