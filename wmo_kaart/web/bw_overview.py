"""The BW overview on /dekking for the BW roles: capacity, occupancy and free places, their trend, free now."""

from __future__ import annotations


import plotly.graph_objects as go
from dash import dcc, html
from flask_login import current_user

from auth import users
from auth.web import engine
from ..core import access, bw
from ..i18n import t
from . import role_view, services
from .bw_panel import bw_panel
from ..core import clock


def bw_overview(role: str, lang: str) -> html.Section:
    """Return the overview for a BW role (raises PermissionError on any other role's view)."""
    if not access.may(role, "bw_figures"):
        raise PermissionError("BW-cijfers zijn alleen zichtbaar voor BW-rollen")
    svc = services()
    view = role_view(role)
    rows = bw.locations(view, clock.today(), svc.settings.bw_stale_days)
    users.audit(engine(), getattr(current_user, "username", role), "bw_view", "dekking")
    series = bw.trend(svc.store.bw_history())
    fig = go.Figure([go.Scatter(x=series["as_of"], y=series["capacity"], name=t("cov_capacity", lang), mode="lines+markers",
                                line=dict(dash="dash", color="#333333")),
                     go.Scatter(x=series["as_of"], y=series["occupancy"], name=t("cov_occupancy", lang), mode="lines+markers",
                                line=dict(color="#9B1C1C"), marker=dict(symbol="square"))])
    fig.update_layout(title=t("cov_bw_trend", lang), margin=dict(l=50, r=10, t=50, b=40), legend=dict(orientation="h"))
    free = rows[rows["free"] > 0].sort_values(["free", "name"], ascending=[False, True])
    total = bw.region_total(rows)
    return html.Section([
        html.H2(t("cov_bw_title", lang)),
        html.P(f"{t('cov_region', lang)}: {t('cov_capacity', lang)} {total['capacity']}, {t('cov_occupancy', lang)} "
               f"{total['occupancy']}, {t('cov_free', lang)} {total['free']}.", id="cov-bw-region"),
        dcc.Graph(id="cov-bw-trend", figure=fig, config={"displaylogo": False}),
        html.H3(t("cov_bw_free", lang)),
        html.Ul([html.Li(f"{r.name} ({r.city}): {r.free} {t('cov_free', lang).lower()}") for r in free.itertuples()],
                id="cov-bw-free"),
        bw_panel(view, svc.settings.bw_stale_days, lang=lang),
    ], className="bw-overview")
