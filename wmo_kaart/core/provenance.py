"""Where an export comes from: written into every export, read back when an export is imported again."""

from __future__ import annotations

import datetime as dt
from . import clock

VERSION = "Gegevensversie"  # the first key: it tells an import that a sheet is our provenance
DEMO = "Demogegevens"
LICENCE = "EUPL-1.2 (software); gegevens van de regio; gemeenten en postcodes: CBS, CC-BY 4.0"


def describe(version, published_at: str | None, source: str | None, demo: bool,
             now: dt.datetime | None = None) -> dict[str, str]:
    """Return the provenance of an export as Dutch key-value text, in a fixed order."""
    now = now or clock.now().astimezone(dt.timezone.utc)
    return {VERSION: str(version or ""), "Gepubliceerd": published_at or "", "Bron": source or "",
            "Geëxporteerd": now.isoformat(timespec="seconds"),
            DEMO: "ja: alle aanbieders, locaties en personen zijn fictief" if demo else "nee",
            "Licentie": LICENCE}


def is_demo(provenance: dict) -> bool:
    """Tell whether a provenance read back from an export says the data is demo data."""
    return str(provenance.get(DEMO, "")).strip().lower().startswith("ja")


def of_store(store) -> dict[str, str]:
    """Return the provenance of an export of the store's live data (its version number, when and from
    what it was published)."""
    dataset = store.current()
    versions = store.versions()
    last = versions[-1] if versions else None
    return describe(last.number if last else dataset.version, last.published_at if last else None,
                    last.source if last else dataset.source, bool(dataset.meta.get("demo")))
