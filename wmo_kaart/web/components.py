"""Pieces of the map page: legend icons, the location list and the details panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import html

from layers.locations import OVERLAYS
from ..core import contracts
from ..core.bw import SHAPES
from ..core.catalog import Catalog, Term
from ..core.reference import BY_CODE
from ..core.nearest import format_km
from ..core.schema import BY_NAME, FIELDS, address_line
from ..i18n import t

LIST_STEP = 50  # rows per step of the list; 'Toon meer locaties' adds the next step


def care_icon(term: Term, size: int = 18) -> html.Span:
    """Return the marker of a care type as an inline SVG-like set of nested discs."""
    discs = [html.Span(className="dot", style={"background": term.colour, "width": size, "height": size})]
    for colour, inner in OVERLAYS[term.pattern]:
        px = round(size * inner / 15)
        discs.append(html.Span(className="dot", style={
            "background": colour or term.colour, "width": px, "height": px}))
    return html.Span(discs, className="care-icon", **{"aria-hidden": "true"})


SHAPE_WORDS = {"disc": ("Volle schijf", "Full disc"), "ring": ("Dikke ring", "Thick ring"), "thin": ("Dunne ring", "Thin ring")}


def legend(catalog: Catalog, lang: str, bw_classes: tuple = (), contract_warnings: bool = False) -> html.Div:
    """Return the legend: one icon and label per care type, rings, counts, contract warnings (professional
    maps) and the BW rings when shown."""
    items = [html.Li([care_icon(term), html.Span(term.label(lang))]) for term in catalog.care_types]
    items.append(html.Li([html.Span(className="ring-swatch", **{"aria-hidden": "true"}), html.Span(t("legend_rings", lang))]))
    items.append(html.Li([html.Span("2", className="count-swatch", **{"aria-hidden": "true"}), html.Span(t("legend_same_spot", lang))]))
    if contract_warnings:
        items.append(html.Li([html.Span("!", className="warn-swatch", **{"aria-hidden": "true"}),
                              html.Span(t("legend_contract_warning", lang))]))
    items += [html.Li([html.Span(className=f"bw-swatch bw-{SHAPES[slug]}", style={"--bw": colour}, **{"aria-hidden": "true"}),
                       html.Span(f"{SHAPE_WORDS[SHAPES[slug]][1]}: sheltered housing {en.lower()}" if lang == "en"
                                 else f"{SHAPE_WORDS[SHAPES[slug]][0]}: BW {nl.lower()}")])
              for _bound, slug, nl, en, colour in bw_classes]
    return html.Div([html.H2(t("legend", lang), className="h-small"), html.Ul(items, className="legend-list")],
                    className="legend")


def scroll_table(table, label: str) -> html.Div:
    """Return `table` in a region that scrolls sideways on its own (keyboard-focusable), so a wide table
    never makes the page scroll sideways at 320 px (WCAG 1.4.10)."""
    return html.Div(table, className="table-scroll", tabIndex="0", role="region", **{"aria-label": label})


def care_labels(codes, catalog: Catalog, lang: str) -> str:
    known = {term.code: term for term in catalog.care_types}
    return ", ".join(known[c].label(lang) if c in known else c for c in codes)


def list_hint(total: int, shown: int, lang: str):
    """Return the note above a list shown in steps: how many of how many, and how to see more."""
    return html.P(t("list_more", lang, shown=shown, n=total), className="hint") if total > shown else None


def steps(clicks) -> int:
    """Return how many rows a list shows after `clicks` on 'Toon meer locaties' (a forged value counts as none)."""
    n = clicks if isinstance(clicks, int) and not isinstance(clicks, bool) and 0 <= clicks < 1000 else 0
    return LIST_STEP * (n + 1)


def location_list(rows: pd.DataFrame, catalog: Catalog, lang: str, by_distance: bool = False, limit: int = LIST_STEP) -> list:
    """Return the keyboard-usable list of locations (the accessible alternative to the map); nearest
    first with the distance when `by_distance` (rows carry `distance_m`), else by town and name; the
    first `limit` rows (the list grows in steps: a long list took most of a redraw)."""
    if rows.empty:
        return [html.P(t("none", lang))]
    shown = (rows if by_distance else rows.sort_values(["city", "name"])).head(limit)
    items = [html.Li(html.Button([
        html.Span(r.name, className="row-name"),
        html.Span(r.provider_name, className="row-provider"),
        html.Span(address_line(r), className="row-address"),
        html.Span(care_labels(r.care_types, catalog, lang), className="row-care"),
        html.Span(f"{t('distance', lang)}: {format_km(int(r.distance_m), lang)}", className="row-distance")
        if by_distance else None,
        html.Span(f"{r.contact_name}" + (f", {r.contact_phone}" if getattr(r, "contact_phone", None) else ""),
                  className="row-contact") if getattr(r, "contact_name", None) else None,
        _contract_badge(getattr(r, "contract_end", None), lang),
    ], className="row-button", **{"data-location": r.id})) for r in shown.itertuples()]  # assets/choose.js
    return [list_hint(len(rows), len(shown), lang), html.Ol(items, className="location-list")]


def _contract_badge(end, lang: str):
    """Return a warning for an ended or soon ending contract (only roles that see the end date get one)."""
    state = contracts.status(end)
    if state not in ("ended", "ending"):
        return None
    return html.Span(t(f"contract_{state}", lang), className=f"badge badge-{state}")


def tel_href(phone: str) -> str:
    """Return the tel: link of a phone number as people write it ('0412-123456')."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def _value(name: str, value, catalog: Catalog, lang: str):
    if name == "care_types":
        return care_labels(value, catalog, lang)
    if name == "target_groups":
        known = {term.code: term for term in catalog.target_groups}
        return ", ".join(known[c].label(lang) if c in known else c for c in value)
    if name == "municipality_code":
        return BY_CODE[value].name if value in BY_CODE else value
    if isinstance(value, (list, tuple)):
        return ", ".join(value)
    if isinstance(value, (bool, np.bool_)):
        return t("yes" if value else "no", lang)
    if name in ("website",):
        return html.A(value, href=value, rel="noopener noreferrer", target="_blank")
    if name in ("email", "contact_email"):
        return html.A(value, href=f"mailto:{value}")
    if name in ("phone", "contact_phone"):
        return html.A(value, href=tel_href(value))
    return str(value)


def _empty(value) -> bool:
    if isinstance(value, (list, tuple, str)):
        return len(value) == 0
    return value is None or bool(pd.isna(value))


SKIP = {"id", "provider_id", "name", "provider_name", "street", "house_number", "house_letter", "house_addition", "postcode", "city"}


def local_day(iso: str) -> str:
    """Return an ISO date as Dutch people write it (31-12-2027)."""
    return "-".join(reversed(iso.split("-"))) if isinstance(iso, str) and len(iso) == 10 else str(iso)


def details(row: pd.Series, catalog: Catalog, lang: str) -> list:
    """Return the details of one location: every field of the role's view that has a value."""
    en = lang == "en"
    pairs = []
    for f in FIELDS:
        if f.name in SKIP or f.name not in row.index:
            continue
        value = row[f.name]
        if _empty(value):
            continue
        shown = _value(f.name, value, catalog, lang)
        if f.name == "contract_end":
            shown = [local_day(value), " ", _contract_badge(value, lang)]
        pairs += [html.Dt(f.en if en else f.nl), html.Dd(shown)]
    return [
        html.H3(row["name"]),
        html.P(row["provider_name"], className="provider"),
        html.Dl([html.Dt(t("address", lang)), html.Dd(address_line(row)), *pairs]),
        html.P(html.A(t("report_mistake", lang), href=f"/melding?locatie={row['id'] if 'id' in row.index else row.name}"
                      + ("&lang=en" if en else ""))),
    ]


__all__ = ["BY_NAME", "care_icon", "details", "legend", "location_list"]
