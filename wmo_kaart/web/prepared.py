"""Responses prepared once per data version: the GeoJSON of every location of a role view encoded once,
whole answers kept per query in a cache bounded in bytes (compressed copies beside them), with an ETag
so a repeat with `If-None-Match` costs a dictionary lookup.

Everything hangs on the role view (one per data version and role), so a new version starts empty and the
old one is dropped with its view: no answer outlives the data it was made from, in any worker.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd

from ..core.per_view import PerView
from ..export.tables import to_geojson

CACHE_BYTES = 24 * 1024 * 1024  # per worker and role view: the common selections (all, per municipality, per care type)
KEEP_MAX = 6 * 1024 * 1024  # a larger answer (all locations at national scale) is joined from the features, not kept
TINY = 1024  # bodies smaller than this go uncompressed: gzip costs more than it saves


def encode(value) -> bytes:
    """Strict, compact UTF-8 JSON, as every API answer is written."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


@dataclass
class Answer:
    """One prepared answer: the body, its ETag and compressed copies made on first request."""

    body: bytes
    etag: str
    compressed: dict[str, bytes] = field(default_factory=dict)

    def encoded(self, encoding: str) -> bytes:
        if encoding not in self.compressed:
            if encoding == "br":
                import brotli

                self.compressed[encoding] = brotli.compress(self.body, quality=5)
            else:
                self.compressed[encoding] = gzip.compress(self.body, compresslevel=6)
        return self.compressed[encoding]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(b) for b in self.compressed.values())


class Prepared:
    """A role view's encoded features and its bounded cache of answers."""

    def __init__(self, view: pd.DataFrame):
        self._view = weakref.ref(view)
        self._features: list[bytes] | None = None
        self._positions: dict[str, int] | None = None
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def features(self) -> tuple[list[bytes], dict[str, int]]:
        """Return every location's Feature as JSON bytes, in view order, and the position of each id."""
        if self._features is None:
            view = self._view()
            collection = to_geojson(view)
            self._features = [encode(f) for f in collection["features"]]
            self._positions = {str(i): n for n, i in enumerate(view.index)}
        return self._features, self._positions

    def collection(self, rows: pd.DataFrame, tail: dict) -> bytes:
        """Return the FeatureCollection of `rows` (a slice of the view) followed by the members of `tail`:
        the same bytes as encoding the whole dictionary, without encoding a feature again."""
        parts, positions = self.features()
        head = b'{"type":"FeatureCollection","features":['
        body = b",".join(parts[positions[str(i)]] for i in rows.index)
        rest = encode(tail)
        return head + body + b"]" + ((b"," + rest[1:]) if len(rest) > 2 else b"}")

    def answer(self, key: tuple, make) -> Answer:
        """Return the cached answer for `key`, or make it with `make()` (bytes) and keep it within the bound."""
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
                return found
        body = make()
        made = Answer(body, 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        if len(body) > KEEP_MAX:
            return made
        with self._lock:
            self._answers[key] = made
            self._size += made.size
            while self._size > CACHE_BYTES and len(self._answers) > 1:
                _old, dropped = self._answers.popitem(last=False)
                self._size -= dropped.size
        return made

    def grew(self, before: int, answer: Answer) -> None:
        """Count compressed copies made after an answer was kept."""
        with self._lock:
            self._size += answer.size - before


_PREPARED: PerView[Prepared] = PerView(Prepared)


def prepared(view: pd.DataFrame) -> Prepared:
    """Return the prepared answers of a (long-lived, immutable) role view, made once and dropped with it."""
    return _PREPARED.get(view)


def best_encoding(accept: str) -> str | None:
    """Return br or gzip when the client accepts it (br first, as the rest of the site), else None."""
    offered = {part.split(";")[0].strip().lower(): "q=0" not in part.replace(" ", "") for part in accept.split(",")}
    for encoding in ("br", "gzip"):
        if offered.get(encoding):
            return encoding
    return None
