"""A small bar chart as inline SVG for server-rendered pages and print: no script, no third party.

The chart is an image with a name (`role="img"`, `<title>`); the numbers themselves are always in a
table beside it, which is what a screen reader reads."""

from __future__ import annotations

from markupsafe import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM = 640, 220, 44, 46
BAR = "#0b57a4"  # contrast 7.1:1 on white


def bar_chart(pairs: list[tuple[str, int]], label: str) -> str:
    """Return an SVG bar chart of (label, value) pairs; an empty text when there is nothing to draw."""
    if not pairs:
        return ""
    top = max(max(v for _k, v in pairs), 1)
    inner_w, inner_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - 10
    step = inner_w / len(pairs)
    width = max(step * 0.7, 1.0)
    parts = [f'<svg class="bar-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>',
             f'<line x1="{PAD_LEFT}" y1="{10 + inner_h}" x2="{WIDTH - 8}" y2="{10 + inner_h}" stroke="#555"/>',
             f'<text x="{PAD_LEFT - 6}" y="16" text-anchor="end" font-size="12" fill="#333">{top}</text>',
             f'<text x="{PAD_LEFT - 6}" y="{10 + inner_h}" text-anchor="end" font-size="12" fill="#333">0</text>']
    every = max(1, -(-len(pairs) // 10))  # at most ten labels under the axis
    short = all("-W" in key for key, _v in pairs)  # weeks: "W23" under the bar, the year in the table
    for i, (key, value) in enumerate(pairs):
        h = inner_h * value / top
        x = PAD_LEFT + i * step + (step - width) / 2
        parts.append(f'<rect x="{x:.1f}" y="{10 + inner_h - h:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{BAR}">'
                     f'<title>{escape(key)}: {value}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 24}" text-anchor="middle" font-size="11" '
                         f'fill="#333">{escape(key.split("-", 1)[1] if short else key)}</text>')
    parts.append("</svg>")
    return "".join(parts)
