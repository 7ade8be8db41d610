"""Map tiles served from our own origin: a background map fetched upstream by our server (never by
residents' browsers) and kept in a size-limited disk cache, and label tiles (place names and
municipal borders) that we draw ourselves from the bundled reference data.

Web Mercator tiles (z/x/y, 256 px), as MapLibre and Leaflet ask for them.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import struct
import tempfile
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import fonts

SIZE = 256
MAX_ZOOM = 19
USER_AGENT = "Wmo-kaart tile proxy (+https://github.com/wmo-kaart)"

Fetch = Callable[[str, float], bytes]


class TileError(ValueError):
    """A tile address that does not exist (Dutch message)."""


class TileUnavailable(RuntimeError):
    """The upstream cannot give the tile and we have no copy."""


def check_address(z: int, x: int, y: int) -> None:
    """Refuse tile addresses outside the Web Mercator pyramid."""
    if not 0 <= z <= MAX_ZOOM:
        raise TileError(f"zoomniveau {z} bestaat niet (0 tot {MAX_ZOOM})")
    if not (0 <= x < 2 ** z and 0 <= y < 2 ** z):
        raise TileError(f"tegel {z}/{x}/{y} bestaat niet")


def lonlat_to_pixel(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Return the global pixel position of a WGS84 point at zoom `z` (Web Mercator)."""
    scale = SIZE * 2 ** z
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = (lon + 180.0) / 360.0 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    return x, y


class DiskCache:
    """Tiles on disk under `folder`, at most `max_bytes` in all; the least recently used go first.

    A tile file starts with its fetch time (`MAGIC` and 8 bytes); its modification time is its last use,
    set by the file system (`os.utime(path)`). An index in memory (built from the folder once, kept up to
    date by this process and read again every `RESCAN_SECONDS` for other workers' writes) makes a new
    tile cost O(1), not a scan of the whole cache; eviction is safe when another process removed a file
    first."""

    MAGIC = b"WMOT"
    RESCAN_SECONDS = 60.0

    def __init__(self, folder: Path, max_bytes: int):
        self.folder, self.max_bytes = Path(folder), max_bytes
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._index: OrderedDict[Path, int] = OrderedDict()  # path -> size, least recently used first
        self._total = 0
        self._scanned = -float("inf")

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.tile"

    def _rescan(self) -> None:
        """Read the folder into the index (oldest use first); caller holds the lock."""
        files = []
        for path in self.folder.glob("*/*.tile"):
            try:
                st = path.stat()
            except FileNotFoundError:  # removed meanwhile by another worker
                continue
            files.append((st.st_mtime_ns, st.st_size, path))
        self._index = OrderedDict((path, size) for _t, size, path in sorted(files))
        self._total = sum(self._index.values())
        self._scanned = time.monotonic()

    def _fresh_index(self) -> None:
        if time.monotonic() - self._scanned > self.RESCAN_SECONDS:
            self._rescan()

    def get(self, key: str) -> tuple[bytes, float] | None:
        """Return (bytes, age in seconds) of a cached tile, or None."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
            os.utime(path)  # last use, for eviction (also by other workers after their next rescan)
        except OSError:
            return None
        with self._lock:
            if path in self._index:
                self._index.move_to_end(path)
        if raw[:4] != self.MAGIC or len(raw) < 12:
            return raw, float("inf")  # written before fetch times were kept: stale, still a fallback
        (fetched,) = struct.unpack("<d", raw[4:12])
        return raw[12:], max(0.0, time.time() - fetched)

    def put(self, key: str, data: bytes) -> None:
        """Store a tile atomically; evict the least recently used when over the limit."""
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        body = self.MAGIC + struct.pack("<d", time.time()) + data
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.replace(tmp, path)
        with self._lock:
            self._fresh_index()
            self._total += len(body) - self._index.pop(path, 0)
            self._index[path] = len(body)
            self._evict()

    def size(self) -> int:
        total = 0
        for path in self.folder.glob("*/*.tile"):
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                continue
        return total

    def _evict(self) -> None:
        """Drop the least recently used until under the limit; caller holds the lock."""
        while self._total > self.max_bytes and self._index:
            path, size = self._index.popitem(last=False)
            self._total -= size
            path.unlink(missing_ok=True)  # another worker may have removed it first


IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/webp": b"RIFF"}
MAX_TILE_BYTES = 1_000_000  # a map tile is tens of kilobytes; more is no tile


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's hook
        raise TileUnavailable(f"doorverwijzing naar {newurl[:80]} niet gevolgd")


_OPENER = urllib.request.build_opener(_NoRedirects)


def image_type(data: bytes) -> str | None:
    """Return the media type of a PNG, JPEG or WebP image by its first bytes, or None."""
    for media, magic in IMAGE_TYPES.items():
        if data.startswith(magic) and (media != "image/webp" or data[8:12] == b"WEBP"):
            return media
    return None


def http_fetch(url: str, timeout: float) -> bytes:
    """Fetch `url` with a timeout, following no redirect, accepting only a PNG, JPEG or WebP image of a tile's
    size; raise TileUnavailable on anything else."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:  # noqa: S310 - configured https template
            if response.status != 200:
                raise TileUnavailable(f"status {response.status}")
            declared = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            data = response.read(MAX_TILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise TileUnavailable(str(exc)) from exc
    if len(data) > MAX_TILE_BYTES:
        raise TileUnavailable(f"tegel groter dan {MAX_TILE_BYTES} bytes")
    if declared not in IMAGE_TYPES or image_type(data) != declared:
        raise TileUnavailable(f"geen tegelafbeelding ({declared or 'zonder type'})")
    return data


class TileBusy(RuntimeError):
    """Too many fetches upstream right now (for this client or in all): try again shortly."""


@dataclass
class Proxy:
    """The background map: fresh from the cache, else upstream (within the fetch limits), else a stale copy."""

    template: str
    cache: DiskCache
    timeout: float = 5.0
    max_age: float = 7 * 24 * 3600
    fetch: Fetch = http_fetch
    concurrent: int = 4  # upstream fetches at once, per process
    slots: threading.BoundedSemaphore = field(init=False, repr=False)

    def __post_init__(self):
        self.slots = threading.BoundedSemaphore(self.concurrent)

    def tile(self, z: int, x: int, y: int, may_fetch: Callable[[], bool] = lambda: True) -> bytes:
        """Return the tile; `may_fetch` says whether this client may cause one more upstream fetch."""
        check_address(z, x, y)
        url = self.template.format(z=z, x=x, y=y)
        cached = self.cache.get(url)
        if cached and cached[1] < self.max_age:
            return cached[0]
        if not may_fetch() or not self.slots.acquire(timeout=self.timeout):
            if cached:
                return cached[0]
            raise TileBusy("te veel nieuwe tegels tegelijk")
        try:
            data = self.fetch(url, self.timeout)
        except TileUnavailable:
            if cached:
                return cached[0]  # the upstream is down: yesterday's map is better than none
            raise
        finally:
            self.slots.release()
        self.cache.put(url, data)
        return data


# --- labels: place names and municipality names, drawn by us ---------------------------------

@dataclass(frozen=True)
class Label:
    """A name at a point, drawn from zoom `min_zoom` on; `rank` orders who wins a collision."""

    text: str
    lon: float
    lat: float
    min_zoom: float
    rank: float
    size: int
    bold: bool = False
    max_zoom: float = 99


def _box(label: Label, z: int) -> tuple[float, float, float, float]:
    x, y = lonlat_to_pixel(label.lon, label.lat, z)
    left, top, right, bottom = fonts.font(label.size).getbbox(label.text)
    width, height = right - left, bottom - top
    return x - width / 2 - 3, y - height / 2 - 3, x + width / 2 + 3, y + height / 2 + 3


@lru_cache(maxsize=32)
def placed(labels: tuple[Label, ...], z: int) -> tuple[tuple[Label, tuple[float, float, float, float]], ...]:
    """Return the labels shown at zoom `z` with their pixel boxes: greedy by rank, never overlapping.

    Placement is global per zoom level, so a label crossing a tile edge is drawn the same on both tiles."""
    chosen: list[tuple[Label, tuple[float, float, float, float]]] = []
    for label in sorted((lb for lb in labels if lb.min_zoom <= z <= lb.max_zoom), key=lambda lb: (-lb.rank, lb.text)):
        box = _box(label, z)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for _l, b in chosen):
            chosen.append((label, box))
    return tuple(chosen)


def label_tile(labels: tuple[Label, ...], z: int, x: int, y: int) -> bytes:
    """Return a transparent PNG tile with the names placed at zoom `z`, dark text on a white halo."""
    from PIL import Image, ImageDraw

    check_address(z, x, y)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    left, top = x * SIZE, y * SIZE
    drawn = 0
    for label, box in placed(labels, z):
        if box[2] < left or box[0] > left + SIZE or box[3] < top or box[1] > top + SIZE:
            continue
        drawn += 1
        px, py = lonlat_to_pixel(label.lon, label.lat, z)
        draw.text((px - left, py - top), label.text, font=fonts.font(label.size), anchor="mm",
                  fill=(17, 17, 17, 255), stroke_width=3 if label.bold else 2, stroke_fill=(255, 255, 255, 235))
    if not drawn:
        image = Image.new("RGBA", (1, 1), (0, 0, 0, 0))  # nothing here: the smallest transparent image
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
