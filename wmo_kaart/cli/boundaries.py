"""Command line: download reference geography from PDOK: municipal outlines and residents per neighbourhood."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _fetch_and_write(download, error: type[Exception], out: str) -> dict | None:
    """Run `download()`, write its collection to `out` atomically; None (after a Dutch message) when it fails."""
    from ..core.filestore import atomic_write

    try:
        collection = download()
    except error as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return None
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(Path(out), json.dumps(collection, ensure_ascii=False).encode("utf-8"))
    return collection


def boundaries(args) -> int:
    from ..core.boundaries import BoundariesError, download

    collection = _fetch_and_write(lambda: download(args.year, args.url), BoundariesError, args.out)
    if collection is None:
        return 1
    print(f"{len(collection['features'])} gemeentegrenzen ({args.year}) geschreven naar {args.out}. "
          f"Zet WMO_KAART_BOUNDARIES={args.out} om ze op de kaart te tonen.")
    return 0


def population(args) -> int:
    from ..core.population import PopulationError, download

    collection = _fetch_and_write(lambda: download(args.year, args.url), PopulationError, args.out)
    if collection is None:
        return 1
    unknown = sum(1 for f in collection["features"] if f["properties"]["population"] is None)
    print(f"{len(collection['features'])} buurten ({args.year}) geschreven naar {args.out}; {unknown} met onbekend "
          f"inwonertal. Zet WMO_KAART_DEMAND={args.out} om ze voor de dekking te gebruiken.")
    return 0
