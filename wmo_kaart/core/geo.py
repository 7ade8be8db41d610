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


SAME_SPOT_METRES = 50  # one building or its neighbours: their markers overlap at every zoom level of a town


def same_spot(lons, lats, metres: float = SAME_SPOT_METRES) -> list[int]:
    """Return, per location, the number of its spot: locations linked by gaps of at most `metres` share one."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if len(lons) == 0:
        return []
    x, y = to_rd(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(metres, output_type="ndarray")
    n = len(x)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)) if len(pairs) else coo_matrix((n, n))
    return connected_components(graph, directed=False)[1].tolist()
