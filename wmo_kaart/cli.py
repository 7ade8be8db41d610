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
