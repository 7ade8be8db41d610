"""Command line: download municipality outlines from PDOK for the map."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def boundaries(args) -> int:
    from ..core.boundaries import BoundariesError, download
    from ..core.filestore import atomic_write

    try:
        collection = download(args.year, args.url)
    except BoundariesError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(Path(args.out), json.dumps(collection, ensure_ascii=False).encode("utf-8"))
    print(f"{len(collection['features'])} gemeentegrenzen ({args.year}) geschreven naar {args.out}. "
          f"Zet WMO_KAART_BOUNDARIES={args.out} om ze op de kaart te tonen.")
    return 0
