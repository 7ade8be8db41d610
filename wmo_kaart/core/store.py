"""Where the dataset lives. One interface; today a GeoJSON file, later PostGIS beside it."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from .catalog import Catalog
from .dataset import Dataset, load_geojson
from .validate import InvalidDataError

log = logging.getLogger(__name__)


class Store(Protocol):
    """A source of the current, validated dataset."""

    def current(self) -> Dataset:
        """Return the dataset as published now."""


class GeoJSONStore:
    """A GeoJSON file; reloads when the file changes, keeps the last good version otherwise."""

    def __init__(self, path: str | Path, catalog: Catalog):
        self.path = Path(path)
        self.catalog = catalog
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._dataset = load_geojson(self.path, catalog)  # invalid data refuses to start

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def current(self) -> Dataset:
        stamp = self._stat()
        if stamp == self._stamp or stamp is None:
            return self._dataset
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._dataset = load_geojson(self.path, self.catalog)
                except InvalidDataError as exc:
                    log.error("Nieuwe gegevens geweigerd, vorige versie blijft actief:\n%s", exc)
                self._stamp = stamp
        return self._dataset
