"""Publishing: atomic replacement of the data file, with a history of versions to roll back to.

Every write goes to a temporary file in the same folder, is flushed to disk and then moved
over the target with os.replace, so a reader (or a crash) sees the old file or the new one,
never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

KEEP = 10


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file, fsync, os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Version:
    """One published version: number, when, who, what it came from and how many locations."""

    number: int
    published_at: str
    actor: str
    source: str
    source_sha256: str
    data_sha256: str
    locations: int
    note: str = ""


class Publisher:
    """Publishes datasets to `data_path` and keeps at least `keep` versions in `versions_dir`."""

    def __init__(self, data_path: Path, versions_dir: Path, keep: int = KEEP):
        self.data_path = Path(data_path)
        self.dir = Path(versions_dir)
        self.keep = max(keep, KEEP)
        self.index = self.dir / "versions.json"

    def versions(self) -> list[Version]:
        """Return the kept versions, oldest first."""
        if not self.index.exists():
            return []
        return [Version(**v) for v in json.loads(self.index.read_text(encoding="utf-8"))]

    def _file(self, number: int) -> Path:
        return self.dir / f"v{number:05d}.geojson"

    def _record(self, data: bytes, actor: str, source: str, source_sha: str, note: str) -> Version:
        versions = self.versions()
        number = versions[-1].number + 1 if versions else 1
        version = Version(number, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), actor, source,
                          source_sha, hashlib.sha256(data).hexdigest(),
                          len(json.loads(data).get("features", [])), note)
        atomic_write(self._file(number), data)
        kept = [*versions, version][-self.keep:]
        atomic_write(self.index, json.dumps([asdict(v) for v in kept], indent=1).encode())
        for old in versions[: max(0, len(versions) + 1 - self.keep)]:
            self._file(old.number).unlink(missing_ok=True)
        return version

    def _snapshot_current(self) -> None:
        if not self.versions() and self.data_path.exists():
            current = self.data_path.read_bytes()
            self._record(current, "systeem", self.data_path.name, hashlib.sha256(current).hexdigest(),
                         "gegevens vóór de eerste publicatie")

    def publish(self, collection: dict, actor: str, source: str, source_sha256: str, note: str = "") -> Version:
        """Publish `collection` as the new current data and record it as a version."""
        data = (json.dumps(collection, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
        self._snapshot_current()
        version = self._record(data, actor, source, source_sha256, note)
        atomic_write(self.data_path, data)
        return version

    def rollback(self, number: int, actor: str) -> Version:
        """Publish the kept version `number` again (as a new version)."""
        path = self._file(number)
        if number not in {v.number for v in self.versions()} or not path.exists():
            raise ValueError(f"versie {number} bestaat niet (meer)")
        data = path.read_bytes()
        version = self._record(data, actor, f"v{number}", hashlib.sha256(data).hexdigest(), f"terug naar versie {number}")
        atomic_write(self.data_path, data)
        return version
