"""Projections between WGS84 (map) and RD New (distances), and the bounds of the Netherlands."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import Transformer

WGS84 = 4326
RD_NEW = 28992

# Generous bounding box of the European Netherlands (lon/lat) and of RD New (metres).
NL_LON = (3.2, 7.3)
NL_LAT = (50.7, 53.7)


def in_netherlands(lon: float, lat: float) -> bool:
    """Tell whether a WGS84 point lies within the bounding box of the Netherlands."""
    return NL_LON[0] <= lon <= NL_LON[1] and NL_LAT[0] <= lat <= NL_LAT[1]


@lru_cache(maxsize=None)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def to_rd(lon, lat):
    """Project WGS84 lon/lat (scalars or arrays) to RD New x/y in metres."""
    return _transformer(WGS84, RD_NEW).transform(np.asarray(lon, float), np.asarray(lat, float))


def to_wgs84(x, y):
    """Project RD New x/y in metres to WGS84 lon/lat."""
    return _transformer(RD_NEW, WGS84).transform(np.asarray(x, float), np.asarray(y, float))
