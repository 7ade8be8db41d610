"""Command line: import spreadsheets, update BW figures, list and restore versions."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from ..config import from_env, open_store
from ..core.importer.report import report_lines

def progress(done: int, total: int) -> None:
    """Draw a progress bar on the terminal (stderr)."""
    if not sys.stderr.isatty() and done != total:
        return
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done == total else ""
    print(f"\rVerwerken  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def print_report(report, path: str | None) -> None:
    for line in report_lines(report):
        print(line)
    if path:
        Path(path).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def _mappings(args, store) -> dict | None:
    """Remember the hand mappings of `--map` and return every mapping the store remembers; None on a bad one."""
    from ..core.importer.columns import parse_mapping

    mapped = {}
    for spec in args.map or ():
        try:
            column, field = parse_mapping(spec)
        except ValueError as exc:
            print(f"Fout in --map: {exc}.", file=sys.stderr)
            return None
        mapped[column] = field
    store.remember_mappings(mapped)
    return store.column_mappings()


def _publish(store, check, args, note: str) -> int:
    """Check against the live version and publish; check again when another change came first."""
    from ..core.store import StoreError
    from ..core.workflow import check_and_publish

    try:
        done = check_and_publish(store, check, actor=getpass.getuser(), source=Path(args.file).name, note=note,
                                 confirm=args.confirm, allow_shrink=args.allow_shrink,
                                 max_shrink=from_env().max_shrink, dry_run=args.dry_run)
    except StoreError as exc:
        print(f"Niet gepubliceerd: {exc}", file=sys.stderr)
        return 1
    print_report(done.outcome.report, args.report)
    if done.outcome.collection is None:
        reason = "er zijn afgewezen rijen (gebruik --partial om de goede rijen toch te publiceren)" \
            if done.outcome.report.features else "geen enkele rij is geaccepteerd"
        print(f"Niets gepubliceerd: {reason}.")
        return 1
    for reason in done.reasons:
        print(f"Niet gepubliceerd: {reason} ({'--krimp-toestaan' if 'krimpt' in reason else '--bevestig'}).")
    if done.version is None:
        if not done.reasons:
            print("Proefimport (--dry-run): niets gepubliceerd.")
        return 1 if done.reasons else 0
    print(f"Gepubliceerd als versie {done.version.number}: {done.version.locations} locaties.")
    return 0


def import_file(args) -> int:
    from ..core.geocode import configured_chain
    from ..core.importer.service import ImportOptions, run_import

    settings = from_env()
    store = open_store(settings)
    mappings = _mappings(args, store)
    if mappings is None:
        return 2
    options = ImportOptions(merge=args.merge, partial=args.partial, clear_empty=args.clear_empty,
                            mappings=mappings, sheets=tuple(args.sheet or ()))
    raw = Path(args.file).read_bytes()
    chain = configured_chain(settings.pdok_geocoder, settings.pdok_url, settings.geocoder_timeout, settings.demand_path)

    def check(base):
        return run_import(raw, Path(args.file).name, store.catalog, chain, base, options=options, progress=progress)
    return _publish(store, check, args, "samenvoegen" if args.merge else "vervangen")


def import_bw(args) -> int:
    from ..core.importer.service import ImportOptions, run_bw_update

    store = open_store(from_env())
    mappings = _mappings(args, store)
    if mappings is None:
        return 2
    raw = Path(args.file).read_bytes()
    options = ImportOptions(mappings=mappings, sheets=tuple(args.sheet or ()))

    def check(base):
        return run_bw_update(raw, Path(args.file).name, store.catalog, base, partial=args.partial,
                             allow_older=args.allow_older, allow_future=args.allow_future, options=options)
    return _publish(store, check, args, "BW-cijfers")


def versions(args) -> int:
    from ..core.timefmt import local_time

    store = open_store(from_env())
    live = store.live_version()
    for v in store.versions():
        mark = "live" if v.number == live else ""
        print(f"{v.number:5d} {mark:4s}  {local_time(v.published_at)}  {v.actor:12s}  {v.locations:6d} locaties  "
              f"{v.source}  sha256:{v.source_sha256[:12]}  {v.note}")
    return 0


def rollback(args) -> int:
    from ..core.store import StoreError

    store = open_store(from_env())
    # like every publish: refused when the live version changed since it was looked at (--basis), or
    # since this command started
    base = args.basis if args.basis is not None else store.live_version()
    try:
        version = store.rollback(args.version, actor=getpass.getuser(), base=base)
    except StoreError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    print(f"Versie {args.version} is opnieuw gepubliceerd als versie {version.number}.")
    return 0
