"""A small static SVG map for the printed handout: numbered locations and the search point."""

from __future__ import annotations

from html import escape

import pandas as pd

from ..core.geo import to_rd


def svg_map(rows: pd.DataFrame, origin: tuple[float, float] | None = None, width: int = 300, height: int = 220) -> str:
    """Return an SVG with numbered markers at the RD positions of `rows` (and the origin)."""
    xs, ys = list(rows["x"]), list(rows["y"])
    if origin:
        ox, oy = (float(v) for v in to_rd(origin[1], origin[0]))
        xs, ys = xs + [ox], ys + [oy]
    if not xs:
        return ""
    pad = 500.0 + 0.15 * max(max(xs) - min(xs), max(ys) - min(ys))
    minx, maxx, miny, maxy = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    scale = min(width / (maxx - minx), height / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2

    def pos(x, y):
        return width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="Kaartje met de genummerde locaties" class="handout-map">',
             f'<rect width="{width}" height="{height}" fill="#ffffff" stroke="#888888"/>']
    if origin:
        px, py = pos(ox, oy)
        parts.append(f'<rect x="{px - 5:.1f}" y="{py - 5:.1f}" width="10" height="10" fill="#000000"/>')
    for i, (x, y) in enumerate(zip(rows["x"], rows["y"]), start=1):
        px, py = pos(x, y)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="9" fill="#0b57a4"/>'
                     f'<text x="{px:.1f}" y="{py + 4:.1f}" font-size="11" text-anchor="middle" fill="#ffffff" '
                     f'font-family="sans-serif">{i}</text>')
    km = 2000 if (maxx - minx) > 6000 else 1000
    bar = km * scale
    parts.append(f'<line x1="10" y1="{height - 12}" x2="{10 + bar:.1f}" y2="{height - 12}" stroke="#000" stroke-width="2"/>'
                 f'<text x="10" y="{height - 16}" font-size="10" font-family="sans-serif">{escape(str(km // 1000))} km</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_choropleth(outlines: dict, fill: dict[str, str], points: list[tuple[float, float]], width: int = 640,
                   height: int = 420, label: str = "Kaart") -> str:
    """Return an SVG of the areas in `outlines` (WGS84) filled per id, with points (lon, lat) on top."""
    import math

    rings = []
    for feature in outlines["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings.append((str(feature["id"]), [polygon[0] for polygon in polygons]))
    lons = [p[0] for _id, polys in rings for ring in polys for p in ring]
    lats = [p[1] for _id, polys in rings for ring in polys for p in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = min((width - 20) / ((max(lons) - min(lons)) * kx), (height - 20) / (max(lats) - min(lats)))

    def pos(lon, lat):
        return 10 + (lon - min(lons)) * kx * scale, height - 10 - (lat - min(lats)) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(label)}" class="report-map"><rect width="{width}" height="{height}" fill="#ffffff"/>']
    for area_id, polys in rings:
        for ring in polys:
            d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in (pos(*p) for p in ring)) + "Z"
            parts.append(f'<path d="{d}" fill="{fill.get(area_id, "#eeeeee")}" stroke="#ffffff" stroke-width="0.6"/>')
    for lon, lat in points:
        x, y = pos(lon, lat)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="#0b57a4" stroke="#ffffff" stroke-width="0.6"/>')
    parts.append("</svg>")
    return "".join(parts)
