"""The BW arithmetic, table by table: free places, percentage, class boundaries, staleness, totals,
and the guard that refuses any view without the BW columns. Expected values are written out here."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from wmo_kaart.core import bw

TODAY = dt.date(2026, 11, 28)


def frame(rows):
    data = pd.DataFrame(rows, columns=["id", "name", "provider_name", "municipality_code", "bw_capacity", "bw_occupancy",
                                       "bw_updated"])
    for column in ("bw_capacity", "bw_occupancy"):
        data[column] = data[column].astype("Int64")
    return data


@pytest.mark.parametrize(("capacity", "occupancy", "free", "pct", "klass"), [
    (10, 0, 10, 0, "ruimte"),
    (10, 8, 2, 80, "ruimte"),
    (10, 9, 1, 90, "bijna"),     # 90 % is the lower bound of "nearly full"
    (12, 10, 2, 83, "ruimte"),   # 83.3 rounds down
    (200, 179, 21, 90, "bijna"), # 89.5 rounds to 90
    (10, 10, 0, 100, "vol"),
    (0, 0, 0, 100, "vol"),       # no places at all counts as full
    (8, None, 8, 0, "ruimte"),   # unknown occupancy is read as zero
])
def test_free_places_percentage_and_class(capacity, occupancy, free, pct, klass):
    rows = bw.locations(frame([["A", "A", "P", "GM0828", capacity, occupancy, "2026-11-01"]]), TODAY)
    row = rows.iloc[0]
    assert (row["free"], row["pct"], row["class"]) == (free, pct, klass)


@pytest.mark.parametrize(("updated", "age", "stale"), [
    ("2026-11-28", 0, False), ("2026-08-30", 90, False), ("2026-08-29", 91, True), (None, None, True), ("kapot", None, True),
])
def test_staleness(updated, age, stale):
    row = bw.locations(frame([["A", "A", "P", "GM0828", 10, 5, updated]]), TODAY, stale_days=90).iloc[0]
    assert row["stale"] is stale or row["stale"] == stale
    assert (row["age_days"] is None or pd.isna(row["age_days"])) if age is None else row["age_days"] == age


def test_locations_without_capacity_are_not_bw_locations():
    rows = bw.locations(frame([["A", "A", "P", "GM0828", None, None, None], ["B", "B", "P", "GM0828", 5, 1, "2026-11-01"]]), TODAY)
    assert list(rows["id"]) == ["B"]


def test_totals_per_provider():
    rows = bw.locations(frame([
        ["A", "A", "Zorg 1", "GM0828", 10, 10, "2026-11-01"],
        ["B", "B", "Zorg 1", "GM0855", 10, 5, "2026-01-01"],
        ["C", "C", "Zorg 2", "GM0855", 4, 1, "2026-11-01"]]), TODAY)
    totals = bw.totals(rows, "provider_name").set_index("provider_name")
    assert totals.loc["Zorg 1"].to_dict() == {"locations": 2, "capacity": 20, "occupancy": 15, "stale": 1, "free": 5, "pct": 75}
    assert totals.loc["Zorg 2"].to_dict() == {"locations": 1, "capacity": 4, "occupancy": 1, "stale": 0, "free": 3, "pct": 25}


@pytest.mark.parametrize("role", ["anonymous", "wmo_consulent", "contractmanager", "bestuurder"])
def test_views_without_bw_columns_are_refused(role):
    from tests.conftest import DEMO
    from wmo_kaart.core import access
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.dataset import load_geojson

    view = access.view_for(load_geojson(DEMO, default_catalog()), role)
    with pytest.raises(PermissionError):
        bw.locations(view, TODAY)


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance, written out here (not taken from the code under test)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_occupancy_classes_keep_contrast_and_differ_by_shape():
    from layers.bw import INNER
    from wmo_kaart.core import bw

    for _bound, slug, _nl, _en, colour in bw.CLASSES:
        contrast = (1.0 + 0.05) / (_luminance(colour) + 0.05)
        assert contrast >= 3.0, (slug, round(contrast, 2))  # against the white map, opaque
    shapes = [bw.SHAPES[slug] for _b, slug, *_rest in bw.CLASSES]
    assert len(set(shapes)) == len(shapes)  # colour is never the only difference
    inner = [INNER[s] for s in shapes]
    assert len(set(inner)) == len(inner)


def test_bw_halos_are_opaque_and_drawn_as_their_shapes(feature):

    import pandas as pd

    from layers import DrawContext
    from layers.bw import draw
    from wmo_kaart.core.catalog import default_catalog

    rows = []
    for i, (cap, occ) in enumerate(((10, 10), (10, 9), (10, 2))):
        rows.append({"id": f"B{i}", "name": f"B{i}", "lat": 51.7, "lon": 5.5 + i / 100, "bw_capacity": cap,
                     "bw_occupancy": occ, "bw_updated": TODAY.isoformat(), "care_types": ("15",)})
    halos = [f["properties"] for f in draw(pd.DataFrame(rows), DrawContext(default_catalog(), (), "nl")).features]
    assert [(h["id"], h["shape"], h["inner"]) for h in halos] == [("B0", "disc", 0), ("B1", "ring", 22), ("B2", "thin", 26)]
    assert [h["colour"] for h in halos] == ["#9B1C1C", "#A04E00", "#1E6B34"]  # full, nearly full, places free
    assert halos[1]["title"] == "B1: 9 van 10 plaatsen bezet (90%), 1 vrij"

