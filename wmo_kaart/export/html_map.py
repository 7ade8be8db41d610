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
            " t.innerHTML = String(html).trim(); return [t.content.firstElementChild]; };"
            # names are markers with a text icon; Leaflet would first fetch its default pin image for them
            " var none = 'data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=';"
            " L.Icon.Default.imagePath = ''; L.Icon.Default.mergeOptions({iconUrl: none, iconRetinaUrl: none, shadowUrl: none});")
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


MULTI_RING = "#222222"  # the border of a location with more than one care type


def _legend(catalog: Catalog, rows: pd.DataFrame, lang: str, notes: list[str]) -> str:
    en = lang == "en"
    items = "".join(
        f'<li><svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="{t.colour}" '
        f'stroke="#ffffff" stroke-width="2"/></svg> {escape(t.label(lang))}</li>' for t in catalog.care_types)
    items += (f'<li><svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="#ffffff" '
              f'stroke="{MULTI_RING}" stroke-width="3"/></svg> '
              f'{"Dark ring: more than one care type (see the popup)" if en else "Donkere rand: meer dan één zorgvorm (zie de details)"}</li>')
    items += (f'<li><svg width="16" height="16" aria-hidden="true"><line x1="0" y1="8" x2="16" y2="8" stroke="#6b6b6b" '
              f'stroke-width="2" stroke-dasharray="4 2"/></svg> {"Municipal border" if en else "Gemeentegrens"}</li>')
    extra = "".join(f"<p>{escape(n)}</p>" for n in notes if n)
    return ('<section aria-label="Legenda" style="position:absolute;z-index:1000;right:10px;bottom:24px;background:#fff;'
            'padding:8px 12px;border-radius:4px;font:14px system-ui,sans-serif;max-width:18rem;box-shadow:0 1px 4px #0004">'
            f'<h2 style="font-size:15px;margin:0 0 4px">{"Legend" if en else "Legenda"}</h2>'
            f'<ul style="list-style:none;margin:0;padding:0">{items}</ul>{extra}</section>')


def build_map(rows: pd.DataFrame, catalog: Catalog, title: str, lang: str = "nl",
              tiles_url: str | None = None, outlines: dict | None = None, labels=(), notes: list[str] = ()) -> folium.Map:
    """Return a folium map with one marker per location (in the layer of its first care type, with a dark
    border when it offers more), the municipal borders, place names and a legend."""
    from layers.locations import primary_care_type

    center = [float(rows["lat"].mean()), float(rows["lon"].mean())] if len(rows) else [51.63, 5.45]
    m = folium.Map(location=center, zoom_start=11, tiles=None, control_scale=True)
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(_leaflet_inline()))
    m.get_root().html.add_child(Element(
        f'<h1 style="position:absolute;z-index:1000;left:56px;top:8px;margin:0;padding:4px 10px;'
        f'background:#fff;font:600 16px system-ui,sans-serif;border-radius:4px">{escape(title)}</h1>'))
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr="Kaartgegevens © Kadaster", name="Achtergrond").add_to(m)
    if outlines:
        folium.GeoJson(outlines, name="Gemeentegrenzen" if lang != "en" else "Municipal borders",
                       style_function=lambda _f: {"color": "#6b6b6b", "weight": 1.5, "dashArray": "4 2", "fill": False},
                       interactive=False, control=False).add_to(m)
    for name, lon, lat in labels:
        folium.Marker([lat, lon], icon=folium.DivIcon(
            html=f'<span style="font:italic 12px system-ui,sans-serif;color:#333;white-space:nowrap;'
                 f'text-shadow:0 0 3px #fff,0 0 3px #fff">{escape(name)}</span>', icon_size=(0, 0), icon_anchor=(0, 0)),
            interactive=False).add_to(m)
    order = catalog.care_codes
    primary = rows["care_types"].map(lambda c: primary_care_type(c, order, ())) if len(rows) else pd.Series(dtype=object)
    for term in catalog.care_types:
        part = rows[primary == term.code]
        if part.empty:
            continue
        group = folium.FeatureGroup(name=f"{term.label(lang)} ({len(part)})")
        for r in part.itertuples():
            several = len(r.care_types) > 1
            folium.CircleMarker([r.lat, r.lon], radius=7, color=MULTI_RING if several else "#ffffff", weight=3 if several else 2,
                                fill=True, fill_color=term.colour, fill_opacity=1.0, tooltip=escape(r.name),
                                popup=folium.Popup(_popup(r, catalog, lang), max_width=320)).add_to(group)
        group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(Element(_legend(catalog, rows, lang, list(notes))))
    if len(rows) > 1:
        m.fit_bounds([[float(rows["lat"].min()), float(rows["lon"].min())],
                      [float(rows["lat"].max()), float(rows["lon"].max())]])
    return m


def render_html(rows: pd.DataFrame, catalog: Catalog, gemeente: str | None, lang: str = "nl",
                tiles_url: str | None = None, outlines: dict | None = None, labels=(), data_date: str = "",
                demo: bool = False) -> str:
    """Return the whole HTML document of the exported map."""
    en = lang == "en"
    place = BY_CODE[gemeente].name if gemeente in BY_CODE else ("the region" if en else "de regio")
    title = (f"Wmo care providers in {place}" if en else f"Wmo-zorgaanbieders in {place}")
    notes = [(("Data as of " if en else "Gegevens van ") + data_date) if data_date else "",
             ("Demo data: every provider, location and person on this map is fictional." if en else
              "Demogegevens: alle aanbieders, locaties en personen op deze kaart zijn fictief.") if demo else "",
             "Borders and names: CBS, CC-BY 4.0" if en else "Grenzen en namen: CBS, CC-BY 4.0"]
    html = build_map(rows, catalog, title, lang, tiles_url, outlines, labels, notes).get_root().render()
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    return html.replace("<head>", f"<head>\n<title>{escape(title)}</title>", 1)
