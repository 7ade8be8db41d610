"""The file backend of the store: a published GeoJSON file, versions beside it, one writer at a time.

Publishing, under an exclusive file lock:
1. the new version's file is written (temporary file, fsync, rename) and an intent is noted;
2. the version index gets the new version: this is the moment of publication;
3. the live file is replaced, the BW changes are appended to the history, the intent is removed.
A crash before 2 leaves no trace after the next start (the orphan file and temporary files are
removed); a crash after 2 is completed at the next start from the intent. So the live file always
equals a kept version, and a failed publish never appears in the history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import asdict
from functools import cached_property
from pathlib import Path

from . import clock, demo_dates
from .catalog import Catalog
from .dataset import Dataset, load_geojson, parse_bytes
from .modified import stamp
from .store import BwRecord, StoreError, Version, check_publish, check_rollback, now_iso, sha256_hex
from .validate import InvalidDataError, validate_collection

log = logging.getLogger(__name__)
KEEP = 10
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
BW_KEYS = ("bw_capacity", "bw_occupancy", "bw_updated")


def folder_error(exc: OSError, folder: Path) -> StoreError:
    """Return a Dutch StoreError for a failed write in `folder`."""
    if exc.errno == errno.ENOSPC:
        return StoreError(f"De schijf is vol: er kan niets worden geschreven in de map {folder}. Er is niets gewijzigd.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(f"Geen schrijfrechten in de map {folder} (alleen-lezen of een andere eigenaar). Er is niets gewijzigd.")
    return StoreError(f"Schrijven in de map {folder} is mislukt ({exc.strerror or exc}). Er is niets gewijzigd.")


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (the folder's entry is written to disk too)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` atomically (temporary file, fsync, rename) with file mode `mode`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def serialise(collection: dict) -> bytes:
    """Return the published form of a collection, one feature per line (readable, diffable, and written by
    json's C encoder: an indented dump takes its pure-Python path, 4.6 s at 30,000 locations); raise
    ValueError for NaN and the like."""
    head = {k: v for k, v in collection.items() if k != "features"}
    opened = json.dumps(head, ensure_ascii=False, allow_nan=False)[:-1] + (", " if head else "")
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, allow_nan=False) for f in collection.get("features", []))
    return f'{opened}"features": [\n{lines}\n]}}\n'.encode("utf-8")


def bw_changes(before: dict, after: dict) -> list[dict]:
    """Return the locations whose BW figures differ between two collections, with the new figures."""
    old = {f["properties"]["id"]: f["properties"] for f in before.get("features", [])}
    new = {f["properties"]["id"]: f["properties"] for f in after.get("features", [])}
    rows = []
    for lid, props in new.items():
        prev = old.get(lid, {})
        if any(props.get(k) != prev.get(k) for k in BW_KEYS) and any(props.get(k) is not None for k in BW_KEYS):
            rows.append({"location_id": lid, "capacity": props.get("bw_capacity"),
                         "occupancy": props.get("bw_occupancy"), "as_of": props.get("bw_updated")})
    # a removed location, or one whose figures were emptied, ends its line: a record without figures
    rows += [{"location_id": lid, "capacity": None, "occupancy": None, "as_of": None} for lid, prev in old.items()
             if prev.get("bw_capacity") is not None
             and all(new.get(lid, {}).get(k) is None for k in ("bw_capacity", "bw_occupancy"))]
    return rows


class FileStore:
    """The store on files: `data_path` is live, `versions_dir` holds versions, index, history and lock."""

    def __init__(self, data_path: str | Path, versions_dir: str | Path, catalog: Catalog, *,
                 staging_dir: str | Path | None = None, keep: int = KEEP, publish_mode: int = 0o644,
                 staging_hours: float = 24.0):
        self.data_path = Path(data_path)
        self.dir = Path(versions_dir)
        self.staging_dir = Path(staging_dir) if staging_dir else self.dir.parent / "staging"
        self.catalog = catalog
        self.keep = max(keep, 2)
        self.mode = publish_mode
        self.staging_seconds = staging_hours * 3600
        self.index = self.dir / "versions.json"
        self.intent = self.dir / "publishing.json"
        self.history = self.dir / "bw_history.jsonl"
        self.mappings_file = self.dir / "column_mappings.json"
        self._reload = threading.Lock()
        # opening only reads (invalid data refuses to start); import, publish and rollback write
        self._stamp = self._stat()
        self._dataset = self._parse(self._live_bytes())

    # reading -------------------------------------------------------------------------------
    def _stat(self):
        """Return what changes when the served data may have: the live file, the index, the intent, the day."""
        parts = []
        for path in (self.data_path, self.index, self.intent):
            try:
                st = os.stat(path)
                parts.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                parts.append(None)
        dataset = getattr(self, "_dataset", None)
        return (*parts, clock.today() if dataset is None or dataset.meta.get("demo") else None)  # demo dates move daily

    def _pending(self) -> int | None:
        """Return the number of a version published (in the index) whose live file was not yet replaced."""
        try:
            number = json.loads(self.intent.read_text(encoding="utf-8"))["number"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return number if number in {v.number for v in self._kept()} and self._file(number).exists() else None

    def _live_bytes(self) -> bytes:
        """Return the data readers are served: a published version the live file does not show yet wins
        (the same decision the next write's recovery makes), else the live file."""
        pending = self._pending()
        path = self._file(pending) if pending is not None else self.data_path
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return b""

    def _parse(self, raw: bytes) -> Dataset:
        if not raw:
            return load_geojson(self.data_path, self.catalog)  # names the missing file
        return parse_bytes(raw, self.catalog, self.data_path.name)

    def current(self) -> Dataset:
        stamp = self._stat()
        if stamp == self._stamp:
            return self._dataset
        with self._reload:
            if stamp != self._stamp:
                raw = self._live_bytes()
                if raw:
                    try:
                        self._dataset = self._parse(raw)
                    except InvalidDataError as exc:
                        log.error("Nieuwe gegevens geweigerd, vorige versie blijft actief:\n%s", exc)
                self._stamp = stamp
        return self._dataset

    def _kept(self) -> list[Version]:
        """Return the versions in the index, as written."""
        try:
            raw = json.loads(self.index.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [Version(**v) for v in raw]

    def _outside(self, kept: list[Version]) -> Version | None:
        """Return the version the next write will record for a live file no kept version holds (the data
        before the first publication, or a hand edit), computed without writing; None when there is none."""
        if self._pending() is not None:
            return None  # a publish to finish: its version is the live one
        try:
            st = os.stat(self.data_path)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self.__dict__.get("_outside_cache")
        if cached is None or cached[0] != stamp:
            live = self.data_path.read_bytes()
            try:
                collection = json.loads(live)
                valid = not validate_collection(collection, self.catalog)
            except ValueError:
                collection, valid = {}, False
            if not valid:
                log.error("Het gepubliceerde bestand %s is ongeldig en wordt niet als versie vastgelegd.", self.data_path)
            cached = (stamp, sha256_hex(live), len(collection.get("features", [])) if valid else None, st.st_mtime)
            self._outside_cache = cached
        _, sha, count, mtime = cached
        if count is None or (kept and kept[-1].data_sha256 == sha):
            return None
        at = dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat(timespec="seconds")
        note = "buiten de kaart om gewijzigd" if kept else "gegevens vóór de eerste publicatie"
        base = kept[-1].number if kept else None
        return Version((base or 0) + 1, at, "systeem", self.data_path.name, sha, sha, count, note, base)

    def versions(self) -> list[Version]:
        """Return the kept versions, and the one the next write records for a live file no version holds
        yet (readers see what recovery will do; nothing is written to read)."""
        kept = self._kept()
        outside = self._outside(kept)
        return [*kept, outside][-self.keep:] if outside else kept

    def live_version(self) -> int | None:
        versions = self.versions()
        return versions[-1].number if versions else None

    def collection(self) -> tuple[dict, int | None]:
        with self._locked(shared=True):
            raw = self._live_bytes()
            collection = json.loads(raw) if raw else {"type": "FeatureCollection", "features": []}
            return demo_dates.current(collection), self.live_version()

    def version_data(self, number: int) -> bytes:
        outside = self._outside(self._kept())
        if outside is not None and number == outside.number:
            return self.data_path.read_bytes()
        path = self._file(number)
        if number not in {v.number for v in self._kept()} or not path.exists():
            raise StoreError(f"versie {number} bestaat niet (meer)")
        return path.read_bytes()

    def bw_history(self, location_id: str | None = None) -> list[BwRecord]:
        records = []
        with contextlib.suppress(FileNotFoundError), open(self.history, encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = BwRecord(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # a line cut off by a crash
                if location_id is None or record.location_id == location_id:
                    records.append(record)
        return records

    # locking and recovery ------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, shared: bool = False):
        try:
            if shared:  # readers create nothing: without a lock file no writer has ever run
                fd = os.open(self.dir / ".lock", os.O_RDONLY)
            else:
                self.dir.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if shared:  # readers do without a lock on a read-only or fresh folder
                yield
                return
            raise folder_error(exc, self.dir) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _file(self, number: int) -> Path:
        return self.dir / f"v{number:05d}.geojson"

    def _write_index(self, versions: list[Version]) -> None:
        atomic_write(self.index, json.dumps([asdict(v) for v in versions], indent=1).encode(), self.mode)

    def _repair_history(self) -> None:
        """Cut a last line a crash or a full disk left unfinished, so every line is one whole record."""
        with contextlib.suppress(FileNotFoundError), open(self.history, "rb+") as fh:
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
                fh.flush()
                os.fsync(fh.fileno())

    def _append_history(self, rows: list[dict], version: Version) -> None:
        if not rows:
            return
        self._repair_history()
        lines = "".join(json.dumps(asdict(BwRecord(**r, version=version.number, actor=version.actor,
                                                      at=version.published_at, source=version.source)),
                                   ensure_ascii=False) + "\n" for r in rows)
        with open(self.history, "a", encoding="utf-8") as fh:
            fh.write(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(self.history, 0o600)

    def _recover(self) -> None:
        """Finish or undo an interrupted publish, remove leftovers, record outside edits."""
        for folder, prefix in ((self.dir, "."), (self.data_path.parent, f".{self.data_path.name}.")):
            for tmp in folder.glob(f"{prefix}*.tmp"):
                tmp.unlink(missing_ok=True)
        versions = self._kept()
        listed = {v.number for v in versions}
        if self.intent.exists():
            intent = json.loads(self.intent.read_text(encoding="utf-8"))
            if intent["number"] in listed:
                data = self._file(intent["number"]).read_bytes()
                if not self.data_path.exists() or sha256_hex(self.data_path.read_bytes()) != sha256_hex(data):
                    atomic_write(self.data_path, data, self.mode)
                self._repair_history()
                written = {r.location_id for r in self.bw_history() if r.version == intent["number"]}
                self._append_history([r for r in intent["bw"] if r["location_id"] not in written],
                                     versions[[v.number for v in versions].index(intent["number"])])
            self.intent.unlink()
        for path in self.dir.glob("v*.geojson"):
            m = re.match(r"^v(\d+)\.geojson$", path.name)
            if m and int(m.group(1)) not in listed:
                path.unlink()
        outside = self._outside(self._kept())
        if outside is None:
            return
        live = self.data_path.read_bytes()
        before = json.loads(self._file(versions[-1].number).read_bytes()) if versions else {"features": []}
        self._commit(live, versions, "systeem", self.data_path.name, sha256_hex(live), outside.note, outside.base, before,
                     at=outside.published_at)

    # writing -------------------------------------------------------------------------------
    def _commit(self, data: bytes, versions: list[Version], actor: str, source: str, source_sha: str,
                note: str, base: int | None, before: dict, at: str | None = None) -> Version:
        number = (versions[-1].number if versions else 0) + 1
        version = Version(number, at or now_iso(), actor, source, source_sha, sha256_hex(data),
                          len(json.loads(data).get("features", [])), note, base)
        bw = bw_changes(before, json.loads(data))
        kept = [*versions, version][-self.keep:]
        try:
            atomic_write(self._file(number), data, self.mode)
            atomic_write(self.intent, json.dumps({"number": number, "bw": bw}).encode(), 0o600)
            self._write_index(kept)  # the moment of publication
        except OSError as exc:
            for path in (self._file(number), self.intent):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                if self._kept() != versions:
                    self._write_index(versions)
            raise folder_error(exc, self.dir) from exc
        try:
            atomic_write(self.data_path, data, self.mode)
        except OSError as exc:
            with contextlib.suppress(OSError):  # undo the publication; if that fails too, the next start completes it
                self._write_index(versions)
                self._file(number).unlink(missing_ok=True)
                self.intent.unlink(missing_ok=True)
            raise folder_error(exc, self.data_path.parent) from exc
        with contextlib.suppress(OSError):  # the intent stays when this fails; recovery appends the history
            self._append_history(bw, version)
            self.intent.unlink()
        for old in versions[: len(versions) + 1 - len(kept)]:
            self._file(old.number).unlink(missing_ok=True)
        return version

    def _live(self) -> dict:
        return json.loads(self.data_path.read_bytes()) if self.data_path.exists() else {"features": []}

    def _stamped(self, collection: dict, versions: list[Version]) -> tuple[bytes, dict, str]:
        """Return what a publish writes (the collection stamped against the live data), the live data and
        the publication time; the caller holds the lock."""
        before, at = self._live(), now_iso()
        return serialise(stamp(before, collection, at, versions[-1].published_at if versions else None)), before, at

    def publish(self, collection: dict, *, actor: str, source: str, source_sha256: str, note: str = "",
                base: int | None = None) -> Version:
        with self._locked():
            self._recover()
            versions = self._kept()
            live = versions[-1].number if versions else None
            check_publish(base, live)
            data, before, at = self._stamped(collection, versions)
            return self._commit(data, versions, actor, source, source_sha256, note, live, before, at=at)

    def rollback(self, number: int, *, actor: str, base: int | None = None) -> Version:
        with self._locked():
            self._recover()
            versions = self._kept()
            live = versions[-1].number if versions else None
            check_rollback(number, live, base)
            data = self.version_data(number)
            parse_bytes(data, self.catalog, f"v{number}")  # never bring back data the app would refuse
            data, before, at = self._stamped(json.loads(data), versions)
            return self._commit(data, versions, actor, f"v{number}", sha256_hex(data), f"terug naar versie {number}", live,
                                before, at=at)

    # staged changes and remembered mappings --------------------------------------------------
    def _staged_path(self, token: str) -> Path:
        if not TOKEN_RE.match(token or ""):
            raise StoreError("onbekende controle")
        return self.staging_dir / f"{token}.json"

    def stage(self, payload: dict, token: str | None = None) -> str:
        fresh = token is None
        token = token or secrets.token_hex(16)
        path = self._staged_path(token)
        if fresh:
            self._clean_staging()
        try:
            self.staging_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(self.staging_dir, 0o700)
            atomic_write(path, json.dumps({**payload, "staged_at": time.time()}, ensure_ascii=False).encode(), 0o600)
        except OSError as exc:
            raise folder_error(exc, self.staging_dir) from exc
        return token

    def staged(self, token: str) -> dict | None:
        try:
            path = self._staged_path(token)
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (StoreError, OSError, ValueError):
            return None
        if time.time() - payload.get("staged_at", 0) > self.staging_seconds:
            path.unlink(missing_ok=True)
            return None
        return payload

    def discard(self, token: str) -> None:
        with contextlib.suppress(StoreError):
            self._staged_path(token).unlink(missing_ok=True)

    def _clean_staging(self) -> None:
        if not self.staging_dir.exists():
            return
        for path in self.staging_dir.iterdir():
            with contextlib.suppress(OSError):
                if path.name.startswith(".") and path.name.endswith(".tmp"):
                    path.unlink()
                elif time.time() - path.stat().st_mtime > self.staging_seconds:
                    path.unlink()

    @cached_property
    def usage(self):
        """Return the usage counts: a SQLite file beside the versions (several workers write to it)."""
        from .usage import UsageTable

        self.dir.mkdir(parents=True, exist_ok=True)
        return UsageTable.sqlite(self.dir / "usage.sqlite")

    def column_mappings(self) -> dict:
        try:
            return json.loads(self.mappings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def remember_mappings(self, mappings: dict) -> None:
        if not mappings:
            return
        with self._locked():
            try:
                atomic_write(self.mappings_file, json.dumps({**self.column_mappings(), **mappings}, ensure_ascii=False,
                                                            indent=1).encode(), self.mode)
            except OSError as exc:
                raise folder_error(exc, self.dir) from exc
