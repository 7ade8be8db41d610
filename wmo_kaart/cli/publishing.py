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

    from ..core.importer.establishment import parse_answer

    mapped = {}
    for option, parse, specs in (("--map", parse_mapping, args.map), ("--zelfde", parse_answer, getattr(args, "zelfde", None))):
        for spec in specs or ():
            try:
                column, field = parse(spec)
            except ValueError as exc:
                print(f"Fout in {option}: {exc}.", file=sys.stderr)
                return None
            mapped[column] = field
    store.remember_mappings(mapped)
    return store.column_mappings()


def _audit(actor: str, action: str, target: str, detail: str) -> None:
    """Write the audit event to the accounts database, as /beheer does."""
    from auth import users

    from .accounts import open_engine

    users.audit(open_engine(), actor, action, target, detail)


def _run(args, mode: str) -> int:
    """Check the file against the live version and publish it (core.publishing, as /beheer does)."""
    from ..core.changes import NO_CHANGE
    from ..core.geocode import configured_chain
    from ..core.publishing import Job, check_and_publish
    from ..core.store import StoreError

    settings = from_env()
    store = open_store(settings)
    mappings = _mappings(args, store)
    if mappings is None:
        return 2
    job = Job(Path(args.file).name, mode, Path(args.file).read_bytes(), getpass.getuser(),
              partial=args.partial, clear_empty=getattr(args, "clear_empty", False),
              allow_older=getattr(args, "allow_older", False), allow_future=getattr(args, "allow_future", False),
              sheets=tuple(args.sheet or ()))
    chain = configured_chain(settings.pdok_geocoder, settings.pdok_url, settings.geocoder_timeout, settings.demand_path)
    try:
        outcome, version, reasons = check_and_publish(
            store, job, store.catalog, chain, confirm=args.confirm, allow_shrink=args.allow_shrink,
            max_shrink=settings.max_shrink, dry_run=args.dry_run, audit=_audit, progress=progress)
    except StoreError as exc:
        print(f"Niet gepubliceerd: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a Dutch message and a log line, never a traceback for the data manager
        import logging

        logging.getLogger(__name__).error("controle van %s onverwacht gestopt: %s: %s", args.file, type(exc).__name__,
                                          str(exc)[:200])
        print("Niet gepubliceerd: de controle stopte onverwacht. Meld het bestand en de regel hierboven bij de "
              "beheerder van de Wmo-kaart.", file=sys.stderr)
        return 1
    print_report(outcome.report, args.report)
    if outcome.collection is None:
        print(f"Niets gepubliceerd: {reasons[0]}.")
        return 1
    if reasons == [NO_CHANGE]:  # nothing to do is no failure: no new version pushes an old one out
        print(f"Niets gepubliceerd: {NO_CHANGE}.")
        return 0
    for reason in reasons:
        print(f"Niet gepubliceerd: {reason} ({'--krimp-toestaan' if 'krimpt' in reason else '--bevestig'}).")
    if version is None:
        if not reasons:
            print("Proefimport (--dry-run): niets gepubliceerd.")
        return 1 if reasons else 0
    print(f"Gepubliceerd als versie {version.number}: {version.locations} locaties.")
    return 0


def import_file(args) -> int:
    return _run(args, "merge" if args.merge else "replace")


def import_bw(args) -> int:
    return _run(args, "bw")


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
