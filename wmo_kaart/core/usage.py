"""Usage figures without tracking anyone: counts of events per day, nothing per person.

An event is a name and a key from a closed vocabulary (`EVENTS`): a page, an embedding site's host, a
kind and result of a search, a four-digit postcode area with a care type, an export format, an API
endpoint with a role. Nothing else reaches the table: no address, user agent, cookie, session, search
text or six-digit postcode. A row is `(period, event, key, n)`; the period is a day (`2026-12-03`) or,
after the retention, a month (`2026-12`): `fold` adds old days into their month and deletes them in one
transaction, so totals never change.

`UsageTable` keeps the rows in SQL (SQLite beside the file store, a table of the PostGIS store; the same
upsert on both). `Tally` adds up a worker's events in memory and writes them at most every few
seconds, so a busy API does not write a row per request; the page that reads figures writes first.
No Flask, no Dash in here.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import clock

log = logging.getLogger(__name__)

# event -> (Dutch, English): what is counted. The key of each is described in docs/usage.md.
EVENTS: dict[str, tuple[str, str]] = {
    "page": ("Paginabezoeken", "Page views"),
    "embed_host": ("Ingesloten kaart per website", "Embedded map per website"),
    "search": ("Zoekopdrachten", "Searches"),
    "search_area": ("Zoekopdrachten per postcodegebied", "Searches per postcode area"),
    "miss": ("Niets gevonden in de buurt", "Nothing found nearby"),
    "filter": ("Gebruikte filters", "Filters used"),
    "details": ("Details geopend", "Details opened"),
    "shortlist": ("Op de lijst gezet", "Put on the list"),
    "handout": ("Lijsten afgedrukt", "Lists printed"),
    "export": ("Exports", "Exports"),
    "api": ("API-aanvragen", "API requests"),
    "feedback": ("Meldingen van fouten", "Error reports"),
}

SEARCH_KINDS = {"postcode": ("postcode", "postcode"), "place": ("plaats", "place"), "name": ("naam", "name"),
                "point": ("coördinaten", "coordinates")}
SEARCH_RESULTS = {
    "within_5km": ("gevonden binnen 5 km", "found within 5 km"),
    "within_10km": ("gevonden binnen 10 km", "found within 10 km"),
    "within_15km": ("gevonden binnen 15 km", "found within 15 km"),
    "beyond_15km": ("niets binnen 15 km", "nothing within 15 km"),
    "none": ("niets gevonden", "nothing found"),
    "outside_region": ("buiten de regio", "outside the region"),
    "not_found": ("plaats niet gevonden", "place not found"),
    "found": ("gevonden op naam", "found by name"),
}
MISSES = ("beyond_15km", "none")  # a search that found nothing nearby: a signal about supply
ALL_CARE = "alle"  # the care-type key of a miss without a care-type filter
KEY_MAX = 120
DEFAULT_DAYS = 400


def search_result(distance_m: float | None, in_region: bool) -> str:
    """Return the result class of a search: the distance of the nearest match in bands of 5 km, nothing at
    all, or a search point outside the purchasing regions."""
    if not in_region:
        return "outside_region"
    if distance_m is None:
        return "none"
    for limit in (5, 10, 15):
        if distance_m <= limit * 1000:
            return f"within_{limit}km"
    return "beyond_15km"


def search_kind(text_: str) -> str:
    """Return how a search was typed: a postcode, coordinates or a place (a name search is told apart by
    the caller, when the text turned out to be no place)."""
    from .geocode import GeocodeError, parse_query

    stripped = (text_ or "").strip()
    if stripped[:1].isdigit() and "," in stripped:
        return "point"
    try:
        return "postcode" if parse_query(stripped).kind in ("pc4", "pc6") else "place"
    except GeocodeError:
        return "postcode" if stripped[:1].isdigit() else "place"


@lru_cache(maxsize=1)
def _pc4_areas():
    """The bundled CBS postcode areas as a spatial index: (tree, codes, municipality codes)."""
    import shapely
    from shapely.geometry import shape

    from .demand import BUNDLED
    import json

    features = json.loads(BUNDLED.read_text(encoding="utf-8"))["features"]
    geoms = [shape(f["geometry"]) for f in features]
    codes = [str(f["properties"]["postcode"]) for f in features]
    municipalities = [str(f["properties"]["municipality_code"]) for f in features]
    return shapely.STRtree(geoms), geoms, codes, municipalities


def pc4_at(lat: float, lon: float) -> str | None:
    """Return the four-digit postcode area at a point (the bundled CBS areas of the regions), else None."""
    from shapely.geometry import Point

    tree, geoms, codes, _ = _pc4_areas()
    point = Point(lon, lat)
    for index in tree.query(point):
        if geoms[index].covers(point):
            return codes[index]
    return None


def pc4_municipality() -> dict[str, str]:
    """Return {postcode area: CBS municipality code} of the bundled areas."""
    _, _, codes, municipalities = _pc4_areas()
    return dict(zip(codes, municipalities))


def clean_key(value: object) -> str:
    """Return a key as stored: text, at most KEY_MAX characters, no line breaks."""
    return " ".join(str(value).split())[:KEY_MAX]


@dataclass(frozen=True)
class Row:
    """One stored count."""

    period: str  # YYYY-MM-DD (a day) or YYYY-MM (a month, after folding)
    event: str
    key: str
    n: int

    @property
    def is_day(self) -> bool:
        return len(self.period) == 10


_CREATE = """CREATE TABLE IF NOT EXISTS usage_counts (
    period text NOT NULL, event text NOT NULL, key text NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (period, event, key))"""
_UPSERT = text("INSERT INTO usage_counts (period, event, key, n) VALUES (:period, :event, :key, :n) "
               "ON CONFLICT (period, event, key) DO UPDATE SET n = usage_counts.n + excluded.n")


class UsageTable:
    """The counts in SQL (SQLite or PostgreSQL, one statement set for both)."""

    def __init__(self, engine, *, create: bool = True):
        self.engine = engine
        if create:
            with engine.begin() as conn:
                conn.execute(text(_CREATE))

    @classmethod
    def sqlite(cls, path) -> "UsageTable":
        """Return the table in a SQLite file (beside the file store), in WAL mode so several workers write
        without waiting on readers."""
        from sqlalchemy import create_engine, event

        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        return cls(engine)

    def add(self, counts: Mapping[tuple[str, str, str], int]) -> None:
        """Add `counts` {(period, event, key): n} in one transaction."""
        rows = [{"period": p, "event": e, "key": clean_key(k), "n": int(n)} for (p, e, k), n in counts.items() if n]
        if not rows:
            return
        with self.engine.begin() as conn:
            conn.execute(_UPSERT, rows)

    def rows(self, since: str | None = None, until: str | None = None) -> list[Row]:
        """Return the counts whose period lies in [since, until] (days or months as text), in period order."""
        clauses, params = [], {}
        if since:
            clauses.append("period >= :since")
            params["since"] = since[:7] if len(since) >= 7 else since  # a folded month overlapping counts
        if until:
            clauses.append("period <= :until")
            params["until"] = until
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.engine.connect() as conn:
            found = conn.execute(text(f"SELECT period, event, key, n FROM usage_counts{where} "
                                      "ORDER BY period, event, key"), params).all()
        rows = [Row(str(p), str(e), str(k), int(n)) for p, e, k, n in found]
        if since and len(since) == 10:  # months before `since` were included by prefix; days before are not
            rows = [r for r in rows if not r.is_day or r.period >= since]
        return rows

    def fold(self, cutoff: dt.date) -> int:
        """Fold the daily counts before `cutoff` into monthly ones, in one transaction; return how many
        daily rows were folded. Two processes folding at once do not count twice: the rows are deleted
        first, and a second transaction finds them gone."""
        with self.engine.begin() as conn:
            gone = conn.execute(text("DELETE FROM usage_counts WHERE length(period) = 10 AND period < :cutoff "
                                     "RETURNING period, event, key, n"), {"cutoff": cutoff.isoformat()}).all()
            months: Counter = Counter()
            for period, event, key, n in gone:
                months[(str(period)[:7], str(event), str(key))] += int(n)
            if months:
                conn.execute(_UPSERT, [{"period": p, "event": e, "key": k, "n": n} for (p, e, k), n in months.items()])
        return len(gone)


def retention_cutoff(today: dt.date, days: int) -> dt.date:
    """Return the first day whose daily counts are kept (`days` days back from `today`)."""
    return today - dt.timedelta(days=max(days, 31))


class Tally:
    """A worker's counts since its last write. `count` is cheap (a lock and a dict); `flush` writes them
    in one transaction and, once a day, folds old days into months. `every` seconds between writes (0:
    write at once); a worker that stops writes what it holds."""

    def __init__(self, table: UsageTable, *, every: float = 10.0, keep_days: int = DEFAULT_DAYS):
        self.table = table
        self.every = max(every, 0.0)
        self.keep_days = keep_days
        self._lock = threading.Lock()
        self._pending: Counter = Counter()
        self._written = time.monotonic()
        self._folded: dt.date | None = None
        atexit.register(_flush_at_exit, weakref.ref(self))

    def count(self, event: str, key: object = "", n: int = 1) -> None:
        """Count `n` events of `event` with `key` today; write when the interval has passed."""
        if event not in EVENTS:
            raise KeyError(f"unknown usage event {event!r}")
        with self._lock:
            self._pending[(clock.today().isoformat(), event, clean_key(key))] += n
            due = time.monotonic() - self._written >= self.every
        if due:
            self.flush()

    def count_many(self, events: Iterable[tuple[str, object]]) -> None:
        """Count several (event, key) pairs at once."""
        for event, key in events:
            self.count(event, key)

    def flush(self) -> None:
        """Write what was counted; a failing database loses these counts only, never a request."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._written = time.monotonic()
        if not pending:
            return
        today = clock.today()
        try:
            self.table.add(pending)
            if self._folded != today:
                self.table.fold(retention_cutoff(today, self.keep_days))
                self._folded = today
        except SQLAlchemyError as exc:
            log.warning("usage counts not written (%s): %d counts dropped", exc.__class__.__name__, sum(pending.values()))


OWN_SITE, NO_REFERER, OTHER_SITE = "eigen site", "onbekend", "overig"


def embed_host(referer: str, own_host: str, allowed_origins: Iterable[str]) -> str:
    """Return the key of an embedded map's view: the host of the page that framed it when that page's
    origin is one of `allowed_origins`, this site itself, no referer, or any other site (never the
    referer's path or query: they can name a person's search)."""
    from urllib.parse import urlsplit

    if not referer:
        return NO_REFERER
    parts = urlsplit(referer)
    if not parts.scheme or not parts.netloc:
        return OTHER_SITE
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin in {o.lower().rstrip("/") for o in allowed_origins}:
        return parts.netloc.lower()
    return OWN_SITE if parts.netloc.lower() == own_host.lower() else OTHER_SITE


def search_events(kind: str, typed: str, origin, distance_m: float | None, in_region: bool,
                  care_types: Iterable[str]) -> list[tuple[str, str]]:
    """Return the events of one search from a place: its kind and result, its postcode area (four digits:
    typed, or the area the place lies in), and, when nothing was found nearby, the area with each care type
    asked for. The typed text itself is never part of an event."""
    result = search_result(distance_m, in_region)
    pc4 = None
    if kind == "postcode":
        digits = "".join(ch for ch in typed if ch.isdigit())[:4]
        pc4 = digits if len(digits) == 4 else None
    elif origin is not None:
        pc4 = pc4_at(origin.lat, origin.lon)
    events = [("search", f"{kind}|{result}")]
    if pc4:
        events.append(("search_area", pc4))
    if result in MISSES:
        events += [("miss", f"{pc4 or NO_REFERER}|{care}") for care in (list(care_types) or [ALL_CARE])]
    return events


def found_events(kind: str, typed: str, found, care_types: Iterable[str]) -> list[tuple[str, str]]:
    """Return the events of a search answered by the finder (`core.finder.Found`)."""
    distance = float(found.rows["distance_m"].min()) if len(found.rows) else None
    return search_events(kind, typed, found.origin, distance, found.region is not None, care_types)


def name_events(found_any: bool) -> list[tuple[str, str]]:
    """Return the event of a search by name (the text was no place): found something or not."""
    return [("search", f"name|{'found' if found_any else 'none'}")]


def filter_events(before: Mapping[str, Iterable[str]], after: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """Return one event per filter value newly chosen: (`filter`, `zorgvorm|07`) and the like."""
    return [("filter", f"{name}|{value}") for name, values in after.items()
            for value in values if value not in set(before.get(name) or ())]


def _flush_at_exit(ref) -> None:
    """Write what a stopping worker still holds (a tally already gone has nothing left)."""
    tally = ref()
    if tally is not None:
        tally.flush()
