"""A self-contained HTML map for sites that cannot frame /embed, built with folium.

Leaflet is inlined from `vendor/leaflet` (no CDN), so the file opens offline and asks no
third party for anything. Only public fields are ever written.
"""

from __future__ import annotations

import base64
from html import escape
from importlib import resources

import folium
import pandas as pd
from branca.element import Element

from ..core.catalog import Catalog
from ..core.reference import BY_CODE
from ..core.schema import address_line

VENDOR = "vendor/leaflet"


def _vendor(name: str) -> bytes:
    return resources.files(__package__).joinpath(f"{VENDOR}/{name}").read_bytes()


def _leaflet_inline() -> str:
    css = _vendor("leaflet.css").decode("utf-8")
    for image in ("layers.png", "layers-2x.png"):
        data = base64.b64encode(_vendor(image)).decode("ascii")
        css = css.replace(f"url(images/{image})", f"url(data:image/png;base64,{data})")
    js = _vendor("leaflet.js").decode("utf-8")
    # folium's popups call jQuery's $(html)[0]; this two-line stand-in saves loading jQuery.
    shim = ("window.$ = window.$ || function (html) { var t = document.createElement('template');"
            " t.innerHTML = String(html).trim(); return [t.content.firstElementChild]; };")
    return f"<style>{css}</style>\n<script>{js}</script>\n<script>{shim}</script>"


def _popup(r, catalog: Catalog, lang: str) -> str:
    labels = {t.code: t.label(lang) for t in catalog.care_types}
    lines = [f"<strong>{escape(r.name)}</strong>", escape(r.provider_name),
             escape(address_line(r)),
             escape(", ".join(labels.get(c, c) for c in r.care_types))]
    if r.phone:
        lines.append(escape(r.phone))
    if r.website:
        lines.append(f'<a href="{escape(r.website)}" target="_blank" rel="noopener noreferrer">{escape(r.website)}</a>')
    return "<br>".join(lines)


def build_map(rows: pd.DataFrame, catalog: Catalog, title: str, lang: str = "nl",
              tiles_url: str | None = None) -> folium.Map:
    """Return a folium map with one switchable layer per care type."""
    center = [float(rows["lat"].mean()), float(rows["lon"].mean())] if len(rows) else [51.63, 5.45]
    m = folium.Map(location=center, zoom_start=11, tiles=None, control_scale=True)
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(_leaflet_inline()))
    m.get_root().html.add_child(Element(
        f'<h1 style="position:absolute;z-index:1000;left:56px;top:8px;margin:0;padding:4px 10px;'
        f'background:#fff;font:600 16px system-ui,sans-serif;border-radius:4px">{escape(title)}</h1>'))
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr="Kaartgegevens © Kadaster", name="Achtergrond").add_to(m)
    for term in catalog.care_types:
        part = rows[rows["care_types"].map(lambda c, code=term.code: code in c)]
        if part.empty:
            continue
        group = folium.FeatureGroup(name=f"{term.label(lang)} ({len(part)})")
        for r in part.itertuples():
            folium.CircleMarker([r.lat, r.lon], radius=7, color="#ffffff", weight=2, fill=True,
                                fill_color=term.colour, fill_opacity=1.0, tooltip=escape(r.name),
                                popup=folium.Popup(_popup(r, catalog, lang), max_width=320)).add_to(group)
        group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if len(rows) > 1:
        m.fit_bounds([[float(rows["lat"].min()), float(rows["lon"].min())],
                      [float(rows["lat"].max()), float(rows["lon"].max())]])
    return m


def render_html(rows: pd.DataFrame, catalog: Catalog, gemeente: str | None, lang: str = "nl",
                tiles_url: str | None = None) -> str:
    """Return the whole HTML document of the exported map."""
    place = BY_CODE[gemeente].name if gemeente in BY_CODE else ("the region" if lang == "en" else "de regio")
    title = (f"Wmo care providers in {place}" if lang == "en" else f"Wmo-zorgaanbieders in {place}")
    html = build_map(rows, catalog, title, lang, tiles_url).get_root().render()
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    return html.replace("<head>", f"<head>\n<title>{escape(title)}</title>", 1)
