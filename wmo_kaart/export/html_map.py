"""A self-contained HTML map for sites that cannot frame /embed, built with folium.

Leaflet is inlined from `vendor/leaflet` (no CDN), so the file opens offline and asks no
third party for anything. Only public fields are ever written.
"""

from __future__ import annotations

import base64
import json
from html import escape
from importlib import resources

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from layers import DrawContext
from layers.locations import OVERLAYS, draw, legend_of

from ..config import PROJECT_ROOT
from ..core.catalog import Catalog
from ..core.reference import BY_CODE
from ..core.schema import address_line

VENDOR = "vendor/leaflet"
MARKERS_JS = (PROJECT_ROOT / "assets" / "map.js").read_text(encoding="utf-8")  # how our web maps draw a location
# the markers' own rules of assets/wmo-kaart.css
MARKERS_CSS = (".wmo-marker{background:none;border:0}.wmo-marker svg{display:block;overflow:visible}"
               ".wmo-marker:focus-visible{outline:3px solid #000;outline-offset:2px;box-shadow:0 0 0 6px #fff;border-radius:4px}"
               ".wmo-pan button{display:block;width:30px;height:30px;padding:0;border:0;border-bottom:1px solid #ccc;"
               "background:#fff;color:#000;font-size:16px;cursor:pointer}")


class _Script(MacroElement):
    """A script in the page's script section, in the order of the map's children."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str):
        super().__init__()
        self.code = code


def _script(text: str) -> str:
    """Return `text` safe inside a <script> element (no '</' that could end it)."""
    return text.replace("</", "<\\/")


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
    return f"<style>{css}{MARKERS_CSS}</style>\n<script>{js}</script>\n<script>{shim}</script>"


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


MULTI_RING = "#a04e00"  # the legend's example of a ring (a further care type)


def _legend(catalog: Catalog, rows: pd.DataFrame, lang: str, notes: list[str]) -> str:
    en = lang == "en"
    def icon(term) -> str:
        discs = [f'<circle cx="8" cy="8" r="7" fill="{term.colour}" stroke="#ffffff" stroke-width="1"/>']
        discs += [f'<circle cx="8" cy="8" r="{size * 7 / 15:.1f}" fill="{colour or term.colour}"/>' for colour, size in OVERLAYS[term.pattern]]
        return f'<svg width="16" height="16" aria-hidden="true">{"".join(discs)}</svg>'
    items = "".join(f"<li>{icon(t)} {escape(t.label(lang))}</li>" for t in catalog.care_types)
    items += (f'<li><svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="#ffffff" '
              f'stroke="{MULTI_RING}" stroke-width="3"/></svg> '
              f'{"Coloured rings: the further care types of a location" if en else "Gekleurde ringen: verdere zorgvormen van de locatie"}</li>')
    items += (f'<li><svg width="16" height="16" aria-hidden="true"><line x1="0" y1="8" x2="16" y2="8" stroke="#6b6b6b" '
              f'stroke-width="2" stroke-dasharray="4 2"/></svg> {"Municipal border" if en else "Gemeentegrens"}</li>')
    extra = "".join(f"<p>{escape(n)}</p>" for n in notes if n)
    return ('<section aria-label="Legenda" style="position:absolute;z-index:1000;right:10px;bottom:24px;background:#fff;'
            'padding:8px 12px;border-radius:4px;font:14px system-ui,sans-serif;max-width:18rem;box-shadow:0 1px 4px #0004">'
            f'<h2 style="font-size:15px;margin:0 0 4px">{"Legend" if en else "Legenda"}</h2>'
            f'<ul style="list-style:none;margin:0;padding:0">{items}</ul>{extra}</section>')


def build_map(rows: pd.DataFrame, catalog: Catalog, title: str, lang: str = "nl",
              tiles_url: str | None = None, outlines: dict | None = None, labels=(), notes: list[str] = ()) -> folium.Map:
    """Return a folium map with one marker per location as our web maps draw it (assets/map.js: colour and
    pattern of its first care type, rings for the others; in the layer of its first care type), the
    municipal borders, place names and a legend."""
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
    overlay = draw(rows, DrawContext(catalog, (), lang))  # the markers of our web maps: the same layer, the same drawing
    popups = {r.id: _popup(r, catalog, lang) for r in rows.itertuples()}
    groups = {}
    for term in catalog.care_types:
        count = sum(1 for f in overlay.features if f["properties"]["care"][0] == term.code)
        if count:
            groups[term.code] = folium.FeatureGroup(name=f"{term.label(lang)} ({count})")
            groups[term.code].add_to(m)
    data = {"features": overlay.features, "hideout": legend_of(DrawContext(catalog, (), lang)), "popups": popups}
    m.add_child(_Script(  # after the map and its groups: folium writes children's scripts in order
        f"{_script(MARKERS_JS)}\n(function (d, map, groups) {{\n"
        "  d.features.forEach(function (f) {\n"
        "    var c = f.geometry.coordinates;\n"
        "    wmoKaart.location(f, L.latLng(c[1], c[0]), {hideout: d.hideout, map: map})\n"
        "      .bindPopup(d.popups[f.properties.id], {maxWidth: 320}).addTo(groups[f.properties.care[0]]);\n"
        f"  }});\n}})({_script(json.dumps(data, ensure_ascii=False))}, {m.get_name()}, "
        f"{{{', '.join(f'{json.dumps(code)}: {group.get_name()}' for code, group in groups.items())}}});"))
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
