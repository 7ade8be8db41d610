"""The PostgreSQL/PostGIS backend of the store (`WMO_KAART_STORE=postgresql://…`).

Versions, the live locations (a PostGIS point each, with a spatial index), BW history, staged
checks and remembered mappings are tables, created by Alembic migrations. Publishing is one
transaction under an advisory lock: the version, the live locations and the BW history change
together or not at all. Workers notice a new version by a cheap `max(number)` check at most once a
second, not by re-reading the data per request.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from functools import cached_property
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from . import clock, demo_dates
from .catalog import Catalog
from .dataset import Dataset, parse_bytes
from .filestore import KEEP, TOKEN_RE, bw_changes, serialise
from .modified import stamp
from .store import BwRecord, StoreError, Version, check_publish, check_rollback, now_iso, sha256_hex
from .validate import InvalidDataError

LOCK_KEY = 0x574D4F  # "WMO": one writer at a time, for every process and host on this database
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_VERSION_COLUMNS = "number, published_at, actor, source, source_sha256, data_sha256, locations, note, base"


def engine_url(url: str) -> str:
    """Return a SQLAlchemy URL with the psycopg driver for a postgresql:// URL."""
    parsed = make_url(url)
    return str(parsed.set(drivername="postgresql+psycopg")) if parsed.drivername in ("postgresql", "postgres") else url


def migrate(conn) -> None:
    """Bring the database schema to the newest migration (Alembic), on `conn` inside its transaction;
    the caller holds the store's lock, so servers starting together migrate one after the other."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


class PostgisStore:
    """The store in PostgreSQL with PostGIS; `seed` (a GeoJSON file) becomes version 1 of an empty store."""

    def __init__(self, url: str, catalog: Catalog, *, seed: str | Path | None = None, keep: int = KEEP,
                 staging_hours: float = 24.0, check_seconds: float = 1.0):
        self.catalog = catalog
        self.keep = max(keep, 2)
        self.staging_seconds = staging_hours * 3600
        self.check_seconds = check_seconds
        self.engine = create_engine(engine_url(url), pool_pre_ping=True, future=True)
        self._lock = threading.Lock()
        try:
            with self.engine.begin() as conn:  # one transaction under the lock: schema, then the seed of an empty store
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                migrate(conn)
                empty = conn.execute(text("SELECT max(number) FROM store_versions")).scalar() is None
                if empty and seed and Path(seed).exists():
                    raw = Path(seed).read_bytes()
                    self._commit(conn, json.loads(raw), "systeem", Path(seed).name, sha256_hex(raw),
                                 "gegevens vóór de eerste publicatie")
        except SQLAlchemyError as exc:
            raise StoreError(f"De database van de gegevens is niet bereikbaar of niet bij te werken: {exc.__class__.__name__}") from exc
        self._checked = 0.0
        self._number: int | None = None
        self._dataset: Dataset | None = None
        self._day = None
        self.current()  # invalid data refuses to start

    # reading -------------------------------------------------------------------------------
    def live_version(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT max(number) FROM store_versions")).scalar()

    def current(self) -> Dataset:
        if self._dataset is not None and time.monotonic() - self._checked < self.check_seconds:
            return self._dataset
        with self._lock:
            number = self.live_version()
            self._checked = time.monotonic()
            day = clock.today()
            if number != self._number or self._dataset is None or (day != self._day and self._dataset.meta.get("demo")):
                if number is None:
                    raise InvalidDataError([])
                data = self.version_data(number)
                try:
                    self._dataset = parse_bytes(data, self.catalog, f"v{number}", day)
                    self._number, self._day = number, day
                except InvalidDataError:
                    if self._dataset is None:
                        raise
        return self._dataset

    def collection(self) -> tuple[dict, int | None]:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT number, data FROM store_versions ORDER BY number DESC LIMIT 1")).first()
        if row is None:
            return {"type": "FeatureCollection", "features": []}, None
        return demo_dates.current(json.loads(row.data)), row.number

    def versions(self) -> list[Version]:
        with self.engine.connect() as conn:
            rows = conn.execute(text(f"SELECT {_VERSION_COLUMNS} FROM store_versions ORDER BY number")).all()
        return [Version(**row._asdict()) for row in rows]

    def version_data(self, number: int) -> bytes:
        with self.engine.connect() as conn:
            data = conn.execute(text("SELECT data FROM store_versions WHERE number = :n"), {"n": number}).scalar()
        if data is None:
            raise StoreError(f"versie {number} bestaat niet (meer)")
        return data.encode("utf-8")

    def bw_history(self, location_id: str | None = None) -> list[BwRecord]:
        query = "SELECT location_id, capacity, occupancy, as_of, version, actor, at, source FROM store_bw_history"
        with self.engine.connect() as conn:
            rows = conn.execute(text(query + (" WHERE location_id = :id" if location_id else "") + " ORDER BY seq"),
                                {"id": location_id}).all()
        return [BwRecord(**row._asdict()) for row in rows]

    # writing -------------------------------------------------------------------------------
    def _commit(self, conn, collection: dict, actor: str, source: str, source_sha: str, note: str) -> Version:
        """Stamp and write a version, the live locations and the BW history; the caller holds the lock."""
        previous = conn.execute(text("SELECT number, published_at, data FROM store_versions ORDER BY number DESC LIMIT 1")).first()
        number = (previous.number if previous else 0) + 1
        before = json.loads(previous.data) if previous else {"features": []}
        at = now_iso()
        collection = stamp(before, collection, at, previous.published_at if previous else None)
        data = serialise(collection)
        version = Version(number, at, actor, source, source_sha, sha256_hex(data), len(collection.get("features", [])), note,
                          previous.number if previous else None)
        conn.execute(text(f"INSERT INTO store_versions ({_VERSION_COLUMNS}, data) VALUES (:number, :published_at, :actor, "
                          ":source, :source_sha256, :data_sha256, :locations, :note, :base, :data)"),
                     {**version.__dict__, "data": data.decode("utf-8")})
        conn.execute(text("DELETE FROM store_locations"))
        rows = [{"id": f["properties"]["id"], "v": number, "p": json.dumps(f["properties"], ensure_ascii=False),
                 "lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
                for f in collection.get("features", [])]
        if rows:
            conn.execute(text("INSERT INTO store_locations (id, version, properties, geom) VALUES "
                              "(:id, :v, CAST(:p AS jsonb), ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"), rows)
        history = [{**r, "version": number, "actor": actor, "at": version.published_at, "source": source}
                   for r in bw_changes(before, collection)]
        if history:
            conn.execute(text("INSERT INTO store_bw_history (location_id, capacity, occupancy, as_of, version, actor, at, source) "
                              "VALUES (:location_id, :capacity, :occupancy, :as_of, :version, :actor, :at, :source)"), history)
        conn.execute(text("DELETE FROM store_versions WHERE number <= :n - :keep"), {"n": number, "keep": self.keep})
        return version

    def _write(self, work):
        try:
            with self.engine.begin() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"De database gaf een fout; er is niets gewijzigd ({exc.__class__.__name__}).") from exc

    def publish(self, collection: dict, *, actor: str, source: str, source_sha256: str, note: str = "",
                base: int | None = None) -> Version:
        serialise(collection)  # refuse NaN and the like before taking the lock

        def work(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            check_publish(base, conn.execute(text("SELECT max(number) FROM store_versions")).scalar())
            return self._commit(conn, collection, actor, source, source_sha256, note)
        return self._write(work)

    def rollback(self, number: int, *, actor: str, base: int | None = None) -> Version:
        def work(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            check_rollback(number, conn.execute(text("SELECT max(number) FROM store_versions")).scalar(), base)
            data = conn.execute(text("SELECT data FROM store_versions WHERE number = :n"), {"n": number}).scalar()
            if data is None:
                raise StoreError(f"versie {number} bestaat niet (meer)")
            parse_bytes(data.encode("utf-8"), self.catalog, f"v{number}")
            return self._commit(conn, json.loads(data), actor, f"v{number}", sha256_hex(data.encode("utf-8")),
                                f"terug naar versie {number}")
        return self._write(work)

    # staged changes and remembered mappings --------------------------------------------------
    def stage(self, payload: dict, token: str | None = None) -> str:
        token = token or secrets.token_hex(16)
        if not TOKEN_RE.match(token):
            raise StoreError("onbekende controle")
        body = json.dumps({**payload, "staged_at": time.time()}, ensure_ascii=False)
        self._write(lambda conn: conn.execute(text(
            "INSERT INTO store_staging (token, payload, staged_at) VALUES (:t, :p, :s) "
            "ON CONFLICT (token) DO UPDATE SET payload = EXCLUDED.payload, staged_at = EXCLUDED.staged_at"),
            {"t": token, "p": body, "s": time.time()}))
        return token

    def staged(self, token: str) -> dict | None:
        if not TOKEN_RE.match(token or ""):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT payload, staged_at FROM store_staging WHERE token = :t"), {"t": token}).first()
        if row is None:
            return None
        if time.time() - row.staged_at > self.staging_seconds:
            self.discard(token)
            return None
        return json.loads(row.payload)

    def discard(self, token: str) -> None:
        self._write(lambda conn: conn.execute(text("DELETE FROM store_staging WHERE token = :t"), {"t": token}))

    @cached_property
    def usage(self):
        """Return the usage counts: the table `usage_counts` of this database (migration 0002)."""
        from .usage import UsageTable

        return UsageTable(self.engine, create=False)

    def column_mappings(self) -> dict:
        with self.engine.connect() as conn:
            return dict(conn.execute(text("SELECT header, field FROM store_column_mappings")).all())

    def remember_mappings(self, mappings: dict) -> None:
        if not mappings:
            return
        self._write(lambda conn: conn.execute(text(
            "INSERT INTO store_column_mappings (header, field) VALUES (:h, :f) "
            "ON CONFLICT (header) DO UPDATE SET field = EXCLUDED.field"), [{"h": h, "f": f} for h, f in mappings.items()]))
