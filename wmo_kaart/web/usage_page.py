"""/beheer/gebruik: the usage figures and the freshness of the data, for the roles with the capability
`usage` (data managers and policy roles), with CSV/XLSX downloads and a printable evaluation report."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from auth import current_role, reports
from auth.web import engine
from ..core import access, clock, usage, usage_report
from ..core.demand import load_demand
from ..core.reference import BY_CODE
from ..export.coverage_tables import cell
from ..i18n import language, number
from . import page_guard, role_view, services
from .bars import bar_chart
from .usage import tally

bp = Blueprint("usage_page", __name__, template_folder="templates")
CHANNELS = ("page", "embed_host", "details", "shortlist", "handout", "export", "feedback")


def _context(lang: str):
    """Return everything the page and the report show for the asked period, or raise PeriodError."""
    svc = services()
    tally().flush()  # this worker's latest counts first
    today = clock.today()
    period = usage_report.period_from(request.args, today)
    rows = svc.store.usage.rows(period.start.isoformat(), period.end.isoformat())
    i = 1 if lang == "en" else 0
    care = {c.code: c.label(lang) for c in svc.catalog.care_types} | {usage.ALL_CARE: "all care types" if i else "alle zorgvormen"}
    names = {code: m.name for code, m in BY_CODE.items()}
    fresh = _freshness(today)
    months = {e: dict(usage_report.by_month(rows, e)) for e in ("page", "search")}
    month_keys = sorted(set(months["page"]) | set(months["search"]))
    weeks = usage_report.by_week(rows, "search")
    return {
        "lang": lang, "period": period, "today": today, "rows": rows, "events": usage.EVENTS, "i": i,
        "channels": [(usage.EVENTS[e][i], usage_report.totals(rows, e)) for e in CHANNELS],
        "api": usage_report.totals(rows, "api"), "filters": usage_report.totals(rows, "filter"),
        "searches": usage_report.searches(rows, lang),
        "search_total": sum(n for _k, n in usage_report.totals(rows, "search")),
        "misses": [(pc4, names.get(m, m), care.get(c, c), n) for pc4, m, c, n in usage_report.misses(rows)],
        "share": usage_report.share_by_municipality(rows, load_demand(None).frame, names),
        "months": [(m, months["page"].get(m, 0), months["search"].get(m, 0)) for m in month_keys],
        "month_chart": Markup(bar_chart([(m, months["search"].get(m, 0)) for m in month_keys],
                                        "Searches per month" if i else "Zoekopdrachten per maand")),
        "weeks": weeks[-26:],
        "week_chart": Markup(bar_chart(weeks[-26:], "Searches per week" if i else "Zoekopdrachten per week")),
        "fresh": fresh, "round": usage_report.round_list(fresh), "stale_days": usage_report.STALE_DAYS,
        "demo": svc.store.current().meta.get("demo"),
        "num": lambda value, decimals=None: number(value, lang, decimals),
    }


def _freshness(today):
    """How current the caller's view is, with the open error reports per location."""
    open_ids = [r.location_id for r in reports.listed(engine(), "open")]
    return usage_report.freshness(role_view(current_role()), today, open_ids)


def _refused_download(fmt: str):
    """Return the answer for a visitor without `usage` or an unknown format, else None."""
    if (answer := page_guard("usage")) is not None:
        return answer
    if fmt not in ("csv", "xlsx"):
        return Response("Onbekend formaat: kies csv of xlsx.", status=404, mimetype="text/plain")
    return None


def _guarded(template: str):
    if (answer := page_guard("usage")) is not None:
        return answer
    lang = language(request.args.get("lang"))
    title = "Usage and freshness" if lang == "en" else "Gebruik en actualiteit"
    try:
        page = _context(lang)
    except usage_report.PeriodError as exc:
        return render_template(template, lang=lang, title=title, error=f"{exc.parameter}: {exc}"), 400
    return render_template(template, title=title, error=None, query=request.query_string.decode()[:200], **page)


@bp.get("/beheer/gebruik")
def page():
    return _guarded("usage.html")


@bp.get("/beheer/gebruik/rapport")
def report():
    return _guarded("usage_report.html")


def _table_response(header: list[str], rows: list[list], name: str, fmt: str) -> Response:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append([cell(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        body, mimetype = out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";")
        writer.writerow(header)
        writer.writerows([[cell(v) for v in row] for row in rows])
        body, mimetype = ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{clock.today().isoformat()}.{fmt}"'
    return response


@bp.get("/beheer/gebruik.<fmt>")
def download(fmt: str):
    """The counts of the period, one row per period, event and key."""
    if (answer := _refused_download(fmt)) is not None:
        return answer
    lang = language(request.args.get("lang"))
    try:
        period = usage_report.period_from(request.args, clock.today())
    except usage_report.PeriodError as exc:
        return Response(f"{exc.parameter}: {exc}", status=400, mimetype="text/plain")
    tally().flush()
    header, rows = usage_report.labelled_rows(services().store.usage.rows(period.start.isoformat(), period.end.isoformat()), lang)
    return _table_response(header, rows, "wmo-kaart-gebruik", fmt)


@bp.get("/beheer/actualiteit.<fmt>")
def round_download(fmt: str):
    """The list for the yearly round to providers: every location whose details are older than a year."""
    if (answer := _refused_download(fmt)) is not None:
        return answer
    fresh = _freshness(clock.today())
    header = ["Aanbieder", "Aanbiedercode", "Contact", "Locatiecode", "Locatie", "Plaats", "Laatst gecontroleerd",
              "Dagen geleden", "Open meldingen"]
    rows = [[p["provider_name"], p["provider_id"], ", ".join(p["contacts"]), loc["id"], loc["name"], loc["city"],
             loc["last_checked"].isoformat() if loc["last_checked"] else "nooit", loc["age_days"], loc["reports"]]
            for p in usage_report.round_list(fresh) for loc in p["to_check"]]
    return _table_response(header, rows, "wmo-kaart-jaarronde", fmt)


assert "usage" in access.CAPABILITIES
