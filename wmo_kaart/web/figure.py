"""The configuration of our plotly charts (the /dekking bar chart and histogram; maps are Leaflet)."""

from __future__ import annotations


def graph_config(lang: str, scroll_zoom: bool = True, keep_select: bool = False) -> dict:
    """Return the dcc.Graph config of our maps and charts: buttons and their tooltips in the page's
    language (our plotly.js carries the Dutch locale), no logo, no image export, no 'Share chart'
    (it would upload to Plotly's cloud; offline it does nothing)."""
    remove = ["toImage", "sendChartToCloud", "sendDataToCloud"] + ([] if keep_select else ["select2d", "lasso2d"])
    return {"displaylogo": False, "showLink": False, "showSendToCloud": False, "showEditInChartStudio": False,
            "scrollZoom": scroll_zoom, "locale": "en" if lang == "en" else "nl", "modeBarButtonsToRemove": remove}
