"""The command line: `wmo-kaart [serve|validate|demo-data|nearest|export-html|import|import-bw|versions|rollback|users] ...`."""

from __future__ import annotations

import argparse
import sys

from . import accounts, boundaries, coverage, data, finding, publishing, server


def _change_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="controleer alleen, publiceer niets")
    p.add_argument("--report", help="schrijf het rapport als JSON naar dit bestand")
    p.add_argument("--partial", action="store_true", help="publiceer de goede rijen ook als er rijen zijn afgewezen")
    p.add_argument("--map", action="append", metavar="KOLOM=VELD",
                   help="koppel een kolom met de hand aan een veld (of 'negeer'); wordt onthouden (herhaalbaar)")
    p.add_argument("--sheet", action="append", metavar="WERKBLAD", help="lees alleen dit werkblad (herhaalbaar)")
    p.add_argument("--zelfde", action="append", metavar="V-…=LOCATIECODE",
                   help="beantwoord een vraag van het rapport: deze vestiging is die opgeslagen locatie (of '=apart'); "
                        "wordt onthouden (herhaalbaar)")
    p.add_argument("--confirm", "--bevestig", dest="confirm", action="store_true",
                   help="publiceer ook als locaties verdwijnen of opgeslagen waarden leeg worden")
    p.add_argument("--allow-shrink", "--krimp-toestaan", dest="allow_shrink", action="store_true",
                   help="sta toe dat de kaart meer dan WMO_KAART_MAX_SHRINK van de locaties verliest")


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    p = argparse.ArgumentParser(prog="wmo-kaart", description="Kaart van gecontracteerde Wmo-zorgaanbieders.")
    sub = p.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="start de webapp (standaard)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=0, help="aantal workers (standaard WMO_KAART_WORKERS of 2)")
    serve.add_argument("--dev", action="store_true", help="de ontwikkelserver van Flask in plaats van gunicorn")
    serve.set_defaults(func=server.serve)
    val = sub.add_parser("validate", help="controleer een GeoJSON-bestand met locaties")
    val.add_argument("path")
    val.set_defaults(func=data.validate)
    demo = sub.add_parser("demo-data", help="genereer de fictieve demodataset")
    demo.add_argument("--out", default="data/providers.geojson")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--datum", help="de dag waarvoor de datums gelden (JJJJ-MM-DD; standaard vandaag)")
    demo.set_defaults(func=data.demo)
    near = sub.add_parser("nearest", help="zoek de dichtstbijzijnde locaties")
    where = near.add_mutually_exclusive_group(required=True)
    where.add_argument("--postcode")
    where.add_argument("--place")
    where.add_argument("--lat", type=float)
    near.add_argument("--lon", type=float)
    near.add_argument("--zorgvorm", action="append", help="iWmo-code, bijvoorbeeld 07 (herhaalbaar)")
    near.add_argument("--limit", type=int, default=10)
    near.add_argument("--json", action="store_true")
    near.set_defaults(func=finding.nearest)
    from ..export.formats import FORMATS

    out = sub.add_parser("export", help="exporteer de selectie als " + ", ".join(FORMATS))
    out.add_argument("formaat", choices=list(FORMATS))
    out.add_argument("--out", help="bestandsnaam (standaard wmo-kaart-<datum> met de extensie van het formaat)")
    out.add_argument("--gemeente", action="append", help="CBS-code of naam (herhaalbaar)")
    out.add_argument("--zorgvorm", action="append", help="iWmo-code, bijvoorbeeld 07 (herhaalbaar)")
    out.add_argument("--rol", default="anonymous", help="zoals deze rol het ziet (standaard: publiek)")
    out.set_defaults(func=finding.export)
    exp = sub.add_parser("export-html", help="maak één zelfstandig HTML-bestand met de kaart (folium)")
    exp.add_argument("--gemeente", help="CBS-code of naam, bijvoorbeeld GM0828")
    exp.add_argument("--zorgvorm", action="append")
    exp.add_argument("--lang", choices=["nl", "en"], default="nl")
    exp.add_argument("--out", required=True)
    exp.set_defaults(func=finding.export_html)
    imp = sub.add_parser("import", help="importeer locaties uit een CSV- of XLSX-bestand")
    imp.add_argument("file")
    imp.add_argument("--merge", action="store_true", help="voeg toe en werk bij op locatiecode; laat de rest staan")
    imp.add_argument("--clear-empty", "--leeg-wissen", dest="clear_empty", action="store_true",
                     help="een lege cel maakt de opgeslagen waarde leeg (standaard blijft die staan)")
    _change_flags(imp)
    imp.set_defaults(func=publishing.import_file)
    ibw = sub.add_parser("import-bw", help="werk alleen de BW-cijfers bij (locatiecode, capaciteit, bezetting, peildatum)")
    ibw.add_argument("file")
    ibw.add_argument("--allow-older", "--ouder-toestaan", dest="allow_older", action="store_true",
                     help="overschrijf ook nieuwere opgeslagen cijfers met een oudere peildatum")
    ibw.add_argument("--allow-future", "--toekomst-toestaan", dest="allow_future", action="store_true",
                     help="sta een peildatum in de toekomst toe")
    _change_flags(ibw)
    ibw.set_defaults(func=publishing.import_bw)
    cov = sub.add_parser("coverage", help="dekking en spreiding: afstand tot de dichtstbijzijnde locatie per gebied")
    cov.add_argument("--zorgvorm", required=True, help="iWmo-code, bijvoorbeeld 07")
    cov.add_argument("--doelgroep", help="doelgroep, bijvoorbeeld ouderen (dan telt de bevolking van 65+)")
    cov.add_argument("--drempels", default="5,10,15", help="afstanden in km, bijvoorbeeld 5,10,15")
    cov.add_argument("--zonder-aanbieder", action="append", default=[], metavar="ID", help="laat deze aanbieder weg (herhaalbaar)")
    cov.add_argument("--zonder-locatie", action="append", default=[], metavar="ID", help="laat deze locatie weg (herhaalbaar)")
    cov.add_argument("--met-beeindigd", action="store_true", help="wat-als: tel locaties met een beëindigd contract mee")
    cov.add_argument("--nieuw", action="append", default=[], metavar="LAT,LON", help="voeg een denkbeeldige locatie toe")
    cov.add_argument("--bw-plaatsen", action="store_true", help="aanbod = BW-plaatsen in plaats van één per locatie")
    cov.add_argument("--json", action="store_true")
    cov.set_defaults(func=coverage.coverage)
    pop = sub.add_parser("population", help="download inwoners per buurt van PDOK (CBS wijken en buurten) voor de dekking")
    pop.add_argument("--year", type=int, required=True)
    pop.add_argument("--out", default="data/buurten.geojson")
    pop.add_argument("--url", default=None, help="basis-URL van de OGC API (standaard PDOK, met {year})")
    pop.set_defaults(func=boundaries.population)
    bench = sub.add_parser("bench", help="meet de prestaties bij 30.000 locaties tegen een basislijn")
    bench.add_argument("--quick", action="store_true", help="kortere metingen (onder een minuut)")
    bench.add_argument("--write", metavar="BESTAND", help="schrijf het resultaat (bijvoorbeeld BENCHMARKS.md)")
    bench.add_argument("--port", type=int, help="meet de belasting op de server die al op deze poort draait "
                       "(bijvoorbeeld `wmo-kaart serve --port 8050`), in plaats van er zelf een te starten")
    bench.set_defaults(func=lambda args: __import__("wmo_kaart.benchmarks", fromlist=["main"]).main(args.quick, args.write,
                                                                                                      args.port))
    ver = sub.add_parser("versions", help="toon de bewaarde versies")
    ver.set_defaults(func=publishing.versions)
    rb = sub.add_parser("rollback", help="publiceer een eerdere versie opnieuw")
    rb.add_argument("version", type=int)
    rb.add_argument("--basis", type=int, help="alleen als deze versie nog live is (zoals getoond door 'versions')")
    rb.set_defaults(func=publishing.rollback)
    bnd = sub.add_parser("boundaries", help="download de gemeentegrenzen van PDOK (voor op de kaart)")
    bnd.add_argument("--year", type=int, default=2025)
    bnd.add_argument("--out", default="data/gemeenten.geojson")
    bnd.add_argument("--url", default="https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1/collections/gemeente_gegeneraliseerd/items")
    bnd.set_defaults(func=boundaries.boundaries)
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
    usr.set_defaults(func=accounts.users)
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
