"""An immutable, validated dataset of provider locations, loaded from GeoJSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import clock, demo_dates
from .catalog import Catalog
from .geo import to_rd
from .text import fold
from .schema import FIELDS, LIST_FIELDS, normalise_postcode
from .validate import InvalidDataError, Problem, validate_collection

# Columns derived from public fields only; every role view carries them. Membership flags per
# care type and target group ("care:07", "target:ggz") make filtering vectorised.
DERIVED = ("lon", "lat", "x", "y", "search_text")
FLAG_PREFIXES = ("care:", "target:")


def derived_columns(frame: pd.DataFrame) -> list[str]:
    """Return the derived columns of `frame`, flags included."""
    return [*DERIVED, *(c for c in frame.columns if c.startswith(FLAG_PREFIXES))]


@dataclass(frozen=True, eq=False)
class Dataset:
    """All locations with every field; hand it to adapters only through `access.view_for`."""

    frame: pd.DataFrame
    version: str
    source: str
    meta: dict = field(default_factory=dict)
    _views: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.frame)


def frame_from_features(features: list[dict]) -> pd.DataFrame:
    """Build the location table from valid GeoJSON features."""
    rows = []
    for feat in features:
        props = feat["properties"]
        row = {f.name: props.get(f.name) for f in FIELDS}
        for name in LIST_FIELDS:
            row[name] = tuple(row[name] or ())
        row["postcode"] = normalise_postcode(row["postcode"])
        row["lon"], row["lat"] = feat["geometry"]["coordinates"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[f.name for f in FIELDS] + ["lon", "lat"])
    frame["x"], frame["y"] = to_rd(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    frame["search_text"] = [fold(f"{a} {b} {c}") for a, b, c in zip(frame["provider_name"], frame["name"], frame["city"])]
    for name in ("bw_capacity", "bw_occupancy", "free_places"):
        frame[name] = frame[name].astype("Int64")
    flags = {}
    for column, prefix in (("care_types", "care:"), ("target_groups", "target:")):
        for code in sorted({c for values in frame[column] for c in values}):
            flags[prefix + code] = frame[column].map(lambda values, code=code: code in values).astype(bool)
    frame = pd.concat([frame, pd.DataFrame(flags, index=frame.index)], axis=1)
    frame = frame.set_index("id", drop=False)
    frame.index = frame.index.astype(object)  # taking rows by position from a pandas 3 string index is 10x slower
    return frame


def parse_bytes(raw: bytes, catalog: Catalog, source: str, today: dt.date | None = None) -> Dataset:
    """Validate GeoJSON bytes and return the dataset as of `today` (demo dates move along; see
    `demo_dates`), or raise InvalidDataError."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidDataError([Problem(source, None, None, None, f"geen geldige JSON: {exc}")]) from exc
    months = demo_dates.shift_months(data, today or clock.today()) if isinstance(data, dict) else 0
    if months:
        data = demo_dates.current(data, today or clock.today())
    problems = validate_collection(data, catalog, source)
    if problems:
        raise InvalidDataError(problems)
    version = hashlib.sha256(raw + (f"demo{months:+d}".encode() if months else b"")).hexdigest()[:12]
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return Dataset(frame_from_features(data["features"]), version, source, meta)


def load_geojson(path: str | Path, catalog: Catalog, today: dt.date | None = None) -> Dataset:
    """Read, validate and return the dataset at `path`, or raise InvalidDataError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidDataError([Problem(str(path), None, None, None, f"bestand niet leesbaar: {exc.strerror}")]) from exc
    return parse_bytes(raw, catalog, path.name, today)
