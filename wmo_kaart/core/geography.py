"""Reference geography bundled with the app: the municipal outlines of the region (CBS 2025, CC-BY 4.0)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


MUNICIPAL_OUTLINES = Path(__file__).parent / "data" / "gemeenten_2025.geojson"


@lru_cache(maxsize=4)
def municipal_outlines(path: str | None = None) -> dict:
    """Return the municipal outlines (WGS84 FeatureCollection): the configured file, else the bundled CBS 2025 file."""
    return json.loads(Path(path or MUNICIPAL_OUTLINES).read_text(encoding="utf-8"))
