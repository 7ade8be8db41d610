"""Command line: the nearest locations and the static HTML export."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import from_env, open_store


def nearest(args) -> int:
    import json

    from ..core import access, finder
    from ..core.filters import LocationFilter
    from ..core.geocode import GeocodeError
    from ..core.nearest import format_km
    from ..core.schema import address_line
    from ..core.geocode import configured_chain

    settings = from_env()
    view = access.view_for(open_store(settings).current(), access.ANONYMOUS, hide_ended=not settings.show_ended_contracts)
    try:
        if args.lat is not None or args.lon is not None:
            if args.lat is None or args.lon is None:
                raise GeocodeError("Geef zowel --lat als --lon.")
            origin, notice = finder.origin_from_point(args.lat, args.lon), ""
        else:
            origin, notice = finder.locate(configured_chain(settings.pdok_geocoder, settings.pdok_url, settings.geocoder_timeout,
                                                             settings.demand_path), args.postcode or args.place)
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
        print(f"{i:3d}. {format_km(r.distance_m):>8}  {r.name} ({r.provider_name}), {address_line(r)}")
    return 0


def export_html(args) -> int:
    from ..core import access
    from ..core.catalog import load_catalog
    from ..core.filters import LocationFilter, apply_filter
    from ..core.reference import municipality
    from ..export.html_map import render_html

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
    from ..core.geography import municipal_outlines, place_labels
    from ..core.timefmt import local_date

    store = open_store(settings, catalog)
    dataset = store.current()
    versions = store.versions()
    view = access.view_for(dataset, access.ANONYMOUS, hide_ended=not settings.show_ended_contracts)
    rows = apply_filter(view, LocationFilter.from_values(args.zorgvorm, found.code if found else None))
    towns = [(lb.text, lb.lon, lb.lat) for lb in place_labels(settings.boundaries_path) if not lb.bold and lb.min_zoom <= 10.5]
    html = render_html(rows, catalog, found.code if found else None, args.lang, settings.basemap_url,
                       municipal_outlines(settings.boundaries_path), towns,
                       local_date(versions[-1].published_at) if versions else "", bool(dataset.meta.get("demo")))
    Path(args.out).write_text(html, encoding="utf-8")
    print(f"{len(rows)} locaties geschreven naar {args.out}.")
    return 0


def export(args) -> int:
    """Write the selection as one of the export formats (the registry the API uses), as a role sees it."""
    from ..core import access, clock, provenance
    from ..core.filters import LocationFilter, apply_filter
    from ..core.reference import municipality
    from ..export.formats import FORMATS, file_name

    settings = from_env()
    if args.rol not in access.ROLES:
        print(f"Fout in --rol: onbekende rol '{args.rol}' (bekend: {', '.join(access.ROLES)}).", file=sys.stderr)
        return 2
    store = open_store(settings)
    view = access.view_for(store.current(), args.rol, hide_ended=not settings.show_ended_contracts)
    codes = []
    for name in args.gemeente or ():
        found = municipality(name)
        if found is None:
            print(f"Fout in --gemeente: '{name}' is geen gemeente in de regio.", file=sys.stderr)
            return 2
        codes.append(found.code)
    rows = apply_filter(view, LocationFilter.from_values(care_types=args.zorgvorm, municipalities=codes))
    fmt = FORMATS[args.formaat]
    out = Path(args.out or file_name(fmt, clock.today()))
    out.write_bytes(fmt.write(rows, store.catalog, provenance.of_store(store)))
    print(f"{len(rows)} locaties geschreven naar {out} ({fmt.label}).")
    return 0
