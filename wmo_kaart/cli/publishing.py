"""Command line: import spreadsheets, update BW figures, list and restore versions."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import from_env
from . import accounts


def progress(done: int, total: int) -> None:
    """Draw a progress bar for geocoding on the terminal (stderr)."""
    if not sys.stderr.isatty() and done != total:
        return
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done == total else ""
    print(f"\rGeocoderen  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def print_report(report, path: str | None) -> None:
    import json

    for e in report.errors:
        where = f"rij {e.row}" if e.row else "bestand"
        print(f"{where}, kolom '{e.column}': {e.message}" if e.column else f"{where}: {e.message}")
    print(f"Geaccepteerd: {len(report.features)}  Afgewezen: {report.rejected}  Gegeocodeerd: {report.geocoded}")
    if path:
        Path(path).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def publisher(settings):
    from ..core.publish import Publisher

    return Publisher(settings.data_path, settings.versions_dir)


def import_file(args) -> int:
    import getpass

    from ..core.catalog import load_catalog
    from ..core.importer.service import current_collection, run_import
    from ..core.geocode import configured_chain

    settings = from_env()
    raw = Path(args.file).read_bytes()
    base = current_collection(settings.data_path) if args.merge else None
    outcome = run_import(raw, Path(args.file).name, load_catalog(settings.catalog_path), configured_chain(settings.pdok_geocoder, settings.pdok_url, settings.geocoder_timeout),
                         base=base, partial=args.partial, progress=progress)
    print_report(outcome.report, args.report)
    if outcome.collection is None:
        reason = "er zijn afgewezen rijen (gebruik --partial om de goede rijen toch te publiceren)" \
            if outcome.report.features else "geen enkele rij is geaccepteerd"
        print(f"Niets gepubliceerd: {reason}.")
        return 1
    if args.dry_run:
        print("Proefimport (--dry-run): niets gepubliceerd.")
        return 0
    version = publisher(settings).publish(outcome.collection, getpass.getuser(), Path(args.file).name,
                                           outcome.source_sha256, "samenvoegen" if args.merge else "vervangen")
    print(f"Gepubliceerd als versie {version.number}: {version.locations} locaties.")
    return 0


def import_bw(args) -> int:
    import getpass

    from auth.db import record_bw_history

    from ..core.catalog import load_catalog
    from ..core.importer.service import current_collection, run_bw_update

    settings = from_env()
    raw = Path(args.file).read_bytes()
    outcome, history = run_bw_update(raw, Path(args.file).name, load_catalog(settings.catalog_path),
                                     current_collection(settings.data_path))
    print_report(outcome.report, args.report)
    if outcome.collection is None:
        print("Niets gepubliceerd: los eerst de fouten op.")
        return 1
    if args.dry_run:
        print("Proefimport (--dry-run): niets gepubliceerd.")
        return 0
    version = publisher(settings).publish(outcome.collection, getpass.getuser(), Path(args.file).name,
                                           outcome.source_sha256, "BW-cijfers")
    record_bw_history(accounts.open_engine(), history, outcome.source_sha256)
    print(f"BW-cijfers van {len(history)} locaties gepubliceerd als versie {version.number}.")
    return 0


def versions(args) -> int:
    for v in publisher(from_env()).versions():
        print(f"{v.number:5d}  {v.published_at}  {v.actor:12s}  {v.locations:6d} locaties  {v.source}  "
              f"sha256:{v.source_sha256[:12]}  {v.note}")
    return 0


def rollback(args) -> int:
    import getpass

    try:
        version = publisher(from_env()).rollback(args.version, getpass.getuser())
    except ValueError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    print(f"Versie {args.version} is opnieuw gepubliceerd als versie {version.number}.")
    return 0
