"""Command line: serve, validate and demo data."""

from __future__ import annotations

from pathlib import Path

from ..config import from_env


def validate(args) -> int:
    from ..core.catalog import load_catalog
    from ..core.dataset import load_geojson
    from ..core.validate import InvalidDataError

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


def demo(args) -> int:
    from ..demo import write

    import datetime as dt

    try:
        as_of = dt.date.fromisoformat(args.datum) if args.datum else None
    except ValueError:
        print(f"Fout in --datum: '{args.datum}' is geen datum (JJJJ-MM-DD).")
        return 2
    n = write(Path(args.out), seed=args.seed, as_of=as_of)
    print(f"{n} fictieve demolocaties geschreven naar {args.out}.")
    return 0
