"""/contracten: the contracts table for contract managers and policymakers (professional roles):
sort, filter (municipality, provider, care type, ends within N months, ended ones), export, and the
number of locations per provider, care type and municipality."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template, request

from auth import current_role
from ..core import contracts
from ..core.query import ParamError, integer
from ..core.reference import BY_CODE, MUNICIPALITIES
from ..export.tables import sheet_text
from ..i18n import language
from . import page_guard, role_view, services
from .components import care_labels, local_day
from ..core import clock

bp = Blueprint("contracts", __name__, template_folder="templates")
HEADERS = {"nl": ("Aanbieder", "Locatie", "Zorgvormen", "Gemeente", "Contractnummer", "Einddatum contract", "Status"),
           "en": ("Provider", "Location", "Care types", "Municipality", "Contract number", "Contract end date", "Status")}
STATUS = {"nl": {"ended": "Beëindigd", "ending": "Loopt binnen {n} maanden af", "running": "Loopt", "": "Geen einddatum"},
          "en": {"ended": "Ended", "ending": "Ends within {n} months", "running": "Running", "": "No end date"}}


def _rows(view, lang: str, args) -> tuple[list[dict], dict]:
    catalog = services().catalog
    months = integer(args.to_dict(flat=False), "maanden", 0, 120, -1)
    # contracts still running, unless ended ones are asked for too (beeindigd=1)
    chosen = {"gemeente": args.get("gemeente", ""), "aanbieder": args.get("aanbieder", ""),
              "zorgvorm": args.get("zorgvorm", ""), "maanden": "" if months < 0 else str(months),
              "beeindigd": args.get("beeindigd", "0"), "sorteer": args.get("sorteer", "contract_end")}
    if chosen["gemeente"] and chosen["gemeente"] not in BY_CODE:
        raise ParamError("gemeente", "onbekende gemeente")
    if chosen["zorgvorm"] and chosen["zorgvorm"] not in catalog.care_codes:
        raise ParamError("zorgvorm", "onbekende zorgvorm")
    table = contracts.table(view, months=None if months < 0 else months, municipality=chosen["gemeente"] or None,
                            provider=chosen["aanbieder"] or None, care_type=chosen["zorgvorm"] or None,
                            ended=chosen["beeindigd"] == "1", sort=chosen["sorteer"],
                            warn_months=contracts.WARN_MONTHS if months < 0 else months)
    warn = contracts.WARN_MONTHS if months < 0 else months
    rows = [{"id": r.id, "provider": r.provider_name, "name": r.name, "care": care_labels(r.care_types, catalog, lang),
             "municipality": BY_CODE[r.municipality_code].name if r.municipality_code in BY_CODE else r.municipality_code,
             "contract": r.contract_id or "", "end": local_day(r.contract_end) if r.contract_end else "",
             "end_iso": r.contract_end or "", "status": r.status, "status_label": STATUS[lang][r.status].format(n=warn)}
            for r in table.itertuples()]
    chosen["warn"] = warn
    return rows, chosen


@bp.get("/contracten")
def page():
    if (answer := page_guard("contracts")) is not None:
        return answer
    role = current_role()
    lang = language(request.args.get("lang"))
    view = role_view(role)
    try:
        rows, chosen = _rows(view, lang, request.args)
    except ParamError as exc:
        return render_template("contracts.html", lang=lang, error=f"{exc.parameter}: {exc.message}", rows=[], chosen={},
                               headers=HEADERS[lang], municipalities=MUNICIPALITIES, providers=[], care_types=[],
                               overview=[], title="Contracten"), 400
    fmt = request.args.get("f")
    if fmt == "csv":
        return _csv(rows, lang)
    providers = sorted(set(zip(view["provider_id"], view["provider_name"])), key=lambda p: p[1].casefold())
    catalog = services().catalog
    summary = contracts.overview(view.loc[[r["id"] for r in rows]])  # the overview follows the filters
    overview = [{"provider": r.provider_name, "care": care_labels((r.care_types,), catalog, lang),
                 "municipality": BY_CODE[r.municipality_code].name if r.municipality_code in BY_CODE else r.municipality_code,
                 "locations": int(r.locations)} for r in summary.itertuples()]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("ended", "ending")}
    title = ("Contracts" if lang == "en" else "Contracten") + (f" ({len(rows)})" if rows else "")
    return render_template("contracts.html", lang=lang, title=title, rows=rows, chosen=chosen, headers=HEADERS[lang],
                           municipalities=MUNICIPALITIES, providers=providers, care_types=catalog.care_types,
                           overview=overview, counts=counts, error=None,
                           csv_query=request.query_string.decode("utf-8", "replace"),
                           demo=services().store.current().meta.get("demo"))


def _csv(rows: list[dict], lang: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS[lang])
    for r in rows:
        writer.writerow([sheet_text(v) for v in (r["provider"], r["name"], r["care"], r["municipality"], r["contract"],
                                                   r["end_iso"], r["status_label"])])
    response = Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="contracten-{clock.today().isoformat()}.csv"'
    return response
