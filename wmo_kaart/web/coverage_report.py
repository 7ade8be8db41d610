"""The printable coverage report at /dekking/rapport (A4): the map, the figures per municipality, the gaps."""

from __future__ import annotations


import numpy as np
from flask import Blueprint, abort, render_template, request

from auth import current_role
from ..core.coverage_params import ScenarioError, scenario_from_query
from ..core.geo import to_wgs84
from ..core.reference import BY_CODE
from ..i18n import language, number, t
from . import page_guard, services
from .coverage_figures import CLASS_LABELS, CLASSES, distance_class, table
from .coverage_service import demand, figures
from .svgmap import svg_choropleth
from ..core import clock

bp = Blueprint("coverage_report", __name__, template_folder="templates")


@bp.get("/dekking/rapport")
def report():
    if (answer := page_guard("coverage")) is not None:
        return answer
    role = current_role()
    lang = language(request.args.get("lang"))
    args = request.args
    try:
        scenario = scenario_from_query(services().catalog, args.to_dict(flat=False))
        result = figures(role, scenario, args.get("plaatsen") == "1")
    except ScenarioError as exc:
        return render_template("coverage_report.html", lang=lang, title=t("cov_title", lang), error=f"{exc.parameter}: {exc.message}"), 400
    except PermissionError as exc:
        abort(403, str(exc))
    fill = {a.id: CLASSES[distance_class(a.nearest_m / 1000)][1]
            for a in result.areas.itertuples()}
    lon, lat = to_wgs84(result.supply["x"].to_numpy(), result.supply["y"].to_numpy())
    svg = svg_choropleth(demand().outlines, fill, list(zip(np.atleast_1d(lon), np.atleast_1d(lat))),
                         label=t("cov_map_label", lang))
    columns, rows = table(result, None, lang)
    care = next((c.label(lang) for c in services().catalog.care_types if c.code == scenario.care_type), scenario.care_type)
    target = next((g.label(lang) for g in services().catalog.target_groups if g.code == scenario.target_group),
                  scenario.target_group)
    return render_template("coverage_report.html", lang=lang, title=f"{t('cov_title', lang)}: {care}", svg=svg,
                           columns=columns, rows=rows, result=result, care=care, target=target, t=t,
                           num=lambda value, decimals=None: number(value, lang, decimals),
                           municipality_name=lambda code: BY_CODE[code].name if code in BY_CODE else code, today=clock.today().strftime("%d-%m-%Y"),
                           legend=[(c, label) for (_u, c), label in zip(CLASSES, CLASS_LABELS)],
                           source=demand().source, demo=services().store.current().meta.get("demo"), error=None)
