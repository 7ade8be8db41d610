"""The command line: `wmo-kaart [serve|validate|demo-data] ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import from_env


def _serve(args) -> int:
    from .core.validate import InvalidDataError
    from .web import create_app

    try:
        server = create_app(from_env())
    except InvalidDataError as exc:
        print(f"De app start niet: de gegevens zijn ongeldig.\n{exc}", file=sys.stderr)
        return 2
    server.run(host=args.host, port=args.port, debug=False, threaded=True)
    return 0


def _validate(args) -> int:
    from .core.catalog import load_catalog
    from .core.dataset import load_geojson
    from .core.validate import InvalidDataError

    settings = from_env()
    try:
        dataset = load_geojson(args.path, load_catalog(settings.catalog_path))
    except InvalidDataError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"\nOngeldig: {len(exc.problems)} probleem/problemen in {args.path}.")
        return 1
    print(f"Geldig: {len(dataset)} locaties in {args.path} (versie {dataset.version}).")
    return 0


def _demo(args) -> int:
    from .demo import write

    n = write(Path(args.out), seed=args.seed)
    print(f"{n} fictieve demolocaties geschreven naar {args.out}.")
    return 0


def _nearest(args) -> int:
    import json

    from .core import access, finder
    from .core.catalog import load_catalog
    from .core.dataset import load_geojson
    from .core.filters import LocationFilter
    from .core.geocode import GeocodeError
    from .core.nearest import format_km
    from .web import geocoder_chain

    settings = from_env()
    view = access.view_for(load_geojson(settings.data_path, load_catalog(settings.catalog_path)), access.ANONYMOUS)
    try:
        if args.lat is not None or args.lon is not None:
            if args.lat is None or args.lon is None:
                raise GeocodeError("Geef zowel --lat als --lon.")
            origin, notice = finder.origin_from_point(args.lat, args.lon), ""
        else:
            origin, notice = finder.locate(geocoder_chain(settings), args.postcode or args.place)
    except GeocodeError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    found = finder.find(view, origin, LocationFilter.from_values(care_types=args.zorgvorm), args.limit, notice)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return 0
    if notice:
        print(f"Let op: {notice}")
    print(f"Dichtstbijzijnde locaties vanaf {origin.label} (bron: {origin.source}):")
    for i, r in enumerate(found.rows.itertuples(), start=1):
        print(f"{i:3d}. {format_km(r.distance_m):>8}  {r.name} ({r.provider_name}), {r.street} {r.house_number}, {r.city}")
    return 0


def _export_html(args) -> int:
    from .core import access
    from .core.catalog import load_catalog
    from .core.dataset import load_geojson
    from .core.filters import LocationFilter, apply_filter
    from .core.reference import municipality
    from .export.html_map import render_html

    settings = from_env()
    catalog = load_catalog(settings.catalog_path)
    found = municipality(args.gemeente) if args.gemeente else None
    if args.gemeente and not found:
        print(f"Fout: onbekende gemeente {args.gemeente!r}.", file=sys.stderr)
        return 2
    unknown = [z for z in args.zorgvorm or [] if z not in catalog.care_codes]
    if unknown:
        print(f"Fout: onbekende zorgvorm {', '.join(unknown)} (bekend: {', '.join(catalog.care_codes)}).", file=sys.stderr)
        return 2
    view = access.view_for(load_geojson(settings.data_path, catalog), access.ANONYMOUS)
    rows = apply_filter(view, LocationFilter.from_values(args.zorgvorm, found.code if found else None))
    html = render_html(rows, catalog, found.code if found else None, args.lang, settings.basemap_url)
    Path(args.out).write_text(html, encoding="utf-8")
    print(f"{len(rows)} locaties geschreven naar {args.out}.")
    return 0


def _progress(done: int, total: int) -> None:
    """Draw a progress bar for geocoding on the terminal (stderr)."""
    if not sys.stderr.isatty() and done != total:
        return
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done == total else ""
    print(f"\rGeocoderen  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def _print_report(report, path: str | None) -> None:
    import json

    for e in report.errors:
        where = f"rij {e.row}" if e.row else "bestand"
        print(f"{where}, kolom '{e.column}': {e.message}" if e.column else f"{where}: {e.message}")
    print(f"Geaccepteerd: {len(report.features)}  Afgewezen: {report.rejected}  Gegeocodeerd: {report.geocoded}")
    if path:
        Path(path).write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def _publisher(settings):
    from .core.publish import Publisher

    return Publisher(settings.data_path, settings.versions_dir)


def _import(args) -> int:
    import getpass

    from .core.catalog import load_catalog
    from .core.importer.service import current_collection, run_import
    from .web import geocoder_chain

    settings = from_env()
    raw = Path(args.file).read_bytes()
    base = current_collection(settings.data_path) if args.merge else None
    outcome = run_import(raw, Path(args.file).name, load_catalog(settings.catalog_path), geocoder_chain(settings),
                         base=base, partial=args.partial, progress=_progress)
    _print_report(outcome.report, args.report)
    if outcome.collection is None:
        reason = "er zijn afgewezen rijen (gebruik --partial om de goede rijen toch te publiceren)" \
            if outcome.report.features else "geen enkele rij is geaccepteerd"
        print(f"Niets gepubliceerd: {reason}.")
        return 1
    if args.dry_run:
        print("Proefimport (--dry-run): niets gepubliceerd.")
        return 0
    version = _publisher(settings).publish(outcome.collection, getpass.getuser(), Path(args.file).name,
                                           outcome.source_sha256, "samenvoegen" if args.merge else "vervangen")
    print(f"Gepubliceerd als versie {version.number}: {version.locations} locaties.")
    return 0


def _import_bw(args) -> int:
    import getpass

    from auth.db import record_bw_history

    from .core.catalog import load_catalog
    from .core.importer.service import current_collection, run_bw_update

    settings = from_env()
    raw = Path(args.file).read_bytes()
    outcome, history = run_bw_update(raw, Path(args.file).name, load_catalog(settings.catalog_path),
                                     current_collection(settings.data_path))
    _print_report(outcome.report, args.report)
    if outcome.collection is None:
        print("Niets gepubliceerd: los eerst de fouten op.")
        return 1
    if args.dry_run:
        print("Proefimport (--dry-run): niets gepubliceerd.")
        return 0
    version = _publisher(settings).publish(outcome.collection, getpass.getuser(), Path(args.file).name,
                                           outcome.source_sha256, "BW-cijfers")
    record_bw_history(_engine(), history, outcome.source_sha256)
    print(f"BW-cijfers van {len(history)} locaties gepubliceerd als versie {version.number}.")
    return 0


def _versions(args) -> int:
    for v in _publisher(from_env()).versions():
        print(f"{v.number:5d}  {v.published_at}  {v.actor:12s}  {v.locations:6d} locaties  {v.source}  "
              f"sha256:{v.source_sha256[:12]}  {v.note}")
    return 0


def _rollback(args) -> int:
    import getpass

    try:
        version = _publisher(from_env()).rollback(args.version, getpass.getuser())
    except ValueError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    print(f"Versie {args.version} is opnieuw gepubliceerd als versie {version.number}.")
    return 0


def _engine():
    from auth.db import make_engine

    settings = from_env()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.db_url)


def _read_password(args) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Wachtwoord (minstens 12 tekens): ")
    if first != getpass.getpass("Herhaal het wachtwoord: "):
        raise SystemExit("De wachtwoorden zijn niet gelijk.")
    return first


def _users(args) -> int:
    from auth import users

    engine = _engine()
    try:
        if args.action == "add":
            account = users.add_user(engine, args.name, args.role, _read_password(args))
            print(f"Gebruiker {account.username!r} aangemaakt met rol {account.role}.")
        elif args.action == "list":
            for a in users.list_users(engine):
                print(f"{a.username}\t{a.role}\t{'actief' if a.active else 'uitgeschakeld'}")
        elif args.action == "set-role":
            users.set_role(engine, args.name, args.role)
            print(f"Rol van {args.name!r} is nu {args.role}; lopende sessies zijn beëindigd.")
        elif args.action == "disable":
            users.disable(engine, args.name)
            print(f"Gebruiker {args.name!r} is uitgeschakeld; lopende sessies zijn beëindigd.")
        elif args.action == "token":
            print(users.new_api_token(engine, args.name))
            print("Bewaar deze API-sleutel nu: hij wordt niet nog eens getoond. Een nieuwe sleutel vervangt de oude.",
                  file=sys.stderr)
        elif args.action == "set-password":
            users.set_password(engine, args.name, _read_password(args), actor="cli")
            print(f"Wachtwoord van {args.name!r} gewijzigd; lopende sessies zijn beëindigd.")
    except users.UserError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    p = argparse.ArgumentParser(prog="wmo-kaart", description="Kaart van gecontracteerde Wmo-zorgaanbieders.")
    sub = p.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="start de webapp (standaard)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.set_defaults(func=_serve)
    val = sub.add_parser("validate", help="controleer een GeoJSON-bestand met locaties")
    val.add_argument("path")
    val.set_defaults(func=_validate)
    demo = sub.add_parser("demo-data", help="genereer de fictieve demodataset")
    demo.add_argument("--out", default="data/providers.geojson")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=_demo)
    near = sub.add_parser("nearest", help="zoek de dichtstbijzijnde locaties")
    where = near.add_mutually_exclusive_group(required=True)
    where.add_argument("--postcode")
    where.add_argument("--place")
    where.add_argument("--lat", type=float)
    near.add_argument("--lon", type=float)
    near.add_argument("--zorgvorm", action="append", help="iWmo-code, bijvoorbeeld 07 (herhaalbaar)")
    near.add_argument("--limit", type=int, default=10)
    near.add_argument("--json", action="store_true")
    near.set_defaults(func=_nearest)
    exp = sub.add_parser("export-html", help="maak één zelfstandig HTML-bestand met de kaart (folium)")
    exp.add_argument("--gemeente", help="CBS-code of naam, bijvoorbeeld GM0828")
    exp.add_argument("--zorgvorm", action="append")
    exp.add_argument("--lang", choices=["nl", "en"], default="nl")
    exp.add_argument("--out", required=True)
    exp.set_defaults(func=_export_html)
    imp = sub.add_parser("import", help="importeer locaties uit een CSV- of XLSX-bestand")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="controleer alleen, publiceer niets")
    imp.add_argument("--report", help="schrijf het rapport als JSON naar dit bestand")
    imp.add_argument("--merge", action="store_true", help="voeg toe en werk bij op locatiecode; laat de rest staan")
    imp.add_argument("--partial", action="store_true", help="publiceer de goede rijen ook als er rijen zijn afgewezen")
    imp.set_defaults(func=_import)
    ibw = sub.add_parser("import-bw", help="werk alleen de BW-cijfers bij (locatiecode, capaciteit, bezetting, peildatum)")
    ibw.add_argument("file")
    ibw.add_argument("--dry-run", action="store_true")
    ibw.add_argument("--report")
    ibw.set_defaults(func=_import_bw)
    ver = sub.add_parser("versions", help="toon de bewaarde versies")
    ver.set_defaults(func=_versions)
    rb = sub.add_parser("rollback", help="publiceer een eerdere versie opnieuw")
    rb.add_argument("version", type=int)
    rb.set_defaults(func=_rollback)
    usr = sub.add_parser("users", help="beheer gebruikers (accounts en rollen)")
    usub = usr.add_subparsers(dest="action", required=True)
    add = usub.add_parser("add", help="maak een gebruiker aan")
    add.add_argument("name")
    add.add_argument("--role", required=True)
    add.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van stdin")
    usub.add_parser("list", help="toon alle gebruikers")
    setrole = usub.add_parser("set-role", help="wijzig de rol van een gebruiker")
    setrole.add_argument("name")
    setrole.add_argument("role")
    dis = usub.add_parser("disable", help="schakel een gebruiker uit")
    dis.add_argument("name")
    tok = usub.add_parser("token", help="maak een nieuwe API-sleutel voor een gebruiker")
    tok.add_argument("name")
    pw = usub.add_parser("set-password", help="stel een nieuw wachtwoord in")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    usr.set_defaults(func=_users)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; `serve` when no subcommand is given."""
    argv = list(sys.argv[1:] if argv is None else argv)
    p = parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "serve")
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
