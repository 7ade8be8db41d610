"""The map figure: an offline-safe white background, optional tiles and outlines, and traces."""

from __future__ import annotations

import plotly.graph_objects as go

from ..config import BASEMAPS, Settings
from ..i18n import t

CENTER = {"lat": 51.63, "lon": 5.45}
ZOOM = 9.0


def graph_config(lang: str, scroll_zoom: bool = True, keep_select: bool = False) -> dict:
    """Return the dcc.Graph config of our maps and charts: buttons and their tooltips in the page's
    language (our plotly.js carries the Dutch locale), no logo, no image export, no 'Share chart'
    (it would upload to Plotly's cloud; offline it does nothing)."""
    remove = ["toImage", "sendChartToCloud", "sendDataToCloud"] + ([] if keep_select else ["select2d", "lasso2d"])
    return {"displaylogo": False, "showLink": False, "showSendToCloud": False, "showEditInChartStudio": False,
            "scrollZoom": scroll_zoom, "locale": "en" if lang == "en" else "nl", "modeBarButtonsToRemove": remove}


def origin_traces(origin, lang: str) -> list[go.Scattermap]:
    """Return the search point, drawn UNDER the locations so its label never hides a result: a bullseye
    (black ring, white, black dot: unlike any location marker), labelled with the place searched for, small and
    beside it rather than over the places below it."""
    label = f"{t('your_location', lang)}: {origin.label}"
    def disc(size, colour, **more):
        return go.Scattermap(lat=[origin.lat], lon=[origin.lon], meta="origin", marker=dict(size=size, color=colour),
                             showlegend=False, **({"mode": "markers", "hoverinfo": "skip"} | more))
    ring = disc(24, "#000000", mode="markers+text", text=[label.replace(" ", "\u00a0")],  # one line, beside the ring
                textposition="top right", textfont=dict(size=12, color="#000000"))
    dot = disc(9, "#000000", hovertext=[label], hoverinfo="text")
    return [ring, disc(18, "#ffffff"), dot]  # a bullseye: no location looks like it


def highlight_trace(lat: list[float] | None = None, lon: list[float] | None = None) -> go.Scattermap:
    """Return the halo drawn under the selected location (always trace 0)."""
    return go.Scattermap(lat=lat or [], lon=lon or [], mode="markers", hoverinfo="skip",
                         marker=dict(size=30, color="#111111", opacity=0.45),
                         meta="selected", showlegend=False)


def map_style() -> dict:
    """Return our base map style: a white background, and map text glyphs from our own origin (plotly's
    'white-bg' would fetch them from a third-party font server)."""
    from .tiles import GLYPHS_URL

    # `sources` must not be empty: plotly.js prunes empty objects from the layout on an update, and MapLibre
    # then refuses the style ("missing required property sources"), leaving the map as it was
    empty = {"type": "FeatureCollection", "features": []}
    return {"version": 8, "sources": {"leeg": {"type": "geojson", "data": empty}}, "glyphs": GLYPHS_URL,
            "layers": [{"id": "white-bg", "type": "background", "paint": {"background-color": "#ffffff"}}]}


def map_layers(settings: Settings, boundaries: dict | None, lang: str, names_on_top: bool = True) -> list[dict]:
    """Return the background layers, all from our own origin: the background map (through our tile
    proxy, when configured), the municipal outlines, and our tiles with place names."""
    from .tiles import BASEMAP_URL, LABELS_URL, OUTLINES_URL

    layers = []
    if settings.basemap_url:
        credit = t("basemap_credit", lang) if settings.basemap in BASEMAPS else settings.basemap_attribution
        layers.append(dict(sourcetype="raster", below="traces", source=[BASEMAP_URL], sourceattribution=credit or None))
    if boundaries:  # by URL: the browser fetches the outlines once, not inside every redrawn figure
        layers.append(dict(sourcetype="geojson", type="line", source=OUTLINES_URL, below="traces",
                           color="#5a5a5a", line=dict(width=1.2)))
    # names above the markers (with a white halo), or the markers in a town would hide its name; under
    # clusters, whose counts would otherwise be covered
    layers.append(dict(sourcetype="raster", below="" if names_on_top else "traces", source=[LABELS_URL],
                       sourceattribution=t("labels_credit", lang)))
    return layers


def _clustered(trace) -> bool:
    cluster = getattr(trace, "cluster", None)
    return bool(cluster is not None and cluster.enabled)


def build_figure(traces: list, settings: Settings, boundaries: dict | None, lang: str = "nl",
                 view: tuple[dict, float] | None = None, revision: str = "map") -> go.Figure:
    """Return the map with `traces` on top of the background layers.

    Map text (counts, the search point's name, badges) uses glyphs from our own server (`map_style`);
    place names come as our own label tiles, placed without collisions across the whole map."""
    center, zoom = view or (CENTER, ZOOM)
    fig = go.Figure(data=[highlight_trace(), *traces], _validate=False)  # the layers validate their small traces
    fig.update_layout(
        map=dict(style=map_style(), center=center, zoom=zoom,
                 layers=map_layers(settings, boundaries, lang, names_on_top=not any(_clustered(tr) for tr in traces))),
        margin=dict(l=0, r=0, t=0, b=0), showlegend=False, uirevision=revision,
        hoverlabel=dict(bgcolor="#ffffff", font=dict(color="#111111")), dragmode="pan",
        # the map's buttons (zoom in/out, reset) at 7:1 against white instead of plotly's 30 % grey (1.7:1)
        modebar=dict(color="#4a4a4a", activecolor="#000000", bgcolor="rgba(255,255,255,0.92)"),
    )
    return fig
