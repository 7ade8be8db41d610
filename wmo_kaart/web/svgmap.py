"""A small static SVG map for the printed handout: numbered locations and the search point."""

from __future__ import annotations

from html import escape

import pandas as pd

from ..core.geo import to_rd


MARKER_R = 9.0


def spread(points: list[tuple[float, float]], radius: float = MARKER_R) -> list[tuple[float, float]]:
    """Return marker positions (pixels) where no marker covers another: a marker that would overlap
    an earlier one moves out on a spiral around its true position."""
    import math

    placed: list[tuple[float, float]] = []
    for x, y in points:
        candidate, step = (x, y), 0
        while any(math.hypot(candidate[0] - px, candidate[1] - py) < 2 * radius + 1 for px, py in placed) and step < 200:
            step += 1
            angle, distance = step * 0.9, 2 * radius + 1 + step * 1.2
            candidate = (x + distance * math.cos(angle), y + distance * math.sin(angle))
        placed.append(candidate)
    return placed


def scale_bar(px_per_metre: float, width: float) -> tuple[int, float]:
    """Return a round length in metres (1, 2 or 5 times a power of ten) and its length in pixels: the
    longest such length that takes at most a quarter of `width`."""
    import math

    longest = width / 4 / px_per_metre
    power = 10 ** math.floor(math.log10(longest))
    metres = max(m * power for m in (1, 2, 5) if m * power <= longest)
    return int(metres), metres * px_per_metre


def format_length(metres: int) -> str:
    """Return '500 m', '1 km', '20 km' for a scale bar (whole numbers, so the same in Dutch and English)."""
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


def svg_map(rows: pd.DataFrame, origin: tuple[float, float] | None = None, width: int = 360, height: int = 250,
            outlines: dict | None = None, labels=(), label: str = "Kaartje met de genummerde locaties",
            areas=(), minor_labels=()) -> str:
    """Return an SVG with numbered markers at the RD positions of `rows` (and the origin), the municipal
    borders and the names of the places in view; markers that would overlap are moved apart, with a
    thin line to their true position. `areas` (RD rings with bounds) are drawn as light borders and
    `minor_labels` (district names) where there is room after the towns, so a close-up still shows where it is."""
    xs, ys = list(rows["x"]), list(rows["y"])
    if origin:
        ox, oy = (float(v) for v in to_rd(origin[1], origin[0]))
        xs, ys = xs + [ox], ys + [oy]
    if not xs:
        return ""
    pad = 800.0 + 0.18 * max(max(xs) - min(xs), max(ys) - min(ys))
    minx, maxx, miny, maxy = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    scale = min(width / (maxx - minx), height / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2

    def pos(x, y):
        return width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(label)}" class="handout-map">',
             f'<defs><clipPath id="handout-clip"><rect width="{width}" height="{height}"/></clipPath></defs>',
             f'<rect width="{width}" height="{height}" fill="#ffffff" stroke="#888888"/>',
             '<g clip-path="url(#handout-clip)">']
    for (ax0, ay0, ax1, ay1), ring in areas:
        if ax1 < minx or ax0 > maxx or ay1 < miny or ay0 > maxy:
            continue
        d = "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in (pos(a, b) for a, b in ring))
        parts.append(f'<path d="{d}Z" fill="#f4f4f2" stroke="#c9c9c9" stroke-width="0.8"/>')
    for feature in (outlines or {}).get("features", []):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            rx, ry = to_rd([p[0] for p in ring], [p[1] for p in ring])
            d = "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in (pos(a, b) for a, b in zip(rx, ry)))
            parts.append(f'<path d="{d}Z" fill="none" stroke="#8a8a8a" stroke-width="1" stroke-dasharray="4 2"/>')
    true_positions = [pos(x, y) for x, y in zip(rows["x"], rows["y"])]
    markers = spread(true_positions)
    taken = [(mx - MARKER_R, my - MARKER_R, mx + MARKER_R, my + MARKER_R) for mx, my in markers]
    if origin:
        opx, opy = pos(ox, oy)
        taken.append((opx - 6, opy - 6, opx + 6, opy + 6))
    styled = [(name, lon, lat, 'font-size="10" fill="#444444" font-style="italic"', 2.9) for name, lon, lat in labels]
    styled += [(name, lon, lat, 'font-size="9" fill="#595959"', 2.5) for name, lon, lat in minor_labels]
    for name, lon, lat, style, char in styled:
        lx, ly = (float(v) for v in to_rd(lon, lat))
        px, py = pos(lx, ly)
        half = char * len(name)
        box = (px - half, py - 6, px + half, py + 6)
        if not (half < px < width - half and 8 < py < height - 8):
            continue
        if any(box[2] > b[0] and box[0] < b[2] and box[3] > b[1] and box[1] < b[3] for b in taken):
            continue
        taken.append(box)
        parts.append(f'<text x="{px:.1f}" y="{py + 3.5:.1f}" {style} text-anchor="middle" '
                     f'font-family="sans-serif">{escape(name)}</text>')
    parts.append("</g>")
    if origin:
        px, py = pos(ox, oy)
        parts.append(f'<rect x="{px - 5:.1f}" y="{py - 5:.1f}" width="10" height="10" fill="#000000"/>')
    for i, ((tx, ty), (mx, my)) in enumerate(zip(true_positions, markers), start=1):
        if (mx, my) != (tx, ty):
            parts.append(f'<line x1="{tx:.1f}" y1="{ty:.1f}" x2="{mx:.1f}" y2="{my:.1f}" stroke="#0b57a4" stroke-width="1"/>'
                         f'<circle cx="{tx:.1f}" cy="{ty:.1f}" r="2" fill="#0b57a4"/>')
        parts.append(f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="{MARKER_R:g}" fill="#0b57a4" stroke="#ffffff" stroke-width="1.5"/>'
                     f'<text x="{mx:.1f}" y="{my + 4:.1f}" font-size="11" text-anchor="middle" fill="#ffffff" '
                     f'font-family="sans-serif">{i}</text>')
    metres, length = scale_bar(scale, width)
    y = height - 10
    parts.append(f'<g class="scale-bar"><rect x="6" y="{y - 16}" width="{length + 8:.1f}" height="22" fill="#ffffff" '
                 f'fill-opacity="0.85"/><path d="M10,{y - 4}V{y}H{10 + length:.1f}V{y - 4}" fill="none" stroke="#000" '
                 f'stroke-width="2"/><text x="10" y="{y - 6}" font-size="10" font-family="sans-serif">'
                 f'{escape(format_length(metres))}</text></g>')
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
