"""Figures and tables of the coverage page: choropleth with locations, bar chart, histogram, rows."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from layers import Overlay, point

from ..core.coverage import Coverage
from ..i18n import t

# Distance classes in km with colours from light to dark (sequential, readable in greyscale too).
CLASSES = ((2.5, "#fef0d9"), (5, "#fdcc8a"), (10, "#fc8d59"), (15, "#e34a33"), (float("inf"), "#7f0000"))
CLASS_LABELS = ("≤ 2,5 km", "2,5–5 km", "5–10 km", "10–15 km", "> 15 km")
REGION_OUTLINE = "#333333"


def _nl(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def distance_class(km: float) -> int:
    """Return the index of the distance class of `km`; no distance at all (no location) is the last class."""
    return next((i for i, (upper, _c) in enumerate(CLASSES) if km <= upper), len(CLASSES) - 1)


def _area_title(a, km: float, population: float, lang: str) -> str:
    return (f"{a.id} · {a.name}: {t('cov_distance_km', lang)} {_nl(km)} ({a.nearest_id}); "
            f"{t('cov_population', lang)} {_nl(population, 0) if np.isfinite(population) else '?'}")


def _points(lon, lat, props: list[dict]) -> dict:
    return Overlay([point(x, y, p) for x, y, p in zip(np.atleast_1d(lon), np.atleast_1d(lat), props)]).collection()


def coverage_map(result: Coverage, outlines: dict, lang: str, misses: dict[str, int] | None = None) -> dict:
    """Return what the coverage map (Leaflet, assets/map.js) draws: every area filled by its distance class
    with its figures as title, the suitable locations, the added (what-if) ones, and, when given, a square
    per postcode area where residents' searches found nothing nearby (size by number); and the view that
    shows the areas."""
    areas = result.areas
    km = (areas["nearest_m"] / 1000).to_numpy()
    by_id = {a.id: (a, k, p) for a, k, p in zip(areas.itertuples(), km, areas["population"])}
    features = []
    for feature in outlines["features"]:
        area_id = str(feature.get("id") or feature["properties"].get("id"))
        if area_id in by_id:
            a, k, p = by_id[area_id]
            features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
                "id": area_id, "fill": CLASSES[distance_class(k)][1], "title": _area_title(a, k, p, lang)}})
    supply = result.supply
    from ..core.geo import to_wgs84

    real, added = supply[supply["provider_id"] != "NIEUW"], supply[supply["provider_id"] == "NIEUW"]
    lon, lat = to_wgs84(real["x"].to_numpy(), real["y"].to_numpy())
    points = _points(lon, lat, [{"id": i, "title": i, "radius": 4, "colour": "#0b57a4"} for i in real["id"]])
    lon, lat = to_wgs84(added["x"].to_numpy(), added["y"].to_numpy()) if len(added) else ([], [])
    extra = _points(lon, lat, [{"id": i, "title": i, "radius": 8, "colour": "#111111"}
                               for i in added["id"]])
    from ..core.viewport import leaflet_view

    return {"areas": {"type": "FeatureCollection", "features": features}, "locations": points, "added": extra,
            "misses": _misses_points(misses or {}, lang), "view": leaflet_view(areas["lon"].tolist(), areas["lat"].tolist())}


def _misses_points(misses: dict[str, int], lang: str) -> dict:
    from ..core.demand import load_demand

    if not misses:
        return {"type": "FeatureCollection", "features": []}
    areas = load_demand(None).frame.set_index("id")  # the CBS postcode areas the counts are kept by
    known = [(pc4, n) for pc4, n in misses.items() if pc4 in areas.index]
    top = max([n for _p, n in known] or [1])
    return _points([float(areas.at[p, "lon"]) for p, _n in known], [float(areas.at[p, "lat"]) for p, _n in known],
                   [{"id": p, "title": t("cov_miss_row", lang, id=p, n=n), "size": round(10 + 14 * n / top)} for p, n in known])


def bar_chart(now: Coverage, after: Coverage | None, lang: str) -> go.Figure:
    """Return the share of residents within the smallest threshold per municipality (before and after)."""
    first = min(now.scenario.thresholds_km)
    key = f"within_{first:g}"
    fig = go.Figure(go.Bar(x=now.municipalities["name"], y=100 * now.municipalities[key], name=t("cov_now", lang),
                           marker_color="#0b57a4"))
    if after is not None:
        fig.add_trace(go.Bar(x=after.municipalities["name"], y=100 * after.municipalities[key], name=t("cov_after", lang),
                             marker_color="#c0392b", marker_pattern_shape="/"))
    fig.update_layout(title=t("cov_bar", lang, km=_nl(first, 0)), yaxis=dict(title="%", range=[0, 100]),
                      barmode="group", margin=dict(l=50, r=10, t=50, b=110), legend=dict(orientation="h"))
    return fig


def histogram(result: Coverage, lang: str) -> go.Figure:
    """Return residents by distance to the nearest location (population-weighted, 1 km bins)."""
    areas = result.areas
    finite = np.isfinite(areas["nearest_m"]) & np.isfinite(areas["population"])
    fig = go.Figure(go.Histogram(x=areas.loc[finite, "nearest_m"] / 1000, y=areas.loc[finite, "population"], histfunc="sum",
                                 xbins=dict(start=0, size=1), marker_color="#0b57a4"))
    fig.update_layout(title=t("cov_hist", lang), xaxis_title=t("cov_distance_km", lang), yaxis_title=t("cov_population", lang),
                      margin=dict(l=60, r=10, t=50, b=50), bargap=0.05)
    return fig


def table(now: Coverage, after: Coverage | None, lang: str) -> tuple[list[dict], list[dict]]:
    """Return the columns and rows of the municipality table (with 'after' columns for a what-if)."""
    keys = [f"{k:g}" for k in now.scenario.thresholds_km]
    columns = [{"name": t("municipality", lang), "id": "name"},
               {"name": t("cov_population65" if now.scenario.older else "cov_population", lang), "id": "population", "type": "numeric"},
               {"name": t("cov_locations", lang), "id": "locations", "type": "numeric"},
               {"name": t("cov_per10000", lang), "id": "per_10000", "type": "numeric"},
               {"name": t("cov_mean", lang), "id": "mean_km", "type": "numeric"},
               *[{"name": t("cov_within", lang, km=k) + " (%)", "id": f"within_{k}", "type": "numeric"} for k in keys]]
    if after is not None:
        suffix = f" ({t('cov_after', lang).lower()})"
        columns += [{"name": t("cov_locations", lang) + suffix, "id": "after_locations", "type": "numeric"},
                    {"name": t("cov_mean", lang) + suffix, "id": "after_mean_km", "type": "numeric"},
                    *[{"name": t("cov_within", lang, km=k) + " (%)" + suffix, "id": f"after_within_{k}", "type": "numeric"}
                      for k in keys]]

    def row(m, prefix=""):
        def rnd(v, d):
            return None if v is None or not np.isfinite(v) else round(float(v), d)
        return {f"{prefix}locations": int(m["locations"]), f"{prefix}mean_km": rnd(m["mean_m"] / 1000, 2),
                **{f"{prefix}within_{k}": rnd(100 * m[f"within_{k}"], 1) for k in keys}}

    rows = []
    frames = [now.municipalities.to_dict("records") + [{"name": t("cov_region", lang), **now.region}]]
    frames.append(after.municipalities.to_dict("records") + [{"name": t("cov_region", lang), **after.region}] if after else None)
    for i, m in enumerate(frames[0]):
        values = {"name": m["name"], "population": int(m["population"]),
                  "per_10000": None if not np.isfinite(m["per_10000"]) else round(float(m["per_10000"]), 2), **row(m)}
        if frames[1]:
            values.update(row(frames[1][i], "after_"))
        rows.append(values)
    return columns, rows
