"""Where the data lives. One interface owns every read and write: the current data and its version,
staged imports, publishing against the version a change was checked on, versions, rollback, BW
history, remembered column mappings and the usage counts. Backends: a GeoJSON file (`filestore.FileStore`) and
PostgreSQL/PostGIS (`pgstore.PostgisStore`). The rules both keep (when a publish or a rollback is
refused) are written once here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Protocol

from .dataset import Dataset
from . import clock


class StoreError(RuntimeError):
    """A write that could not be done; the message is Dutch and names the folder, for the user."""


class StaleError(StoreError):
    """The data changed since a change was checked: check again before publishing."""


@dataclass(frozen=True)
class Version:
    """One published version: number, when, who, what it came from, how many locations, based on which."""

    number: int
    published_at: str
    actor: str
    source: str
    source_sha256: str
    data_sha256: str
    locations: int
    note: str = ""
    base: int | None = None


@dataclass(frozen=True)
class BwRecord:
    """One change of a location's BW figures: the figures, their date, who, when and from which file."""

    location_id: str
    capacity: int | None
    occupancy: int | None
    as_of: str | None
    version: int
    actor: str
    at: str
    source: str


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of published bytes, as versions record it."""
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    """Return the current UTC time as versions and the BW history record it."""
    return clock.now().astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def check_publish(base: int | None, live: int | None) -> None:
    """Refuse to publish a change checked against version `base` when `live` has replaced it."""
    if base is not None and base != live:
        raise StaleError(f"De gegevens zijn gewijzigd sinds de controle (toen versie {base}, nu versie {live}). "
                         "Controleer het bestand opnieuw.")


def check_rollback(number: int, live: int | None, base: int | None) -> None:
    """Refuse to roll back to the live version, or when the live version is no longer the one looked at."""
    if number == live:
        raise StoreError(f"versie {number} is al de live versie")
    if base is not None and base != live:
        raise StaleError(f"De gegevens zijn gewijzigd (nu versie {live}). Kijk opnieuw voordat u terugzet.")


class Store(Protocol):
    """Everything the adapters may do with the data."""

    def current(self) -> Dataset:
        """Return the dataset as published now (validated, cached)."""

    def collection(self) -> tuple[dict, int | None]:
        """Return the published GeoJSON collection and its version number."""

    def live_version(self) -> int | None:
        """Return the number of the version that is live."""

    def publish(self, collection: dict, *, actor: str, source: str, source_sha256: str, note: str = "",
                base: int | None = None) -> Version:
        """Publish `collection`; refuse (StaleError) when the live version is no longer `base`."""

    def rollback(self, number: int, *, actor: str, base: int | None = None) -> Version:
        """Publish kept version `number` again, as a new version."""

    def versions(self) -> list[Version]:
        """Return the kept versions, oldest first."""

    def version_data(self, number: int) -> bytes:
        """Return the GeoJSON of a kept version."""

    def bw_history(self, location_id: str | None = None) -> list[BwRecord]:
        """Return every recorded change of BW figures, oldest first."""

    def stage(self, payload: dict, token: str | None = None) -> str:
        """Keep a checked change (private, expiring) and return its token."""

    def staged(self, token: str) -> dict | None:
        """Return a staged change, or None when it does not exist or expired."""

    def discard(self, token: str) -> None:
        """Forget a staged change."""

    def column_mappings(self) -> dict:
        """Return the remembered hand mappings {folded header: field}."""

    def remember_mappings(self, mappings: dict) -> None:
        """Add hand mappings to remember for the next file."""

    @property
    def usage(self):
        """Return the usage counts per day (`core.usage.UsageTable`), shared by every worker."""
