"""Dash `html` components written out as HTML text, for the pages the server renders without Dash's front end
(the light embed): the same pieces (a location's details, the care-type icons, the list hint) on every page."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}
NAMES = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan", "rowSpan": "rowspan"}
SKIPPED = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key", "setProps"}


def _css(style: dict) -> str:
    parts = []
    for key, value in style.items():
        name = key if key.startswith("--") else re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), key)
        parts.append(f"{name}:{value}px" if isinstance(value, (int, float)) and not isinstance(value, bool) else f"{name}:{value}")
    return ";".join(parts)


def render(node) -> Markup:
    """Return `node` (a Dash html component, a string, a number, a list of those, or None) as HTML."""
    if node is None or node is False:
        return Markup("")
    if isinstance(node, (list, tuple)):
        return Markup("").join(render(n) for n in node)
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    data = node.to_plotly_json()
    if data.get("namespace") != "dash_html_components":
        raise TypeError(f"only html components are written as text, not {data.get('namespace')}.{data.get('type')}")
    tag = data["type"].lower()
    attrs = []
    for key, value in data["props"].items():
        if key in SKIPPED or value is None or value is False:
            continue
        name = NAMES.get(key, key)
        if key == "style":
            value = _css(value)
        if key == "id" and not isinstance(value, str):
            continue  # a pattern-matching id means nothing outside Dash
        attrs.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    start = Markup(f"<{tag}{''.join(attrs)}>")
    if tag in VOID:
        return start
    return start + render(data["props"].get("children")) + Markup(f"</{tag}>")
